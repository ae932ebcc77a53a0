/**
 * The Training page's API (PRODUCT.md §5; policy §5.3): the whole-staff matrix, a person's history,
 * records added, corrected, withdrawn, confirmed or rejected, a session recorded for many at once, the
 * MIS import, and reminders. Office staff, the Headteacher and the OSL keep the records; DSLs read them
 * (core/tabPages.ts, core/aup.ts registerAccess); everyone else sees only their own, in My records.
 * Every read and change is audited; every body is checked against one schema.
 */
import { gzipSync } from 'node:zlib';
import express, { type Router } from 'express';
import { z } from 'zod';
import { TRAINING_STATUS_TITLES, TRAINING_STATUSES, dueForReminder, type Course } from '../../../core/training';
import type { Services } from '../../../runtime/services';
import type { NewTrainingRecord, StoredTrainingRecord } from '../../../store/trainingStore';
import { callerOf, type Caller } from '../caller';
import { toCsv } from '../csv';
import { day, keeperOnly, parse, problem, requirePage, sendEncoded, storedId } from '../http';
import { matchNames } from '../nameMatch';
import type { Reminders } from '../reminders';
import { checkTrainingImport, detailsSchema } from '../trainingImport';
import { recordView, type TrainingPersonRow, type TrainingView } from '../trainingView';
import { toReminderProgress, type SessionResultView, type TrainingImportCheckView, type TrainingPersonPageView } from '../view';

export const TRAINING_AUDIT = 'training';

const personId = storedId;
const recordKeyParam = z.string().min(1).max(300).regex(/^[^/\\#?]+$/, 'not a record key');
const details = detailsSchema.extend({ completedOn: day });
const reason = z.string().trim().min(1, 'give the reason').max(500);

const recordBody = z.strictObject({ personId, courseId: z.string().max(64), ...details.shape });
const correctionBody = z.strictObject({ completedOn: day.optional(), provider: z.string().max(120).nullable().optional(), hours: z.number().min(0).max(1000).nullable().optional(), evidence: detailsSchema.shape.evidence.nullable(), reason });
const sessionBody = z.strictObject({ courseId: z.string().max(64), ...details.shape, personIds: z.array(personId).min(1, 'tick at least one person').max(2000) });
const csvBody = z.strictObject({ csv: z.string().max(5_000_000) });
const personBody = z.strictObject({ startedOn: day.nullable().optional(), staffCode: z.string().trim().max(40).nullable().optional() });
const filterQuery = z.object({
  courseId: z.string().max(64).optional(),
  status: z.enum(TRAINING_STATUSES).optional(),
  role: z.string().max(40).optional(),
  search: z.string().max(120).optional(),
});

export function trainingRoutes(s: Services, parts: { view: TrainingView; reminders: Reminders }): Router {
  const router = express.Router();
  const { schoolId } = s.setup;
  const { view, reminders } = parts;
  const courses = new Map(s.setup.training.courses.map((c) => [c.id, c as Course]));
  const audit = (caller: Caller, action: string, detail = '') =>
    s.stores.audit.append(schoolId, { reference: TRAINING_AUDIT, action, byId: caller.id, byName: caller.name, via: 'tab', detail }, s.clock());
  const now = () => s.clock().toISOString();

  router.use(['/training', '/training.csv'], requirePage('training'));

  /** The encoded matrix for each view object and access level: encoded once, sent many times. */
  const encoded = new WeakMap<object, Map<string, { json: Buffer; gzip: Buffer }>>();

  router.get('/training', async (req, res) => {
    const caller = callerOf(res);
    const [{ view: matrix }] = await Promise.all([view.matrix(), audit(caller, 'training read', 'whole matrix')]);
    const forAccess = encoded.get(matrix) ?? new Map<string, { json: Buffer; gzip: Buffer }>();
    let body = forAccess.get(caller.access);
    if (!body) {
      const json = Buffer.from(JSON.stringify({ access: caller.access, ...matrix }));
      body = { json, gzip: gzipSync(json, { level: 4 }) };
      forAccess.set(caller.access, body);
      encoded.set(matrix, forAccess);
    }
    sendEncoded(req, res, body);
  });

  router.get('/training.csv', async (req, res) => {
    const caller = callerOf(res);
    const q = parse(filterQuery, req.query, res, 'query');
    if (!q) return;
    const [{ view: matrix }] = await Promise.all([view.matrix(), audit(caller, 'training exported', JSON.stringify(q))]);
    const index = q.courseId ? matrix.courses.findIndex((c) => c.id === q.courseId) : -1;
    const shown = index >= 0 ? [index] : matrix.courses.map((_, i) => i);
    const needle = (q.search ?? '').toLowerCase();
    const rows = matrix.rows.filter((r) => {
      if (needle && !r.person.name.toLowerCase().includes(needle)) return false;
      if (q.role && !r.person.roles.includes(q.role as never)) return false;
      if (q.status && !shown.some((i) => r.cells[i].status === q.status)) return false;
      return true;
    });
    const header = ['Name', 'Email', 'Staff code', 'Started', ...shown.flatMap((i) => [matrix.courses[i].title, 'Last done', 'Due'])];
    const lines = rows.map((r) => [
      r.person.name,
      r.person.email ?? '',
      r.person.staffCode ?? '',
      r.person.startedOn ?? '',
      ...shown.flatMap((i) => {
        const c = r.cells[i];
        return [TRAINING_STATUS_TITLES[c.status] + (c.awaitingConfirmation ? ' (self-report waiting)' : ''), c.lastCompletedOn ?? '', c.dueOn ?? ''];
      }),
    ]);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="training-${matrix.today}.csv"`);
    res.setHeader('cache-control', 'no-store');
    res.send(`\ufeff${toCsv([header, ...lines])}`);
  });

  /** A person on the matrix, or a 404 sent. */
  async function personOr404(id: string, res: express.Response): Promise<TrainingPersonRow | undefined> {
    const { people } = await view.people();
    const person = people.find((p) => p.id === id);
    if (!person) problem(res, 404, 'There is no such member of staff.');
    return person;
  }

  router.get('/training/people/:personId', async (req, res) => {
    const caller = callerOf(res);
    const person = await personOr404(String(req.params.personId), res);
    if (!person) return;
    const [page] = await Promise.all([view.person(person), audit(caller, 'training record read', person.id)]);
    const answer: TrainingPersonPageView = { access: caller.access, ...page };
    res.setHeader('cache-control', 'no-store');
    res.json(answer);
  });

  /** The start date (induction and first-time training count from it) and the MIS staff code. */
  router.put('/training/people/:personId', async (req, res) => {
    const caller = keeperOnly(res, 'the training records');
    const body = caller && parse(personBody, req.body, res);
    if (!caller || !body) return;
    const person = await personOr404(String(req.params.personId), res);
    if (!person) return;
    if (body.startedOn && body.startedOn > view.today()) return problem(res, 400, 'The start date cannot be in the future.');
    // Staff: on their row in the register (where the MIS import puts them); others (governors): here.
    if (!(await s.stores.aup.setStaffDetails(schoolId, person.id, body, now()))) await s.stores.training.setPersonDetails(schoolId, person.id, body);
    await audit(caller, 'staff details changed', `${person.id}: ${JSON.stringify(body)}`);
    res.json({ startedOn: body.startedOn ?? undefined, staffCode: body.staffCode ?? undefined });
  });

  /** The same details as the import takes, checked the same way; the course must be one of the school's. */
  function courseOr400(courseId: string, res: express.Response): Course | undefined {
    const course = courses.get(courseId);
    if (!course) problem(res, 400, `"${courseId.slice(0, 64)}" is not one of the school's courses.`);
    return course;
  }

  router.post('/training/records', async (req, res) => {
    const caller = keeperOnly(res, 'the training records');
    const body = caller && parse(recordBody, req.body, res);
    if (!caller || !body || !courseOr400(body.courseId, res)) return;
    if (body.completedOn > view.today()) return problem(res, 400, 'The date completed cannot be in the future.');
    const person = await personOr404(body.personId, res);
    if (!person) return;
    const [outcome] = await s.stores.training.add(schoolId, [newRecord(person, body.courseId, body, 'tab', 'confirmed', caller)]);
    if (outcome === 'created') await audit(caller, 'training record added', `${person.id} ${body.courseId} ${body.completedOn}`);
    res.status(outcome === 'created' ? 201 : 200).json({ outcome });
  });

  /** A record, or a 404 sent. */
  async function recordOr404(key: string, res: express.Response): Promise<StoredTrainingRecord | undefined> {
    const record = await s.stores.training.get(schoolId, key);
    if (!record) problem(res, 404, 'There is no such training record.');
    return record;
  }

  /** Corrects a record's details; what it replaced stays in its history, with the reason. */
  router.patch('/training/records/:key', async (req, res) => {
    const caller = keeperOnly(res, 'the training records');
    const key = caller && parse(recordKeyParam, req.params.key, res, 'key');
    const body = key && parse(correctionBody, req.body, res);
    if (!caller || !key || !body) return;
    if (body.completedOn && body.completedOn > view.today()) return problem(res, 400, 'The date completed cannot be in the future.');
    const record = await recordOr404(key, res);
    if (!record) return;
    const { reason: why, ...fields } = body;
    const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => [k, v ?? undefined]));
    const done = await s.stores.training.change(schoolId, record, { details: changes }, { id: caller.id, name: caller.name, at: now(), what: 'corrected', reason: why });
    if (done === 'conflict') return problem(res, 409, 'Someone changed this record meanwhile; reload it and try again.');
    await audit(caller, 'training record corrected', `${key}: ${JSON.stringify(changes)} (${why})`);
    res.json(recordView(done));
  });

  /** Withdraws (entered in error), confirms or rejects (a self-report) a record: never deleted. */
  for (const [path, state, from, what] of [
    ['withdraw', 'withdrawn', ['confirmed', 'pending'], 'withdrawn'],
    ['confirm', 'confirmed', ['pending'], 'confirmed'],
    ['reject', 'rejected', ['pending'], 'rejected'],
  ] as const) {
    router.post(`/training/records/:key/${path}`, async (req, res) => {
      const caller = keeperOnly(res, 'the training records');
      const key = caller && parse(recordKeyParam, req.params.key, res, 'key');
      const body = key && parse(path === 'confirm' ? z.strictObject({ reason: z.string().max(500).optional() }) : z.strictObject({ reason }), req.body ?? {}, res);
      if (!caller || !key || !body) return;
      const record = await recordOr404(key, res);
      if (!record) return;
      if (!(from as readonly string[]).includes(record.state)) return problem(res, 409, `This record is ${record.state}; it cannot be ${what}.`);
      const done = await s.stores.training.change(schoolId, record, { state }, { id: caller.id, name: caller.name, at: now(), what, reason: body.reason });
      if (done === 'conflict') return problem(res, 409, 'Someone changed this record meanwhile; reload it and try again.');
      await audit(caller, `training record ${what}`, `${key}${body.reason ? ` (${body.reason})` : ''}`);
      res.json(recordView(done));
    });
  }

  router.get('/training/pending', async (_req, res) => {
    const { rows } = await s.stores.training.all(schoolId);
    res.setHeader('cache-control', 'no-store');
    res.json({ records: [...rows.values()].filter((r) => r.state === 'pending').sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)).map(recordView) });
  });

  /** A pasted attendance list, matched to the staff: each line matched, ambiguous or not found. */
  router.post('/training/sessions/match', async (req, res) => {
    const body = parse(z.strictObject({ names: z.string().max(200_000) }), req.body, res);
    if (!body) return;
    const { people } = await view.people();
    res.json({ lines: matchNames(body.names, people.map((p) => ({ id: p.id, displayName: p.name, email: p.email }))) });
  });

  /** One session (the September INSET) for everyone ticked, in one action, with a result per person. */
  router.post('/training/sessions', async (req, res) => {
    const caller = keeperOnly(res, 'the training records');
    const body = caller && parse(sessionBody, req.body, res);
    if (!caller || !body || !courseOr400(body.courseId, res)) return;
    if (body.completedOn > view.today()) return problem(res, 400, 'The date of the session cannot be in the future.');
    const { people } = await view.people();
    const byId = new Map(people.map((p) => [p.id, p]));
    const unknown = [...new Set(body.personIds)].filter((id) => !byId.has(id));
    // All or nothing: a list naming someone who is not staff here is refused whole, nothing written.
    if (unknown.length) return problem(res, 400, `${unknown.length === 1 ? 'One person ticked is' : `${unknown.length} people ticked are`} not on the school's staff list; nothing was recorded.`, unknown.slice(0, 20));
    const ticked = [...new Set(body.personIds)].map((id) => byId.get(id)!);
    const { personIds: _ids, courseId, ...session } = body;
    const outcomes = await s.stores.training.add(schoolId, ticked.map((p) => newRecord(p, courseId, session, 'tab', 'confirmed', caller)));
    const result: SessionResultView = {
      recorded: outcomes.filter((o) => o === 'created').length,
      alreadyRecorded: outcomes.filter((o) => o === 'alreadyRecorded').length,
      results: ticked.map((p, i) => ({ personId: p.id, name: p.name, outcome: outcomes[i] === 'created' ? 'recorded' : 'alreadyRecorded' })),
    };
    await audit(caller, 'training session recorded', `${courseId} ${body.completedOn}: ${result.recorded} recorded, ${result.alreadyRecorded} already`);
    res.status(201).json(result);
  });

  async function importCheck(csv: string, caller: Caller) {
    const { people, records } = await view.people();
    const recordedKeys = new Set([...records.rows.keys()].map((k) => k.slice(2)));
    return checkTrainingImport(csv, { setup: s.setup, people: people.map((p) => ({ id: p.id, displayName: p.name, email: p.email, staffCode: p.staffCode })), recordedKeys, today: view.today(), by: { id: caller.id, name: caller.name, at: now() } });
  }

  router.post('/training/import/check', async (req, res) => {
    const caller = keeperOnly(res, 'the training records');
    const body = caller && parse(csvBody, req.body, res);
    if (!caller || !body) return;
    const { good: _good, rows, ...check } = await importCheck(body.csv, caller);
    const answer: TrainingImportCheckView = { ...check, rows: rows.map(({ personId: _p, ...r }) => r) };
    res.json(answer);
  });

  /** Writes the new rows (the office has seen the report), streaming progress as lines of JSON. */
  router.post('/training/import', async (req, res) => {
    const caller = keeperOnly(res, 'the training records');
    const body = caller && parse(csvBody, req.body, res);
    if (!caller || !body) return;
    const check = await importCheck(body.csv, caller);
    if (check.fileProblem) return problem(res, 400, check.fileProblem);
    res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    const line = (o: object) => res.write(`${JSON.stringify(o)}\n`);
    line({ stage: 'checked', total: check.total, ...check.counts });
    try {
      const outcomes = await s.stores.training.add(schoolId, check.good, (done) => line({ stage: 'importing', done, of: check.good.length }));
      const imported = outcomes.filter((o) => o === 'created').length;
      const already = check.counts.alreadyRecorded + outcomes.length - imported;
      await audit(caller, 'training imported', `${imported} imported, ${already} already recorded, ${check.counts.problem} rows refused`);
      line({ stage: 'done', imported, alreadyRecorded: already, refused: check.counts.problem });
    } catch (err) {
      s.log.error('training import failed', { error: (err as Error).message });
      line({ stage: 'failed', error: 'The import stopped part way; the rows written so far are kept, and importing the file again adds only the rest.' });
    }
    res.end();
  });

  /** A card to everyone due soon, overdue or never done (for one course, or any), paced, with progress. */
  router.post('/training/reminders', async (req, res) => {
    const caller = keeperOnly(res, 'the training records');
    const body = caller && parse(z.strictObject({ courseId: z.string().max(64).optional() }), req.body ?? {}, res);
    if (!caller || !body) return;
    if (body.courseId && !courseOr400(body.courseId, res)) return;
    const { view: matrix } = await view.matrix();
    const indexes = body.courseId ? [matrix.courses.findIndex((c) => c.id === body.courseId)] : matrix.courses.map((_, i) => i);
    const rows = matrix.rows.map((r) => ({ person: r.person, cells: r.cells }));
    const due = new Map(indexes.flatMap((i) => dueForReminder(rows, i).map((p) => [p.id, p.name] as const)));
    // Staff known to Teams (Entra object ids) are the people the bot can reach; the others are named.
    const inTeams = (id: string) => /^[0-9a-f-]{36}$/i.test(id);
    const personIds = [...due.keys()].filter(inTeams);
    const notInTeams = [...due].filter(([id]) => !inTeams(id)).map(([, name]) => name).sort();
    const started = await reminders.begin({ kind: 'training', id: body.courseId ?? 'all', version: 0 }, personIds, caller.id, notInTeams);
    if (started === 'alreadyRunning') return problem(res, 409, 'Reminders for this are already being sent.');
    await audit(caller, 'training reminders started', `${body.courseId ?? 'all courses'}: ${personIds.length} people`);
    res.status(202).json(toReminderProgress(started));
  });

  router.get('/training/reminders/:id', async (req, res) => {
    if (!keeperOnly(res, 'the training records')) return;
    const run = await reminders.get(String(req.params.id).slice(0, 40));
    if (!run || run.subject.kind !== 'training') return problem(res, 404, 'There is no such reminder run.');
    res.json(toReminderProgress(run));
  });

  return router;
}

/** A new record as the tab writes it. */
export function newRecord(
  person: { id: string; name: string },
  courseId: string,
  d: { completedOn: string; provider?: string; hours?: number; evidence?: string },
  source: NewTrainingRecord['source'],
  state: NewTrainingRecord['state'],
  by: { id: string; name: string },
  at = new Date().toISOString(),
): NewTrainingRecord {
  return { personId: person.id, personName: person.name, courseId, completedOn: d.completedOn, provider: d.provider || undefined, hours: d.hours, evidence: d.evidence || undefined, source, state, recordedById: by.id, recordedByName: by.name, recordedAt: at };
}
