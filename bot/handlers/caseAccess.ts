/**
 * The check every case action makes: the case named by the card exists, and the person pressing is one
 * of its current recipients in storage (never trusting the card). Refusals are polite and change nothing.
 */
import type { ChangeResult } from '../../store/caseStore';
import { caseAlertCard } from '../cards';
import type { ActionResult, Actor, Services } from '../services';

export const REFERENCE = /^[A-Z]{2,6}-\d{4}-\d{4,}$/;

export function referenceIn(data: Record<string, unknown>): string | undefined {
  return typeof data.reference === 'string' && REFERENCE.test(data.reference) ? data.reference : undefined;
}

export const NOT_A_RECIPIENT = 'Sorry: only the people this concern is with can do that. Nothing has changed.';

/** Turns a store change into what the person sees, auditing refusals and changes alike. */
export async function answerChange(
  s: Services,
  actor: Actor,
  reference: string,
  action: string,
  result: ChangeResult<string>,
  refusals: Record<string, string>,
  notice: string,
): Promise<ActionResult> {
  if (result.outcome === 'notFound') return { kind: 'error', status: 404, message: `There is no concern ${reference}.` };
  if (result.outcome === 'refused') {
    await s.audit.append(s.setup.schoolId, { reference, action: `${action} refused: ${result.reason}`, byId: actor.id, byName: actor.name, via: 'bot' });
    const text = refusals[result.reason] ?? NOT_A_RECIPIENT;
    if (result.reason === 'notARecipient') return { kind: 'message', text };
    return { kind: 'card', card: caseAlertCard(s.setup, result.record, actor.id, text) };
  }
  await s.audit.append(s.setup.schoolId, { reference, action, byId: actor.id, byName: actor.name, via: 'bot' });
  s.outbox.dispatch(result.outbox);
  return { kind: 'card', card: caseAlertCard(s.setup, result.record, actor.id, notice) };
}
