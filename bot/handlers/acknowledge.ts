/**
 * `acknowledge`: only a current recipient of the stored case may, once (PRODUCT.md §3). Every copy of
 * the card then shows who acknowledged it and when, and the reporter is told.
 */
import { changeCase } from '../../cases/caseChanges';
import { decideAcknowledgement } from '../../core/caseDecisions';
import { caseAlertCard } from '../../delivery/cards';
import { verb } from '../verbs';
import { caseData, NO_CASE } from './caseAccess';

export const acknowledge = verb({
  verb: 'acknowledge',
  data: caseData,
  invalid: NO_CASE,
  async handle(s, actor, { reference }) {
    const at = s.clock().toISOString();
    const result = await changeCase(s, actor, {
      reference,
      attempt: 'acknowledge',
      done: 'acknowledged',
      via: 'bot',
      decide: (record) => decideAcknowledgement(record, actor.id, at),
      quietRefusals: ['alreadyAcknowledged'],
    });
    if (result.outcome === 'notFound') return { kind: 'error', status: 404, message: `There is no concern ${reference}.` };
    if (result.outcome === 'refused' && result.reason === 'notARecipient') {
      return { kind: 'message', text: 'Sorry: only the people this concern was sent to can acknowledge it. Nothing has changed.' };
    }
    // Acknowledged now, or already (a second press, or a colleague first): the card shows who and when.
    return { kind: 'card', card: caseAlertCard(s.setup, result.record, actor.id, s.outbox.caseLink(result.record.reference)) };
  },
});
