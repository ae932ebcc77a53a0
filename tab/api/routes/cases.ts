/**
 * The Cases page's API (PRODUCT.md §6): the case list and a case in full for those routing lets read
 * them (core/caseAccess.ts; office staff never), the same changes as the DSL's card (the same core
 * decisions, through cases/caseChanges.ts) by those the case is with, a child's chronology across
 * cases, the child-protection file transfer with its PDF and receipt, and the records due for their
 * retention review. Every read is audited (who, when, which case); refusals too.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { changeCase } from '../../../cases/caseChanges';
import { searchLearners } from '../../../cases/learners';
import { closureProblems } from '../../../core/caseActions';
import { canReadCase, type Reader } from '../../../core/caseAccess';
import { categoryById } from '../../../core/categories';
import type { Decision } from '../../../core/case';
import { decideAcknowledgement, decideClose, decideLinkLearner, decideNextStep, decideRecordAction, decideReassign, decideReopen } from '../../../core/caseDecisions';
import { carriesImage, LEARNER_ID_PATTERN, REFERENCE_PATTERN } from '../../../core/concern';
import { REASSIGN_TARGETS } from '../../../core/escalation';
import { phaseOfYearGroup } from '../../../core/phases';
import type { Role } from '../../../core/roles';
import { addSchoolDays } from '../../../core/schoolDays';
import { todayIn } from '../../../core/time';
import { ROUTING_ROLES } from '../../../directory/roleResolver';
import type { Actor, Services } from '../../../runtime/services';
import type { StoredCase } from '../../../store/caseStore';
import { isKeySafe } from '../../../store/tables';
import { TRANSFER_METHODS } from '../../../store/transferStore';
import { callerOf, type Caller } from '../caller';
import { caseList, casePage, chronologyLines, transferView } from '../caseView';
import { day, parse, problem, requirePage } from '../http';
import { transferPdf } from '../transferPdf';
import type { ChildChronologyView, LearnerMatch } from '../view';

const NOTE_MAX = 2000;
const text = (max: number) => z.string().trim().max(max).refine((v) => !carriesImage(v), 'images are never stored: describe it in words');
const referenceParam = z.string().regex(REFERENCE_PATTERN, 'not a case reference');
const learnerIdParam = z.string().refine((v) => LEARNER_ID_PATTERN.test(v) && isKeySafe(v), 'not a learner id');

/** What a refusal tells the person (the change was not made). */
const REFUSALS: Record<string, string> = {
  notARecipient: 'Only the people this case is with now can do that. Nothing has changed.',
  alreadyAcknowledged: 'It is acknowledged already.',
  closed: 'The case is closed: reopen it first.',
  notClosed: 'The case is open already.',
  nobody: 'Nobody else holds that role right now. Nothing has changed.',
  notATarget: 'A case cannot be handed to that role.',
  unknownAction: 'Choose one of the listed actions.',
  noteRequired: 'For this action the note is required: say who, and why.',
  ownerNotHolding: 'The owner of a next step is one of the people the case is with.',
  dueInPast: 'The next step\'s day cannot be in the past.',
  noSuchLearner: 'There is no such learner on this case.',
};

/** The phases' DSLs, the deputies, the OSL and the Head may transfer a child's file (§6). */
function canTransfer(s: Services, roles: readonly Role[], yearGroup: string | undefined): boolean {
  if (roles.some((r) => r === 'deputyDsl' || r === 'onlineSafetyLead' || r === 'headteacher')) return true;
  const phase = phaseOfYearGroup(s.setup.phases, yearGroup);
  return phase ? roles.includes(phase === 'prep' ? 'dslPrep' : 'dslPrePrep') : roles.includes('dslPrep') || roles.includes('dslPrePrep');
}

export function casesRoutes(s: Services): Router {
  const router = express.Router();
  const { schoolId } = s.setup;
  const today = () => todayIn(s.setup.timeZone, s.clock());
  const reader = (c: Caller): Reader => ({ id: c.id, roles: c.roles });
  const actor = (c: Caller): Actor => ({ id: c.id, name: c.name, tenantId: s.setup.tenantId ?? '' });
  const audit = (c: Caller, reference: string, action: string, detail = '') =>
    s.stores.audit.append(schoolId, { reference, action, byId: c.id, byName: c.name, via: 'tab', detail }, s.clock());

  router.use(['/cases', '/learners'], requirePage('cases'));

  const listQuery = z.strictObject({
    status: z.enum(['open', 'acknowledged', 'closed', 'notClosed']).optional(),
    category: z.string().max(40).optional(),
    phase: z.string().max(40).optional(),
    yearGroup: z.string().max(40).optional(),
    owner: z.string().max(64).optional(),
    overdue: z.enum(['nextStep', 'acknowledgement', 'any']).optional(),
    from: day.optional(),
    to: day.optional(),
    q: z.string().max(80).optional(),
    offset: z.coerce.number().int().min(0).max(100_000).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  });

  router.get('/cases', async (req, res) => {
    const caller = callerOf(res);
    const query = parse(listQuery, Object.fromEntries(Object.entries(req.query).filter(([, v]) => v !== '')), res, 'query');
    if (!query) return;
    const [view] = await Promise.all([caseList(s, reader(caller), today(), query, { mayTransfer: (yearGroup) => canTransfer(s, caller.roles, yearGroup) }), audit(caller, 'cases', 'case list read')]);
    res.setHeader('cache-control', 'no-store');
    res.json(view);
  });

  /** Closed records due for their retention review within 90 days (review only: nothing is ever deleted here). */
  router.get('/cases/retention', async (_req, res) => {
    const caller = callerOf(res);
    const until = new Date(Date.parse(`${today()}T00:00:00Z`) + 90 * 86_400_000).toISOString().slice(0, 10);
    const [view] = await Promise.all([caseList(s, reader(caller), today(), { status: 'closed', limit: 100_000 }), audit(caller, 'cases', 'retention review list read')]);
    res.setHeader('cache-control', 'no-store');
    res.json({ until, cases: view.cases.filter((c) => c.retentionReviewOn && c.retentionReviewOn <= until).sort((a, b) => a.retentionReviewOn!.localeCompare(b.retentionReviewOn!)) });
  });

  /** The case, if this person may read it: otherwise the answer is sent (404, or 403 audited). */
  async function readable(req: Request, res: Response): Promise<{ caller: Caller; record: StoredCase } | undefined> {
    const caller = callerOf(res);
    const reference = parse(referenceParam, req.params.reference, res, 'reference');
    if (!reference) return undefined;
    const record = await s.stores.cases.getCase(schoolId, reference);
    if (!record) return void problem(res, 404, `There is no case ${reference}.`);
    if (!canReadCase(record, reader(caller))) {
      await audit(caller, reference, 'read refused: not allowed to see this case');
      s.log.warn('case read refused', { reference });
      // The same answer as for a case that does not exist: references are sequential and could be tried.
      return void problem(res, 404, `There is no case ${reference}.`);
    }
    return { caller, record };
  }

  router.get('/cases/:reference', async (req, res) => {
    const found = await readable(req, res);
    if (!found) return;
    // Audited before it is shown: a read that cannot be audited is not served.
    await audit(found.caller, found.record.reference, 'read');
    res.setHeader('cache-control', 'no-store');
    res.json(await casePage(s, found.record, reader(found.caller), today()));
  });

  /** One change, decided against the stored case; the answer is the case as it now is, or why not. */
  async function change<R extends string>(req: Request, res: Response, attempt: string, done: string, decide: (record: StoredCase) => Decision<R>) {
    const found = await readable(req, res);
    if (!found) return;
    const result = await changeCase(s, actor(found.caller), { reference: found.record.reference, attempt, done, via: 'tab', decide });
    if (result.outcome === 'notFound') return problem(res, 404, 'There is no such case.');
    if (result.outcome === 'refused') return problem(res, result.reason === 'notARecipient' ? 403 : 409, REFUSALS[result.reason] ?? 'Nothing has changed.');
    res.json(await casePage(s, result.record, reader(found.caller), today()));
  }

  router.post('/cases/:reference/acknowledge', async (req, res) => {
    const at = s.clock().toISOString();
    await change(req, res, 'acknowledge', 'acknowledged', (record) => decideAcknowledgement(record, callerOf(res).id, at));
  });

  router.post('/cases/:reference/actions', async (req, res) => {
    const body = parse(z.strictObject({ action: z.string().max(200), note: text(NOTE_MAX).optional().default('') }), req.body, res);
    if (!body) return;
    const at = s.clock().toISOString();
    await change(req, res, 'record action', `action recorded: ${body.action}`, (record) => decideRecordAction(record, callerOf(res).id, body.action, body.note, at));
  });

  router.post('/cases/:reference/next-step', async (req, res) => {
    const body = parse(z.strictObject({ what: text(500).pipe(z.string().min(1, 'say what the next step is')), ownerId: z.string().max(64), dueOn: day }), req.body, res);
    if (!body) return;
    const now = s.clock();
    await change(req, res, 'set next step', `next step set for ${body.dueOn}`, (record) => decideNextStep(record, callerOf(res).id, body, now, today()));
  });

  router.post('/cases/:reference/reassign', async (req, res) => {
    const body = parse(z.strictObject({ to: z.enum(REASSIGN_TARGETS as [Role, ...Role[]]) }), req.body, res);
    if (!body) return;
    const { members } = await s.roles.resolve(ROUTING_ROLES);
    const now = s.clock();
    await change(req, res, `reassign to ${body.to}`, `reassigned to ${body.to}`, (record) => decideReassign(record, callerOf(res).id, body.to, members, now, s.setup));
  });

  router.post('/cases/:reference/close', async (req, res) => {
    const body = parse(z.strictObject({ decision: z.string().max(200), reason: text(NOTE_MAX), outcome: text(NOTE_MAX), lessonsLearnt: text(NOTE_MAX) }), req.body, res);
    if (!body) return;
    const problems = closureProblems(body);
    if (problems.length) return problem(res, 400, 'The case was not closed.', problems);
    const now = s.clock();
    await change(req, res, 'close', 'closed', (record) => decideClose(record, callerOf(res).id, body, now, s.setup));
  });

  router.post('/cases/:reference/reopen', async (req, res) => {
    const body = parse(z.strictObject({ reason: text(NOTE_MAX).pipe(z.string().min(1, 'give the reason for reopening')) }), req.body, res);
    if (!body) return;
    const at = s.clock().toISOString();
    await change(req, res, 'reopen', 'reopened', (record) => decideReopen(record, callerOf(res).id, body.reason, at));
  });

  /** A learner named in free text, linked to the roster: the case joins that child's chronology. */
  router.post('/cases/:reference/learners/:index/link', async (req, res) => {
    const body = parse(z.strictObject({ learnerId: learnerIdParam }), req.body, res);
    const index = body && parse(z.coerce.number().int().min(0).max(20), req.params.index, res, 'index');
    if (!body || index === undefined) return;
    const learner = await s.stores.aup.getPerson(schoolId, body.learnerId);
    if (!learner || learner.kind !== 'learner') return problem(res, 404, 'There is no such learner in the roster.');
    const at = s.clock().toISOString();
    await change(req, res, 'link learner', `learner linked: ${learner.id}`, (record) => decideLinkLearner(record, callerOf(res).id, index, { learnerId: learner.id, name: learner.displayName, yearGroup: learner.yearGroup, dateOfBirth: learner.dateOfBirth }, at));
  });

  /** Learners from the roster by name (the register's people), for linking and for the concern form. */
  router.get('/learners', async (req, res) => {
    const q = parse(z.object({ q: z.string().max(80).default('') }), req.query, res, 'query');
    if (!q) return;
    res.json({ learners: (await searchLearners(s, q.q)).map((l): LearnerMatch => ({ id: l.id, name: l.name, yearGroup: l.yearGroup })) });
  });

  /** The child, from the roster or from the cases that name them (a free-text learner has no roster id). */
  async function learnerOr404(req: Request, res: Response) {
    const id = parse(learnerIdParam, req.params.learnerId, res, 'learnerId');
    if (!id) return undefined;
    const person = await s.stores.aup.getPerson(schoolId, id);
    if (!person || person.kind !== 'learner') return void problem(res, 404, 'There is no such learner in the roster.');
    return person;
  }

  /** Every concern, action, referral and transfer about one child, in time order, from the cases this person may read. */
  async function childRecord(caller: Caller, learnerId: string) {
    // From the school's cases kept in memory (one small journal read), not one read per case.
    const all = [...(await s.stores.cases.allCases(schoolId)).values()].filter((c) => c.concern.learners.some((l) => l.learnerId === learnerId));
    const readable = all.filter((c) => canReadCase(c, reader(caller)));
    const withChronology = await Promise.all(readable.map(async (record) => ({ record, chronology: await s.stores.chronology.of(record) })));
    return { withChronology, withheld: all.length - readable.length };
  }

  router.get('/learners/:learnerId/chronology', async (req, res) => {
    const caller = callerOf(res);
    const learner = await learnerOr404(req, res);
    if (!learner) return;
    // Transfers are the business of those who may send the child's file (a phase DSL: their phase's).
    const mayTransfer = canTransfer(s, caller.roles, learner.yearGroup);
    const [{ withChronology, withheld }, transfers] = await Promise.all([childRecord(caller, learner.id), mayTransfer ? s.stores.transfers.ofLearner(schoolId, learner.id) : Promise.resolve([])]);
    await audit(caller, `learner|${learner.id}`, 'child chronology read', `${withChronology.length} cases${withheld ? `, ${withheld} not shown` : ''}`);
    const entries: ChildChronologyView['entries'] = [];
    for (const { record, chronology } of withChronology) {
      for (const line of chronologyLines(chronology)) entries.push({ ...line, reference: record.reference });
    }
    for (const t of transfers) {
      entries.push({ at: t.recordedAt, kind: 'transfer', summary: `Child-protection file sent to ${t.destinationSchool} (${t.method}) on ${t.sentOn}`, byName: t.sentBy.name });
      if (t.receipt) entries.push({ at: t.receipt.recordedAt, kind: 'transfer', summary: `Receipt from ${t.destinationSchool}: received on ${t.receipt.receivedOn}, confirmed by ${t.receipt.confirmedBy}`, byName: t.receipt.recordedBy.name });
    }
    entries.sort((a, b) => a.at.localeCompare(b.at));
    const view: ChildChronologyView = {
      learner: { id: learner.id, name: learner.displayName, yearGroup: learner.yearGroup, dateOfBirth: learner.dateOfBirth, inRoster: true },
      entries,
      cases: withChronology.map(({ record }) => ({ reference: record.reference, categoryTitle: categoryById(record.concern.category)?.title ?? record.concern.category, status: record.status, createdAt: record.createdAt })),
      transfers: transfers.map((t) => transferView(t, today())),
      canTransfer: mayTransfer,
      methods: [...TRANSFER_METHODS],
    };
    res.setHeader('cache-control', 'no-store');
    res.json(view);
  });

  /** Records the transfer sent: where, how, when; the receipt is due 5 school days after. */
  router.post('/learners/:learnerId/transfers', async (req, res) => {
    const caller = callerOf(res);
    const learner = await learnerOr404(req, res);
    const body = learner && parse(z.strictObject({ destinationSchool: z.string().trim().min(1).max(200), destinationContact: z.string().trim().max(200).optional(), method: z.enum(TRANSFER_METHODS), sentOn: day }), req.body, res);
    if (!learner || !body) return;
    if (!canTransfer(s, caller.roles, learner.yearGroup)) return problem(res, 403, 'Only the child\'s phase DSL, a deputy, the Online Safety Lead or the Headteacher sends a child-protection file.');
    if (body.sentOn > today()) return problem(res, 400, 'The date sent cannot be in the future.');
    const receiptDueOn = addSchoolDays(body.sentOn, 5, { days: s.setup.acknowledgement.workingHours?.days ?? [1, 2, 3, 4, 5], terms: s.setup.terms });
    const transfer = await s.stores.transfers.record(schoolId, { learnerId: learner.id, learnerName: learner.displayName, ...body, sentBy: { id: caller.id, name: caller.name }, recordedAt: s.clock().toISOString(), receiptDueOn });
    await audit(caller, `learner|${learner.id}`, 'child-protection file sent', `${transfer.id}: to ${body.destinationSchool} by ${body.method} on ${body.sentOn}`);
    res.status(201).json(transferView(transfer, today()));
  });

  router.post('/learners/:learnerId/transfers/:id/receipt', async (req, res) => {
    const caller = callerOf(res);
    const learner = await learnerOr404(req, res);
    const body = learner && parse(z.strictObject({ receivedOn: day, confirmedBy: z.string().trim().min(1).max(200) }), req.body, res);
    if (!learner || !body) return;
    if (!canTransfer(s, caller.roles, learner.yearGroup)) return problem(res, 403, 'Only the child\'s phase DSL, a deputy, the Online Safety Lead or the Headteacher records a transfer\'s receipt.');
    const transfer = await s.stores.transfers.get(schoolId, learner.id, String(req.params.id).slice(0, 40));
    if (!transfer) return problem(res, 404, 'There is no such transfer.');
    if (transfer.receipt) return problem(res, 409, 'Its receipt is recorded already.');
    if (body.receivedOn > today() || body.receivedOn < transfer.sentOn) return problem(res, 400, 'The date received is between the day it was sent and today.');
    const done = await s.stores.transfers.change(schoolId, transfer, { receipt: { ...body, recordedBy: { id: caller.id, name: caller.name }, recordedAt: s.clock().toISOString() } });
    if (done === 'conflict') return problem(res, 409, 'It changed meanwhile; reload and try again.');
    await audit(caller, `learner|${learner.id}`, 'child-protection file receipt recorded', `${transfer.id}: received on ${body.receivedOn}, confirmed by ${body.confirmedBy}`);
    res.json(transferView(done, today()));
  });

  /** The child's whole record as a PDF, for the transfer (the transfer's details on its first page). */
  router.get('/learners/:learnerId/record.pdf', async (req, res) => {
    const caller = callerOf(res);
    const learner = await learnerOr404(req, res);
    if (!learner) return;
    if (!canTransfer(s, caller.roles, learner.yearGroup)) return problem(res, 403, 'Only the child\'s phase DSL, a deputy, the Online Safety Lead or the Headteacher prepares a child-protection file.');
    const transferId = typeof req.query.transfer === 'string' ? req.query.transfer.slice(0, 40) : undefined;
    const [{ withChronology, withheld }, transfer] = await Promise.all([childRecord(caller, learner.id), transferId ? s.stores.transfers.get(schoolId, learner.id, transferId) : Promise.resolve(undefined)]);
    if (withheld) s.log.warn('a child-protection file was prepared without records its preparer may not read', { withheld });
    const pdf = await transferPdf({
      schoolName: s.setup.name,
      timeZone: s.setup.timeZone,
      learner: { name: learner.displayName, yearGroup: learner.yearGroup, dateOfBirth: learner.dateOfBirth },
      transfer: transfer && { ...transfer, sentByName: transfer.sentBy.name },
      preparedBy: caller.name,
      preparedAt: s.clock().toISOString(),
      cases: withChronology.sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt)),
    });
    await audit(caller, `learner|${learner.id}`, 'child-protection file prepared (PDF)', `${withChronology.length} cases${withheld ? `; ${withheld} held by others not included` : ''}`);
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `attachment; filename="child-protection-record-${learner.id.replace(/[^A-Za-z0-9-]/g, '')}.pdf"`);
    res.setHeader('cache-control', 'no-store');
    res.end(pdf);
  });

  return router;
}
