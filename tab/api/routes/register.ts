/**
 * The AUP register page's API (PRODUCT.md §4; policy §7.2): office staff, the Headteacher and the OSL
 * keep it, DSLs read it (core/tabPages.ts). Every read and export is audited; every body is checked
 * against one schema. Concerns are never reachable from here.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import express, { type Router } from 'express';
import { z } from 'zod';
import {
  AUP_KIND_INFO,
  AUP_KINDS,
  PERSON_KINDS,
  PERSON_KIND_TITLES,
  STATUS_TITLES,
  buildRegister,
  documentAppliesTo,
  filterRegister,
  sortRegister,
  unsignedFor,
  type RegisterFilter,
  type RegisterRow,
} from '../../../core/aup';
import { courseOfMustRead } from '../../../core/training';
import type { Services } from '../../../runtime/services';
import { canBeKeyPart, DocumentTooLargeError, type StoredPerson } from '../../../store/aupStore';
import { callerOf, type Caller } from '../caller';
import { toCsv } from '../csv';
import { day, keeperOnly, parse, problem, requirePage, sendEncoded, storedId } from '../http';
import { checkImport, personIdFor } from '../peopleImport';
import type { Reminders } from '../reminders';
import type { StaffSync } from '../staffSync';
import { toReminderProgress, type RegisterView } from '../view';

/** The register's reads and changes are audited under this reference. */
export const REGISTER_AUDIT = 'aup-register';

const filterQuery = z.object({
  kind: z.enum(PERSON_KINDS).optional(),
  yearGroup: z.string().max(40).optional(),
  documentId: z.string().max(64).optional(),
  status: z.enum(['current', 'older', 'never']).optional(),
  search: z.string().max(120).optional(),
  sort: z.enum(['name', 'kind', 'yearGroup', 'status']).optional(),
  descending: z.enum(['true', 'false']).optional(),
});

export const documentId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase letters, digits and dashes, up to 64');
const httpsUrl = z.string().max(2000).url().refine((u) => u.startsWith('https://'), 'the link must start with https://');
const appliesToSchema = z.strictObject({
  kinds: z.array(z.enum(PERSON_KINDS)).min(1),
  yearGroups: z.array(z.string().min(1).max(40)).max(20).optional(),
  tag: z.string().regex(/^[A-Za-z0-9-]{1,40}$/).optional(),
});

const publishBody = z
  .strictObject({
    documentId,
    kind: z.enum(AUP_KINDS),
    title: z.string().trim().min(1).max(200),
    link: httpsUrl.optional(),
    text: z.string().min(1).optional(),
    /** For a link: the SHA-256 of the document it points to, when the office has it. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    appliesTo: appliesToSchema.optional(),
  })
  .refine((b) => b.link || b.text, 'give the text or a link to it');

const paperBody = z.strictObject({
  personId: storedId,
  documentId,
  version: z.number().int().min(1).optional(),
  signedOn: day,
});

const personBody = z.strictObject({
  kind: z.enum(PERSON_KINDS),
  displayName: z.string().trim().min(1).max(120),
  externalId: z.string().trim().min(1).max(64).refine((v) => !v || canBeKeyPart(v), 'has a character an id cannot have (a control character, or text broken in its encoding)').optional(),
  yearGroup: z.string().max(40).optional(),
  tags: z.array(z.string().regex(/^[A-Za-z0-9-]{1,40}$/)).max(10).optional(),
});

const csvBody = z.strictObject({ csv: z.string().max(5_000_000) });
const tagsBody = z.strictObject({ tags: z.array(z.string().regex(/^[A-Za-z0-9-]{1,40}$/)).max(10) });
const reminderBody = z.strictObject({ documentId });

export function registerRoutes(s: Services, parts: { staffSync: StaffSync; reminders: Reminders }): Router {
  const router = express.Router();
  const store = s.stores.aup;
  const { schoolId } = s.setup;
  const { staffSync, reminders } = parts;
  const yearGroups = s.setup.phases.flatMap((p) => p.yearGroups);
  const audit = (caller: Caller, action: string, detail = '') =>
    s.stores.audit.append(schoolId, { reference: REGISTER_AUDIT, action, byId: caller.id, byName: caller.name, via: 'tab', detail }, s.clock());

  // This page's paths only: the routers of the other pages are mounted beside this one.
  router.use(['/register', '/register.csv', '/documents', '/signatures', '/people', '/reminders'], requirePage('register'));

  /** Rows are built once per register read from storage (the register object changes when storage does). */
  const built = new WeakMap<object, RegisterRow[]>();
  async function register() {
    await staffSync.ensureFresh();
    const reg = await store.register(schoolId);
    let rows = built.get(reg);
    if (!rows) built.set(reg, (rows = buildRegister(reg.people, reg.documents, reg.latest)));
    return { reg, rows };
  }

  /** The encoded answer for each register read from storage and access level: encoded once, sent many times. */
  const encoded = new WeakMap<object, Map<string, { json: Buffer; gzip: Buffer }>>();

  router.get('/register', async (req, res) => {
    const caller = callerOf(res);
    const [{ reg, rows }] = await Promise.all([register(), audit(caller, 'register read', 'whole register')]);
    const forAccess = encoded.get(reg) ?? new Map<string, { json: Buffer; gzip: Buffer }>();
    let body = forAccess.get(caller.access);
    if (!body) {
      const view: RegisterView = {
        access: caller.access,
        schoolName: s.setup.name,
        directory: s.directory.source,
        documents: reg.documents.map((d) => ({ ...d, signedInTeams: AUP_KIND_INFO[d.kind]?.signedInTeams ?? false })),
        yearGroups,
        rows,
      };
      const json = Buffer.from(JSON.stringify(view));
      body = { json, gzip: gzipSync(json, { level: 4 }) };
      forAccess.set(caller.access, body);
      encoded.set(reg, forAccess);
    }
    sendEncoded(req, res, body);
  });

  router.get('/register.csv', async (req, res) => {
    const caller = callerOf(res);
    const q = parse(filterQuery, req.query, res, 'query');
    if (!q) return;
    const filter: RegisterFilter = { kind: q.kind, yearGroup: q.yearGroup || undefined, documentId: q.documentId || undefined, status: q.status, search: q.search || undefined };
    const [{ reg, rows }] = await Promise.all([register(), audit(caller, 'register exported', JSON.stringify(filter))]);
    const docIndex = filter.documentId ? reg.documents.findIndex((d) => d.id === filter.documentId) : -1;
    const shown = sortRegister(filterRegister(rows, reg.documents, filter), q.sort ?? 'name', q.descending === 'true', docIndex);
    const docs = docIndex >= 0 ? [reg.documents[docIndex]] : reg.documents;
    const header = ['Name', 'Role', 'Year group', ...docs.flatMap((d) => [`${d.title} (v${d.version})`, 'Version signed', 'Signed at', 'How'])];
    const lines = shown.map((r) => [
      r.person.displayName,
      PERSON_KIND_TITLES[r.person.kind],
      r.person.yearGroup ?? '',
      ...docs.flatMap((d) => {
        const c = r.cells[reg.documents.indexOf(d)];
        return c ? [STATUS_TITLES[c.status], c.signedVersion ?? '', c.signedAt ?? '', c.channel ?? ''] : ['Does not apply', '', '', ''];
      }),
    ]);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="aup-register-${s.clock().toISOString().slice(0, 10)}.csv"`);
    res.setHeader('cache-control', 'no-store');
    res.send(`\ufeff${toCsv([header, ...lines])}`);
  });

  router.get('/documents/:documentId/versions', async (req, res) => {
    const id = parse(documentId, req.params.documentId, res, 'documentId');
    if (!id) return;
    const versions = await store.versions(schoolId, id);
    res.json({ versions: versions.map(({ text, ...v }) => ({ ...v, hasText: !!text })) });
  });

  router.get('/documents/:documentId/versions/:version', async (req, res) => {
    const id = parse(documentId, req.params.documentId, res, 'documentId');
    // One answer: the version is looked at only when the document id is right.
    const version = id && parse(z.coerce.number().int().min(1), req.params.version, res, 'version');
    if (!id || !version) return;
    const v = await store.getVersion(schoolId, id, version);
    if (!v) return problem(res, 404, 'There is no such version.');
    res.json(v);
  });

  router.post('/documents', async (req, res) => {
    const caller = keeperOnly(res);
    const body = caller && parse(publishBody, req.body, res);
    if (!caller || !body) return;
    const existing = await store.currentVersion(schoolId, body.documentId);
    if (existing && existing.kind !== body.kind) return problem(res, 409, `${body.documentId} is already a ${existing.kind} document.`);
    try {
      const published = await store.publish(schoolId, {
        documentId: body.documentId,
        kind: body.kind,
        title: body.title,
        link: body.link,
        text: body.text,
        sha256: body.text ? createHash('sha256').update(body.text, 'utf8').digest('hex') : (body.sha256 ?? createHash('sha256').update(body.link!, 'utf8').digest('hex')),
        publishedAt: s.clock().toISOString(),
        publishedById: caller.id,
        appliesTo: body.appliesTo ?? existing?.appliesTo ?? AUP_KIND_INFO[body.kind].appliesTo,
      });
      await audit(caller, 'aup version published', `${published.documentId} v${published.version}`);
      const { text, ...summary } = published;
      res.status(201).json({ ...summary, hasText: !!text, signedInTeams: AUP_KIND_INFO[published.kind].signedInTeams });
    } catch (err) {
      if (err instanceof DocumentTooLargeError) return problem(res, 413, err.message);
      throw err;
    }
  });

  router.post('/signatures', async (req, res) => {
    const caller = keeperOnly(res);
    const body = caller && parse(paperBody, req.body, res);
    if (!caller || !body) return;
    const today = s.clock().toISOString().slice(0, 10);
    if (body.signedOn > today) return problem(res, 400, 'The date signed must be today or earlier.');
    const [person, doc] = await Promise.all([store.getPerson(schoolId, body.personId), body.version ? store.getVersion(schoolId, body.documentId, body.version) : store.currentVersion(schoolId, body.documentId)]);
    if (!person || !person.active) return problem(res, 404, 'There is no such person in the register.');
    if (!doc) return problem(res, 404, 'There is no such document or version.');
    if (!documentAppliesTo(doc.appliesTo, person)) return problem(res, 400, `${doc.title} does not apply to ${person.displayName}.`);
    const { created, signature } = await store.sign(schoolId, {
      personId: person.id,
      personName: person.displayName,
      documentId: doc.documentId,
      version: doc.version,
      sha256: doc.sha256,
      signedAt: s.clock().toISOString(),
      signedOn: body.signedOn,
      channel: 'paper',
      recordedById: caller.id,
      recordedByName: caller.name,
    });
    if (created) await audit(caller, 'paper signature recorded', `${person.id} ${doc.documentId} v${doc.version} signed on ${body.signedOn}`);
    // A must-read confirmed on paper is also that day's completion of its course (§5.3).
    const course = doc.kind === 'mustRead' ? courseOfMustRead(s.setup.training, doc.documentId) : undefined;
    if (course) {
      await s.stores.training.add(schoolId, [{ personId: person.id, personName: person.displayName, courseId: course.id, completedOn: body.signedOn, evidence: `${doc.title}, version ${doc.version}, confirmed on paper`, source: 'tab', state: 'confirmed', recordedById: caller.id, recordedByName: caller.name, recordedAt: s.clock().toISOString() }]);
    }
    res.status(created ? 201 : 200).json({ created, signature });
  });

  router.post('/people', async (req, res) => {
    const caller = keeperOnly(res);
    const body = caller && parse(personBody, req.body, res);
    if (!caller || !body) return;
    if (body.kind === 'learner' && !body.yearGroup) return problem(res, 400, 'A learner needs a year group.');
    if (body.yearGroup && !yearGroups.includes(body.yearGroup)) return problem(res, 400, `The year group must be one of: ${yearGroups.join(', ')}.`);
    const externalId = body.externalId ?? `form-${Date.now().toString(36)}`;
    const person: StoredPerson = { id: personIdFor(body.kind, externalId), displayName: body.displayName, kind: body.kind, yearGroup: body.yearGroup, tags: body.tags ?? [], source: 'form', externalId, active: true, updatedAt: s.clock().toISOString() };
    await store.upsertPeople(schoolId, [person]);
    await audit(caller, 'person added', person.id);
    res.status(201).json(person);
  });

  router.put('/people/:personId/tags', async (req, res) => {
    const caller = keeperOnly(res);
    const body = caller && parse(tagsBody, req.body, res);
    if (!caller || !body) return;
    if (!(await store.setTags(schoolId, String(req.params.personId), body.tags, s.clock().toISOString()))) return problem(res, 404, 'There is no such person.');
    await audit(caller, 'person tags changed', `${req.params.personId}: ${body.tags.join(',')}`);
    res.json({ tags: body.tags });
  });

  /** Staff known from Microsoft 365, by email: a staff row of the import with one of these is that person. */
  async function staffByEmail(): Promise<Map<string, StoredPerson>> {
    const people = await store.listPeople(schoolId);
    return new Map(people.filter((p) => p.kind === 'staff' && p.source === 'graph' && p.email).map((p) => [p.email!, p]));
  }

  router.post('/people/import/check', async (req, res) => {
    const caller = keeperOnly(res);
    const body = caller && parse(csvBody, req.body, res);
    if (!caller || !body) return;
    const check = checkImport(body.csv, s.setup, s.clock().toISOString(), await staffByEmail());
    res.json({ total: check.total, good: check.good.length, bad: check.bad, fileProblem: check.fileProblem });
  });

  /** Imports the good rows (the person has seen the report), streaming progress as lines of JSON. */
  router.post('/people/import', async (req, res) => {
    const caller = keeperOnly(res);
    const body = caller && parse(csvBody, req.body, res);
    if (!caller || !body) return;
    const check = checkImport(body.csv, s.setup, s.clock().toISOString(), await staffByEmail());
    if (check.fileProblem) return problem(res, 400, check.fileProblem);
    res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    const line = (o: object) => res.write(`${JSON.stringify(o)}\n`);
    line({ stage: 'checked', total: check.total, good: check.good.length, bad: check.bad.length });
    try {
      await store.upsertPeople(schoolId, check.good, (done) => line({ stage: 'importing', done, of: check.good.length }));
      await audit(caller, 'people imported', `${check.good.length} imported, ${check.bad.length} rows refused`);
      line({ stage: 'done', imported: check.good.length, refused: check.bad.length });
    } catch (err) {
      s.log.error('import failed', { error: (err as Error).message });
      line({ stage: 'failed', error: 'The import stopped part way; the rows written so far are kept. Please try again.' });
    }
    res.end();
  });

  router.post('/people/sync', async (_req, res) => {
    const caller = keeperOnly(res);
    if (!caller) return;
    const result = await staffSync.now();
    await audit(caller, 'staff synced', JSON.stringify(result));
    res.json(result);
  });

  router.post('/reminders', async (req, res) => {
    const caller = keeperOnly(res);
    const body = caller && parse(reminderBody, req.body, res);
    if (!caller || !body) return;
    const doc = await store.currentVersion(schoolId, body.documentId);
    if (!doc) return problem(res, 404, 'There is no such document.');
    if (!AUP_KIND_INFO[doc.kind].signedInTeams) return problem(res, 400, `${doc.title} is signed on paper; reminders go to staff signing in Teams.`);
    const { reg, rows } = await register();
    // Staff from the directory (Entra object ids): the people the bot can reach in Teams.
    const staff = unsignedFor(rows, reg.documents.findIndex((d) => d.id === doc.documentId)).filter((p) => p.kind === 'staff');
    const people = staff.filter((p) => /^[0-9a-f-]{36}$/i.test(p.id));
    const notInTeams = staff.filter((p) => !people.includes(p)).map((p) => p.displayName).sort();
    const started = await reminders.begin({ kind: 'aup', id: doc.documentId, version: doc.version }, people.map((p) => p.id), caller.id, notInTeams);
    if (started === 'alreadyRunning') return problem(res, 409, 'Reminders for this document are already being sent.');
    await audit(caller, 'aup reminders started', `${doc.documentId} v${doc.version}: ${people.length} people`);
    res.status(202).json(toReminderProgress(started));
  });

  router.get('/reminders/:id', async (req, res) => {
    const caller = keeperOnly(res);
    if (!caller) return;
    const run = await reminders.get(String(req.params.id).slice(0, 40));
    if (!run) return problem(res, 404, 'There is no such reminder run.');
    res.json(toReminderProgress(run));
  });

  return router;
}
