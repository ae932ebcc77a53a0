/** `reassign`: a current recipient hands the case to the deputies, the other phase's DSL or the OSL. */
import { acknowledgementDeadline } from '../../core/deadlines';
import { REASSIGN_TARGETS } from '../../core/escalation';
import { ROLE_TITLES, type Role } from '../../core/roles';
import type { Recipient } from '../../core/routing';
import { ROUTING_ROLES } from '../roleResolver';
import type { ActionResult, Actor, Services } from '../services';
import { answerChange, referenceIn } from './caseAccess';

export async function reassign(s: Services, actor: Actor, data: Record<string, unknown>): Promise<ActionResult> {
  const reference = referenceIn(data);
  if (!reference) return { kind: 'error', status: 400, message: 'This card does not name a concern.' };
  const to = typeof data.to === 'string' && (REASSIGN_TARGETS as string[]).includes(data.to) ? (data.to as Role) : undefined;
  if (!to) return { kind: 'error', status: 400, message: 'Choose who to hand the concern to.' };
  const { members } = await s.roles.resolve(ROUTING_ROLES);
  const now = s.clock();
  const at = now.toISOString();
  const result = await s.cases.changeCase<'notARecipient' | 'closed' | 'nobody'>(s.setup.schoolId, reference, (record) => {
    const me = record.recipients.find((r) => r.id === actor.id);
    if (!me) return { refused: 'notARecipient' };
    if (record.status === 'closed') return { refused: 'closed' };
    const subject = record.concern.staffInvolvedId;
    const added: Recipient[] = (members[to] ?? []).filter((p) => p.id !== subject && p.id !== actor.id).map((p) => ({ ...p, role: to }));
    if (added.length === 0) return { refused: 'nobody' };
    const names = added.map((r) => r.displayName).join(', ');
    return {
      update: { recipients: added, escalationLevel: 0, status: 'open', acknowledgedBy: undefined, acknowledgedAt: undefined },
      deadline: acknowledgementDeadline(now, record.urgent, s.setup.acknowledgement, s.setup.timeZone).toISOString(),
      chronology: [{ at, kind: 'reassigned', by: { id: me.id, displayName: me.displayName }, summary: `Reassigned by ${me.displayName} to ${ROLE_TITLES[to]}: ${names}`, detail: { from: record.recipients, to: added } }],
      outbox: [
        ...record.recipients.map((r) => ({ kind: 'updateRecipientCard' as const, personId: r.id, at, suffix: `|re${at}` })),
        ...added.map((r) => ({ kind: 'notifyRecipient' as const, personId: r.id, at, suffix: `|re${at}` })),
      ],
    };
  });
  return answerChange(s, actor, reference, `reassigned to ${to}`, result, {
    closed: 'The case is closed: reopen it first.',
    nobody: `Nobody else holds the role ${ROLE_TITLES[to]} right now. Nothing has changed.`,
  }, `Handed to ${ROLE_TITLES[to]}.`);
}
