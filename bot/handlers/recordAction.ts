/** `recordAction`: a line in the case's chronology (who, when, what), from the DSL's card. */
import { z } from 'zod';
import { changeCase } from '../../cases/caseChanges';
import { decideRecordAction } from '../../core/caseDecisions';
import { carriesImage } from '../../core/concern';
import { NOTE_MAX } from '../../delivery/cards';
import { verb } from '../verbs';
import { answerChange, caseData, NO_CASE } from './caseAccess';

export const recordAction = verb({
  verb: 'recordAction',
  data: caseData.extend({ action: z.string().max(200).optional().default(''), note: z.string().trim().optional().default('') }),
  invalid: NO_CASE,
  async handle(s, actor, { reference, action, note }) {
    if (note.length > NOTE_MAX) return { kind: 'error', status: 400, message: `The note is ${note.length} characters long; the limit is ${NOTE_MAX}.` };
    if (carriesImage(note)) return { kind: 'error', status: 400, message: 'Images are never stored: describe it in words.' };
    const at = s.clock().toISOString();
    const result = await changeCase(s, actor, {
      reference,
      attempt: 'record action',
      done: `action recorded: ${action}`,
      via: 'bot',
      decide: (record) => decideRecordAction(record, actor.id, action, note, at),
    });
    return answerChange(s, actor, reference, result, {
      unknownAction: 'Choose one of the listed actions.',
      noteRequired: 'For this action the note is required: say who, and why.',
      closed: 'The case is closed: reopen it first.',
    }, `Recorded: ${action}.`);
  },
});
