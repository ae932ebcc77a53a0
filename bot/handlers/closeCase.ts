/**
 * `closeCase` and `reopenCase`. A closure cannot be saved without a decision, the reason for it, the
 * outcome and lessons learnt; it sets the retention review date from the school's setup. Reopening is
 * recorded with its reason.
 */
import { closureProblems, retentionReviewDate } from '../../core/caseActions';
import { NOTE_MAX } from '../cards';
import type { ActionResult, Actor, Services } from '../services';
import { answerChange, referenceIn } from './caseAccess';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export async function closeCase(s: Services, actor: Actor, data: Record<string, unknown>): Promise<ActionResult> {
  const reference = referenceIn(data);
  if (!reference) return { kind: 'error', status: 400, message: 'This card does not name a concern.' };
  const input = { decision: text(data.decision), reason: text(data.reason), outcome: text(data.outcome), lessonsLearnt: text(data.lessonsLearnt) };
  const tooLong = Object.entries(input).filter(([, v]) => v.length > NOTE_MAX).map(([k]) => k);
  if (tooLong.length) return { kind: 'error', status: 400, message: `Too long (the limit is ${NOTE_MAX} characters): ${tooLong.join(', ')}.` };
  const problems = closureProblems(input);
  if (problems.length) return { kind: 'error', status: 400, message: `The case was not closed. ${problems.join(' ')}` };
  const now = s.clock();
  const at = now.toISOString();
  const result = await s.cases.changeCase<'notARecipient' | 'closed'>(s.setup.schoolId, reference, (record) => {
    const me = record.recipients.find((r) => r.id === actor.id);
    if (!me) return { refused: 'notARecipient' };
    if (record.status === 'closed') return { refused: 'closed' };
    const by = { id: me.id, displayName: me.displayName };
    return {
      update: {
        status: 'closed',
        closure: { ...input, closedBy: by, closedAt: at },
        retentionReviewOn: retentionReviewDate(now, s.setup.retention),
        // Closing counts as acknowledging: nobody is escalated past for a closed case.
        acknowledgedBy: record.acknowledgedBy ?? by,
        acknowledgedAt: record.acknowledgedAt ?? at,
      },
      deadline: null,
      chronology: [{ at, kind: 'closed', by, summary: `Closed: ${input.decision}`, detail: input }],
      outbox: record.recipients.filter((r) => r.id !== actor.id).map((r) => ({ kind: 'updateRecipientCard' as const, personId: r.id, at, suffix: `|close${at}` })),
    };
  });
  return answerChange(s, actor, reference, 'closed', result, { closed: 'The case is already closed.' }, 'Case closed.');
}

export async function reopenCase(s: Services, actor: Actor, data: Record<string, unknown>): Promise<ActionResult> {
  const reference = referenceIn(data);
  if (!reference) return { kind: 'error', status: 400, message: 'This card does not name a concern.' };
  const reason = text(data.reason);
  if (!reason) return { kind: 'error', status: 400, message: 'Give the reason for reopening.' };
  if (reason.length > NOTE_MAX) return { kind: 'error', status: 400, message: `The reason is too long (the limit is ${NOTE_MAX} characters).` };
  const at = s.clock().toISOString();
  const result = await s.cases.changeCase<'notARecipient' | 'notClosed'>(s.setup.schoolId, reference, (record) => {
    const me = record.recipients.find((r) => r.id === actor.id);
    if (!me) return { refused: 'notARecipient' };
    if (record.status !== 'closed') return { refused: 'notClosed' };
    const by = { id: me.id, displayName: me.displayName };
    return {
      update: { status: 'acknowledged', closure: undefined, retentionReviewOn: undefined },
      chronology: [{ at, kind: 'reopened', by, summary: `Reopened by ${me.displayName}`, detail: { reason, previousClosure: record.closure } }],
      outbox: record.recipients.filter((r) => r.id !== actor.id).map((r) => ({ kind: 'updateRecipientCard' as const, personId: r.id, at, suffix: `|reopen${at}` })),
    };
  });
  return answerChange(s, actor, reference, 'reopened', result, { notClosed: 'The case is open already.' }, 'Case reopened.');
}
