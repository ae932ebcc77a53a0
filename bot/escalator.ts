/**
 * Escalation (PRODUCT.md §3): a case not acknowledged by its deadline goes to the next step of the
 * chain. Deadlines live in storage (the `due|` index rows), not in timers, so they survive restarts;
 * the case's ETag makes each step fire once however many instances sweep at the same moment.
 */
import { acknowledgementDeadline } from '../core/deadlines';
import { nextEscalation } from '../core/escalation';
import { ROLE_TITLES } from '../core/roles';
import type { CaseStore, DueEscalation } from '../store/caseStore';
import type { SchoolSetup } from '../config/schema';
import type { AuditStore } from '../store/auditStore';
import type { Log } from './log';
import { Periodic } from './periodic';
import type { Outbox } from './outbox';
import { ROUTING_ROLES, type RoleResolver } from './roleResolver';

export class Escalator {
  private readonly sweeper: Periodic;

  constructor(
    private readonly setup: SchoolSetup,
    private readonly cases: CaseStore,
    private readonly audit: AuditStore,
    private readonly roles: RoleResolver,
    private readonly outbox: Outbox,
    private readonly log: Log,
    sweepSeconds: number,
    private readonly clock: () => Date,
  ) {
    this.sweeper = new Periodic(() => this.sweepOnce(), sweepSeconds);
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
    try {
      const due = await this.cases.dueEscalations(this.clock().toISOString());
      let fired = 0;
      for (const row of due.filter((d) => d.schoolId === this.setup.schoolId)) {
        if (await this.escalate(row)) fired++;
      }
      return fired;
    } catch (err) {
      this.log.warn('escalation sweep failed', { error: (err as Error).message });
      return 0;
    }
  }

  private async escalate(due: DueEscalation): Promise<boolean> {
    const now = this.clock();
    const at = now.toISOString();
    const { members } = await this.roles.resolve(ROUTING_ROLES);
    const result = await this.cases.changeCase<'notDue'>(
      due.schoolId,
      due.reference,
      (record) => {
        // Acknowledged, closed, reassigned or escalated already (by us or another instance).
        if (record.status !== 'open' || record.dueKey !== due.rowKey) return { refused: 'notDue' };
        const step = nextEscalation(record.escalationLevel, record.recipients, members, record.concern.staffInvolvedId);
        if (!step) {
          return {
            update: {},
            deadline: null,
            chronology: [{ at, kind: 'escalated', summary: 'Not acknowledged in time, and there is nobody further up the chain: flagged for the Headteacher\'s attention in the case list.' }],
          };
        }
        const names = step.added.map((r) => `${r.displayName} (${ROLE_TITLES[r.role]})`).join(', ');
        const suffix = `|esc${step.level}`;
        return {
          update: { recipients: [...record.recipients, ...step.added], escalationLevel: step.level },
          deadline: acknowledgementDeadline(now, record.urgent, this.setup.acknowledgement, this.setup.timeZone).toISOString(),
          chronology: [{ at, kind: 'escalated', summary: `Not acknowledged by ${record.deadline ?? 'the deadline'}: escalated to ${names}`, detail: { level: step.level, added: step.added } }],
          outbox: [
            ...record.recipients.map((r) => ({ kind: 'updateRecipientCard' as const, personId: r.id, at, suffix })),
            ...step.added.map((r) => ({ kind: 'notifyRecipient' as const, personId: r.id, at, suffix })),
            ...(record.urgent ? step.added.map((r) => ({ kind: 'activityFeed' as const, personId: r.id, at, suffix })) : []),
          ],
        };
      },
    );
    if (result.outcome === 'refused' || result.outcome === 'notFound') {
      // A stale index row (the case moved on): remove it so it is not read again.
      await this.cases.removeDue(due).catch(() => undefined);
      return false;
    }
    await this.audit.append(this.setup.schoolId, { reference: due.reference, action: `escalated to step ${result.record.escalationLevel}`, byId: 'system', via: 'system' });
    this.log.info('case escalated', { reference: due.reference, level: result.record.escalationLevel });
    this.outbox.dispatch(result.outbox);
    return true;
  }
}
