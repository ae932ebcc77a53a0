/**
 * The Filtering & monitoring page in headless Chromium (PRODUCT.md §7; policy §7.3), against the real
 * server in local mode, Azurite and the stubs: technical staff record a filtering change, correct it
 * (the log keeps what it said before), record a check, export the log, and upload a monitoring system's
 * CSV export (report first, then the cases); a governor reads it all and records nothing; office staff
 * are never shown the page.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { eventually as retry, openAs as openTab, freshPage, startWorldAndBrowser } from '../support/tabPage';
import { PEOPLE, type TestPerson } from '../support/people';
import type { World } from '../support/world';

const { tech, head, office } = PEOPLE;
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'monitoring');

let w: World;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ w, browser } = await startWorldAndBrowser());
}, 60_000);
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

async function openAs(person: TestPerson, query = '?page=filtering') {
  await openTab(page, w.url, person, query);
}

const eventually = <T>(read: () => Promise<T>, check: (value: T) => void, timeoutMs = 15_000) => retry(read, check, timeoutMs);

const logRows = () => page.locator('table[aria-label="Filtering and monitoring log"] tbody tr');
/** For the longer stories, on a loaded shared machine. */
const LONG = 90_000;

describe('the log', () => {
  it('technical staff record a filtering change, correct it, record a check, and export the log', async () => {
    await openAs(tech);
    await page.getByRole('heading', { name: 'Filtering and monitoring' }).waitFor();
    expect(await page.locator('#filtering-senior-leader').innerText()).toBe('Helen Marsh (Headteacher)');
    expect(await page.locator('#filtering-governor').innerText()).toBe('Grace Hall (Safeguarding governor)');
    expect(await page.locator('#filtering-review').innerText()).toMatch(/No annual review is recorded yet/);
    await page.getByText('Nothing is recorded yet.').waitFor();

    // A change: what was allowed, why, the risk assessment, who asked and who approved (§7.3.1).
    await page.getByRole('button', { name: 'Record a filtering change' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('Decision').selectOption('allowed');
    await dialog.getByLabel('What was blocked or allowed').fill('scratch.mit.edu for Year 4');
    await dialog.getByRole('textbox', { name: 'Why', exact: true }).fill('Coding unit in the spring term');
    await dialog.getByLabel('Risk assessment').fill('Comments off; supervised lessons only');
    await dialog.getByLabel('Requested by').fill('Sam Taylor');
    await dialog.getByLabel('Approved by').fill('Helen Marsh');
    await dialog.getByRole('button', { name: 'Record it' }).click();
    await page.locator('#filtering-notice').getByText('Filtering change recorded.').waitFor();
    await logRows().filter({ hasText: 'Allowed: scratch.mit.edu for Year 4' }).waitFor();

    // A correction: a new entry; the line shows it, says why, and keeps what it said before.
    await logRows().filter({ hasText: 'scratch.mit.edu' }).getByRole('button', { name: /^Correct the filtering change/ }).click();
    dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel('What was blocked or allowed').inputValue()).toBe('scratch.mit.edu for Year 4');
    await dialog.getByLabel('What was blocked or allowed').fill('scratch.mit.edu for Years 4 and 5');
    await dialog.getByLabel('Reason for the correction').fill('Year 5 joined the unit');
    await dialog.getByRole('button', { name: 'Save the correction' }).click();
    const row = logRows().filter({ hasText: 'Years 4 and 5' });
    await row.waitFor();
    expect(await logRows().count()).toBe(1);
    expect(await row.innerText()).toMatch(/Corrected .* by Ian Price: Year 5 joined the unit/);
    await row.getByText('What it said before (1)').click();
    expect(await row.locator('li').innerText()).toContain('Allowed: scratch.mit.edu for Year 4');

    // A check: when, who, what was tested, the result and what follows.
    await page.getByRole('button', { name: 'Record a check' }).click();
    dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel('Who checked').inputValue()).toBe(tech.displayName);
    await dialog.getByLabel('What was tested').fill('SWGfL test filtering from the ICT suite');
    await dialog.getByLabel('Result').selectOption('problemFound');
    await dialog.getByRole('button', { name: 'Record it' }).click();
    await dialog.getByText(/say what follows from it/).waitFor();
    await dialog.getByLabel('Follow-up').fill('Ticket raised with Cantium');
    await dialog.getByRole('button', { name: 'Record it' }).click();
    await logRows().filter({ hasText: 'Problem found: SWGfL test filtering from the ICT suite' }).waitFor();
    expect(await logRows().count()).toBe(2);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^filtering-and-monitoring-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
    expect(csv).toHaveLength(4);
    expect(csv.filter((l) => l.includes('scratch.mit.edu for Year 4,'))[0]).toContain('no (corrected)');
    expect(csv.some((l) => l.includes('Year 5 joined the unit') && l.includes('Years 4 and 5'))).toBe(true);
    expect(csv.some((l) => l.includes('Problem found') && l.includes('Ticket raised with Cantium'))).toBe(true);
  }, LONG);

  it('the Headteacher reads the log and records nothing; office staff are not shown the page', async () => {
    await openAs(head);
    await page.getByRole('heading', { name: 'Filtering and monitoring' }).waitFor();
    await page.getByText('Technical staff and the Online Safety Lead keep this log').waitFor();
    expect(await page.getByRole('button', { name: 'Record a filtering change' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Correct/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Export CSV' }).waitFor();

    await openAs(office);
    await page.getByRole('tab', { name: 'AUP register' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Filtering & monitoring' }).count()).toBe(0);
  }, LONG);
});

describe('monitoring alerts from a CSV export', () => {
  it('the technician uploads a Senso export: the report lists every row, then one case is made and one alert logged below the threshold', async () => {
    await openAs(tech);
    await page.getByRole('button', { name: 'Upload monitoring alerts' }).click();
    const panel = page.getByRole('region', { name: 'Upload monitoring alerts' });
    await panel.getByLabel('Monitoring system').selectOption('senso');
    await panel.getByLabel('CSV file').setInputFiles({ name: 'senso.csv', mimeType: 'text/csv', buffer: readFileSync(path.join(FIXTURES, 'senso-export.csv')) });
    await panel.locator('#alert-upload-summary').getByText('4 rows: 1 become cases, 0 received already, 1 below the threshold, 1 repeated, 1 with problems.').waitFor();
    expect(await panel.locator('tr[data-row="3"]').innerText()).toMatch(/Not taken in[\s\S]*Severity "SEVERE"/);
    expect(await panel.locator('tr[data-row="2"]').innerText()).toMatch(/Becomes a case; learner not on the roster/);
    expect(await panel.innerText()).toMatch(/Columns not read: .*Screenshot/);

    await panel.getByRole('button', { name: 'Take in 1 alert as cases and log 1 below the threshold' }).click();
    await panel.locator('#alert-upload-result').getByText('1 case made, 0 received already (no second case), 1 below the threshold (logged), 1 row with problems not taken in.').waitFor();
    // The counts beside the log follow.
    const cells = (category: string) => page.locator(`tr[data-category="${category}"] td`).allInnerTexts();
    await eventually(() => cells('monitoringAlert'), (v) => expect(v).toEqual([expect.stringMatching(/^Monitoring alert/), '1', '0', '1']));
    expect(await cells('belowThreshold')).toEqual(['Monitoring alerts below risk 3 (logged, not concerns)', '1', '0', '']);
  }, LONG);
});
