/**
 * The Trends page's API and the governors' report end to end (PRODUCT.md §7): the real server with real
 * credentials, Azurite, the Graph and connector stubs, Teams SSO tokens. Concerns are raised through the
 * bot as Teams would, with learners, reporters and words that could only come from a case; every route
 * is called as every role; no answer (JSON, CSV or the PDF's text, read back with pdf.js) ever holds a
 * name or a word anyone typed; the report shows 1 and 2 as "fewer than 3".
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseFactsStore } from '../../store/caseFactsStore';
import { actionsOf } from '../support/cards';
import { pdfText } from '../support/pdfText';
import { PEOPLE, type TestPerson } from '../support/people';
import { startTabWorld, type TabWorld } from '../support/tabWorld';
import { TEST_SCHOOL } from '../support/world';

const { reporter, dslPrep, dslPrePrep, deputy, osl, head, chair, office, teacher, tech } = PEOPLE;
/** A governor: not staff, in the governors' group only. */
const governor: TestPerson = { id: '00000000-0000-4000-8000-000000000011', displayName: 'Gideon Lark', roles: ['governors'], email: 'gideon.lark@school.example' };
const GOVERNORS_GROUP = '11111111-0000-4000-8000-00000000000a';
const TERMS = [
  { name: 'Summer 2026', start: '2026-04-14', end: '2026-07-10' },
  { name: 'Autumn 2026', start: '2026-09-02', end: '2026-12-11' },
];

// The school's day: Monday 23 November 2026, in the autumn term; concerns of the summer term are raised on its days.
let offset = 0;
const clock = () => new Date(Date.now() + offset);
const setDay = (iso: string) => (offset = Date.parse(iso) - Date.now());

let t: TabWorld;
const call = (p: TestPerson | undefined, route: string) => t.call(p, route);

/** Words that exist only inside cases: none may ever leave the server in a trend or a report. */
const LEARNERS = ['Zebedee Quartermaine', 'Ottoline Fairweather', 'Percival Thistlewood', 'Wilhelmina Sprocket'];
const TYPED = ['Narrative-secret-7731', 'Actions-secret-4410', 'Reason-secret-2290', 'Outcome-secret-5512', 'Lesson-secret-8823'];
const NAMES = [...Object.values(PEOPLE).map((p) => p.displayName), governor.displayName, ...LEARNERS, ...TYPED];

async function raise(person: TestPerson, category: string, fields: Record<string, string>): Promise<string> {
  const form = await t.press(person, 'chooseCategory', { category, immediateDanger: 'no' });
  const submit = actionsOf(form.body.value).find((a) => a.verb === 'submitConcern');
  if (!submit) throw new Error(`no form for ${category}`);
  const reply = await t.press(person, 'submitConcern', { formId: submit.data!.formId, category, happenedOn: '2026-04-20', location: 'onSite', device: 'schoolDevice', immediateDanger: 'no', whatHappened: TYPED[0], actionsTaken: TYPED[1], ...fields });
  const reference = (JSON.stringify(reply.body?.value ?? '').match(/SMP-\d{4}-\d{4}/) ?? [])[0];
  if (!reference) throw new Error(`no case for ${category}: ${JSON.stringify(reply.body).slice(0, 300)}`);
  return reference;
}

async function post(person: TestPerson, route: string, body: unknown) {
  const r = await t.call(person, route, { method: 'POST', body });
  expect({ route, status: r.status }).toEqual({ route, status: 200 });
}

const refs: Record<string, string> = {};

beforeAll(async () => {
  const setupFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'trends-school-')), 'school.json');
  const setup = JSON.parse(readFileSync(TEST_SCHOOL, 'utf8'));
  writeFileSync(setupFile, JSON.stringify({ ...setup, groups: { ...setup.groups, governors: GOVERNORS_GROUP }, terms: TERMS }));
  t = await startTabWorld({ clock, people: [...Object.values(PEOPLE), governor], env: { SCHOOL_CONFIG: setupFile, CASE_DUTIES_SWEEP_SECONDS: '3600', ESCALATION_SWEEP_SECONDS: '3600' } });
  t.w.graph.groups.set(GOVERNORS_GROUP, [{ id: governor.id, displayName: governor.displayName, mail: governor.email!, userPrincipalName: governor.email! }]);

  // The summer term: one concern, acknowledged and closed.
  setDay('2026-05-05T09:00:00Z');
  refs.summer = await raise(reporter, 'cyberbullying', { learnerName1: LEARNERS[3], learnerYear1: 'Year 4' });
  setDay('2026-05-05T09:40:00Z');
  await post(dslPrep, `/cases/${refs.summer}/acknowledge`, {});
  await post(dslPrep, `/cases/${refs.summer}/close`, { decision: 'No further action', reason: TYPED[2], outcome: TYPED[3], lessonsLearnt: TYPED[4] });

  // The autumn term.
  setDay('2026-11-23T10:00:00Z');
  refs.prepA = await raise(reporter, 'cyberbullying', { learnerName1: LEARNERS[0], learnerYear1: 'Year 5' });
  refs.prepB = await raise(teacher, 'cyberbullying', { learnerName1: LEARNERS[2], learnerYear1: 'Year 5' });
  refs.prepC = await raise(reporter, 'cyberbullying', { learnerName1: LEARNERS[0], learnerYear1: 'Year 6' });
  refs.prePrep = await raise(reporter, 'sharingNudes', { learnerName1: LEARNERS[1], learnerYear1: 'Reception' });
  refs.filtering = await raise(teacher, 'filteringBreach', { learnerName1: LEARNERS[2], learnerYear1: 'Year 6', url: 'https://example.com/blocked' });
  refs.allegation = await raise(reporter, 'staffAllegation', { staffInvolvedId: teacher.id, learnerName1: LEARNERS[1], learnerYear1: 'Reception' });
  refs.aboutHead = await raise(reporter, 'staffAllegation', { staffInvolvedId: head.id });
  setDay('2026-11-23T10:30:00Z');
  await post(dslPrep, `/cases/${refs.prepA}/acknowledge`, {});
  setDay('2026-11-23T11:00:00Z');
  await post(dslPrep, `/cases/${refs.prepB}/acknowledge`, {});
  await post(dslPrep, `/cases/${refs.prepB}/close`, { decision: 'Early help', reason: TYPED[2], outcome: TYPED[3], lessonsLearnt: TYPED[4] });
  setDay('2026-11-23T12:00:00Z');
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

const WITH_PAGES: Record<string, TestPerson> = { dslPrep, dslPrePrep, deputy, osl, head, chair, governor };
const WITHOUT: Record<string, TestPerson> = { office, teacher, reporter, tech };
const ROUTES = ['/trends', '/trends?from=2026-04-01&to=2026-11-30', '/report', '/report?term=2026-04-14', '/report.pdf', '/report.csv'];
const count = (list: { key: string; count: number }[], key: string) => list.find((c) => c.key === key)?.count;

describe('who may see the trends and the report: every route, every role', () => {
  it('the safeguarding team, the Headteacher, the governors and their Chair see both pages; office staff, technical staff and other staff get a 403', async () => {
    for (const [name, p] of Object.entries(WITH_PAGES)) {
      expect({ name, pages: (await call(p, '/me')).body.pages }).toEqual({ name, pages: expect.arrayContaining(['trends', 'report']) });
      for (const route of ROUTES) expect({ name, route, status: (await call(p, route)).status }).toEqual({ name, route, status: 200 });
    }
    for (const [name, p] of Object.entries(WITHOUT)) {
      expect({ name, pages: (await call(p, '/me')).body.pages.filter((x: string) => x === 'trends' || x === 'report') }).toEqual({ name, pages: [] });
      for (const route of ROUTES) {
        const r = await call(p, route);
        expect({ name, route, status: r.status }).toEqual({ name, route, status: 403 });
        for (const n of LEARNERS) expect(r.text).not.toContain(n);
      }
    }
  }, 180_000);

  it('another tenant\'s token, a forged one, or none: 401 on every route', async () => {
    const other = await t.tab.sign(head, { claims: { tid: 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb' } });
    const rogue = await t.tab.sign(head, { key: 'rogue' });
    for (const route of ROUTES) {
      for (const token of [other, rogue, undefined]) {
        const r = await fetch(`${t.w.url}/api/tab${route}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
        expect({ route, status: r.status }).toEqual({ route, status: 401 });
      }
    }
  });

  it('what is asked is checked: a period needs both ends, in order, real days; a term must be one of the school\'s', async () => {
    for (const bad of ['/trends?from=2026-09-01', '/trends?from=2026-13-01&to=2026-12-01', '/trends?from=2026-12-01&to=2026-09-01', '/trends?from=1990-01-01&to=2026-01-01', '/trends?name=x', '/report?term=first']) {
      expect({ bad, status: (await call(head, bad)).status }).toEqual({ bad, status: 400 });
    }
    const r = await call(head, '/report.pdf?term=2020-01-06');
    expect(r.status).toBe(404);
    expect(r.body.error).toBe('The school\'s setup has no term starting on 2020-01-06.');
  });
});

describe('the counts, as routing lets each person count them (core/caseAccess.ts)', () => {
  it('this academic year by default: the summer term\'s concern is not in it; months, phases, year groups, status, outcome, time to acknowledge', async () => {
    const v = (await call(dslPrep, '/trends')).body;
    expect(v.period).toEqual({ from: '2026-09-01', to: '2026-11-23' });
    expect(v.today).toBe('2026-11-23');
    expect(v.total).toBe(7);
    expect(v.aboutStaffTotalOnly).toBe(2);
    expect(count(v.byCategory, 'cyberbullying')).toBe(3);
    expect(count(v.byCategory, 'sharingNudes')).toBe(1);
    expect(count(v.byCategory, 'filteringBreach')).toBe(1);
    expect(count(v.byCategory, 'aboutStaff')).toBe(2);
    expect(count(v.byCategory, 'staffAllegation')).toBeUndefined();
    expect(v.byMonth.map((c: { key: string; count: number }) => [c.key, c.count])).toEqual([['2026-09', 0], ['2026-10', 0], ['2026-11', 5]]);
    expect(Object.fromEntries(v.byPhase.map((c: { key: string; count: number }) => [c.key, c.count]))).toEqual({ prePrep: 1, prep: 4, all: 0 });
    expect(count(v.byYearGroup, 'Year 5')).toBe(2);
    expect(count(v.byYearGroup, 'Year 6')).toBe(2);
    expect(count(v.byYearGroup, 'Reception')).toBe(1);
    expect(Object.fromEntries(v.byStatus.map((c: { key: string; count: number }) => [c.key, c.count]))).toEqual({ open: 3, acknowledged: 1, closed: 1 });
    expect(count(v.byOutcome, 'Early help')).toBe(1);
    // Acknowledged after about 30 and 60 minutes (the clock runs on while the concerns are raised).
    expect(v.acknowledgement).toMatchObject({ acknowledged: 2, notAcknowledged: 3 });
    expect(Math.round(v.acknowledgement.medianMinutes)).toBeGreaterThanOrEqual(43);
    expect(Math.round(v.acknowledgement.medianMinutes)).toBeLessThanOrEqual(45);
    expect(Math.round(v.acknowledgement.p90Minutes)).toBeGreaterThanOrEqual(58);
    expect(Math.round(v.acknowledgement.p90Minutes)).toBeLessThanOrEqual(60);
    expect(v.choices.map((c: { id: string }) => c.id)).toEqual(['this-year', 'year-2025', 'year-2024', 'term-2026-09-02', 'term-2026-04-14']);
  });

  it('a longer period takes in the summer term', async () => {
    const v = (await call(dslPrep, '/trends?from=2026-04-01&to=2026-11-30')).body;
    expect(v.total).toBe(8);
    expect(count(v.byMonth, '2026-05')).toBe(1);
    expect(count(v.byOutcome, 'No further action')).toBe(1);
  });

  it('the Headteacher counts the allegation about a teacher in full and never the one about themselves; the Chair the reverse; the governors only the total', async () => {
    const forHead = (await call(head, '/trends')).body;
    expect({ total: forHead.total, allegations: count(forHead.byCategory, 'staffAllegation'), aboutStaff: count(forHead.byCategory, 'aboutStaff') }).toEqual({ total: 6, allegations: 1, aboutStaff: undefined });
    const forChair = (await call(chair, '/trends')).body;
    expect({ total: forChair.total, allegations: count(forChair.byCategory, 'staffAllegation'), aboutStaff: count(forChair.byCategory, 'aboutStaff') }).toEqual({ total: 7, allegations: 1, aboutStaff: 1 });
    const forGovernor = (await call(governor, '/trends')).body;
    expect({ total: forGovernor.total, allegations: count(forGovernor.byCategory, 'staffAllegation'), aboutStaff: count(forGovernor.byCategory, 'aboutStaff') }).toEqual({ total: 7, allegations: undefined, aboutStaff: 2 });
  });

  it('each case row carries its facts in a column of its own, without a name; a case stored before it existed is still counted', async () => {
    const { schoolId } = t.w.setup;
    const row = await t.w.tables.Cases.getEntity<Record<string, unknown>>(schoolId, `case|${refs.prePrep}`);
    expect(JSON.parse(String(row.facts))).toMatchObject({ category: 'sharingNudes', yearGroups: ['Reception'], phases: ['prePrep'] });
    for (const n of NAMES) expect(String(row.facts)).not.toContain(n);
    // Made as an older version of the product wrote it: without that column; read by a new instance.
    const { facts: _f, etag: _etag, timestamp: _ts, ...older } = row as Record<string, unknown> & { partitionKey: string; rowKey: string };
    await t.w.tables.Cases.updateEntity(older as { partitionKey: string; rowKey: string }, 'Replace');
    const fresh = new CaseFactsStore(t.w.tables, t.w.app.services.stores.cases);
    const all = await fresh.raisedBetween(schoolId, '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z');
    expect(all.length).toBe(8);
    expect(all.filter((f) => f.category === 'sharingNudes')).toEqual([expect.objectContaining({ yearGroups: ['Reception'], phases: ['prePrep'] })]);
  });
});

describe('the governors\' report', () => {
  it('the latest term begun by default, beside the term before; 1 and 2 read "fewer than 3", 0 reads 0; the filtering summary; training and AUP sign-off', async () => {
    const v = (await call(governor, '/report')).body;
    expect(v.terms.map((x: { id: string }) => x.id)).toEqual(['2026-04-14', '2026-09-02']);
    const r = v.report;
    expect({ termId: r.termId, term: r.term.name, previous: r.previousTerm?.name, preparedOn: r.preparedOn }).toEqual({ termId: '2026-09-02', term: 'Autumn 2026', previous: 'Summer 2026', preparedOn: '2026-11-23' });
    const rows = (id: string) => Object.fromEntries(r.tables.find((x: { id: string }) => x.id === id).rows.map((row: string[]) => [row[0], row.slice(1)]));
    expect(rows('summary')['All concerns']).toEqual(['7', 'fewer than 3']);
    expect(rows('category').Cyberbullying).toEqual(['3', 'fewer than 3']);
    expect(rows('category')['Online hate']).toEqual(['0', '0']);
    expect(rows('category')['Filtering breach / unsuitable site']).toEqual(['fewer than 3', '0']);
    expect(rows('filtering')['Filtering breaches reported']).toEqual(['fewer than 3', '0']);
    expect(rows('filtering')['Monitoring alerts raised as concerns']).toEqual(['0', '0']);
    expect(rows('acknowledgement')['Median time to acknowledge']).toEqual(['not shown (fewer than 3 acknowledged)', 'not shown (fewer than 3 acknowledged)']);
    expect(r.tables.find((x: { id: string }) => x.id === 'training').rows.length).toBeGreaterThan(0);
    for (const row of r.tables.find((x: { id: string }) => x.id === 'training').rows) expect(row[2]).toMatch(/^\d{1,3}%$/);
    expect(r.rule).toContain('fewer than 3');
    // Not a 1 or a 2 among the counts of concerns.
    for (const table of r.tables.filter((x: { id: string }) => !['training', 'aup'].includes(x.id))) for (const row of table.rows) for (const cell of row.slice(1)) expect({ table: table.id, cell }).not.toEqual({ table: table.id, cell: expect.stringMatching(/^[12]$/) });
  });

  it('the PDF (read back with pdf.js) and the CSV say the same, with the rule, and are downloads', async () => {
    const pdf = await fetch(`${t.w.url}/api/tab/report.pdf?term=2026-09-02`, { headers: { authorization: `Bearer ${await t.tab.sign(governor)}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="governors-report-2026-09-02.pdf"');
    const text = (await pdfText(Buffer.from(await pdf.arrayBuffer()))).pages.join('\n');
    expect(text).toContain('Online safety report for governors: Autumn 2026');
    expect(text).toContain('Counts of 1 or 2 are shown as "fewer than 3"');
    expect(text).toMatch(/Cyberbullying\s*3\s*fewer than 3/);
    expect(text).toMatch(/Filtering breaches reported\s*fewer than 3\s*0/);
    const csv = await call(governor, '/report.csv?term=2026-09-02');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="governors-report-2026-09-02.csv"');
    expect(csv.text).toContain('Cyberbullying,3,fewer than 3');
    expect(csv.text).toContain('Counts of 1 or 2 are shown as ""fewer than 3""');
  });

  it('every read and download is audited', async () => {
    const audit = await t.w.app.services.stores.audit.forCase(t.w.setup.schoolId, 'governors-report');
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['governors\' report read', 'governors\' report downloaded (PDF)', 'governors\' report downloaded (CSV)']));
    expect((await t.w.app.services.stores.audit.forCase(t.w.setup.schoolId, 'trends')).length).toBeGreaterThan(0);
  });
});

describe('no names, anywhere', () => {
  it('no answer of either page, for anyone, holds a person\'s name, a learner\'s, or a word typed into a case: JSON, CSV, and the PDF\'s text', async () => {
    for (const [who, p] of Object.entries(WITH_PAGES)) {
      for (const route of ['/trends', '/trends?from=2026-04-01&to=2026-11-30', '/report', '/report?term=2026-04-14', '/report.csv', '/report.csv?term=2026-04-14']) {
        const r = await call(p, route);
        for (const n of NAMES) expect({ who, route, has: r.text.includes(n) ? n : '' }).toEqual({ who, route, has: '' });
      }
      for (const term of ['2026-09-02', '2026-04-14']) {
        const pdf = await fetch(`${t.w.url}/api/tab/report.pdf?term=${term}`, { headers: { authorization: `Bearer ${await t.tab.sign(p)}` } });
        const { pages, info } = await pdfText(Buffer.from(await pdf.arrayBuffer()));
        const text = `${pages.join('\n')}\n${JSON.stringify(info)}`;
        for (const n of NAMES) expect({ who, term, has: text.includes(n) ? n : '' }).toEqual({ who, term, has: '' });
      }
    }
  }, 180_000);
});

describe('kept up to date', () => {
  it('a concern raised, acknowledged or closed after a look is in the next look (the journal of changes)', async () => {
    const before = (await call(osl, '/trends')).body;
    const reference = await raise(teacher, 'onlineHate', { learnerName1: LEARNERS[2], learnerYear1: 'Year 8' });
    const after = (await call(osl, '/trends')).body;
    expect({ total: after.total - before.total, hate: count(after.byCategory, 'onlineHate'), y8: count(after.byYearGroup, 'Year 8') }).toEqual({ total: 1, hate: 1, y8: 1 });
    await post(dslPrep, `/cases/${reference}/acknowledge`, {});
    const acknowledged = (await call(osl, '/trends')).body;
    expect(acknowledged.acknowledgement.acknowledged - after.acknowledgement.acknowledged).toBe(1);
  });
});
