/**
 * Changing a case from a card or a page: the decision (core/caseDecisions.ts) is made against the case
 * as stored, the change is written in one transaction with its chronology and the messages it owes,
 * the attempt is audited whether it changed anything or was refused, and the messages are sent.
 * The bot's handlers and the tab's routes differ only in how they read the input and show the answer.
 */
import type { Decision } from '../core/case';
import type { Actor, Services } from '../runtime/services';
import type { ChangeResult, StoredCase } from '../store/caseStore';

/** How refusals read in the audit table. */
const REFUSAL_WORDS: Record<string, string> = {
  notARecipient: 'not a recipient',
  closed: 'the case is closed',
  notClosed: 'the case is open',
  nobody: 'nobody holds that role',
  notATarget: 'not someone a case can be handed to',
  unknownAction: 'not an action of this category',
  noteRequired: 'the note was missing',
};

export interface CaseAction<R extends string> {
  reference: string;
  /** What was attempted, for the audit ("acknowledge", "reassign to deputyDsl"). */
  attempt: string;
  /** What was done when it changed the case ("acknowledged"). */
  done: string;
  via: 'bot' | 'tab';
  decide: (record: StoredCase) => Decision<R>;
  /** Refusals that are not worth an audit row (a second press of a button that already did its work). */
  quietRefusals?: R[];
}

export async function changeCase<R extends string>(s: Services, actor: Actor, action: CaseAction<R>): Promise<ChangeResult<R>> {
  const { schoolId } = s.setup;
  // The audit row of a change goes in the change's own transaction: never one without the other.
  const audit = (record: StoredCase) => ({ action: action.done, byId: actor.id, byName: record.recipients.find((r) => r.id === actor.id)?.displayName ?? actor.name, via: action.via });
  const result = await s.stores.cases.changeCase(schoolId, action.reference, action.decide, audit);
  if (result.outcome === 'refused' && !action.quietRefusals?.includes(result.reason)) {
    await s.stores.audit.append(schoolId, { reference: action.reference, action: `${action.attempt} refused: ${REFUSAL_WORDS[result.reason] ?? result.reason}`, byId: actor.id, byName: actor.name, via: action.via });
    s.log.warn('case action refused', { reference: action.reference, attempt: action.attempt, reason: result.reason });
  }
  if (result.outcome === 'changed') {
    s.outbox.dispatch(result.outbox);
    s.deadlines.set(result.record.deadline);
  }
  return result;
}
