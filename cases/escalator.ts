/**
 * Escalation (PRODUCT.md §3): a case not acknowledged by its deadline goes to the next step of the
 * chain (core/caseDecisions.ts decideEscalation). Deadlines live in storage (the `due|` index rows), so
 * they survive restarts; the case's ETag makes each step fire once however many instances try.
 *
 * On time: each instance keeps one timer for the school's earliest deadline (read from the index after
 * every sweep, and moved earlier when a case gets a nearer one), looking at the clock once a second, so
 * a step fires within moments of its deadline even when the clock jumps; a deadline that falls due
 * while a sweep is under way gets a sweep of its own after it. The periodic sweep stays as the backstop
 * (a deadline set on another instance, a restart).
 */
import { decideEscalation } from '../core/caseDecisions';
import { ROUTING_ROLES } from '../directory/roleResolver';
import { Periodic } from '../runtime/periodic';
import type { Services } from '../runtime/services';
import type { DueEscalation } from '../store/caseStore';

/**
 * How often the timer looks at the clock while it waits. Timers run on the machine's monotonic time and
 * deadlines on the wall clock: when the clock jumps (an NTP step, a VM resumed after a pause) a timer
 * set for "in 15 minutes" would fire late by the jump, leaving it to the sweep. Looking once a second
 * (no storage, just a comparison) keeps a step within a second or so of its deadline whatever the clock did.
 */
const CLOCK_CHECK_MS = 1000;

export class Escalator {
  private readonly sweeper: Periodic;
  private timer?: { at: number; handle: NodeJS.Timeout };
  private stopped = false;
  private unsubscribe?: () => void;

  constructor(private readonly s: Services) {
    this.sweeper = new Periodic(() => this.sweepOnce(), s.settings.escalationSweepSeconds, s.log, 'escalation sweep');
  }

  start(): void {
    this.stopped = false;
    this.sweeper.start(true);
    this.unsubscribe = this.s.deadlines.onSet((deadline) => this.wakeAt(Date.parse(deadline)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer.handle);
    this.timer = undefined;
    await this.sweeper.stop();
  }

  /** Escalates every case past its deadline; returns how many steps this instance took. */
  sweep(): Promise<number> {
    return this.sweeper.run();
  }

  /** Sweeps when the school's clock reaches `at` (unless a timer for earlier is set already). */
  private wakeAt(at: number): void {
    if (this.stopped || !Number.isFinite(at) || (this.timer && this.timer.at <= at)) return;
    if (this.timer) clearTimeout(this.timer.handle);
    this.arm(at);
  }

  /** Waits for `at` by the school's clock, looking at it at least once a second. */
  private arm(at: number): void {
    const left = at - this.s.clock().getTime();
    if (left <= 0) {
      // Due now: a sweep, or one more after the sweep under way (which may have looked before it was due,
      // or be the very sweep that found this deadline next).
      this.timer = undefined;
      this.sweeper.runAgain();
      return;
    }
    const handle = setTimeout(() => {
      if (!this.stopped && this.timer?.handle === handle) this.arm(at);
    }, Math.min(left, CLOCK_CHECK_MS));
    handle.unref();
    this.timer = { at, handle };
  }

  private async sweepOnce(): Promise<number> {
    const { schoolId } = this.s.setup;
    const due = await this.s.stores.cases.dueEscalations(schoolId, this.s.clock().toISOString());
    let fired = 0;
    for (const row of due) {
      if (await this.escalate(row)) fired++;
    }
    // The next deadline from the index: whatever this or any instance set since.
    const next = await this.s.stores.cases.earliestDeadline(schoolId);
    if (next) this.wakeAt(Date.parse(next));
    return fired;
  }

  private async escalate(due: DueEscalation): Promise<boolean> {
    const now = this.s.clock();
    const { members } = await this.s.roles.resolve(ROUTING_ROLES);
    const result = await this.s.stores.cases.changeCase(
      due.schoolId,
      due.reference,
      (record) => decideEscalation(record, due.rowKey, members, now, this.s.setup),
      (_record, change) => ({ action: change.update.escalationLevel ? `escalated to step ${change.update.escalationLevel}` : 'not acknowledged in time: nobody further up the chain to tell', byId: 'system', via: 'system' }),
    );
    if (result.outcome !== 'changed') {
      // A stale index row (the case moved on): remove it so it is not read again.
      await this.s.stores.cases.removeDue(due).catch(() => undefined);
      return false;
    }
    this.s.log.info('case escalated', { reference: due.reference, level: result.record.escalationLevel });
    this.s.outbox.dispatch(result.outbox);
    return true;
  }
}
