/**
 * Every change to a case, decided from the case as stored (PRODUCT.md §3), never from anything a card
 * or a page carries: each function is given the stored case and who is acting, and returns either the
 * change to make or a refusal with its reason. The store writes the change in one transaction; the
 * bot's cards and the tab's pages only parse input and show the answer.
 */
import { actionChoices, NOTE_REQUIRED, retentionReviewDate, type ClosureInput } from './caseActions';
import type { CaseRecord, Decision, OutboxIntent } from './case';
import { categoryById } from './categories';
import { acknowledgementDeadline, type AcknowledgementRule } from './deadlines';
import { nextEscalation, REASSIGN_TARGETS } from './escalation';
import { ROLE_TITLES, type Person, type Role, type RoleMembers } from './roles';
import type { Recipient, Route } from './routing';
import { formatTime } from './time';

/** The parts of the school's setup the decisions need. */
export interface CaseRules {
  acknowledgement: AcknowledgementRule;
  timeZone: string;
  retention: { yearsFromClosure: number; yearsFromDateOfBirth: number };
}

/** The person acting, as the case knows them: only a current recipient may act on a case. */
function recipientIn(record: CaseRecord, personId: string | undefined): Person | undefined {
  const me = personId ? record.recipients.find((r) => r.id === personId) : undefined;
  return me && { id: me.id, displayName: me.displayName };
}

/** Every other copy of the case's card shows the change (one update per recipient per change). */
function updateCards(record: CaseRecord, at: string, suffix: string, exceptId?: string): OutboxIntent[] {
  return record.recipients.filter((r) => r.id !== exceptId).map((r) => ({ kind: 'updateRecipientCard' as const, personId: r.id, at, suffix }));
}

/** Acknowledge: a current recipient, once; every card and the reporter are told. */
export function decideAcknowledgement(record: CaseRecord, personId: string | undefined, at: string): Decision<'notARecipient' | 'alreadyAcknowledged'> {
  // The name shown on every card is the one stored with the case's recipients.
  const by = recipientIn(record, personId);
  if (!by) return { refused: 'notARecipient' };
  if (record.acknowledgedBy) return { refused: 'alreadyAcknowledged' };
  return {
    update: { status: record.status === 'closed' ? 'closed' : 'acknowledged', acknowledgedBy: by, acknowledgedAt: at },
    deadline: null,
    chronology: [{ at, kind: 'acknowledged', by, summary: `Acknowledged by ${by.displayName}` }],
    // The monitoring system raised it: there is nobody to tell (§7.3.4 asks only that it is logged).
    outbox: [...updateCards(record, at, '|ack'), ...(record.concern.monitoring ? [] : [{ kind: 'tellReporter' as const, personId: record.reporter.id, at, suffix: '|ack' }])],
  };
}

/**
 * Reassign (PRODUCT.md §3: deputy, other phase DSL, OSL): the case goes to whoever holds the role now,
 * never to the person it is about, with a fresh acknowledgement deadline.
 */
export function decideReassign(
  record: CaseRecord,
  personId: string,
  to: Role,
  members: RoleMembers,
  now: Date,
  rules: CaseRules,
): Decision<'notARecipient' | 'closed' | 'notATarget' | 'nobody'> {
  const by = recipientIn(record, personId);
  if (!by) return { refused: 'notARecipient' };
  if (record.status === 'closed') return { refused: 'closed' };
  if (!REASSIGN_TARGETS.includes(to)) return { refused: 'notATarget' };
  const subject = record.concern.staffInvolvedId;
  const added: Recipient[] = (members[to] ?? []).filter((p) => p.id !== subject && p.id !== personId).map((p) => ({ id: p.id, displayName: p.displayName, role: to }));
  if (added.length === 0) return { refused: 'nobody' };
  const at = now.toISOString();
  const suffix = `|re${at}`;
  return {
    update: { recipients: added, formerRecipients: [...(record.formerRecipients ?? []), ...record.recipients.filter((r) => !added.some((a) => a.id === r.id))], escalationLevel: 0, status: 'open', acknowledgedBy: undefined, acknowledgedAt: undefined },
    deadline: acknowledgementDeadline(now, record.urgent, rules.acknowledgement, rules.timeZone).toISOString(),
    chronology: [{ at, kind: 'reassigned', by, summary: `Reassigned by ${by.displayName} to ${ROLE_TITLES[to]}: ${added.map((r) => r.displayName).join(', ')}`, detail: { from: record.recipients, to: added } }],
    outbox: [...updateCards(record, at, suffix), ...added.map((r) => ({ kind: 'notifyRecipient' as const, personId: r.id, at, suffix }))],
  };
}

/** Record an action or referral (the category's checklist from §11, the referrals of §10). */
export function decideRecordAction(record: CaseRecord, personId: string, action: string, note: string, at: string): Decision<'notARecipient' | 'closed' | 'unknownAction' | 'noteRequired'> {
  const by = recipientIn(record, personId);
  if (!by) return { refused: 'notARecipient' };
  if (record.status === 'closed') return { refused: 'closed' };
  const category = categoryById(record.concern.category);
  if (!category || !actionChoices(category).includes(action)) return { refused: 'unknownAction' };
  // §11.2: who viewed an image and why is recorded in writing.
  if (NOTE_REQUIRED.has(action) && !note) return { refused: 'noteRequired' };
  return { update: {}, chronology: [{ at, kind: 'action', by, summary: action, detail: note ? { note } : undefined }] };
}

/**
 * Close: the decision, the reason for it, the outcome and lessons learnt (§10; checked at the edge by
 * closureProblems), and the date the record is reviewed for retention.
 */
export function decideClose(record: CaseRecord, personId: string, input: ClosureInput, now: Date, rules: CaseRules): Decision<'notARecipient' | 'closed'> {
  const by = recipientIn(record, personId);
  if (!by) return { refused: 'notARecipient' };
  if (record.status === 'closed') return { refused: 'closed' };
  const at = now.toISOString();
  return {
    update: {
      status: 'closed',
      closure: { ...input, closedBy: by, closedAt: at },
      // Kept until the youngest child it names reaches the age the school sets, when their birth date is known.
      retentionReviewOn: retentionReviewDate(now, rules.retention, youngestBirthDate(record)),
      // Closing counts as acknowledging: nobody is escalated past for a closed case.
      acknowledgedBy: record.acknowledgedBy ?? by,
      acknowledgedAt: record.acknowledgedAt ?? at,
    },
    deadline: null,
    chronology: [{ at, kind: 'closed', by, summary: `Closed: ${input.decision}`, detail: { ...input } }],
    outbox: updateCards(record, at, `|close${at}`, personId),
  };
}

function youngestBirthDate(record: CaseRecord): string | undefined {
  return record.concern.learners.map((l) => l.dateOfBirth).filter((d): d is string => !!d).sort().pop();
}

/** Reopen, with the reason; the earlier closure stays in the chronology. */
export function decideReopen(record: CaseRecord, personId: string, reason: string, at: string): Decision<'notARecipient' | 'notClosed'> {
  const by = recipientIn(record, personId);
  if (!by) return { refused: 'notARecipient' };
  if (record.status !== 'closed') return { refused: 'notClosed' };
  return {
    update: { status: 'acknowledged', closure: undefined, retentionReviewOn: undefined },
    chronology: [{ at, kind: 'reopened', by, summary: `Reopened by ${by.displayName}`, detail: { reason, previousClosure: record.closure } }],
    outbox: updateCards(record, at, `|reopen${at}`, personId),
  };
}

/**
 * Escalation (PRODUCT.md §3): a case still not acknowledged when the deadline `dueKey` names has passed
 * goes to the next step of the chain that brings somebody new; at the end of the chain it stays with
 * those who have it, and the chronology says so.
 */
export function decideEscalation(record: CaseRecord, dueKey: string, members: RoleMembers, now: Date, rules: CaseRules): Decision<'notDue'> {
  // Acknowledged, closed, reassigned or escalated already (by us or another instance).
  if (record.status !== 'open' || record.dueKey !== dueKey) return { refused: 'notDue' };
  const at = now.toISOString();
  const missed = record.deadline ? formatTime(record.deadline, rules.timeZone) : 'the deadline';
  const step = nextEscalation(record.escalationLevel, record.recipients, members, record.concern.staffInvolvedId);
  if (!step) {
    const holders = record.recipients.map((r) => r.displayName).join(', ') || 'nobody';
    return {
      update: { missedDeadlineAt: record.missedDeadlineAt ?? at },
      deadline: null,
      chronology: [{ at, kind: 'escalated', summary: `Not acknowledged by ${missed}, and nobody further up the escalation chain can be told: it stays with ${holders}.` }],
    };
  }
  const names = step.added.map((r) => `${r.displayName} (${ROLE_TITLES[r.role]})`).join(', ');
  const suffix = `|esc${step.level}`;
  return {
    update: { recipients: [...record.recipients, ...step.added], escalationLevel: step.level, missedDeadlineAt: record.missedDeadlineAt ?? at },
    deadline: acknowledgementDeadline(now, record.urgent, rules.acknowledgement, rules.timeZone).toISOString(),
    chronology: [{ at, kind: 'escalated', summary: `Not acknowledged by ${missed}: escalated to ${names}`, detail: { level: step.level, added: step.added } }],
    outbox: [
      ...updateCards(record, at, suffix),
      ...step.added.map((r) => ({ kind: 'notifyRecipient' as const, personId: r.id, at, suffix })),
      // Urgent cases also raise a Teams activity-feed notification (PRODUCT.md §2).
      ...(record.urgent ? step.added.map((r) => ({ kind: 'activityFeed' as const, personId: r.id, at, suffix })) : []),
    ],
  };
}

/**
 * Microsoft Graph answers again after a case was routed without it (from the last lookup, the fallback
 * list, or to nobody): everyone routing names now who was not told is told, and the case is routed.
 */
export function decideReroute(record: CaseRecord, route: Route, at: string): Decision<'notStale'> {
  if (!record.directoryStale) return { refused: 'notStale' };
  const have = new Set(record.recipients.map((r) => r.id));
  const added = record.status === 'closed' ? [] : route.recipients.filter((r) => !have.has(r.id));
  const suffix = `|reroute${at}`;
  return {
    update: {
      directoryStale: false,
      recipients: [...record.recipients, ...added],
      routeReasons: [...record.routeReasons, `Microsoft Graph reachable again: ${added.length ? `also sent to ${added.map((r) => r.displayName).join(', ')}` : 'no one else to tell'}.`],
    },
    chronology: [{ at, kind: 'routed', summary: added.length ? `Microsoft Graph reachable again: also sent to ${added.map((r) => `${r.displayName} (${ROLE_TITLES[r.role]})`).join(', ')}` : 'Microsoft Graph reachable again: everyone routing names already has it', detail: { added } }],
    outbox: [
      ...added.map((r) => ({ kind: 'notifyRecipient' as const, personId: r.id, at, suffix })),
      ...(record.urgent && record.status === 'open' ? added.map((r) => ({ kind: 'activityFeed' as const, personId: r.id, at, suffix })) : []),
    ],
  };
}

export interface NextStepInput {
  what: string;
  ownerId: string;
  /** YYYY-MM-DD */
  dueOn: string;
}

/**
 * The next step (PRODUCT.md §6): what must happen, by whom and by when. Its owner is one of those the
 * case is with; a new next step replaces the last (the chronology keeps every one).
 */
export function decideNextStep(record: CaseRecord, personId: string, input: NextStepInput, now: Date, today: string): Decision<'notARecipient' | 'closed' | 'ownerNotHolding' | 'dueInPast'> {
  const by = recipientIn(record, personId);
  if (!by) return { refused: 'notARecipient' };
  if (record.status === 'closed') return { refused: 'closed' };
  const owner = recipientIn(record, input.ownerId);
  if (!owner) return { refused: 'ownerNotHolding' };
  if (input.dueOn < today) return { refused: 'dueInPast' };
  const at = now.toISOString();
  return {
    update: { nextStep: { what: input.what, owner, dueOn: input.dueOn, setBy: by, setAt: at } },
    chronology: [{ at, kind: 'nextStep', by, summary: `Next step for ${owner.displayName} by ${input.dueOn}: ${input.what}`, detail: { ...input } }],
  };
}

/** A next step past its day: its owner is reminded, once (PRODUCT.md §6: "overdue → a reminder card to the owner"). */
export function decideNextStepReminder(record: CaseRecord, today: string, at: string): Decision<'notOverdue'> {
  const step = record.nextStep;
  if (!step || record.status === 'closed' || step.dueOn >= today || step.remindedOn) return { refused: 'notOverdue' };
  return {
    update: { nextStep: { ...step, remindedOn: today } },
    outbox: [{ kind: 'nextStepReminder', personId: step.owner.id, at, suffix: `|next${step.setAt}` }],
  };
}

/**
 * A learner named in free text is linked to the roster (or a link corrected): from then on this case
 * is in that child's chronology. Any of those the case is with may do it.
 */
export function decideLinkLearner(record: CaseRecord, personId: string, index: number, learner: { learnerId: string; name: string; yearGroup?: string; dateOfBirth?: string }, at: string): Decision<'notARecipient' | 'noSuchLearner'> {
  const by = recipientIn(record, personId);
  if (!by) return { refused: 'notARecipient' };
  const before = record.concern.learners[index];
  if (!before) return { refused: 'noSuchLearner' };
  const learners = record.concern.learners.map((l, i) => (i === index ? { ...l, learnerId: learner.learnerId, dateOfBirth: learner.dateOfBirth ?? l.dateOfBirth, yearGroup: l.yearGroup ?? learner.yearGroup } : l));
  return {
    update: { concern: { ...record.concern, learners } },
    chronology: [{ at, kind: 'learnerLinked', by, summary: `"${before.name || '(no name)'}" linked to ${learner.name} in the roster`, detail: { index, learnerId: learner.learnerId, was: before.learnerId } }],
  };
}
