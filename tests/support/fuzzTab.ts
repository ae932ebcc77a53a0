/**
 * Edge 2 of the fuzz: every route of the tab's API (tab/api/routes/*.ts) with mutated bodies, path
 * parameters and query strings, called as a keeper (office staff), a reader (a DSL), a member of staff,
 * the Headteacher and technical staff with valid SSO tokens, and with tokens and headers the tab must refuse.
 */
import { AUP_KINDS, PERSON_KINDS } from '../../core/aup';
import { DEFAULT_COURSES } from '../../config/training';
import type { FuzzFixtures, HttpCase } from './fuzzCase';
import { mutateObject, ODD_DATES, oddKey, oddString, oddText, oddValue, toJson, type Rng } from './fuzzRandom';

type Maker = (rng: Rng, fx: FuzzFixtures) => unknown;

interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: string;
  /** Valid values of the path's parameters. */
  params?: Record<string, Maker>;
  query?: Record<string, Maker>;
  body?: (rng: Rng, fx: FuzzFixtures) => Record<string, unknown>;
  /** Odd values tried for the body's fields, beside the generic ones. */
  fields?: Record<string, Maker>;
}

const COURSE_IDS = DEFAULT_COURSES.map((c) => c.id);
const STRANGER = 'ffffffff-0000-4000-8000-00000000ffff';

const date: Maker = (r) => r.pick<unknown>([...ODD_DATES, '2026-10-01', oddValue(r)]);
const courseId: Maker = (r) => r.pick<unknown>([...COURSE_IDS, 'juggling', '__proto__', 'constructor', 'x'.repeat(65), oddValue(r)]);
const personId: Maker = (r, fx) => r.pick<unknown>([fx.people.teacher.id, fx.people.office.id, fx.people.chair.id, STRANGER, ...fx.registerIds, '', 'a/b', 'x'.repeat(201), oddValue(r)]);
const docId: Maker = (r, fx) => r.pick<unknown>([...fx.documentIds, 'nope', 'A', '-x', 'x'.repeat(65), oddValue(r)]);
const hours: Maker = (r) => r.pick<unknown>([-1, 0, 1.5, 1000, 1001, '2', null, 1e308, oddValue(r)]);
const evidence: Maker = (r) => r.pick<unknown>(['https://x.example/cert', 'CERT-1', 'javascript:alert(1)', 'data:image/png;base64,iVBOR', 'x'.repeat(301), 'QUJD'.repeat(600), oddValue(r)]);
const reason: Maker = (r) => r.pick<unknown>(['Entered in error.', '', '   ', 'x'.repeat(501), oddValue(r)]);
const tags: Maker = (r) => r.pick<unknown>([['year-5'], [], ['a b'], Array.from({ length: 11 }, (_, i) => `t${i}`), ['x'.repeat(41)], 'year-5', [null], [oddString(r)], oddValue(r)]);
const text: Maker = (r) => r.weighted<() => unknown>([[3, () => oddString(r)], [1, () => oddValue(r)]])();
const recordKey: Maker = (r, fx) => r.pick(fx.recordKeys);
const reference: Maker = (r, fx) => r.pick<unknown>([...fx.references, 'SMP-2026-9999', 'smp-2026-0001', 'x'.repeat(41)]);
const learnerId: Maker = (r, fx) => r.pick<unknown>([fx.registerIds[0], 'csv-learner-NOBODY', '__proto__']);
const caseNote: Maker = (r) => r.pick<unknown>(['Spoken to both.', '', 'x'.repeat(4001), 'data:image/png;base64,iVBOR', '\u0007', oddValue(r)]);
function filteringEntry(r: Rng): Record<string, unknown> {
  return r.pick([
    { kind: 'change', on: '2026-11-02', action: 'blocked', what: 'a proxy site', why: 'Bypasses filtering.', riskAssessment: 'Low.', requestedBy: 'The OSL', approvedBy: 'The Head' },
    { kind: 'check', on: '2026-11-02', checkedBy: 'Technician', whatWasTested: 'Test sites.', result: 'working' },
    { kind: 'review', on: '2026-11-02', seniorLeader: 'The Head', governor: 'A Governor', findings: 'Fine.' },
  ]);
}
const filteringDetails: Maker = (r) => r.pick<unknown>([{ ...filteringEntry(r), kind: 'other' }, { ...filteringEntry(r), on: '2099-01-01' }, { kind: 'check', on: '2026-11-02', checkedBy: 'T', whatWasTested: 'x', result: 'problemFound' }, { ...filteringEntry(r), extra: 1 }, oddValue(r)]);
const ALERT_CSV = 'Alert ID,Date,Username,Risk Level,Category\nA-1,2026-11-02 10:00,ann.pupil,5,Self-harm\n';
const alertCsv: Maker = (r) => r.pick<unknown>([ALERT_CSV, 'Alert ID\n"unterminated', '', 'x'.repeat(5_000_001), oddText(r, 400), oddValue(r)]);

const ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/config' },
  { method: 'GET', path: '/local/people' },
  { method: 'GET', path: '/me' },
  { method: 'GET', path: '/register' },
  {
    method: 'GET',
    path: '/register.csv',
    query: { kind: (r) => r.pick([...PERSON_KINDS, 'robot']), yearGroup: (r) => r.pick(['Year 3', 'x'.repeat(41)]), documentId: docId, status: (r) => r.pick(['current', 'older', 'never', 'all']), search: text, sort: (r) => r.pick(['name', 'kind', 'yearGroup', 'status', 'constructor']), descending: (r) => r.pick(['true', 'false', 'yes']) },
  },
  { method: 'GET', path: '/documents/:documentId/versions', params: { documentId: docId } },
  { method: 'GET', path: '/documents/:documentId/versions/:version', params: { documentId: docId, version: (r) => r.pick(['1', '2', '0', '-1', '1.5', '1e3', '0x1', 'NaN', '99999999999999999999']) } },
  {
    method: 'POST',
    path: '/documents',
    body: (r, fx) => ({ documentId: r.pick([...fx.documentIds, 'fuzz-doc']), kind: r.pick(AUP_KINDS), title: 'A policy', ...(r.chance(0.5) ? { text: 'The text.' } : { link: 'https://example.org/policy.pdf' }) }),
    fields: {
      documentId: docId,
      kind: (r) => r.pick<unknown>([...AUP_KINDS, 'constructor', 'Staff', oddValue(r)]),
      title: text,
      text: (r) => r.pick<unknown>(['x'.repeat(70_000), 'x'.repeat(300_000), oddString(r), oddValue(r)]),
      link: (r) => r.pick<unknown>(['http://example.org', 'https://', `https://x.example/${'a'.repeat(2001)}`, 'javascript:alert(1)', oddValue(r)]),
      sha256: (r) => r.pick<unknown>(['0'.repeat(64), 'A'.repeat(64), 'x', oddValue(r)]),
      appliesTo: (r) => r.pick<unknown>([{ kinds: ['staff'] }, { kinds: [] }, { kinds: ['learner'], yearGroups: ['Year 3', 'Year 99'] }, { kinds: ['staff'], tag: 'a b' }, { kinds: ['staff'], extra: 1 }, oddValue(r)]),
    },
  },
  {
    method: 'POST',
    path: '/signatures',
    body: (r, fx) => ({ personId: r.pick([fx.people.teacher.id, ...fx.registerIds]), documentId: r.pick(fx.documentIds), signedOn: '2026-10-01' }),
    fields: { personId, documentId: docId, version: (r) => r.pick<unknown>([1, 2, 0, -1, 1.5, '1', 1e308, oddValue(r)]), signedOn: date },
  },
  {
    method: 'POST',
    path: '/people',
    body: (r) => ({ kind: 'learner', displayName: 'Fuzz Learner', externalId: `F${r.int(50)}`, yearGroup: 'Year 3' }),
    fields: { kind: (r) => r.pick<unknown>([...PERSON_KINDS, 'robot', oddValue(r)]), displayName: text, externalId: (r) => r.pick<unknown>(['a/b', 'a#b', "'", 'x'.repeat(65), '__proto__', oddString(r), oddValue(r)]), yearGroup: (r) => r.pick<unknown>(['Year 3', 'Year 42', '', oddValue(r)]), tags },
  },
  { method: 'PUT', path: '/people/:personId/tags', params: { personId: (r, fx) => r.pick([fx.people.teacher.id, ...fx.registerIds]) }, body: () => ({ tags: ['year-5'] }), fields: { tags } },
  { method: 'POST', path: '/people/sync', body: () => ({}) },
  { method: 'POST', path: '/reminders', body: (r, fx) => ({ documentId: r.pick(fx.documentIds) }), fields: { documentId: docId } },
  { method: 'GET', path: '/reminders/:id', params: { id: (r, fx) => r.pick(fx.reminderIds) } },
  { method: 'GET', path: '/training' },
  {
    method: 'GET',
    path: '/training.csv',
    query: { courseId: (r) => r.pick([...COURSE_IDS, 'nope']), status: (r) => r.pick(['current', 'dueSoon', 'overdue', 'never', 'notRequired', 'bad']), role: (r) => r.pick(['dslPrep', 'allStaff', '__proto__', 'x'.repeat(41)]), search: text },
  },
  { method: 'GET', path: '/training/people/:personId', params: { personId: (r, fx) => r.pick([fx.people.teacher.id, fx.people.chair.id, fx.people.dslPrep.id]) } },
  {
    method: 'PUT',
    path: '/training/people/:personId',
    params: { personId: (r, fx) => r.pick([fx.people.teacher.id, fx.people.chair.id, fx.people.tech.id]) },
    body: () => ({ startedOn: '2020-09-01', staffCode: 'T1' }),
    fields: { startedOn: date, staffCode: (r) => r.pick<unknown>(['T1', '', null, 'x'.repeat(41), 'a|b', oddValue(r)]) },
  },
  {
    method: 'POST',
    path: '/training/records',
    body: (r, fx) => ({ personId: r.pick([fx.people.teacher.id, fx.people.dslPrep.id, fx.people.chair.id]), courseId: r.pick(COURSE_IDS), completedOn: '2026-10-01' }),
    fields: { personId, courseId, completedOn: date, provider: text, hours, evidence },
  },
  {
    method: 'PATCH',
    path: '/training/records/:key',
    params: { key: recordKey },
    body: () => ({ completedOn: '2026-10-02', evidence: null, reason: 'Typo in the date.' }),
    fields: { completedOn: date, provider: text, hours, evidence, reason },
  },
  ...(['withdraw', 'confirm', 'reject'] as const).map((action): RouteSpec => ({ method: 'POST', path: `/training/records/:key/${action}`, params: { key: recordKey }, body: () => (action === 'confirm' ? {} : { reason: 'Entered in error.' }), fields: { reason } })),
  { method: 'GET', path: '/training/pending' },
  { method: 'POST', path: '/training/sessions/match', body: (_r, fx) => ({ names: `${fx.people.teacher.displayName}\nShah, Priya` }), fields: { names: (r) => r.pick<unknown>([oddText(r, 400), 'x\n'.repeat(100_000), ','.repeat(5000), '\r\r\r', oddValue(r)]) } },
  {
    method: 'POST',
    path: '/training/sessions',
    body: (r, fx) => ({ courseId: r.pick(COURSE_IDS), completedOn: '2026-09-02', personIds: [fx.people.teacher.id, fx.people.tech.id] }),
    fields: { courseId, completedOn: date, provider: text, hours, evidence, personIds: (r, fx) => r.pick<unknown>([[], [STRANGER], [fx.people.teacher.id, fx.people.teacher.id], Array.from({ length: 2001 }, () => fx.people.teacher.id), [null], fx.people.teacher.id, oddValue(r)]) },
  },
  { method: 'POST', path: '/training/reminders', body: (r) => (r.chance(0.5) ? {} : { courseId: r.pick(COURSE_IDS) }), fields: { courseId } },
  { method: 'GET', path: '/training/reminders/:id', params: { id: (r, fx) => r.pick(fx.reminderIds) } },
  { method: 'GET', path: '/trends', query: { from: date, to: date } },
  { method: 'GET', path: '/report', query: { term: date } },
  { method: 'GET', path: '/report.pdf', query: { term: date } },
  { method: 'GET', path: '/report.csv', query: { term: date } },
  { method: 'GET', path: '/my-records' },
  { method: 'POST', path: '/my-records/training', body: (r) => ({ courseId: r.pick(COURSE_IDS), completedOn: '2026-09-05' }), fields: { courseId, completedOn: date, provider: text, hours, evidence } },
  { method: 'GET', path: '/my-records/documents/:documentId', params: { documentId: docId } },
  // The DSL's case workspace (tab/api/routes/cases.ts).
  {
    method: 'GET',
    path: '/cases',
    query: {
      status: (r) => r.pick(['open', 'acknowledged', 'closed', 'notClosed', 'gone']),
      category: (r) => r.pick(['cyberbullying', 'lowLevelStaff', '__proto__', 'x'.repeat(41)]),
      phase: (r) => r.pick(['prep', 'prePrep', 'constructor']),
      yearGroup: (r) => r.pick(['Year 5', 'Reception', 'x'.repeat(41)]),
      owner: personId,
      overdue: (r) => r.pick(['nextStep', 'acknowledgement', 'any', 'soon']),
      from: date,
      to: date,
      q: text,
      offset: (r) => r.pick(['0', '50', '-1', '1e9', 'x']),
      limit: (r) => r.pick(['1', '500', '501', '0', '1.5']),
    },
  },
  { method: 'GET', path: '/cases/retention' },
  { method: 'GET', path: '/cases/:reference', params: { reference } },
  { method: 'POST', path: '/cases/:reference/acknowledge', params: { reference }, body: () => ({}) },
  { method: 'POST', path: '/cases/:reference/actions', params: { reference }, body: () => ({ action: 'Evidence kept', note: 'Described in words.' }), fields: { action: (r) => r.pick<unknown>(['Evidence kept', 'Not an action', 'x'.repeat(201), oddValue(r)]), note: caseNote } },
  {
    method: 'POST',
    path: '/cases/:reference/next-step',
    params: { reference },
    body: (_r, fx) => ({ what: 'Speak to the parents.', ownerId: fx.people.dslPrep.id, dueOn: '2026-12-01' }),
    fields: { what: caseNote, ownerId: personId, dueOn: date },
  },
  { method: 'POST', path: '/cases/:reference/reassign', params: { reference }, body: () => ({ to: 'deputyDsl' }), fields: { to: (r) => r.pick<unknown>(['deputyDsl', 'headteacher', 'allStaff', 'constructor', oddValue(r)]) } },
  {
    method: 'POST',
    path: '/cases/:reference/close',
    params: { reference },
    body: () => ({ decision: 'No further action', reason: 'Resolved.', outcome: 'Apology.', lessonsLearnt: 'None.' }),
    fields: { decision: (r) => r.pick<unknown>(['No further action', 'Made up', oddValue(r)]), reason: caseNote, outcome: caseNote, lessonsLearnt: caseNote },
  },
  { method: 'POST', path: '/cases/:reference/reopen', params: { reference }, body: () => ({ reason: 'More messages.' }), fields: { reason: caseNote } },
  {
    method: 'POST',
    path: '/cases/:reference/learners/:index/link',
    params: { reference, index: (r) => r.pick(['0', '1', '20', '21', '-1', 'x']) },
    body: (_r, fx) => ({ learnerId: fx.registerIds[0] }),
    fields: { learnerId: (r, fx) => r.pick<unknown>([fx.registerIds[0], 'csv-learner-NOBODY', 'a/b', '', oddValue(r)]) },
  },
  { method: 'GET', path: '/learners', query: { q: text } },
  { method: 'GET', path: '/learners/:learnerId/chronology', params: { learnerId } },
  {
    method: 'POST',
    path: '/learners/:learnerId/transfers',
    params: { learnerId },
    body: () => ({ destinationSchool: 'Oak Academy', method: 'secure email', sentOn: '2026-11-02' }),
    fields: { destinationSchool: text, destinationContact: text, method: (r) => r.pick<unknown>(['secure email', 'by hand', 'pigeon', oddValue(r)]), sentOn: date },
  },
  { method: 'POST', path: '/learners/:learnerId/transfers/:id/receipt', params: { learnerId, id: (r) => r.pick(['t1', 'x'.repeat(41), '']) }, body: () => ({ receivedOn: '2026-11-03', confirmedBy: 'The DSL there' }), fields: { receivedOn: date, confirmedBy: text } },
  { method: 'GET', path: '/learners/:learnerId/record.pdf', params: { learnerId }, query: { transfer: (r) => r.pick(['t1', 'x'.repeat(80)]) } },
  // The filtering and monitoring log (tab/api/routes/filtering.ts).
  { method: 'GET', path: '/filtering' },
  { method: 'GET', path: '/filtering.csv' },
  { method: 'POST', path: '/filtering/entries', body: (r) => ({ details: filteringEntry(r) }), fields: { details: filteringDetails } },
  { method: 'POST', path: '/filtering/entries/:id/corrections', params: { id: (r) => r.pick(['e-2026-11-01-0001', 'nope', 'x'.repeat(80)]) }, body: (r) => ({ details: filteringEntry(r), reason: 'Wrong date.' }), fields: { details: filteringDetails, reason } },
  { method: 'POST', path: '/filtering/alerts/check', body: () => ({ csv: ALERT_CSV, system: 'smoothwall' }), fields: { csv: alertCsv, system: (r) => r.pick<unknown>(['smoothwall', 'senso', 'impero', 'netsweeper', oddValue(r)]) } },
  { method: 'POST', path: '/filtering/alerts', body: () => ({ csv: ALERT_CSV, system: 'smoothwall' }), fields: { csv: alertCsv, system: (r) => r.pick<unknown>(['smoothwall', 'senso', oddValue(r)]) } },
  // The concern form as a page, and "My concerns" (tab/api/routes/raise.ts).
  { method: 'GET', path: '/raise' },
  { method: 'GET', path: '/raise/learners', query: { q: text } },
  { method: 'GET', path: '/raise/mine' },
  {
    method: 'POST',
    path: '/raise',
    body: (r) => ({ formId: `fuzz-${r.int(1_000_000)}`, category: 'cyberbullying', learnerName1: 'Learner A', learnerYear1: 'Year 5', whatHappened: 'What happened.', happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: 'no' }),
    fields: {
      category: (r) => r.pick<unknown>(['cyberbullying', 'staffAllegation', 'nope', '__proto__', oddValue(r)]),
      whatHappened: (r) => r.pick<unknown>(['\u0001'.repeat(7900), 'x'.repeat(20_000), 'data:image/png;base64,iVBOR', oddText(r, 400), oddValue(r)]),
      learnerYear1: (r) => r.pick<unknown>(['Year 5', 'Year 42', '', oddValue(r)]),
      learnerPick1: (r, fx) => r.pick<unknown>([fx.registerIds[0], 'csv-learner-NOBODY', oddValue(r)]),
      happenedOn: date,
      location: (r) => r.pick<unknown>(['onSite', 'constructor', oddValue(r)]),
      staffInvolvedId: personId,
    },
  },
];

/** Ids that break paths: separators, fragments, queries, bad percent-escapes, quotes, very long, empty. */
const ODD_IDS = ['', 'a/b', '/', 'a#b', 'a?b=c', '%', '%ZZ', '%2F', '%00', '%E0%A4%A', '%%', '"', "'", '..', '.', '__proto__', 'constructor', ' ', '\u0000', '😀', '\ud800', 'x|y', 'x'.repeat(300), 'x'.repeat(5000)];

/** A value as text in a path or query (an object with its own `toString` key has no String()). */
const asText = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined'));

function encodeOdd(rng: Rng, id: string): string {
  if (rng.chance(0.5)) return id; // as typed: a `/` splits the path, a `#` ends it, `%ZZ` is no escape
  try {
    return encodeURIComponent(id);
  } catch {
    return id; // a lone surrogate cannot be encoded
  }
}

function pathOf(rng: Rng, fx: FuzzFixtures, route: RouteSpec, mutate: boolean): { path: string; label: string } {
  const names = Object.keys(route.params ?? {});
  const odd = mutate && names.length ? rng.pick(names) : undefined;
  let label = '';
  const path = route.path.replace(/:(\w+)/g, (_m, name: string) => {
    if (name !== odd) return encodeURIComponent(asText(route.params![name](rng, fx)).replace(/[\ud800-\udfff]/g, '?'));
    const id = rng.chance(0.85) ? rng.pick(ODD_IDS) : oddText(rng, 20);
    label = `:${name} ${JSON.stringify(id.slice(0, 20))}`;
    return encodeOdd(rng, id);
  });
  return { path, label };
}

function queryOf(rng: Rng, fx: FuzzFixtures, route: RouteSpec): string {
  const pairs: [string, string][] = Object.entries(route.query ?? {}).filter(() => rng.chance(0.4)).map(([k, make]) => [k, asText(make(rng, fx))]);
  if (rng.chance(0.4)) {
    const key = rng.pick([...Object.keys(route.query ?? {}), oddKey(rng), 'search[a]', 'kind[]', '__proto__[x]']);
    pairs.push(...Array.from({ length: 1 + rng.int(3) }, (): [string, string] => [key, rng.chance(0.2) ? 'x'.repeat(rng.pick([200, 7000])) : oddText(rng, 12)]));
  }
  const encode = (s: string) => (rng.chance(0.8) ? encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?')) : s.replace(/[#\s]/g, ''));
  return pairs.length ? `?${pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}` : rng.chance(0.05) ? '?' : '';
}

interface Body {
  body?: string;
  contentType?: string;
  encoding?: string;
  label: string;
}

function bodyOf(rng: Rng, fx: FuzzFixtures, route: RouteSpec): Body {
  if (!route.body) return rng.chance(0.1) ? { body: toJson(oddValue(rng)), label: 'body on a GET' } : { label: '' };
  const valid = route.body(rng, fx);
  return rng.weighted<() => Body>([
    [14, () => ({ body: toJson(mutateObject(rng, valid, Object.fromEntries(Object.entries(route.fields ?? {}).map(([k, make]) => [k, (r: Rng) => make(r, fx)])))), label: 'mutated body' })],
    [2, () => ({ body: toJson(valid), label: 'valid body' })],
    [2, () => ({ body: toJson(oddValue(rng)), label: 'odd body' })],
    [1, () => ({ body: toJson(valid).slice(0, -1 - rng.int(5)), label: 'truncated JSON' })],
    [1, () => ({ body: undefined, label: 'no body' })],
    [1, () => ({ body: toJson(valid), contentType: rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/json; charset=nope']), label: 'content type' })],
    [0.5, () => ({ body: toJson(valid), encoding: rng.pick(['gzip', 'deflate', 'br', 'x-unknown']), label: 'content encoding' })],
  ])();
}

export function tabCase(rng: Rng, fx: FuzzFixtures): HttpCase {
  const route = rng.pick(ROUTES);
  const who = rng.weighted([[40, 'keeper'], [20, 'reader'], [15, 'staff'], [5, 'head'], [5, 'tech'], [15, 'bad']] as const);
  const bad = rng.int(fx.badTabHeaders.length);
  const headers: Record<string, string> = who === 'bad' ? { ...fx.badTabHeaders[bad] } : { authorization: `Bearer ${fx.tabAuth[who]}` };
  const { path, label: pathLabel } = pathOf(rng, fx, route, rng.chance(0.35));
  const query = route.query || rng.chance(0.1) ? queryOf(rng, fx, route) : '';
  const { body, contentType, encoding, label: bodyLabel } = bodyOf(rng, fx, route);
  if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
  if (encoding) headers['content-encoding'] = encoding;
  const method = rng.chance(0.04) ? rng.pick(['DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'POST', 'GET']) : route.method;
  const sendBody = method === 'GET' || method === 'HEAD' ? undefined : body;
  if (sendBody === undefined) {
    delete headers['content-type'];
    delete headers['content-encoding'];
  }
  const label = [who === 'bad' ? `refused caller ${bad} (fuzzWorld.ts badTabHeaders)` : who, method !== route.method ? `as ${method}` : '', pathLabel, query ? 'query' : '', sendBody !== undefined ? bodyLabel : ''].filter(Boolean).join(', ');
  return { label, route: `${route.method} ${route.path}`, request: { method, path: `/api/tab${path}${query}`, headers, body: sendBody, graphDown: rng.chance(0.02) } };
}
