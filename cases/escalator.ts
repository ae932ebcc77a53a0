/**
 * Escalation (PRODUCT.md §3): a case not acknowledged by its deadline goes to the next step of the
 * chain (core/caseDecisions.ts decideEscalation). Deadlines live in storage (the `due|` index rows), so
 * they survive restarts; the case's ETag makes each step fire once however many instances try.
 *
 * On time: each instance keeps one timer for the school's earliest deadline (read from the index after
 * every sweep, and moved earlier when a case gets a nearer one), so a step fires within moments of its
 * deadline; the periodic sweep stays as the backstop (a deadline set on another instance, a clock that
 * jumped, a restart).
 */
import { decideEscalation } from '../core/caseDecisions';
import { ROUTING_ROLES } from '../directory/roleResolver';
import { Periodic } from '../runtime/periodic';
import type { Services } from '../runtime/services';
import type { DueEscalation } from '../store/caseStore';

/** The longest a timer waits (Node's limit is 24.8 days; the sweep and the next reschedule cover the rest). */
const MAX_TIMER_MS = 6 * 60 * 60 * 1000;

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
    const delay = Math.min(Math.max(0, at - this.s.clock().getTime()), MAX_TIMER_MS);
    const handle = setTimeout(() => {
      this.timer = undefined;
      void this.sweep();
    }, delay);
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
