/**
 * `closeCase` and `reopenCase`. A closure cannot be saved without a decision, the reason for it, the
 * outcome and lessons learnt (§10); it sets the retention review date from the school's setup.
 * Reopening is recorded with its reason.
 */
import { z } from 'zod';
import { changeCase } from '../../cases/caseChanges';
import { closureProblems } from '../../core/caseActions';
import { decideClose, decideReopen } from '../../core/caseDecisions';
import { carriesImage } from '../../core/concern';
import { NOTE_MAX } from '../../delivery/cards';
import { verb } from '../verbs';
import { answerChange, caseData, NO_CASE } from './caseAccess';

const note = z.string().trim().optional().default('');

export const closeCase = verb({
  verb: 'closeCase',
  data: caseData.extend({ decision: note, reason: note, outcome: note, lessonsLearnt: note }),
  invalid: NO_CASE,
  async handle(s, actor, { reference, ...input }) {
    const tooLong = Object.entries(input).filter(([, v]) => v.length > NOTE_MAX).map(([k]) => k);
    if (tooLong.length) return { kind: 'error', status: 400, message: `Too long (the limit is ${NOTE_MAX} characters): ${tooLong.join(', ')}.` };
    if (Object.values(input).some(carriesImage)) return { kind: 'error', status: 400, message: 'Images are never stored: describe it in words.' };
    const problems = closureProblems(input);
    if (problems.length) return { kind: 'error', status: 400, message: `The case was not closed. ${problems.join(' ')}` };
    const now = s.clock();
    const result = await changeCase(s, actor, { reference, attempt: 'close', done: 'closed', via: 'bot', decide: (record) => decideClose(record, actor.id, input, now, s.setup) });
    return answerChange(s, actor, reference, result, { closed: 'The case is already closed.' }, 'Case closed.');
  },
});

export const reopenCase = verb({
  verb: 'reopenCase',
  data: caseData.extend({ reason: note }),
  invalid: NO_CASE,
  async handle(s, actor, { reference, reason }) {
    if (!reason) return { kind: 'error', status: 400, message: 'Give the reason for reopening.' };
    if (reason.length > NOTE_MAX) return { kind: 'error', status: 400, message: `The reason is too long (the limit is ${NOTE_MAX} characters).` };
    if (carriesImage(reason)) return { kind: 'error', status: 400, message: 'Images are never stored: describe it in words.' };
    const at = s.clock().toISOString();
    const result = await changeCase(s, actor, { reference, attempt: 'reopen', done: 'reopened', via: 'bot', decide: (record) => decideReopen(record, actor.id, reason, at) });
    return answerChange(s, actor, reference, result, { notClosed: 'The case is open already.' }, 'Case reopened.');
  },
});
