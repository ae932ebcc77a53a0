/**
 * Taking in a checked concern: route it, store it with the messages owed for it, and, when storage
 * cannot be reached, keep it on the server's disk (the spool), tell the reporter plainly, tell the
 * recipients that a concern is waiting, and store it as soon as storage is back.
 */
import { acknowledgementDeadline } from '../core/deadlines';
import { categoryById } from '../core/categories';
import type { Concern } from '../core/concern';
import { phasesOfConcern, type PhaseId } from '../core/phases';
import { routeConcern, type Recipient } from '../core/routing';
import type { CaseRecord } from '../core/case';
import { ROUTING_ROLES } from '../directory/roleResolver';
import type { Actor, Services } from '../runtime/services';
import { isUnreachable, statusOf } from '../store/tables';

/** Where the form was pressed (the reporter's receipt is updated there when the case is acknowledged). */
export interface CardPlace {
  conversationId?: string;
  activityId?: string;
  serviceUrl?: string;
}

/** Everything needed to store a concern, as plain data (it may wait in the spool). */
export interface PendingConcern {
  formId: string;
  actor: Actor;
  concern: Concern;
  place: CardPlace;
  createdAt: string;
  year: number;
  phases: PhaseId[];
  urgent: boolean;
  recipients: Recipient[];
  reasons: string[];
  directoryStale: boolean;
}

export async function prepareConcern(s: Services, actor: Actor, concern: Concern, formId: string, place: CardPlace, year: number): Promise<PendingConcern> {
  const category = categoryById(concern.category)!;
  const { members, stale } = await s.roles.resolve(ROUTING_ROLES);
  const phases = phasesOfConcern(s.setup.phases, concern.learners.map((l) => l.yearGroup));
  const route = routeConcern({ category, phases, immediateDanger: concern.immediateDanger, staffInvolvedId: concern.staffInvolvedId }, members);
  const reasons = stale ? [...route.reasons, 'Microsoft Graph could not be reached: recipients are from the last successful lookup.'] : [...route.reasons];
  let recipients = route.recipients;
  if (recipients.length === 0 && stale) {
    // Never a case with nobody to tell: the setup's fallback list (never the person it is about).
    recipients = (s.setup.fallbackRecipients ?? []).filter((r) => r.id !== concern.staffInvolvedId).map((r) => ({ ...r }));
    reasons.push(
      recipients.length
        ? 'No earlier lookup to use: sent to the fallback list in the school\'s setup; the people routing names are told when Graph answers.'
        : 'No earlier lookup and no fallback list: nobody could be told yet; the people routing names are told when Graph answers.',
    );
  }
  return {
    formId,
    actor,
    concern,
    place,
    createdAt: s.clock().toISOString(),
    year,
    phases,
    urgent: route.urgent,
    recipients,
    reasons,
    directoryStale: stale,
  };
}

/** Storage itself is down (not a refusal of what we sent). */
export function isStorageOutage(err: unknown): boolean {
  if (err instanceof StorageTooSlowError) return true;
  const status = statusOf(err);
  return isUnreachable(err) || status === 503 || status === 500 || status === 502 || status === 504 || status === 408;
}

/**
 * Stores the case and sends what is owed; a second call with the same form returns the first case.
 * `paced`: its cards go at Teams' pace for each recipient's chat (a burst of monitoring alerts), held for
 * this instance until then and taken by any instance's sweep after.
 */
export async function storeConcern(s: Services, p: PendingConcern, note = '', opts: { paced?: boolean } = {}): Promise<{ record: CaseRecord; created: boolean }> {
  const reasons = note ? [...p.reasons, note] : p.reasons;
  const created = new Date(p.createdAt);
  const claimUntil = opts.paced ? s.outbox.pacedHoldUntil(p.recipients.map((r) => r.id)) : new Date(s.clock().getTime() + s.settings.outboxLeaseSeconds * 1000).toISOString();
  const { record, created: isNew, outbox } = await s.stores.newCases.create(
    {
      schoolId: s.setup.schoolId,
      referencePrefix: s.setup.referencePrefix,
      year: p.year,
      formId: p.formId,
      claimUntil,
      // Written with the case: a stored case always has its audit row.
      audit: (record) => ({ action: note ? 'created (after a storage outage)' : 'created', byId: p.actor.id, byName: p.actor.name, via: p.concern.monitoring ? 'system' : 'bot', detail: `recipients: ${record.recipients.map((r) => r.id).join(',')}` }),
      build: (reference) => ({
        schoolId: s.setup.schoolId,
        tenantId: p.actor.tenantId,
        reference,
        concern: p.concern,
        reporter: { id: p.actor.id, displayName: p.actor.name },
        createdAt: p.createdAt,
        phases: p.phases,
        urgent: p.urgent,
        recipients: p.recipients,
        routedTo: p.recipients,
        routeReasons: reasons,
        directoryStale: p.directoryStale,
        status: 'open',
        escalationLevel: 0,
        // Counted from when it was raised, not from when storage came back.
        deadline: acknowledgementDeadline(created, p.urgent, s.setup.acknowledgement, s.setup.timeZone).toISOString(),
        receipt: p.place.conversationId && p.place.activityId ? { conversationId: p.place.conversationId, activityId: p.place.activityId, serviceUrl: p.place.serviceUrl } : undefined,
      }),
    },
    p.actor.id,
  );
  if (isNew) {
    s.log.info('concern stored', { reference: record.reference, category: p.concern.category, urgent: record.urgent, recipients: record.recipients.length, directoryStale: p.directoryStale });
    if (opts.paced) s.outbox.dispatchPaced(outbox, record);
    else s.outbox.dispatch(outbox, record);
    s.deadlines.set(record.deadline);
  }
  return { record, created: isNew };
}

/** Thrown when storing takes longer than the submit's deadline: the concern goes to the spool. */
export class StorageTooSlowError extends Error {}

/**
 * Stores a submitted concern within the submit's deadline (Teams gives a card action about 15 s): a
 * storage account that hangs rather than refuses counts as down, and the concern is spooled in time. If
 * the store finishes after all, the spool's copy finds that case when it is drained (the form's key):
 * one case, and the reporter is told its reference.
 */
export async function storeWithin(s: Services, p: PendingConcern): Promise<{ record: CaseRecord; created: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new StorageTooSlowError(`storage did not answer within ${s.settings.timeouts.submitMs} ms`)), s.settings.timeouts.submitMs)));
  const storing = storeConcern(s, p);
  storing.catch(() => undefined); // if it fails after the deadline, the spool has it
  try {
    return await Promise.race([storing, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Storage is down: keep the concern on disk, and tell the recipients one is waiting (no details) in
 * the background, so that the reporter is answered at once.
 */
export async function spoolConcern(s: Services, p: PendingConcern): Promise<void> {
  await s.spool.put(p);
  s.log.error('storage unreachable: concern kept in the spool', { category: p.concern.category, recipients: p.recipients.length });
  const category = categoryById(p.concern.category)!;
  const text =
    `A concern (${category.title}${p.concern.immediateDanger ? ', SOMEONE IN IMMEDIATE DANGER' : ''}) from ${p.actor.name} is waiting: ` +
    `the safeguarding record cannot be reached right now, so it is kept safely on the server and you will get its card as soon as the record is back. ` +
    `If it cannot wait, speak to ${p.actor.name} now.`;
  void Promise.all(p.recipients.map((r) => s.outbox.sendNow(r.id, p.actor.tenantId, text).catch(() => undefined)));
}

/** Stores what waits in the spool, oldest first; each file is removed only once its case is stored. */
export async function drainSpool(s: Services): Promise<number> {
  let stored = 0;
  for (const waiting of await s.spool.list()) {
    try {
      const { record, created } = await storeConcern(s, waiting.item, `Kept on the server's disk from ${waiting.spooledAt} while storage was unreachable.`);
      await s.spool.remove(waiting.id);
      if (created) stored++;
      // Stored now, or by the submit that outlived its deadline: either way the reporter gets the reference.
      await s.outbox.sendNow(record.reporter.id, record.tenantId, `Your concern has now been stored and sent to the safeguarding team. Its reference is ${record.reference}.`).catch(() => undefined);
    } catch (err) {
      if (isStorageOutage(err)) break;
      s.log.error('a waiting concern could not be stored', { error: (err as Error).message });
    }
  }
  return stored;
}
