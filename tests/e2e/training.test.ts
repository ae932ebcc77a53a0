/**
 * Training records end to end (PRODUCT.md §5; policy §5.3): the real server with real credentials,
 * Azurite, the Graph and connector stubs, Teams SSO tokens. Every route for every role; a session for
 * many; the MIS import and its bad files; corrections with their history; self-reports confirmed by the
 * office; KCSIE Part 1 confirmed from a bot card; reminders through the bot.
 */
import { cardProblems, textOf } from '../support/cards';
import { PEOPLE, type TestPerson } from '../support/people';
import { startTabWorld, type TabWorld } from '../support/tabWorld';
import { startWorld } from '../support/world';

const { office, head, osl, dslPrep, deputy, teacher, tech, reporter, chair } = PEOPLE;
// The school's day is fixed (Monday 23 November 2026, autumn term of 2026/27); time still runs.
const offset = Date.parse('2026-11-23T10:00:00Z') - Date.now();
const clock = () => new Date(Date.now() + offset);

let t: TabWorld;
const call = (p: TestPerson | undefined, path: string, init?: { method?: string; body?: unknown }) => t.call(p, path, init);

beforeAll(async () => {
  t = await startTabWorld({ clock, env: { TAB_REMINDERS_PER_SECOND: '20' } });
});
afterAll(async () => {
  await t.stop();
  expect(t.w.cards.flatMap((c) => cardProblems(c))).toEqual([]);
});

type Matrix = { access: string; today: string; courses: { id: string; title: string }[]; rows: { person: { id: string; name: string; roles: string[]; startedOn?: string }; cells: { status: string; lastCompletedOn?: string; dueOn?: string; awaitingConfirmation?: string }[] }[]; counts: Record<string, number>[]; pending: number };
const matrix = async (p: TestPerson = office) => {
  const r = await call(p, '/training');
  expect(r.status).toBe(200);
  return r.body as Matrix;
};
const cell = (m: Matrix, personId: string, courseId: string) => m.rows.find((r) => r.person.id === personId)!.cells[m.courses.findIndex((c) => c.id === courseId)];
const staffCount = Object.values(PEOPLE).filter((p) => p.roles.includes('allStaff')).length;

describe('who may see and keep the training records', () => {
  it('office staff, the Headteacher and the OSL keep them; DSLs and deputies read them; everyone else sees only their own', async () => {
    for (const p of [office, head, osl]) expect((await matrix(p)).access).toBe('keep');
    for (const p of [dslPrep, deputy]) expect((await matrix(p)).access).toBe('view');
    for (const p of [teacher, tech, reporter]) {
      // Technical staff also keep the filtering and monitoring log (core/filteringLog.ts).
      expect((await call(p, '/me')).body.pages).toEqual(p === tech ? ['filtering', 'records', 'raise'] : ['records', 'raise']);
      for (const path of ['/training', '/training.csv', `/training/people/${teacher.id}`, '/training/pending']) expect((await call(p, path)).status).toBe(403);
      for (const [path, body] of [['/training/records', {}], ['/training/sessions', {}], ['/training/import/check', { csv: '' }], ['/training/reminders', {}]] as const) {
        expect((await call(p, path, { method: 'POST', body })).status).toBe(403);
      }
      expect((await call(p, '/my-records')).status).toBe(200);
    }
    expect((await call(undefined, '/training')).status).toBe(401);
  });

  it('a DSL reads but cannot change: every write is refused', async () => {
    const writes: [string, string, unknown][] = [
      ['POST', '/training/records', { personId: teacher.id, courseId: 'prevent', completedOn: '2026-10-01' }],
      ['POST', '/training/sessions', { courseId: 'prevent', completedOn: '2026-10-01', personIds: [teacher.id] }],
      ['POST', '/training/import/check', { csv: 'email,course,date\n' }],
      ['POST', '/training/import', { csv: 'email,course,date\n' }],
      ['POST', '/training/reminders', {}],
      ['PUT', `/training/people/${teacher.id}`, { startedOn: '2026-09-01' }],
    ];
    for (const [method, path, body] of writes) expect((await call(dslPrep, path, { method, body })).status).toBe(403);
    expect((await call(dslPrep, `/training/people/${teacher.id}`)).status).toBe(200);
  });

  it('every read and change is audited', async () => {
    await matrix(head);
    const entries = await t.w.app.services.stores.audit.forCase(t.w.setup.schoolId, 'training');
    expect(entries.some((e) => e.byId === head.id && e.action === 'training read' && e.via === 'tab')).toBe(true);
  });
});

describe('the matrix', () => {
  it('has every member of staff and every course, with counts per course', async () => {
    const m = await matrix();
    expect(m.today).toBe('2026-11-23');
    for (const p of Object.values(PEOPLE).filter((x) => x.roles.includes('allStaff'))) expect(m.rows.map((r) => r.person.id)).toContain(p.id);
    expect(m.courses.map((c) => c.id)).toEqual(t.w.setup.training.courses.map((c) => c.id));
    const dslTraining = m.courses.findIndex((c) => c.id === 'dsl-training');
    // DSL training is for the two DSLs and the deputy only; nobody has done it yet.
    expect(m.counts[dslTraining]).toMatchObject({ required: 3, current: 0, notRequired: staffCount - 3 });
    expect(cell(m, teacher.id, 'dsl-training').status).toBe('notRequired');
    expect(cell(m, dslPrep.id, 'dsl-training').status).toBe('never');
  });
});

describe('recording a session for many at once', () => {
  it('the September INSET for everyone ticked, in one action, with a result per person; again, nothing twice', async () => {
    const everyone = Object.values(PEOPLE).filter((p) => p.roles.includes('allStaff')).map((p) => p.id);
    const session = { courseId: 'safeguarding-update', completedOn: '2026-09-02', provider: 'KCC Education Safeguarding', hours: 2, personIds: everyone.filter((id) => id !== tech.id) };
    const r = await call(office, '/training/sessions', { method: 'POST', body: session });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ recorded: everyone.length - 1, alreadyRecorded: 0 });
    expect(r.body.results.every((x: { outcome: string }) => x.outcome === 'recorded')).toBe(true);
    const m = await matrix();
    expect(cell(m, teacher.id, 'safeguarding-update')).toMatchObject({ status: 'current', lastCompletedOn: '2026-09-02' });
    // Not at the session, never done it: due now (its date, 30 September, has passed).
    expect(cell(m, tech.id, 'safeguarding-update').status).toBe('never');
    expect(m.counts[m.courses.findIndex((c) => c.id === 'safeguarding-update')]).toMatchObject({ current: everyone.length - 1, required: everyone.length });

    const again = await call(office, '/training/sessions', { method: 'POST', body: session });
    expect(again.body).toMatchObject({ recorded: 0, alreadyRecorded: everyone.length - 1 });
  });

  it('a list with someone who is not staff here is refused whole: nothing written', async () => {
    const before = (await t.w.app.services.stores.training.all(t.w.setup.schoolId)).rows.size;
    const r = await call(office, '/training/sessions', { method: 'POST', body: { courseId: 'prevent', completedOn: '2026-10-01', personIds: [teacher.id, 'ffffffff-0000-4000-8000-000000000000'] } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/not on the school's staff list; nothing was recorded/);
    expect((await t.w.app.services.stores.training.all(t.w.setup.schoolId)).rows.size).toBe(before);
  });

  it('an unknown course, a future date, no one ticked or a bad body are each refused with a message', async () => {
    const base = { courseId: 'prevent', completedOn: '2026-10-01', personIds: [teacher.id] };
    expect((await call(office, '/training/sessions', { method: 'POST', body: { ...base, courseId: 'juggling' } })).body.error).toMatch(/not one of the school's courses/);
    expect((await call(office, '/training/sessions', { method: 'POST', body: { ...base, completedOn: '2027-01-01' } })).body.error).toMatch(/cannot be in the future/);
    expect((await call(office, '/training/sessions', { method: 'POST', body: { ...base, personIds: [] } })).body.details.join()).toMatch(/tick at least one person/);
    expect((await call(office, '/training/sessions', { method: 'POST', body: { ...base, hours: -1 } })).status).toBe(400);
  });

  it('a pasted attendance list is matched by name (either order) or email, and says what it could not match', async () => {
    const names = [teacher.displayName, 'Shah, Priya', osl.email, 'Somebody Else', 'Dan'].join('\n');
    const r = await call(office, '/training/sessions/match', { method: 'POST', body: { names } });
    expect(r.body.lines.map((l: { outcome: string; personId?: string }) => [l.outcome, l.personId])).toEqual([
      ['matched', teacher.id],
      ['matched', dslPrep.id],
      ['matched', osl.id],
      ['notFound', undefined],
      ['matched', osl.id],
    ]);
  });
});

describe('the MIS import', () => {
  const header = 'Staff Code,Email,Surname,Forename,Course,Date Completed,Provider,Hours,Certificate No';

  it('reports every row first (BOM, quotes, DD/MM/YYYY, an alias), then writes the good rows with progress; the same file again changes nothing', async () => {
    const csv = `\ufeff${header}\r\n` + [
      `T1,${teacher.email},Evans,Chris,Prevent,12/10/2026,Home Office,1.5,PREV-001`,
      `,${deputy.email},Lee,Dana,"Designated Safeguarding Lead",2025-03-04,"KCC, Education Safeguarding",6,DSL-99`,
      `,${dslPrep.email},Shah,Priya,Juggling,2026-01-01,,,`,
      `,${dslPrep.email},Shah,Priya,Prevent,2027-01-01,,,`,
      `,${dslPrep.email},Shah,Priya,Prevent,31/02/2026,,,`,
      `X9,nobody@school.example,Nobody,No,Prevent,2026-01-01,,,`,
      `T1,${teacher.email},Evans,Chris,Prevent,12/10/2026,Home Office,1.5,PREV-001`,
    ].join('\r\n');
    const check = await call(office, '/training/import/check', { method: 'POST', body: { csv } });
    expect(check.status).toBe(200);
    expect(check.body.counts).toEqual({ new: 2, alreadyRecorded: 1, problem: 4 });
    const byRow = Object.fromEntries(check.body.rows.map((r: { row: number; outcome: string; problems: string[] }) => [r.row, `${r.outcome}: ${r.problems.join('; ')}`]));
    expect(byRow[4]).toMatch(/"Juggling" is not one of the school's courses/);
    expect(byRow[5]).toMatch(/2027-01-01 is in the future/);
    expect(byRow[6]).toMatch(/"31\/02\/2026" is not a date/);
    expect(byRow[7]).toMatch(/no member of staff here has nobody@school.example/);
    expect(byRow[8]).toBe('alreadyRecorded: the same as row 2');
    expect(check.body.unmatched).toEqual(['nobody@school.example / staff code X9']);

    const run = await call(office, '/training/import', { method: 'POST', body: { csv } });
    const lines = run.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ stage: 'checked', new: 2 });
    expect(lines.at(-1)).toEqual({ stage: 'done', imported: 2, alreadyRecorded: 1, refused: 4 });
    const m = await matrix();
    expect(cell(m, teacher.id, 'prevent')).toMatchObject({ status: 'current', lastCompletedOn: '2026-10-12' });
    // DSL training 20 months ago: due again at 24 months, so current; the DSL update it counts as is overdue (12 months).
    expect(cell(m, deputy.id, 'dsl-training')).toMatchObject({ status: 'current', dueOn: '2027-03-04' });
    expect(cell(m, deputy.id, 'dsl-update')).toMatchObject({ status: 'overdue', lastCompletedOn: '2025-03-04' });

    const again = await call(office, '/training/import', { method: 'POST', body: { csv } });
    expect(again.text.trim().split('\n').map((l) => JSON.parse(l)).at(-1)).toEqual({ stage: 'done', imported: 0, alreadyRecorded: 3, refused: 4 });
    const record = (await t.w.app.services.stores.training.ofPerson(t.w.setup.schoolId, deputy.id))[0];
    expect(record).toMatchObject({ provider: 'KCC, Education Safeguarding', hours: 6, evidence: 'DSL-99', source: 'csv', state: 'confirmed', recordedByName: office.displayName });
  });

  it('a file it cannot read is refused whole, with why: no header, an unterminated quote, 50,000 rows', async () => {
    const check = async (csv: string) => (await call(office, '/training/import/check', { method: 'POST', body: { csv } })).body;
    expect((await check('name,course\nChris,Prevent\n')).fileProblem).toMatch(/missing: email or staff code, date completed/);
    expect((await check(`${header}\nT1,${teacher.email},Evans,Chris,"Prevent,2026-01-01\nT2,x,y,z,Prevent,2026-01-01\n`)).fileProblem).toMatch(/quote \(".*opened on row 2 is never closed/);
    const big = `${header}\n${`T1,${teacher.email},Evans,Chris,Prevent,2026-01-01,,,\n`.repeat(50_000)}`;
    const r = await check(big);
    expect(r.fileProblem).toMatch(/50,000 rows, more than 20,000; split it/);
    const run = await call(office, '/training/import', { method: 'POST', body: { csv: big } });
    expect(run.status).toBe(400);
  });

  it('evidence is a link or a certificate number: never an image or a file', async () => {
    const csv = `${header}\nT1,${teacher.email},Evans,Chris,Prevent,2026-01-02,,,data:image/png;base64,iVBORw0KGgo=\nT1,${teacher.email},Evans,Chris,Prevent,2026-01-03,,,file:///C:/cert.pdf\n`;
    const r = await call(office, '/training/import/check', { method: 'POST', body: { csv } });
    expect(r.body.rows.map((x: { problems: string[] }) => x.problems.join())).toEqual([expect.stringMatching(/never stored/), expect.stringMatching(/must start with http/)]);
  });
});

describe('corrections and history', () => {
  it('a correction keeps the old value with who, when and why; a record entered in error is withdrawn, never deleted', async () => {
    const add = await call(office, '/training/records', { method: 'POST', body: { personId: tech.id, courseId: 'induction', completedOn: '2026-09-01', provider: 'School', hours: 1 } });
    expect(add.status).toBe(201);
    const [record] = (await t.w.app.services.stores.training.ofPerson(t.w.setup.schoolId, tech.id)).filter((r) => r.courseId === 'induction');
    const fixed = await call(office, `/training/records/${encodeURIComponent(record.key)}`, { method: 'PATCH', body: { hours: 1.5, completedOn: '2026-09-03', reason: 'The sign-in sheet says 3 September' } });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ completedOn: '2026-09-03', hours: 1.5 });
    expect(fixed.body.history).toEqual([expect.objectContaining({ what: 'corrected', byName: office.displayName, reason: 'The sign-in sheet says 3 September', before: { hours: 1, completedOn: '2026-09-01' } })]);
    expect((await call(office, `/training/records/${encodeURIComponent(record.key)}`, { method: 'PATCH', body: { hours: 2 } })).status).toBe(400);
    // "Already recorded" follows the corrected date: the 3rd is recorded, the 1st is free again.
    const again = (completedOn: string) => call(office, '/training/records', { method: 'POST', body: { personId: tech.id, courseId: 'induction', completedOn, provider: 'School', hours: 1 } });
    expect((await again('2026-09-03')).body.outcome).toBe('alreadyRecorded');
    expect((await again('2026-09-01')).body.outcome).toBe('created');
    const both = (await t.w.app.services.stores.training.ofPerson(t.w.setup.schoolId, tech.id)).filter((r) => r.courseId === 'induction').map((r) => r.completedOn).sort();
    expect(both).toEqual(['2026-09-01', '2026-09-03']);
    const second = (await t.w.app.services.stores.training.ofPerson(t.w.setup.schoolId, tech.id)).find((r) => r.courseId === 'induction' && r.completedOn === '2026-09-01')!;
    expect((await call(office, `/training/records/${encodeURIComponent(second.key)}/withdraw`, { method: 'POST', body: { reason: 'Duplicate of the corrected record' } })).status).toBe(200);

    const withdrawn = await call(office, `/training/records/${encodeURIComponent(record.key)}/withdraw`, { method: 'POST', body: { reason: 'Entered for the wrong person' } });
    expect(withdrawn.body.state).toBe('withdrawn');
    expect(cell(await matrix(), tech.id, 'induction').status).not.toBe('current');
    const page = await call(dslPrep, `/training/people/${tech.id}`);
    expect(page.body.records.find((r: { key: string }) => r.key === record.key).history.map((h: { what: string }) => h.what)).toEqual(['corrected', 'withdrawn']);
    const audit = (await t.w.app.services.stores.audit.forCase(t.w.setup.schoolId, 'training')).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['training record added', 'training record corrected', 'training record withdrawn']));
    expect((await call(office, '/training/records/no-such-key/withdraw', { method: 'POST', body: { reason: 'x' } })).status).toBe(404);
  });

  it('a start date moves induction from never to due soon, or overdue', async () => {
    expect(cell(await matrix(), reporter.id, 'induction').status).toBe('never');
    expect((await call(office, `/training/people/${reporter.id}`, { method: 'PUT', body: { startedOn: '2026-11-16' } })).status).toBe(200);
    expect(cell(await matrix(), reporter.id, 'induction')).toMatchObject({ status: 'dueSoon', dueOn: '2026-12-06' });
    expect((await call(office, `/training/people/${reporter.id}`, { method: 'PUT', body: { startedOn: '2027-01-01' } })).status).toBe(400);
    // The Chair's start date: governors' training is due within 90 days of it.
    expect((await call(office, `/training/people/${chair.id}`, { method: 'PUT', body: { startedOn: '2026-10-01' } })).status).toBe(200);
    expect(cell(await matrix(), chair.id, 'governors-safeguarding')).toMatchObject({ status: 'dueSoon', dueOn: '2026-12-30' });
  });
});

describe('self-service: My records', () => {
  it('a member of staff sees their own status and reports a course, which waits for the office to confirm', async () => {
    const mine = await call(teacher, '/my-records');
    expect(mine.body.training.courses.find((c: { course: { id: string } }) => c.course.id === 'prevent').status).toMatchObject({ status: 'current' });
    expect(JSON.stringify(mine.body.training)).not.toContain(dslPrep.id);

    const report = await call(teacher, '/my-records/training', { method: 'POST', body: { courseId: 'safer-internet-day', completedOn: '2026-11-20', provider: 'UK Safer Internet Centre webinar', hours: 1 } });
    expect(report.status).toBe(201);
    const m = await matrix();
    expect(cell(m, teacher.id, 'safer-internet-day')).toMatchObject({ awaitingConfirmation: '2026-11-20' });
    expect(cell(m, teacher.id, 'safer-internet-day').status).not.toBe('current');
    expect(m.pending).toBe(1);

    const [pending] = (await call(office, '/training/pending')).body.records;
    expect(pending).toMatchObject({ personId: teacher.id, source: 'self', state: 'pending' });
    expect((await call(dslPrep, `/training/records/${encodeURIComponent(pending.key)}/confirm`, { method: 'POST', body: {} })).status).toBe(403);
    expect((await call(office, `/training/records/${encodeURIComponent(pending.key)}/confirm`, { method: 'POST', body: {} })).body.state).toBe('confirmed');
    expect(cell(await matrix(), teacher.id, 'safer-internet-day').status).toBe('current');
    expect((await call(office, `/training/records/${encodeURIComponent(pending.key)}/confirm`, { method: 'POST', body: {} })).status).toBe(409);
  });

  it('a self-report the office rejects never counts; a future date or an unknown course is refused', async () => {
    await call(reporter, '/my-records/training', { method: 'POST', body: { courseId: 'prevent', completedOn: '2026-11-02' } });
    const [pending] = (await call(office, '/training/pending')).body.records;
    expect((await call(office, `/training/records/${encodeURIComponent(pending.key)}/reject`, { method: 'POST', body: {} })).status).toBe(400);
    expect((await call(office, `/training/records/${encodeURIComponent(pending.key)}/reject`, { method: 'POST', body: { reason: 'No certificate' } })).body.state).toBe('rejected');
    expect(cell(await matrix(), reporter.id, 'prevent').awaitingConfirmation).toBeUndefined();
    expect((await call(reporter, '/my-records/training', { method: 'POST', body: { courseId: 'prevent', completedOn: '2027-01-01' } })).status).toBe(400);
    expect((await call(reporter, '/my-records/training', { method: 'POST', body: { courseId: 'x', completedOn: '2026-01-01' } })).status).toBe(400);
  });
});

describe('KCSIE Part 1, confirmed from a bot card', () => {
  it('reading the must-read once per version records that year\'s course', async () => {
    const pub = await call(office, '/documents', { method: 'POST', body: { documentId: 'kcsie-part-1', kind: 'mustRead', title: 'Keeping Children Safe in Education 2026: Part 1', link: 'https://www.gov.uk/government/publications/keeping-children-safe-in-education--2' } });
    expect(pub.status).toBe(201);
    const card = await t.press(teacher, 'signAup', { documentId: 'kcsie-part-1', version: 1 });
    expect(textOf(card.body.value)).toMatch(/You confirmed reading version 1/);
    await t.press(teacher, 'signAup', { documentId: 'kcsie-part-1', version: 1 });
    const records = (await t.w.app.services.stores.training.ofPerson(t.w.setup.schoolId, teacher.id)).filter((r) => r.courseId === 'kcsie-part-1');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ completedOn: '2026-11-23', source: 'teams', state: 'confirmed' });
    expect(cell(await matrix(), teacher.id, 'kcsie-part-1').status).toBe('current');
  });
});

/**
 * Reminders are sent by the bot: in local mode (no credentials), where the connector stub takes the
 * cards, with the demo header standing in for Teams sign-in.
 */
describe('reminders through the bot', () => {
  it('everyone due for a course gets one card listing it, paced; a second run meanwhile is refused', async () => {
    const local = await startWorld({ clock, env: { TAB_REMINDERS_PER_SECOND: '20' } });
    try {
      const demo = async (p: TestPerson, path: string, body?: unknown) => {
        const res = await fetch(`${local.url}/api/tab${path}`, { method: body ? 'POST' : 'GET', headers: { 'x-demo-user': p.id, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
        return { status: res.status, body: (await res.json()) as any };
      };
      expect((await demo(office, '/training/sessions', { courseId: 'prevent', completedOn: '2026-10-01', personIds: [teacher.id] })).status).toBe(201);
      // A supply teacher from the MIS, with no Microsoft 365 account: due, but the bot cannot reach them.
      const imported = await fetch(`${local.url}/api/tab/people/import`, { method: 'POST', headers: { 'x-demo-user': office.id, 'content-type': 'application/json' }, body: JSON.stringify({ csv: 'kind,id,name,email,start date\nstaff,SUP1,Sally Supply,sally@supply.example,2026-09-01\n' }) });
      expect(imported.status).toBe(200);
      await imported.text();
      const m = (await demo(office, '/training')).body as Matrix;
      const due = m.rows.filter((r) => ['dueSoon', 'overdue', 'never'].includes(cell(m, r.person.id, 'prevent').status)).map((r) => r.person.id);
      expect(due).not.toContain(teacher.id);
      const r = await demo(office, '/training/reminders', { courseId: 'prevent' });
      expect(r.status).toBe(202);
      expect(r.body.notInTeams).toEqual(['Sally Supply']);
      expect(due).toContain('csv-staff-SUP1');
      expect(r.body.total).toBe(due.length - 1);
      expect((await demo(office, '/training/reminders', { courseId: 'prevent' })).status).toBe(409);
      let progress = r.body;
      for (let i = 0; i < 100 && progress.status !== 'done'; i++) {
        await new Promise((res) => setTimeout(res, 100));
        progress = (await demo(office, `/training/reminders/${r.body.id}`)).body;
      }
      expect(progress).toMatchObject({ status: 'done', sent: due.length - 1, failed: 0, notInTeams: ['Sally Supply'] });
      const cards = local.connector.sent.filter((x) => /Training due/.test(textOf(x.activity.attachments?.[0]?.content)));
      expect(cards).toHaveLength(due.length - 1);
      expect(new Set(cards.map((c) => c.conversationId)).size).toBe(due.length - 1);
      expect(textOf(cards[0].activity.attachments[0].content)).toMatch(/Prevent duty training: Never done/);
      expect(cards.some((c) => c.conversationId.includes(teacher.id))).toBe(false);
      // Paced: 20 a second at most, counted from the second card (the first waits for reaching the person).
      expect(cards.at(-1)!.at - cards[1].at).toBeGreaterThanOrEqual(((cards.length - 2) * 1000) / 20 - 20);
      t.w.cards.push(...cards.map((c) => c.activity.attachments[0].content));
    } finally {
      await local.stop();
    }
  });
});

describe('the CSV export', () => {
  it('is filtered as asked and formula-safe', async () => {
    const r = await call(office, '/training.csv?courseId=prevent&status=current');
    expect(r.status).toBe(200);
    expect(r.text.startsWith('Name,Email,Staff code,Started,Prevent duty training')).toBe(true);
    expect(r.text).toContain(teacher.displayName);
    expect(r.text).not.toContain(dslPrep.displayName);
  });
});

describe('a day the calendar does not have', () => {
  const IMPOSSIBLE = ['2026-02-30', '0000-00-00', '2026-13-01'];
  const refusedNaming = async (field: string, answer: Promise<{ status: number; body: any }>) => {
    const r = await answer;
    expect({ status: r.status, details: r.body.details }).toEqual({ status: 400, details: [`${field}: must be a real date, as YYYY-MM-DD`] });
  };

  it('is refused, naming the field, in a record, a self-report, a correction, a session and a start date; nothing is written', async () => {
    const added = await call(office, '/training/records', { method: 'POST', body: { personId: tech.id, courseId: 'prevent', completedOn: '2026-03-02' } });
    expect(added.status).toBe(201);
    const record = (await t.w.app.services.stores.training.ofPerson(t.w.setup.schoolId, tech.id)).find((r) => r.courseId === 'prevent' && r.completedOn === '2026-03-02')!;
    const before = (await t.w.app.services.stores.training.all(t.w.setup.schoolId)).rows.size;
    for (const day of IMPOSSIBLE) {
      await refusedNaming('completedOn', call(office, '/training/records', { method: 'POST', body: { personId: tech.id, courseId: 'prevent', completedOn: day } }));
      await refusedNaming('completedOn', call(teacher, '/my-records/training', { method: 'POST', body: { courseId: 'prevent', completedOn: day } }));
      await refusedNaming('completedOn', call(office, `/training/records/${encodeURIComponent(record.key)}`, { method: 'PATCH', body: { completedOn: day, reason: 'Typed again' } }));
      await refusedNaming('completedOn', call(office, '/training/sessions', { method: 'POST', body: { courseId: 'prevent', completedOn: day, personIds: [teacher.id] } }));
      await refusedNaming('startedOn', call(office, `/training/people/${tech.id}`, { method: 'PUT', body: { startedOn: day } }));
    }
    expect((await t.w.app.services.stores.training.all(t.w.setup.schoolId)).rows.size).toBe(before);
    expect((await t.w.app.services.stores.training.get(t.w.setup.schoolId, record.key))?.completedOn).toBe('2026-03-02');
    expect((await matrix()).rows.find((r) => r.person.id === tech.id)?.person.startedOn).toBeUndefined();
  });
});
