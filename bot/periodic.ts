/**
 * Work that runs every so often (the outbox sweep, escalations, the spool drain): never two runs at
 * once in this instance, and stopping waits for the run under way. Across instances, the stores'
 * ETag-guarded claims keep the work from being done twice.
 */
export class Periodic {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(private readonly work: () => Promise<number>, private readonly seconds: number) {}

  start(runNow = false): void {
    this.timer = setInterval(() => void this.run(), this.seconds * 1000);
    this.timer.unref();
    if (runNow) void this.run();
  }

  /** Runs now, or joins the run under way. */
  run(): Promise<number> {
    if (!this.running) this.running = this.work().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
