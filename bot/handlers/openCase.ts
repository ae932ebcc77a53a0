/**
 * `openCase` and `hideCase`: a current recipient reads the case in full, in their own card; every read
 * is audited. Hiding puts the minimal card back so the details do not stay in the chat. Neither shows
 * anything of a case to someone it is not with (references are sequential: they could be guessed).
 */
import { caseAlertCard, caseDetailsCard } from '../../delivery/cards';
import type { Actor, Services } from '../../runtime/services';
import type { StoredCase } from '../../store/caseStore';
import { verb, type ActionResult } from '../verbs';
import { caseData, NO_CASE, NOT_A_RECIPIENT } from './caseAccess';

/** The case, if the person is one of its current recipients; otherwise the refusal (audited). */
async function caseFor(s: Services, actor: Actor, reference: string, attempt: string): Promise<StoredCase | ActionResult> {
  const record = await s.stores.cases.getCase(s.setup.schoolId, reference);
  if (!record) return { kind: 'error', status: 404, message: `There is no concern ${reference}.` };
  if (!record.recipients.some((r) => r.id === actor.id)) {
    await s.stores.audit.append(s.setup.schoolId, { reference, action: `${attempt} refused: not a recipient`, byId: actor.id, byName: actor.name, via: 'bot' });
    s.log.warn('case read refused', { reference });
    return { kind: 'message', text: NOT_A_RECIPIENT };
  }
  return record;
}

export const openCase = verb({
  verb: 'openCase',
  data: caseData,
  invalid: NO_CASE,
  async handle(s, actor, { reference }) {
    const record = await caseFor(s, actor, reference, 'read');
    if ('kind' in record) return record;
    const [chronology, staff] = await Promise.all([
      s.stores.chronology.of(record),
      record.concern.staffInvolvedId ? s.roles.resolve(['allStaff']).then((r) => r.members.allStaff ?? []) : Promise.resolve([]),
    ]);
    await s.stores.audit.append(s.setup.schoolId, { reference, action: 'read', byId: actor.id, byName: actor.name, via: 'bot' });
    const staffName = staff.find((p) => p.id === record.concern.staffInvolvedId)?.displayName ?? '';
    return { kind: 'card', card: caseDetailsCard(s.setup, record, chronology, staffName) };
  },
});

export const hideCase = verb({
  verb: 'hideCase',
  data: caseData,
  invalid: NO_CASE,
  async handle(s, actor, { reference }) {
    const record = await caseFor(s, actor, reference, 'hide');
    if ('kind' in record) return record;
    return { kind: 'card', card: caseAlertCard(s.setup, record, actor.id) };
  },
});
