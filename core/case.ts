/**
 * A case: a concern once it is stored, with who holds it, its state and its chronology (PRODUCT.md §3).
 * Plain data only: the decisions that change it are in caseDecisions.ts, the storage in store/.
 */
import type { Concern } from './concern';
import type { PhaseId } from './phases';
import type { Person } from './roles';
import type { Recipient } from './routing';

export type CaseStatus = 'open' | 'acknowledged' | 'closed';

/** Where a card sent in Teams is, so it can be updated later (the reporter's receipt, a DSL's card). */
export interface CardLocation {
  conversationId: string;
  activityId: string;
  /** The connector the card was sent through: an update must go back the same way. */
  serviceUrl?: string;
}

export interface Closure {
  decision: string;
  reason: string;
  outcome: string;
  lessonsLearnt: string;
  closedBy: Person;
  closedAt: string;
}

export interface CaseRecord {
  schoolId: string;
  /** The tenant the reporter's Teams is in: where the recipients are reached. */
  tenantId: string;
  reference: string;
  concern: Concern;
  reporter: Person;
  createdAt: string;
  phases: PhaseId[];
  urgent: boolean;
  recipients: Recipient[];
  routeReasons: string[];
  /** Graph could not be reached: recipients come from the last successful lookup. */
  directoryStale: boolean;
  status: CaseStatus;
  acknowledgedBy?: Person;
  acknowledgedAt?: string;
  /** Where the reporter's receipt card is, so it can show the acknowledgement. */
  receipt?: CardLocation;
  /** When the current recipients must acknowledge by; escalation fires after it (PRODUCT.md §3). */
  deadline?: string;
  /** 0 = first recipients; each escalation step adds one (core/escalation.ts). */
  escalationLevel: number;
  /** When a deadline first passed with nobody acknowledging (set by escalation, even at the end of the chain). */
  missedDeadlineAt?: string;
  /** Who the concern was first sent to (recipients change with escalation and reassignment). */
  routedTo?: Recipient[];
  /** The row in the escalation index for the current deadline, if one is pending. */
  dueKey?: string;
  closure?: Closure;
  retentionReviewOn?: string;
  /** Who held the case before a reassignment (they may still read it). */
  formerRecipients?: Recipient[];
  /** What must happen next, by whom and by when (PRODUCT.md §6); past its day it is flagged and its owner reminded. */
  nextStep?: NextStep;
}

export interface NextStep {
  what: string;
  owner: Person;
  /** YYYY-MM-DD */
  dueOn: string;
  setBy: Person;
  setAt: string;
  /** The day its owner was reminded that it is overdue (once per next step). */
  remindedOn?: string;
}

/** One line of a case's chronology: append-only, never updated. */
export interface ChronologyEntry {
  at: string;
  kind: 'received' | 'routed' | 'delivered' | 'acknowledged' | 'escalated' | 'reassigned' | 'action' | 'closed' | 'reopened' | 'nextStep' | 'learnerLinked';
  by?: Person;
  summary: string;
  detail?: Record<string, unknown>;
}

/**
 * What the bot owes people after a change: a card, an update of a card, a word to the reporter, a feed
 * notification; and the receipt card in the reporter's chat when the concern was raised elsewhere (a
 * message extension, the tab), so they keep its reference there.
 */
export type OutboxKind = 'notifyRecipient' | 'updateRecipientCard' | 'tellReporter' | 'activityFeed' | 'nextStepReminder' | 'sendReceipt';

export interface OutboxIntent {
  kind: OutboxKind;
  personId: string;
  at: string;
  /** Makes the message's key unique to the change that owes it (one per step, once however often retried). */
  suffix: string;
}

/** A change to one case, decided from the stored case: stored in one transaction with its chronology and messages. */
export interface CaseChange {
  update: Partial<CaseRecord>;
  /** A new acknowledgement deadline (ISO), null to clear it, undefined to leave it. */
  deadline?: string | null;
  chronology?: ChronologyEntry[];
  outbox?: OutboxIntent[];
}

/** A decision not to change the case, with the reason (shown politely, audited). */
export interface Refusal<R extends string> {
  refused: R;
}

export type Decision<R extends string> = CaseChange | Refusal<R>;

export function isRefusal<R extends string>(d: Decision<R>): d is Refusal<R> {
  return 'refused' in d;
}

/**
 * A case nobody acknowledged in time (PRODUCT.md §3): still open and past its deadline, or already
 * escalated for missing one (its deadline is then the next step's, or gone at the end of the chain).
 * Flagged in the case list until someone acknowledges it.
 */
export function missedAcknowledgement(c: Pick<CaseRecord, 'status' | 'deadline' | 'escalationLevel' | 'missedDeadlineAt'>, nowIso: string): boolean {
  return c.status === 'open' && (!!c.missedDeadlineAt || c.escalationLevel > 0 || (!!c.deadline && c.deadline < nowIso));
}
