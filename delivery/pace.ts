/**
 * Teams' pace for one conversation. A burst of monitoring alerts (PRODUCT.md §7: "a burst of 500 alerts
 * is taken without loss and delivered at Teams' pace") owes each DSL and the Online Safety Lead one card
 * per alert, all in the same 1:1 chat. Teams limits what a bot posts to one conversation ("per bot per
 * thread": 7 messages in 1 s, 8 in 2 s, 60 in 30 s, 1,800 in an hour) and answers 429 beyond it:
 * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit
 * So the messages for each person wait their turn here rather than being refused there; a 429 that
 * still comes back is retried by the outbox with its Retry-After, as always.
 *
 * In memory only, on purpose: what waits here is already in the outbox (stored with its case) and is
 * taken by any instance's sweep once its hold passes, so a restart loses nothing.
 */

export interface Window {
  count: number;
  seconds: number;
}

/** Per bot per thread, as Microsoft publishes them. */
export const TEAMS_THREAD_LIMITS: readonly Window[] = [
  { count: 7, seconds: 1 },
  { count: 8, seconds: 2 },
  { count: 60, seconds: 30 },
  { count: 1800, seconds: 3600 },
];

interface Lane {
  waiting: { task: () => Promise<void>; done: () => void }[];
  /** When each recent message was sent (ms), oldest first. */
  sent: number[];
  running: boolean;
}

export class ConversationPace {
  private readonly lanes = new Map<string, Lane>();
  private readonly windows: Window[];
  private readonly longest: number;
  private stopped = false;

  /** `scale` multiplies the counts (tests only: TEAMS_PACE_SCALE). */
  constructor(scale = 1, limits: readonly Window[] = TEAMS_THREAD_LIMITS, private readonly now: () => number = () => performance.now()) {
    this.windows = limits.map((w) => ({ count: Math.max(1, Math.floor(w.count * scale)), seconds: w.seconds }));
    this.longest = Math.max(...this.windows.map((w) => w.seconds)) * 1000;
  }

  /** Runs the task when the conversation may take another message; resolves once it has run (or the pace stopped). */
  run(conversation: string, task: () => Promise<void>): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise<void>((done) => {
      const lane = this.lanes.get(conversation) ?? { waiting: [], sent: [], running: false };
      this.lanes.set(conversation, lane);
      lane.waiting.push({ task, done });
      if (!lane.running) void this.drain(conversation, lane);
    });
  }

  /**
   * About how long (ms) a message queued now for each of these conversations waits: the outbox holds its
   * rows at least that long before another instance's sweep may take them.
   */
  waitMs(conversations: Iterable<string>): number {
    const sustained = this.windows.reduce((slowest, w) => Math.max(slowest, (w.seconds * 1000) / w.count), 0);
    let most = 0;
    for (const c of conversations) most = Math.max(most, ((this.lanes.get(c)?.waiting.length ?? 0) + 1) * sustained);
    return Math.ceil(most);
  }

  /** Drops everything waiting (it stays in the outbox for the sweep) and lets the running tasks finish. */
  stop(): void {
    this.stopped = true;
    for (const lane of this.lanes.values()) for (const w of lane.waiting.splice(0)) w.done();
  }

  /** How long before one more message may go, given those sent (ms; 0 = now). */
  private delay(lane: Lane, at: number): number {
    let wait = 0;
    for (const w of this.windows) {
      if (lane.sent.length < w.count) continue;
      const nth = lane.sent[lane.sent.length - w.count];
      wait = Math.max(wait, nth + w.seconds * 1000 - at);
    }
    return wait;
  }

  private async drain(conversation: string, lane: Lane): Promise<void> {
    lane.running = true;
    try {
      for (let next = lane.waiting.shift(); next; next = lane.waiting.shift()) {
        const wait = this.delay(lane, this.now());
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (this.stopped) {
          next.done();
          continue;
        }
        const at = this.now();
        lane.sent.push(at);
        while (lane.sent.length > 0 && lane.sent[0] <= at - this.longest) lane.sent.shift();
        try {
          await next.task();
        } catch {
          // The task keeps its own failures (the outbox records them for the retry).
        }
        next.done();
      }
    } finally {
      lane.running = false;
      if (lane.waiting.length === 0 && lane.sent.every((t) => t <= this.now() - this.longest)) this.lanes.delete(conversation);
    }
  }
}
