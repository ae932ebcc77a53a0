/** `recordAction`: a line in the case's chronology (who, when, what), from the DSL's card. */
import { actionChoices, NOTE_REQUIRED } from '../../core/caseActions';
import { categoryById } from '../../core/categories';
import { carriesImage } from '../../core/concern';
import { NOTE_MAX } from '../cards';
import type { ActionResult, Actor, Services } from '../services';
import { answerChange, referenceIn } from './caseAccess';

export async function recordAction(s: Services, actor: Actor, data: Record<string, unknown>): Promise<ActionResult> {
  const reference = referenceIn(data);
  if (!reference) return { kind: 'error', status: 400, message: 'This card does not name a concern.' };
  const action = typeof data.action === 'string' ? data.action : '';
  const note = typeof data.note === 'string' ? data.note.trim() : '';
  if (note.length > NOTE_MAX) return { kind: 'error', status: 400, message: `The note is ${note.length} characters long; the limit is ${NOTE_MAX}.` };
  if (carriesImage(note)) return { kind: 'error', status: 400, message: 'Images are never stored: describe it in words.' };
  const at = s.clock().toISOString();
  const result = await s.cases.changeCase<'notARecipient' | 'unknownAction' | 'noteRequired' | 'closed'>(s.setup.schoolId, reference, (record) => {
    const me = record.recipients.find((r) => r.id === actor.id);
    if (!me) return { refused: 'notARecipient' };
    if (record.status === 'closed') return { refused: 'closed' };
    if (!actionChoices(categoryById(record.concern.category)!).includes(action)) return { refused: 'unknownAction' };
    if (NOTE_REQUIRED.has(action) && !note) return { refused: 'noteRequired' };
    return {
      update: {},
      chronology: [{ at, kind: 'action', by: { id: me.id, displayName: me.displayName }, summary: action, detail: note ? { note } : undefined }],
    };
  });
  return answerChange(s, actor, reference, `action recorded: ${action}`, result, {
    unknownAction: 'Choose one of the listed actions.',
    noteRequired: 'For this action the note is required: say who, and why.',
    closed: 'The case is closed: reopen it first.',
  }, `Recorded: ${action}.`);
}
