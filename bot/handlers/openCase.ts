/**
 * `openCase` and `hideCase`: a current recipient reads the case in full, in their own card; every read
 * is audited. Hiding puts the minimal card back so the details do not stay in the chat.
 */
import { caseAlertCard, caseDetailsCard } from '../cards';
import type { ActionResult, Actor, Services } from '../services';
import { NOT_A_RECIPIENT, referenceIn } from './caseAccess';

export async function openCase(s: Services, actor: Actor, data: Record<string, unknown>): Promise<ActionResult> {
  const reference = referenceIn(data);
  if (!reference) return { kind: 'error', status: 400, message: 'This card does not name a concern.' };
  const record = await s.cases.getCase(s.setup.schoolId, reference);
  if (!record) return { kind: 'error', status: 404, message: `There is no concern ${reference}.` };
  if (!record.recipients.some((r) => r.id === actor.id)) {
    await s.audit.append(s.setup.schoolId, { reference, action: 'read refused: not a recipient', byId: actor.id, byName: actor.name, via: 'bot' });
    return { kind: 'message', text: NOT_A_RECIPIENT };
  }
  const [chronology, staff] = await Promise.all([
    s.cases.chronology(s.setup.schoolId, reference),
    record.concern.staffInvolvedId ? s.roles.resolve(['allStaff']).then((r) => r.members.allStaff ?? []) : Promise.resolve([]),
  ]);
  await s.audit.append(s.setup.schoolId, { reference, action: 'read', byId: actor.id, byName: actor.name, via: 'bot' });
  const staffName = staff.find((p) => p.id === record.concern.staffInvolvedId)?.displayName ?? '';
  return { kind: 'card', card: caseDetailsCard(s.setup, record, chronology, staffName) };
}

export async function hideCase(s: Services, actor: Actor, data: Record<string, unknown>): Promise<ActionResult> {
  const reference = referenceIn(data);
  if (!reference) return { kind: 'error', status: 400, message: 'This card does not name a concern.' };
  const record = await s.cases.getCase(s.setup.schoolId, reference);
  if (!record) return { kind: 'error', status: 404, message: `There is no concern ${reference}.` };
  return { kind: 'card', card: caseAlertCard(s.setup, record, actor.id) };
}
