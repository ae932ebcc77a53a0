/**
 * What every case handler shares: the card names a case by its reference (and only that: who may act
 * is decided from storage, never from the card), and a change or refusal is answered with the case's
 * card as it now is, for the person who pressed.
 */
import { z } from 'zod';
import { REFERENCE_PATTERN } from '../../core/concern';
import { caseAlertCard } from '../../delivery/cards';
import type { Actor, Services } from '../../runtime/services';
import type { ChangeResult } from '../../store/caseStore';
import type { ActionResult } from '../verbs';

/** The data every case card sends: the reference. Anything else it carries is ignored. */
export const caseData = z.object({ reference: z.string().regex(REFERENCE_PATTERN) });

export const NO_CASE = 'This card does not name a concern.';

export const NOT_A_RECIPIENT = 'Sorry: only the people this concern is with can do that. Nothing has changed.';

/** Turns a change into what the person sees: the refusal's sentence, or the card with a notice. */
export function answerChange(s: Services, actor: Actor, reference: string, result: ChangeResult<string>, refusals: Record<string, string>, notice: string): ActionResult {
  if (result.outcome === 'notFound') return { kind: 'error', status: 404, message: `There is no concern ${reference}.` };
  if (result.outcome === 'refused') {
    const text = refusals[result.reason] ?? NOT_A_RECIPIENT;
    if (result.reason === 'notARecipient') return { kind: 'message', text };
    return { kind: 'card', card: caseAlertCard(s.setup, result.record, actor.id, s.outbox.caseLink(reference), text) };
  }
  return { kind: 'card', card: caseAlertCard(s.setup, result.record, actor.id, s.outbox.caseLink(reference), notice) };
}
