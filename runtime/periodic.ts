/**
 * Work that runs every so often (the outbox sweep, escalations, the spool drain, reminder runs left
 * behind): never two runs at once in this instance, a failure is logged and tried again next time
 * (background work never stops the server), and stopping waits for the run under way — for a bounded
 * time, so a hung call cannot hold a shutdown. Across instances, the stores' ETag-guarded claims keep
 * the work from being done twice.
 */
import type { Log } from './log';

/** How long stop() waits for a run under way before giving up on it. */
const STOP_WAIT_MS = 5000;

export class Periodic {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  /** Asked for while a run was under way: one more run follows it. */
  private again = false;

  constructor(
    private readonly work: () => Promise<number>,
    private readonly seconds: number,
    private readonly log: Log,
    private readonly name: string,
  ) {}

  start(runNow = false): void {
    this.timer = setInterval(() => void this.run(), this.seconds * 1000);
    this.timer.unref();
    if (runNow) void this.run();
  }

  /** Runs now, or joins the run under way. Never rejects: a failed run counts as 0 and is logged. */
  run(): Promise<number> {
    if (!this.running) {
      this.running = this.work()
        .catch((err: Error) => {
          this.log.warn(`${this.name} failed; it is tried again`, { error: err?.message ?? String(err) });
          return 0;
        })
        .finally(() => {
          this.running = undefined;
          if (this.again) {
            this.again = false;
            void this.run();
          }
        });
    }
    return this.running;
  }

  /**
   * Runs now; if a run is under way, once more after it. For work that has just become due: the run
   * under way may have looked before it was (joining it, as run() does, would miss it until next time).
   */
  runAgain(): void {
    if (this.running) this.again = true;
    else void this.run();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.again = false;
    if (!this.running) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise((r) => (timer = setTimeout(r, STOP_WAIT_MS)))]);
    clearTimeout(timer);
  }
}
