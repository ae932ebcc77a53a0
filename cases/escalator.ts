/**
 * Escalation (PRODUCT.md §3): a case not acknowledged by its deadline goes to the next step of the
 * chain (core/caseDecisions.ts decideEscalation). Deadlines live in storage (the `due|` index rows), not
 * in timers, so they survive restarts; the case's ETag makes each step fire once however many
 * instances sweep at the same moment.
 */
import { decideEscalation } from '../core/caseDecisions';
import { ROUTING_ROLES } from '../directory/roleResolver';
import { Periodic } from '../runtime/periodic';
import type { Services } from '../runtime/services';
import type { DueEscalation } from '../store/caseStore';

export class Escalator {
  private readonly sweeper: Periodic;

  constructor(private readonly s: Services) {
    this.sweeper = new Periodic(() => this.sweepOnce(), s.settings.escalationSweepSeconds, s.log, 'escalation sweep');
  }

  start(): void {
    this.sweeper.start();
  }

  stop(): Promise<void> {
    return this.sweeper.stop();
  }

  /** Escalates every case past its deadline; returns how many steps this instance took. */
  sweep(): Promise<number> {
    return this.sweeper.run();
  }

  private async sweepOnce(): Promise<number> {
    const { schoolId } = this.s.setup;
    const due = await this.s.stores.cases.dueEscalations(this.s.clock().toISOString());
    let fired = 0;
    for (const row of due.filter((d) => d.schoolId === schoolId)) {
      if (await this.escalate(row)) fired++;
    }
    return fired;
  }

  private async escalate(due: DueEscalation): Promise<boolean> {
    const now = this.s.clock();
    const { members } = await this.s.roles.resolve(ROUTING_ROLES);
    const result = await this.s.stores.cases.changeCase(due.schoolId, due.reference, (record) => decideEscalation(record, due.rowKey, members, now, this.s.setup));
    if (result.outcome !== 'changed') {
      // A stale index row (the case moved on): remove it so it is not read again.
      await this.s.stores.cases.removeDue(due).catch(() => undefined);
      return false;
    }
    await this.s.stores.audit.append(this.s.setup.schoolId, { reference: due.reference, action: `escalated to step ${result.record.escalationLevel}`, byId: 'system', via: 'system' });
    this.s.log.info('case escalated', { reference: due.reference, level: result.record.escalationLevel });
    this.s.outbox.dispatch(result.outbox);
    return true;
  }
}
