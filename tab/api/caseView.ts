/**
 * The case workspace's data (PRODUCT.md §6): the cases a person may read (core/caseAccess.ts), as the
 * list shows them; one case in full; a child's chronology across cases. Reads only: every change goes
 * through the same core decisions as the cards (cases/caseChanges.ts).
 */
import { actionChoices, CLOSURE_DECISIONS, NOTE_REQUIRED } from '../../core/caseActions';
import { missedAcknowledgement, type CaseRecord, type ChronologyEntry } from '../../core/case';
import { canReadCase, holdsCase, type Reader } from '../../core/caseAccess';
import { aboutStaff, CATEGORIES, categoryById } from '../../core/categories';
import { DEVICES, LOCATIONS } from '../../core/concern';
import { REASSIGN_TARGETS } from '../../core/escalation';
import { phaseLabel } from '../../core/phases';
import { ROLE_TITLES } from '../../core/roles';
import type { Services } from '../../runtime/services';
import type { Transfer } from '../../store/transferStore';
import { todayIn } from '../../core/time';
import type { CaseChronologyLine, CaseListItem, CaseListQuery, CaseListView, CasePageView, TransferView } from './view';

/** What a chronology line's detail may add for the reader: the DSL's own note or reason. */
function noteOf(e: ChronologyEntry): string | undefined {
  const d = e.detail as { note?: unknown; reason?: unknown } | undefined;
  const note = typeof d?.note === 'string' ? d.note : typeof d?.reason === 'string' ? d.reason : undefined;
  return note || undefined;
}

export function chronologyLines(entries: ChronologyEntry[]): CaseChronologyLine[] {
  return entries.map((e) => ({ at: e.at, kind: e.kind, byName: e.by?.displayName, summary: e.summary, note: noteOf(e) }));
}

export function listItem(s: Services, c: CaseRecord, today: string, nowIso: string): CaseListItem {
  const category = categoryById(c.concern.category);
  return {
    reference: c.reference,
    categoryId: c.concern.category,
    categoryTitle: category?.title ?? c.concern.category,
    aboutStaff: !!category && aboutStaff(category, c.concern.staffInvolvedId),
    phases: c.phases,
    phaseLabel: phaseLabel(s.setup.phases, c.phases),
    status: c.status,
    urgent: c.urgent,
    createdAt: c.createdAt,
    reporterName: c.reporter.displayName,
    learners: c.concern.learners.map((l) => ({ name: l.name, yearGroup: l.yearGroup, learnerId: l.learnerId })),
    holders: c.recipients.map((r) => ({ id: r.id, name: r.displayName })),
    acknowledgedAt: c.acknowledgedAt,
    overdueAcknowledgement: missedAcknowledgement(c, nowIso),
    nextStep: c.nextStep && c.status !== 'closed' ? { dueOn: c.nextStep.dueOn, ownerName: c.nextStep.owner.displayName, ownerId: c.nextStep.owner.id, overdue: c.nextStep.dueOn < today } : undefined,
    closedDecision: c.closure?.decision,
    retentionReviewOn: c.retentionReviewOn,
  };
}

const fold = (t: string) => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** Does the case match the filters (all but paging)? */
function matches(item: CaseListItem, q: CaseListQuery, day: string, words: string[]): boolean {
  if (q.status && (q.status === 'notClosed' ? item.status === 'closed' : item.status !== q.status)) return false;
  if (q.category && item.categoryId !== q.category) return false;
  if (q.phase && !item.phases.includes(q.phase)) return false;
  if (q.yearGroup && !item.learners.some((l) => l.yearGroup === q.yearGroup)) return false;
  if (q.owner && !item.holders.some((h) => h.id === q.owner)) return false;
  if (q.overdue === 'nextStep' && !item.nextStep?.overdue) return false;
  if (q.overdue === 'acknowledgement' && !item.overdueAcknowledgement) return false;
  if (q.overdue === 'any' && !item.nextStep?.overdue && !item.overdueAcknowledgement) return false;
  if (q.from && day < q.from) return false;
  if (q.to && day > q.to) return false;
  if (words.length) {
    const text = fold(`${item.reference} ${item.learners.map((l) => l.name).join(' ')}`);
    if (!words.every((w) => text.includes(w))) return false;
  }
  return true;
}

/**
 * The cases this person may read (core/caseAccess.ts), filtered and a page of them, newest first, with
 * the counts over all of them, and the child-protection files waiting too long for their receipt.
 */
export async function caseList(s: Services, reader: Reader, today: string, query: CaseListQuery = {}, opts: { mayTransfer?: (yearGroup: string | undefined) => boolean } = {}): Promise<CaseListView> {
  const { schoolId, timeZone } = s.setup;
  const [all, overdue] = await Promise.all([s.stores.cases.allCases(schoolId), opts.mayTransfer ? s.stores.transfers.overdue(schoolId, today) : Promise.resolve([])]);
  const nowIso = s.clock().toISOString();
  const readable: CaseRecord[] = [];
  for (const c of all.values()) if (canReadCase(c, reader)) readable.push(c);
  const staffNames = readable.some((c) => c.concern.staffInvolvedId) ? new Map((await s.roles.resolve(['allStaff'])).members.allStaff?.map((p) => [p.id, p.displayName]) ?? []) : new Map<string, string>();
  const counts = { all: 0, open: 0, acknowledged: 0, closed: 0, overdueNextSteps: 0, overdueAcknowledgements: 0 };
  const owners = new Map<string, string>();
  const words = fold(query.q ?? '').split(/\s+/).filter(Boolean);
  const matched: CaseListItem[] = [];
  for (const c of readable) {
    const item = listItem(s, c, today, nowIso);
    if (c.concern.staffInvolvedId) item.staffInvolvedName = staffNames.get(c.concern.staffInvolvedId) ?? '(no longer on the staff list)';
    counts.all++;
    counts[item.status]++;
    if (item.nextStep?.overdue) counts.overdueNextSteps++;
    if (item.overdueAcknowledgement) counts.overdueAcknowledgements++;
    for (const h of item.holders) owners.set(h.id, h.name);
    if (matches(item, query, todayIn(timeZone, new Date(item.createdAt)), words)) matched.push(item);
  }
  matched.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 50;
  // Only the files of children whose file this person could send (a phase DSL: their phase's).
  const transfers = await Promise.all(
    overdue.map(async (t) => {
      const [transfer, learner] = await Promise.all([s.stores.transfers.get(schoolId, t.learnerId, t.id), s.stores.aup.getPerson(schoolId, t.learnerId)]);
      return transfer && opts.mayTransfer?.(learner?.yearGroup) ? transfer : undefined;
    }),
  );
  return {
    today,
    cases: matched.slice(offset, offset + limit),
    matched: matched.length,
    offset,
    limit,
    counts,
    overdueTransfers: transfers.filter((t): t is Transfer => !!t && !t.receipt).map((t) => ({ learnerId: t.learnerId, learnerName: t.learnerName, destinationSchool: t.destinationSchool, sentOn: t.sentOn, receiptDueOn: t.receiptDueOn })),
    categories: CATEGORIES.map((c) => ({ id: c.id, title: c.title })),
    phases: s.setup.phases.map((p) => ({ id: p.id, name: p.name })),
    yearGroups: s.setup.phases.flatMap((p) => p.yearGroups),
    owners: [...owners].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export async function casePage(s: Services, record: CaseRecord, reader: Reader, today: string): Promise<CasePageView> {
  const category = categoryById(record.concern.category)!;
  const [chronology, staff] = await Promise.all([
    s.stores.chronology.of(record),
    record.concern.staffInvolvedId ? s.roles.resolve(['allStaff']).then((r) => r.members.allStaff ?? []) : Promise.resolve([]),
  ]);
  const done = new Set(chronology.filter((e) => e.kind === 'action').map((e) => e.summary));
  const c = record.concern;
  const canAct = holdsCase(record, reader.id);
  return {
    reference: record.reference,
    category: { id: category.id, title: category.title, policy: category.policy },
    aboutStaff: aboutStaff(category, c.staffInvolvedId),
    phaseLabel: phaseLabel(s.setup.phases, record.phases),
    status: record.status,
    urgent: record.urgent,
    createdAt: record.createdAt,
    reporterName: record.reporter.displayName,
    concern: {
      learners: c.learners,
      whatHappened: c.whatHappened,
      happenedOn: c.happenedOn,
      happenedAt: c.happenedAt,
      where: LOCATIONS[c.location] ?? c.location,
      device: DEVICES[c.device] ?? c.device,
      url: c.url,
      reportedMessage: c.reportedMessage,
      immediateDanger: c.immediateDanger,
      actionsTaken: c.actionsTaken,
      staffInvolvedName: c.staffInvolvedId ? (staff.find((p) => p.id === c.staffInvolvedId)?.displayName ?? '(no longer on the staff list)') : undefined,
    },
    holders: record.recipients.map((r) => ({ id: r.id, name: r.displayName, role: ROLE_TITLES[r.role] })),
    formerHolders: (record.formerRecipients ?? []).map((r) => ({ id: r.id, name: r.displayName, role: ROLE_TITLES[r.role] })),
    acknowledged: record.acknowledgedBy && record.acknowledgedAt ? { byName: record.acknowledgedBy.displayName, at: record.acknowledgedAt } : undefined,
    deadline: record.status === 'open' ? record.deadline : undefined,
    escalationLevel: record.escalationLevel,
    directoryStale: record.directoryStale,
    chronology: chronologyLines(chronology),
    checklist: category.checklist.map((item) => ({ item, done: done.has(item) })),
    actionChoices: actionChoices(category),
    noteRequired: [...NOTE_REQUIRED],
    nextStep: record.nextStep && record.status !== 'closed'
      ? { what: record.nextStep.what, ownerId: record.nextStep.owner.id, ownerName: record.nextStep.owner.displayName, dueOn: record.nextStep.dueOn, overdue: record.nextStep.dueOn < today, setByName: record.nextStep.setBy.displayName }
      : undefined,
    closure: record.closure ? { decision: record.closure.decision, reason: record.closure.reason, outcome: record.closure.outcome, lessonsLearnt: record.closure.lessonsLearnt, closedByName: record.closure.closedBy.displayName, closedAt: record.closure.closedAt } : undefined,
    retentionReviewOn: record.retentionReviewOn,
    canAct,
    reassignTargets: REASSIGN_TARGETS.map((r) => ({ value: r, title: ROLE_TITLES[r] })),
    decisions: [...CLOSURE_DECISIONS],
  };
}

export function transferView(t: Transfer, today: string): TransferView {
  return {
    id: t.id,
    destinationSchool: t.destinationSchool,
    destinationContact: t.destinationContact,
    method: t.method,
    sentOn: t.sentOn,
    sentByName: t.sentBy.name,
    receiptDueOn: t.receiptDueOn,
    receipt: t.receipt && { receivedOn: t.receipt.receivedOn, confirmedBy: t.receipt.confirmedBy, recordedByName: t.receipt.recordedBy.name },
    overdue: !t.receipt && t.receiptDueOn < today,
  };
}
