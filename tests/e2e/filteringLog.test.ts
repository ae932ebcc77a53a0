/**
 * The filtering and monitoring log's API (PRODUCT.md §7; policy §7.3.1; the DfE Filtering and Monitoring
 * Standards) end to end: the real server with real credentials, Azurite, the stubs and Teams SSO tokens.
 * Every route for every role (technical staff and the OSL keep it; the DSLs, deputies, Headteacher and
 * governors read it; office staff and everyone else never); entries append-only, corrections as new
 * entries, every write audited; the concerns counted beside it with no names; the export safe in a
 * spreadsheet; and a monitoring system's CSV export uploaded: report first, then one case per alert.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { odata } from '@azure/data-tables';
import { actionsOf } from '../support/cards';
import { PEOPLE, type TestPerson } from '../support/people';
import { startTabWorld, type TabWorld } from '../support/tabWorld';

const { reporter, dslPrep, dslPrePrep, deputy, osl, head, chair, tech, teacher, office } = PEOPLE;
/** A governor who is not staff (PRODUCT.md: governors read reports and the log). */
const governor: TestPerson = { id: '00000000-0000-4000-8000-000000000011', displayName: 'Grace Hall', roles: ['governors'], email: 'grace.hall@school.example' };
const SECRET = 'b'.repeat(40);
// Monday 23 November 2026, 10:00 in London: the academic year 2026/27.
const offset = Date.parse('2026-11-23T10:00:00Z') - Date.now();
const clock = () => new Date(Date.now() + offset);

let t: TabWorld;
const call = (p: TestPerson | undefined, path: string, init?: { method?: string; body?: unknown }) => t.call(p, path, init);

const EVERYONE = { reporter, dslPrep, dslPrePrep, deputy, osl, head, chair, tech, teacher, office, governor };
const READERS = new Set<TestPerson>([dslPrep, dslPrePrep, deputy, osl, head, chair, tech, governor]);
const KEEPERS = new Set<TestPerson>([tech, osl]);

const change = (fields: Record<string, unknown> = {}) => ({ kind: 'change', on: '2026-11-20', action: 'allowed', what: 'youtube.com/edu for Year 6', why: 'Needed for the science topic', riskAssessment: 'Restricted mode on; teacher supervision', requestedBy: 'Chris Evans', approvedBy: 'Helen Marsh', ...fields });
const check = (fields: Record<string, unknown> = {}) => ({ kind: 'check', on: '2026-11-21', checkedBy: 'Ian Price', whatWasTested: 'SWGfL test filtering from a Year 5 laptop', result: 'working', followUp: '', ...fields });

/** Raises a concern as Teams would (the category card's press, then the form's). */
async function raise(person: TestPerson, category: string, fields: Record<string, string>) {
  const form = await t.press(person, 'chooseCategory', { category, immediateDanger: 'no' });
  const submit = actionsOf(form.body.value).find((a) => a.verb === 'submitConcern')!;
  const reply = await t.press(person, 'submitConcern', { formId: submit.data!.formId, category, happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: 'no', ...fields });
  return (JSON.stringify(reply.body?.value ?? '').match(/SMP-\d{4}-\d{4}/) ?? [])[0]!;
}

async function auditOf(reference: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const e of t.w.tables.Audit.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${t.w.setup.schoolId} and reference eq ${reference}` } })) out.push(e);
  return out;
}

const SECRET_WORDS = 'Breach-secret: a proxy site found by a Year 5 pupil';

beforeAll(async () => {
  t = await startTabWorld({ clock, people: [...Object.values(PEOPLE), governor], env: { MONITORING_SECRET: SECRET, OUTBOX_SWEEP_SECONDS: '0.5' } });
  const csv = 'kind,id,name,year group\nlearner,A100,Alex Morgan,Year 5\n';
  expect((await call(office, '/people/import', { method: 'POST', body: { csv } })).status).toBe(200);
  // A filtering breach raised by a teacher, and a monitoring alert from the system: counted beside the log.
  expect(await raise(reporter, 'filteringBreach', { learnerName1: 'Alex Morgan', learnerYear1: 'Year 5', whatHappened: SECRET_WORDS, url: 'https://proxy.example' })).toMatch(/^SMP-/);
  const alert = JSON.stringify({ eventId: 'E-1', eventTime: '2026-11-23T09:00:00Z', riskLevel: 4, user: { misId: 'A100', name: 'Alex Morgan' } });
  const r = await fetch(`${t.w.url}/api/monitoring/alerts`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' }, body: alert });
  expect(r.status).toBe(202);
}, 90_000);
afterAll(async () => {
  await t?.stop();
});

describe('who may see and keep the log: every route, every role', () => {
  it('the page is open to the DSLs, deputy, OSL, technical staff, the Headteacher and governors; office staff, teachers and the reporter get no page and a 403', async () => {
    for (const [name, p] of Object.entries(EVERYONE)) {
      const pages = (await call(p, '/me')).body.pages as string[];
      const read = await call(p, '/filtering');
      const csv = await call(p, '/filtering.csv');
      const expected = READERS.has(p) ? 200 : 403;
      expect({ name, page: pages.includes('filtering'), read: read.status, csv: csv.status }).toEqual({ name, page: READERS.has(p), read: expected, csv: expected });
      if (READERS.has(p)) expect({ name, canKeep: read.body.canKeep }).toEqual({ name, canKeep: KEEPERS.has(p) });
      else expect(read.body.error).toBe('The Filtering & monitoring page is not open to you.');
    }
  });

  it('only technical staff and the OSL record entries, correct them and upload alerts; every other reader gets a 403 (audited), and nothing is written', async () => {
    const before = (await call(tech, '/filtering')).body.lines.length;
    const byTech = await call(tech, '/filtering/entries', { method: 'POST', body: { details: change() } });
    expect(byTech.status).toBe(201);
    for (const [name, p] of Object.entries(EVERYONE)) {
      if (KEEPERS.has(p)) continue;
      const routes: [string, unknown][] = [
        ['/filtering/entries', { details: check() }],
        [`/filtering/entries/${byTech.body.id}/corrections`, { details: change({ why: 'changed' }), reason: 'typo' }],
        ['/filtering/alerts/check', { csv: 'id,date,risk\n1,2026-11-20T10:00:00Z,5\n', system: 'smoothwall' }],
        ['/filtering/alerts', { csv: 'id,date,risk\n1,2026-11-20T10:00:00Z,5\n', system: 'smoothwall' }],
      ];
      for (const [path, body] of routes) {
        const r = await call(p, path, { method: 'POST', body });
        expect({ name, path, status: r.status }).toEqual({ name, path, status: 403 });
      }
    }
    const byOsl = await call(osl, '/filtering/entries', { method: 'POST', body: { details: check() } });
    expect(byOsl.status).toBe(201);
    expect((await call(head, '/filtering')).body.lines.length).toBe(before + 2);
    const refusals = (await auditOf('filtering')).filter((a) => String(a.action).includes('refused'));
    expect(refusals.map((a) => a.byId)).toEqual(expect.arrayContaining([head.id, governor.id, dslPrep.id]));
    expect(refusals.some((a) => a.byId === office.id)).toBe(false); // office never reaches the page's routes at all
  });
});

describe('an append-only log', () => {
  it('a correction is a new entry pointing at the one it corrects: the line shows the latest, keeps what it said before, and is corrected once', async () => {
    const first = await call(tech, '/filtering/entries', { method: 'POST', body: { details: change({ what: 'tiktok.com', action: 'blocked', on: '2026-11-02' }) } });
    expect(first.status).toBe(201);
    const fixed = await call(osl, `/filtering/entries/${first.body.id}/corrections`, { method: 'POST', body: { details: change({ what: 'tiktok.com and its CDN', action: 'blocked', on: '2026-11-02' }), reason: 'The CDN was blocked too' } });
    expect(fixed.status).toBe(201);
    expect(fixed.body.current).toMatchObject({ corrects: first.body.id, correctionReason: 'The CDN was blocked too', recordedByName: osl.displayName });

    const log = (await call(governor, '/filtering')).body;
    const line = log.lines.find((l: any) => l.id === first.body.id);
    expect(line.current.details.what).toBe('tiktok.com and its CDN');
    expect(line.history.map((h: any) => h.details.what)).toEqual(['tiktok.com']);
    expect(log.lines.filter((l: any) => l.current.id === fixed.body.id)).toHaveLength(1);

    // The original again: it has been corrected; the correction may be corrected in turn.
    const again = await call(tech, `/filtering/entries/${first.body.id}/corrections`, { method: 'POST', body: { details: change({ what: 'x', on: '2026-11-02' }), reason: 'again' } });
    expect(again.status).toBe(409);
    const second = await call(tech, `/filtering/entries/${fixed.body.id}/corrections`, { method: 'POST', body: { details: change({ what: 'tiktok.com, its CDN and app domains', action: 'blocked', on: '2026-11-02' }), reason: 'App domains too' } });
    expect(second.status).toBe(201);
    const after = (await call(head, '/filtering')).body.lines.find((l: any) => l.id === first.body.id);
    expect(after.history).toHaveLength(2);
    // Two at once: one correction, the other told.
    const racing = await Promise.all([1, 2].map((n) => call(tech, `/filtering/entries/${second.body.id}/corrections`, { method: 'POST', body: { details: change({ what: `race ${n}`, on: '2026-11-02' }), reason: `race ${n}` } })));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);

    // A correction keeps the kind; an entry that is not there; an id that is not one.
    expect((await call(tech, `/filtering/entries/${second.body.id}/corrections`, { method: 'POST', body: { details: check(), reason: 'kind' } })).status).toBe(400);
    expect((await call(tech, '/filtering/entries/20261101T000000000Z-00000000/corrections', { method: 'POST', body: { details: change(), reason: 'r' } })).status).toBe(404);
    expect((await call(tech, '/filtering/entries/..%2Fcase/corrections', { method: 'POST', body: { details: change(), reason: 'r' } })).status).toBe(400);
    // Every write audited, with who.
    const writes = (await auditOf('filtering')).filter((a) => /recorded|corrected/.test(String(a.action)));
    expect(writes.filter((a) => a.action === 'filtering change corrected').map((a) => a.byId).sort()).toEqual([osl.id, tech.id, tech.id].sort());
  });

  it('what an entry must say: each field named when missing, no future dates, a problem found needs its follow-up, no pictures', async () => {
    const bad: [unknown, RegExp][] = [
      [{ details: { kind: 'change', on: '2026-11-20' } }, /What was blocked or allowed is required[\s\S]*Why is required/],
      [{ details: change({ on: '2026-12-25' }) }, /the date cannot be in the future/],
      [{ details: change({ on: '2026-02-30' }) }, /not a real day/],
      [{ details: check({ result: 'problemFound', followUp: '' }) }, /say what follows/],
      [{ details: change({ why: `look data:image/png;base64,${'A'.repeat(50)}` }) }, /images are never stored/],
      [{ details: { kind: 'delete', on: '2026-11-20' } }, /kind/],
      [{ details: change(), extra: 1 }, /extra|Unrecognized/i],
    ];
    for (const [body, message] of bad) {
      const r = await call(tech, '/filtering/entries', { method: 'POST', body });
      expect(r.status).toBe(400);
      expect(r.body.details.join(' ')).toMatch(message);
    }
  });

  it('the annual review names the senior leader and governor from the setup; recording it makes the next due in twelve months', async () => {
    const before = (await call(governor, '/filtering')).body;
    expect(before.seniorLeader).toEqual({ name: 'Helen Marsh', role: 'Headteacher' });
    expect(before.governor).toEqual({ name: 'Grace Hall', role: 'Safeguarding governor' });
    expect(before.review).toEqual({ state: 'never' });
    expect(before.monitoringSystem).toEqual({ id: 'smoothwall', title: 'Smoothwall Monitor' });
    const r = await call(osl, '/filtering/entries', { method: 'POST', body: { details: { kind: 'review', on: '2026-11-16', seniorLeader: 'Helen Marsh', governor: 'Grace Hall', findings: 'Provision meets the standards', actions: 'Re-test after the summer upgrade' } } });
    expect(r.status).toBe(201);
    expect((await call(governor, '/filtering')).body.review).toEqual({ state: 'current', lastOn: '2026-11-16', dueBy: '2027-11-16' });
  });
});

describe('beside the log, and out of it', () => {
  it('the filtering-breach and monitoring-alert concerns are counted, with no names and nothing of what was reported', async () => {
    const r = await call(governor, '/filtering');
    expect(r.body.counts).toEqual([
      { category: 'filteringBreach', title: 'Filtering breach / unsuitable site', thisYear: 1, lastYear: 0, open: 1 },
      { category: 'monitoringAlert', title: expect.stringMatching(/^Monitoring alert/), thisYear: 1, lastYear: 0, open: 1 },
    ]);
    expect(r.body.academicYears).toEqual({ this: '2026/27', last: '2025/26' });
    for (const word of ['Alex Morgan', SECRET_WORDS, 'proxy.example', 'SMP-']) expect(r.text).not.toContain(word);
  });

  it('the CSV export has every entry and every version, and a cell a spreadsheet would run as a formula is made text', async () => {
    const formula = await call(tech, '/filtering/entries', { method: 'POST', body: { details: change({ what: '=HYPERLINK("http://evil.example","click")', requestedBy: '+44 1234', approvedBy: '@admin' }) } });
    expect(formula.status).toBe(201);
    const r = await call(governor, '/filtering.csv');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="filtering-and-monitoring-log-2026-11-23.csv"');
    const lines = r.text.replace(/^\ufeff/, '').trim().split(/\r\n/);
    expect(lines[0]).toBe('Entry,Kind,Date,Current,Corrects,Reason for the correction,Recorded at,Recorded by,Blocked or allowed,What,Why,Risk assessment,Requested by,Approved by,Checked by,What was tested,Result,Follow-up,Senior leader,Governor,Findings,Actions');
    const row = lines.find((l) => l.startsWith(formula.body.id))!;
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(row).toContain("'+44 1234");
    expect(row).toContain("'@admin");
    expect(lines.some((l) => l.includes('no (corrected)'))).toBe(true);
    const exported = (await auditOf('filtering')).filter((a) => a.action === 'log exported');
    expect(exported.map((a) => a.byId)).toContain(governor.id);
  });
});

describe('a monitoring system\'s export, uploaded', () => {
  const senso = readFileSync(path.join(__dirname, '..', 'fixtures', 'monitoring', 'senso-export.csv'), 'utf8');

  it('the report comes first, row by row (no names), then one case per alert at or above the threshold; uploading again makes none', async () => {
    const report = await call(tech, '/filtering/alerts/check', { method: 'POST', body: { csv: senso, system: 'senso' } });
    expect(report.status).toBe(200);
    expect(report.body.counts).toEqual({ newCase: 1, alreadyReceived: 0, belowThreshold: 1, repeated: 1, problem: 1 });
    expect(report.body.rows.map((r: any) => [r.row, r.outcome])).toEqual([[2, 'newCase'], [3, 'problem'], [5, 'belowThreshold'], [6, 'repeated']]);
    expect(report.body.rows[0].learner).toBe('notFound');
    expect(report.body.rows[1].problems.join(' ')).toMatch(/Date and Time "31\/02\/2026 11:00"[\s\S]*Severity "SEVERE"/);
    expect(report.body.ignoredColumns).toEqual(expect.arrayContaining(['Site', 'IP Address', 'Screenshot']));
    expect(report.text).not.toContain('iVBORw0KGgo');
    // Nothing written by the report.
    expect((await call(head, '/filtering')).body.counts[1].thisYear).toBe(1);

    const run = await call(tech, '/filtering/alerts', { method: 'POST', body: { csv: senso, system: 'senso' } });
    expect(run.status).toBe(200);
    const progress = run.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(progress[0]).toEqual({ stage: 'checked', total: 4, toTake: 2 });
    expect(progress.at(-1)).toEqual({ stage: 'done', created: 1, alreadyReceived: 0, belowThreshold: 1, refused: 1 });
    const cases = [...(await t.w.app.services.stores.cases.allCases(t.w.setup.schoolId)).values()].filter((c) => c.concern.monitoring?.key === 'senso|884301');
    expect(cases).toHaveLength(1);
    expect(cases[0].concern.monitoring).toMatchObject({ via: 'csv', vendorLink: 'https://portal.senso.cloud/logging/violations/884301', droppedImages: [] });
    expect(cases[0].routeReasons[0]).toContain(`uploaded by ${tech.displayName}`);
    expect(JSON.stringify(await t.w.tables.Cases.getEntity(t.w.setup.schoolId, `case|${cases[0].reference}`))).not.toContain('iVBORw0KGgo');

    // Again: the report says so, and the upload makes no second case.
    const again = await call(osl, '/filtering/alerts/check', { method: 'POST', body: { csv: senso, system: 'senso' } });
    expect(again.body.counts).toMatchObject({ newCase: 0, alreadyReceived: 1 });
    const rerun = await call(osl, '/filtering/alerts', { method: 'POST', body: { csv: senso, system: 'senso' } });
    expect(rerun.text.trim().split('\n').map((l) => JSON.parse(l)).at(-1)).toEqual({ stage: 'done', created: 0, alreadyReceived: 1, belowThreshold: 1, refused: 1 });
    expect([...(await t.w.app.services.stores.cases.allCases(t.w.setup.schoolId)).values()].filter((c) => c.concern.monitoring?.key === 'senso|884301')).toHaveLength(1);
    expect((await auditOf('filtering')).filter((a) => a.action === 'monitoring alerts uploaded').map((a) => a.byId)).toEqual(expect.arrayContaining([tech.id, osl.id]));
  });

  it('an alert the endpoint received is "received already" in an export; a file that is not a CSV or lacks the needed columns is refused whole', async () => {
    const csv = 'Event ID,Event Time,Risk Level,MIS id\nE-1,2026-11-23T09:00:00Z,4,A100\n';
    const report = await call(tech, '/filtering/alerts/check', { method: 'POST', body: { csv, system: 'smoothwall' } });
    expect(report.body.rows).toEqual([expect.objectContaining({ row: 2, alertId: 'E-1', outcome: 'alreadyReceived' })]);
    const broken = await call(tech, '/filtering/alerts/check', { method: 'POST', body: { csv: 'id,"date\n1,2', system: 'smoothwall' } });
    expect(broken.body.fileProblem).toMatch(/never closed/);
    const noRisk = await call(tech, '/filtering/alerts', { method: 'POST', body: { csv: 'id,date\n1,2026-11-20T10:00:00Z\n', system: 'smoothwall' } });
    expect(noRisk.status).toBe(400);
    expect(noRisk.body.error).toMatch(/missing: risk/);
    expect((await call(tech, '/filtering/alerts/check', { method: 'POST', body: { csv, system: 'netsweeper' } })).status).toBe(400);
  });
});
