/**
 * `submitConcern`: checks the form, routes it, stores the case with the messages owed for it, and
 * answers with the receipt, which replaces the form (so it cannot be sent twice).
 */
import { acknowledgementDeadline } from '../../core/deadlines';
import { ROLE_TITLES } from '../../core/roles';
import { routeConcern } from '../../core/routing';
import { phasesOfConcern } from '../../core/phases';
import { EntityTooLargeError } from '../../store/caseStore';
import { isUnreachable } from '../../store/tables';
import { concernFormCard, receiptCard, startCard } from '../cards';
import { readConcernSubmission } from '../concernSubmission';
import { ROUTING_ROLES } from '../roleResolver';
import type { ActionResult, Actor, CardPlace, Services } from '../services';
import { staffList, todayIn } from './startConcern';

export async function submitConcern(s: Services, actor: Actor, data: Record<string, unknown>, place: CardPlace): Promise<ActionResult> {
  const now = s.clock();
  const today = todayIn(s.setup.timeZone, now);
  const staff = await staffList(s);
  const read = readConcernSubmission(data, s.setup, new Set(staff.map((p) => p.id)), today);
  if (!read.ok) {
    if (!read.category || !read.formId) return { kind: 'card', card: startCard(s.setup, { error: read.errors.join(' ') }) };
    return {
      kind: 'card',
      card: concernFormCard(s.setup, read.category, { formId: read.formId, immediateDanger: read.values.immediateDanger === 'yes', values: read.values, errors: read.errors, staff: read.category.staff === 'none' ? [] : staff, today }),
    };
  }

  const { concern, category, formId } = read;
  const { members, stale } = await s.roles.resolve(ROUTING_ROLES);
  const phases = phasesOfConcern(s.setup.phases, concern.learners.map((l) => l.yearGroup));
  const route = routeConcern({ category, phases, immediateDanger: concern.immediateDanger, staffInvolvedId: concern.staffInvolvedId }, members);
  const reasons = stale ? [...route.reasons, 'Microsoft Graph could not be reached: recipients are from the last successful lookup.'] : route.reasons;

  try {
    const { record, created, outbox } = await s.cases.createCase(
      {
        schoolId: s.setup.schoolId,
        referencePrefix: s.setup.referencePrefix,
        year: Number(today.slice(0, 4)),
        formId,
        recipientCount: route.recipients.length,
        chronology: (record) => [
          { at: record.createdAt, kind: 'received', by: record.reporter, summary: `Concern received from ${record.reporter.displayName}${record.concern.immediateDanger ? ' (immediate danger)' : ''}` },
          {
            at: record.createdAt,
            kind: 'routed',
            summary: `Sent to ${record.recipients.map((r) => `${r.displayName} (${ROLE_TITLES[r.role]})`).join(', ') || 'nobody: no one holds the roles'}`,
            detail: { reasons: record.routeReasons, recipients: record.recipients, deadline: record.deadline },
          },
        ],
        claimUntil: new Date(now.getTime() + s.settings.outboxLeaseSeconds * 1000).toISOString(),
        build: (reference) => ({
          schoolId: s.setup.schoolId,
          tenantId: actor.tenantId,
          reference,
          concern,
          reporter: { id: actor.id, displayName: actor.name },
          createdAt: now.toISOString(),
          phases,
          urgent: route.urgent,
          recipients: route.recipients,
          routeReasons: reasons,
          directoryStale: stale,
          status: 'open',
          escalationLevel: 0,
          deadline: acknowledgementDeadline(now, route.urgent, s.setup.acknowledgement, s.setup.timeZone).toISOString(),
          receipt: place.conversationId && place.activityId ? { conversationId: place.conversationId, activityId: place.activityId } : undefined,
        }),
      },
      actor.id,
    );
    if (created) {
      s.log.info('concern stored', { reference: record.reference, category: category.id, urgent: record.urgent, recipients: record.recipients.length, directoryStale: stale });
      s.outbox.dispatch(outbox, record);
      await s.audit.append(s.setup.schoolId, { reference: record.reference, action: 'created', byId: actor.id, byName: actor.name, via: 'bot', detail: `recipients: ${record.recipients.map((r) => r.id).join(',')}` });
    }
    return { kind: 'card', card: receiptCard(s.setup, record) };
  } catch (err) {
    if (err instanceof EntityTooLargeError) {
      return { kind: 'card', card: concernFormCard(s.setup, category, { formId, immediateDanger: concern.immediateDanger, values: data as Record<string, string>, errors: ['The concern is too long to store. Please shorten what happened.'], staff, today }) };
    }
    if (isUnreachable(err) || (err as { statusCode?: number }).statusCode === 503) {
      s.log.error('storage unreachable on submit', { category: category.id });
      return { kind: 'error', status: 503, message: 'The safeguarding record cannot be reached right now, so your concern has NOT been sent yet. Your words are still in the form: press Send again in a minute. If it is urgent, tell a DSL in person now.' };
    }
    throw err;
  }
}

export async function cancelConcern(): Promise<ActionResult> {
  return { kind: 'card', card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Nothing was sent. Write to me again whenever you need to raise a concern.', wrap: true }] } };
}
