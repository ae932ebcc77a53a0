/**
 * The Trends page and the governors' report in headless Chromium (PRODUCT.md §7), driving the page the
 * server serves at /tab against the real server in local mode, Azurite and the stubs. The charts are
 * drawn (SVG) and each table says what the API says; the report shows "fewer than 3" where a count is 1
 * or 2, prints alone, and its PDF, downloaded and read back with pdf.js, keeps the rule and holds no name.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Count } from '../../core/trends';
import { pdfText } from '../support/pdfText';
import { PEOPLE, type TestPerson } from '../support/people';
import { demoApi, eventually, openAs, freshPage, startWorldAndBrowser } from '../support/tabPage';
import { TEST_SCHOOL, type World } from '../support/world';

const { reporter, teacher, dslPrep, head } = PEOPLE;
const governor: TestPerson = { id: '00000000-0000-4000-8000-000000000011', displayName: 'Gideon Lark', roles: ['governors'], email: 'gideon.lark@school.example' };
const GOVERNORS_GROUP = '11111111-0000-4000-8000-00000000000a';
const TERMS = [
  { name: 'Summer 2026', start: '2026-04-14', end: '2026-07-10' },
  { name: 'Autumn 2026', start: '2026-09-02', end: '2026-12-11' },
];
const LEARNERS = ['Zebedee Quartermaine', 'Ottoline Fairweather', 'Percival Thistlewood'];
const NAMES = [...Object.values(PEOPLE).map((p) => p.displayName), governor.displayName, ...LEARNERS, 'Narrative-secret-7731'];

let offset = 0;
const clock = () => new Date(Date.now() + offset);
const setDay = (iso: string) => (offset = Date.parse(iso) - Date.now());

let w: World;
let browser: Browser;
let page: Page;

const api = (person: TestPerson, route: string, body?: unknown) => demoApi(w.url, person, route, body);

beforeAll(async () => {
  const setupFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'trends-browser-')), 'school.json');
  const setup = JSON.parse(readFileSync(TEST_SCHOOL, 'utf8'));
  writeFileSync(setupFile, JSON.stringify({ ...setup, groups: { ...setup.groups, governors: GOVERNORS_GROUP }, terms: TERMS }));
  ({ w, browser } = await startWorldAndBrowser({ clock, people: [...Object.values(PEOPLE), governor], env: { SCHOOL_CONFIG: setupFile, ESCALATION_SWEEP_SECONDS: '3600' } }));
  w.graph.groups.set(GOVERNORS_GROUP, [{ id: governor.id, displayName: governor.displayName, mail: governor.email!, userPrincipalName: governor.email! }]);

  const references: string[] = [];
  const raise = async (person: TestPerson, category: string, fields: Record<string, string>) => {
    const { reference } = await w.raise(person, category, { whatHappened: 'Narrative-secret-7731', ...fields });
    if (!reference) throw new Error(`no case for ${category}`);
    references.push(reference);
    return reference;
  };
  // The summer term: three cyberbullying concerns. The autumn term: three, one sharing of nudes, one filtering breach.
  setDay('2026-05-05T09:00:00Z');
  for (const name of LEARNERS) await raise(reporter, 'cyberbullying', { learnerName1: name, learnerYear1: 'Year 4', happenedOn: '2026-05-04' });
  setDay('2026-11-23T10:00:00Z');
  const first = await raise(reporter, 'cyberbullying', { learnerName1: LEARNERS[0], learnerYear1: 'Year 5' });
  await raise(teacher, 'cyberbullying', { learnerName1: LEARNERS[1], learnerYear1: 'Year 5' });
  await raise(teacher, 'cyberbullying', { learnerName1: LEARNERS[2], learnerYear1: 'Year 6' });
  await raise(reporter, 'sharingNudes', { learnerName1: LEARNERS[1], learnerYear1: 'Reception' });
  await raise(teacher, 'filteringBreach', { learnerName1: LEARNERS[2], learnerYear1: 'Year 6', url: 'https://example.com/x' });
  setDay('2026-11-23T10:45:00Z');
  await api(dslPrep, `/cases/${first}/acknowledge`, {});
  // The summer's cases and the urgent one are past their deadlines: they escalate, within a second or
  // two of the clock passing them. Settled before the pages are read, so that the API and the page agree.
  const store = w.app.services.stores.cases;
  await eventually(
    async () => (await Promise.all(references.map((r) => store.getCase(w.setup.schoolId, r)))).filter((c) => c!.status === 'open' && c!.deadline! < clock().toISOString()).map((c) => c!.reference),
    (overdue) => expect(overdue).toEqual([]),
    15_000,
  );
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});
beforeEach(async () => {
  page = await freshPage(browser, 15_000);
});
afterEach(async () => {
  await page.close();
});

const open = (person: TestPerson, query: string) => openAs(page, w.url, person, query);

/** A table of the page as [label, count] rows. */
const tableRows = (id: string) =>
  page.locator(`table[data-table="${id}"] tbody tr`).evaluateAll((rows) => rows.map((r) => [r.querySelector('th')?.textContent ?? '', r.querySelector('td')?.textContent ?? '']));
const asRows = (counts: Count[]) => counts.map((c) => [c.label, String(c.count)]);
const CHARTS = ['month', 'category', 'phase', 'yearGroup', 'status', 'outcome', 'escalation'] as const;
const LISTS = { month: 'byMonth', category: 'byCategory', phase: 'byPhase', yearGroup: 'byYearGroup', status: 'byStatus', outcome: 'byOutcome' } as const;

describe('the Trends page', () => {
  it('draws every chart (SVG) and, under each, a table with the API\'s numbers; another period redraws both', async () => {
    await open(head, '?page=trends');
    await page.getByRole('heading', { name: 'Trends' }).waitFor();
    const fromApi = await api(head, '/trends');
    // A breakdown with anything in it is a chart; one with nothing says so (a chart of zeros tells nothing).
    const lists: Record<(typeof CHARTS)[number], Count[]> = { ...Object.fromEntries(Object.entries(LISTS).map(([id, list]) => [id, fromApi[list]])), escalation: fromApi.escalations.byLevel } as never;
    for (const id of CHARTS) {
      if (lists[id].some((c) => c.count > 0)) await page.locator(`figure[data-chart="${id}"] svg`).first().waitFor();
      else expect({ id, text: await page.locator(`figure[data-chart="${id}"] [data-empty]`).innerText() }).toEqual({ id, text: 'None in this period.' });
    }
    expect(CHARTS.filter((id) => lists[id].some((c) => c.count > 0))).toEqual(['month', 'category', 'phase', 'yearGroup', 'status', 'escalation']);
    for (const [id, list] of Object.entries(LISTS)) await eventually(() => tableRows(id), (rows) => expect({ id, rows }).toEqual({ id, rows: asRows(fromApi[list]) }));
    await eventually(() => tableRows('escalation'), (rows) => expect(rows).toEqual(asRows(fromApi.escalations.byLevel)));
    expect(await page.locator('[data-figure="total"]').innerText()).toContain(String(fromApi.total));
    expect(fromApi.total).toBe(5);
    // Every table has its caption and its column headers.
    for (const id of CHARTS) {
      expect(await page.locator(`table[data-table="${id}"] caption`).innerText()).toMatch(/: the numbers$/);
      expect(await page.locator(`table[data-table="${id}"] thead th[scope="col"]`).count()).toBe(2);
    }

    // The summer term: three concerns in May.
    await page.getByLabel('Period').selectOption('term-2026-04-14');
    const summer = await api(head, '/trends?from=2026-04-14&to=2026-07-10');
    await eventually(() => tableRows('month'), (rows) => expect(rows).toEqual(asRows(summer.byMonth)));
    await eventually(() => tableRows('category'), (rows) => expect(rows).toEqual(asRows(summer.byCategory)));
    expect(summer.byMonth.find((c: Count) => c.key === '2026-05').count).toBe(3);
    await page.locator('figure[data-chart="month"] svg').first().waitFor();
    const text = await page.locator('main').innerText();
    for (const n of NAMES) expect(text).not.toContain(n);
  }, 90_000);
});

describe('the governors\' report', () => {
  it('a governor reads the term beside the one before, with "fewer than 3" where a count is 1 or 2; it prints alone; its PDF keeps the rule and holds no name', async () => {
    await open(governor, '?page=report');
    await page.getByRole('heading', { name: 'Online safety report for governors: Autumn 2026' }).waitFor();
    const row = (table: string, label: string) => page.locator(`table[data-table="${table}"] tbody tr`).filter({ has: page.locator('th', { hasText: label }) }).first().locator('td').allInnerTexts();
    expect(await row('summary', 'All concerns')).toEqual(['5', '3']);
    expect(await row('category', 'Cyberbullying')).toEqual(['3', '3']);
    expect(await row('category', 'Sharing nudes')).toEqual(['fewer than 3', '0']);
    expect(await row('filtering', 'Filtering breaches reported')).toEqual(['fewer than 3', '0']);
    expect(await row('acknowledgement', 'Median time to acknowledge')).toEqual(['not shown (fewer than 3 acknowledged)', 'not shown (fewer than 3 acknowledged)']);
    expect(await page.locator('#report-rule').innerText()).toContain('Counts of 1 or 2 are shown as "fewer than 3"');
    const onPage = await page.locator('main').innerText();
    for (const n of NAMES) expect(onPage).not.toContain(n);

    // Printed, the report alone: no navigation, no buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav[aria-label="Pages"]').evaluate((n) => getComputedStyle(n).visibility)).toBe('hidden');
    expect(await page.locator('main [data-noprint]').evaluate((n) => getComputedStyle(n).display)).toBe('none');
    expect(await page.locator('table[data-table="category"]').evaluate((n) => getComputedStyle(n).visibility)).toBe('visible');
    await page.emulateMedia({ media: 'screen' });

    const [pdfDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PDF' }).click()]);
    expect(pdfDownload.suggestedFilename()).toBe('governors-report-2026-09-02.pdf');
    const { pages, info } = await pdfText(readFileSync((await pdfDownload.path())!));
    const text = pages.join('\n');
    expect(text).toContain('Counts of 1 or 2 are shown as "fewer than 3"');
    expect(text).toMatch(/Filtering breaches reported\s*fewer than 3\s*0/);
    expect(text).toMatch(/All concerns\s*5\s*3/);
    for (const n of NAMES) expect(`${text}${JSON.stringify(info)}`).not.toContain(n);

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(csvDownload.suggestedFilename()).toBe('governors-report-2026-09-02.csv');
    const csv = readFileSync((await csvDownload.path())!, 'utf8');
    expect(csv).toContain('Filtering breaches reported,fewer than 3,0');
    for (const n of NAMES) expect(csv).not.toContain(n);

    // The term before, on its own: three in one category, nothing to compare with.
    await page.getByLabel('Term').selectOption('2026-04-14');
    await page.getByRole('heading', { name: 'Online safety report for governors: Summer 2026' }).waitFor();
    expect(await row('category', 'Cyberbullying')).toEqual(['3']);
    expect(await row('yearGroup', 'Year 4')).toEqual(['3']);
  }, 90_000);
});
