/**
 * `acknowledge`: only a current recipient of the stored case may, once (PRODUCT.md §3). The card's data
 * names the case; who may act comes from storage.
 */
import { caseAlertCard } from '../cards';
import type { ActionResult, Actor, Services } from '../services';
import { referenceIn } from './caseAccess';

export async function acknowledge(s: Services, actor: Actor, data: Record<string, unknown>): Promise<ActionResult> {
  const reference = referenceIn(data);
  if (!reference) return { kind: 'error', status: 400, message: 'This card does not name a concern.' };
  const result = await s.cases.acknowledge(s.setup.schoolId, reference, actor.id, s.clock().toISOString());
  switch (result.outcome) {
    case 'notFound':
      return { kind: 'error', status: 404, message: `There is no concern ${reference}.` };
    case 'notARecipient':
      await s.audit.append(s.setup.schoolId, { reference, action: 'acknowledge refused: not a recipient', byId: actor.id, byName: actor.name, via: 'bot' });
      s.log.warn('acknowledge refused', { reference });
      return { kind: 'message', text: 'Sorry: only the people this concern was sent to can acknowledge it. Nothing has changed.' };
    case 'alreadyAcknowledged':
      return { kind: 'card', card: caseAlertCard(s.setup, result.record, actor.id) };
    case 'acknowledged':
      await s.audit.append(s.setup.schoolId, { reference, action: 'acknowledged', byId: actor.id, byName: result.record.acknowledgedBy?.displayName ?? actor.name, via: 'bot' });
      s.log.info('concern acknowledged', { reference });
      s.outbox.dispatch(result.outbox);
      return { kind: 'card', card: caseAlertCard(s.setup, result.record, actor.id) };
  }
}
