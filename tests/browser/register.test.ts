/**
 * The tab in headless Chromium: its navigation, the register page and "My records", driving the real page the server serves at /tab (built by
 * jest's globalSetup) against the real server in local mode, Azurite and the stubs.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { loadSchoolSetup } from '../../config/load';
import { DEMO_SCHOOL_PATH } from '../../config/settings';
import { eventually as retry, openAs as openTab, freshPage, startWorldAndBrowser } from '../support/tabPage';
import { PEOPLE, type TestPerson } from '../support/people';
import { startWorld, type World } from '../support/world';

const { office, teacher, dslPrep } = PEOPLE;
let w: World;
let browser: Browser;
let page: Page;

async function api(person: TestPerson, path: string, body?: unknown) {
  const res = await fetch(`${w.url}/api/tab${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-demo-user': person.id, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.text();
}

beforeAll(async () => {
  ({ w, browser } = await startWorldAndBrowser());
  await api(office, '/documents', { documentId: 'staff-aup', kind: 'staff', title: 'Staff AUP', text: 'I will use the school\'s IT safely.' });
  await api(office, '/documents', { documentId: 'learner-aup', kind: 'learner', title: 'Learner AUP', link: 'https://school.example/learner-aup.pdf' });
  await api(office, '/people/import', {
    csv: 'kind,id,name,year group\nlearner,A1,Amy Adams,Year 3\nlearner,A2,Ben Brown,Year 4\nlearner,A3,Cara Cole,Year 4\nvisitor,V1,Vic Vance,\n',
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});
beforeEach(async () => {
  page = await freshPage(browser);
});
afterEach(async () => {
  await page.close();
});

async function openAs(person: TestPerson, query = '') {
  await openTab(page, w.url, person, query);
}

const eventually = <T>(read: () => Promise<T>, check: (value: T) => void, timeoutMs = 8000) => retry(read, check, timeoutMs);

const bodyRows = () => page.locator('table[aria-label="AUP register"] tbody tr');

describe('the register page', () => {
  it('an office user filters, searches and exports', async () => {
    await openAs(office);
    await page.getByRole('heading', { name: 'Acceptable Use Policy register' }).waitFor();
    const staffCount = Object.values(PEOPLE).filter((p) => p.roles.includes('allStaff')).length;
    await eventually(() => bodyRows().count(), (v) => expect(v).toBe(staffCount + 4));

    await page.getByLabel('Role').selectOption('learner');
    await eventually(() => bodyRows().count(), (v) => expect(v).toBe(3));
    await page.getByLabel('Year group').selectOption('Year 4');
    await eventually(() => bodyRows().allInnerTexts(), (v) => expect(v).toEqual([expect.stringContaining('Ben Brown'), expect.stringContaining('Cara Cole')]));
    await page.getByLabel('Search by name').fill('cara');
    await eventually(() => bodyRows().count(), (v) => expect(v).toBe(1));
    await eventually(() => page.locator('#register-counts').innerText(), (v) => expect(v).toMatch(/1 person/));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('Cara Cole');
    expect(csv).not.toContain('Ben Brown');
    expect(csv).not.toContain('Amy Adams');

    await page.getByLabel('Search by name').fill('');
    await page.getByLabel('Year group').selectOption('');
    await page.getByLabel('Role').selectOption('');
    await page.getByLabel('Document').selectOption('staff-aup');
    await page.getByLabel('Status').selectOption('never');
    await eventually(() => bodyRows().count(), (v) => expect(v).toBe(staffCount));
  });

  it('a member of staff signs via the bot and the register shows it', async () => {
    await openAs(office);
    const teacherCell = page.locator(`tr[data-person="${teacher.id}"] td[data-document="staff-aup"]`);
    await eventually(() => teacherCell.innerText(), (v) => expect(v).toMatch(/Not signed/));

    const reply = await w.invoke(teacher, 'signAup', { documentId: 'staff-aup', version: 1 });
    expect(reply.status).toBe(200);

    await page.getByRole('button', { name: 'Refresh' }).click();
    await eventually(() => teacherCell.innerText(), (v) => expect(v).toMatch(/Signed v1/));
    await page.getByLabel('Document').selectOption('staff-aup');
    await page.getByLabel('Status').selectOption('current');
    await eventually(() => bodyRows().allInnerTexts(), (v) => expect(v).toEqual([expect.stringContaining(teacher.displayName)]));
  });

  it('an office user records a learner\'s paper signature', async () => {
    await openAs(office);
    const row = page.locator('tr', { hasText: 'Amy Adams' });
    await row.getByRole('button', { name: 'Record paper signature' }).click();
    await page.getByLabel('Date signed').fill('2026-01-05');
    await page.getByRole('button', { name: 'Record signature' }).click();
    await eventually(() => row.locator('td[data-document="learner-aup"]').innerText(), (v) => expect(v).toMatch(/Signed v1/));
    // The dialog is gone and the page is back for screen readers (and for role queries).
    await eventually(() => page.evaluate(() => document.querySelectorAll('[aria-hidden="true"] main, main[aria-hidden="true"]').length), (v) => expect(v).toBe(0));
    await page.getByRole('button', { name: 'Export CSV' }).waitFor({ timeout: 2000 });
  });

  it('a member of staff sees only their own records, and no register', async () => {
    // Sam teaches: no page but their own (technical staff also keep the filtering and monitoring log).
    await openAs(PEOPLE.reporter);
    await page.getByRole('heading', { name: 'My records' }).waitFor();
    expect(await page.getByRole('tab', { name: 'AUP register' }).count()).toBe(0);
    const mine = page.locator('table[aria-label="Your Acceptable Use Policies"]');
    await eventually(() => mine.innerText(), (v) => expect(v).toMatch(/Staff AUP \(version 1\)[\s\S]*Not signed[\s\S]*Sign it from the card/));
    expect(await page.locator('body').innerText()).not.toContain('Amy Adams');
    // Reading what they are asked to sign.
    await mine.getByText('Staff AUP (version 1)').click();
    await page.getByRole('dialog').getByText("I will use the school's IT safely.").waitFor();
    await page.getByRole('button', { name: 'Close' }).click();
    // Asking for the register by its address gives their own page: the server refuses it too.
    await openAs(PEOPLE.reporter, '?page=register');
    await page.getByRole('heading', { name: 'My records' }).waitFor();
    const refused = await page.evaluate(async (id) => (await fetch('/api/tab/register', { headers: { 'x-demo-user': id } })).status, PEOPLE.reporter.id);
    expect(refused).toBe(403);
  });

  it('a DSL reads the register and moves between pages; the address follows, so a page can be opened directly', async () => {
    await openAs(dslPrep);
    // A DSL's first page is their cases.
    await page.getByRole('heading', { name: 'Cases', exact: true }).waitFor();
    await page.getByRole('tab', { name: 'AUP register' }).click();
    await page.getByRole('heading', { name: 'Acceptable Use Policy register' }).waitFor();
    expect(await page.getByRole('button', { name: 'Publish a policy' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'My records' }).click();
    await page.getByRole('heading', { name: 'My records' }).waitFor();
    expect(new URL(page.url()).searchParams.get('page')).toBe('records');
    await openAs(dslPrep, `?${new URL(page.url()).searchParams}`);
    await page.getByRole('heading', { name: 'My records' }).waitFor();
    await page.getByRole('tab', { name: 'AUP register' }).click();
    await page.getByRole('heading', { name: 'Acceptable Use Policy register' }).waitFor();
  });

  it('a deep link to a document opens the register on it', async () => {
    await openAs(office, '?page=register&sub=learner-aup');
    await page.getByRole('heading', { name: 'Acceptable Use Policy register' }).waitFor();
    expect(await page.getByLabel('Document').inputValue()).toBe('learner-aup');
  });

  it('a filter that matches nobody says so', async () => {
    await openAs(office);
    await page.getByLabel('Search by name').fill('nobody-by-this-name');
    await eventually(() => page.locator('#register-empty').innerText(), (v) => expect(v).toBe('No one matches these filters.'));
  });

  it('after the paper-signature dialog closes, the page is no longer hidden from screen readers', async () => {
    await openAs(office);
    const row = page.locator('tr', { hasText: 'Ben Brown' });
    await row.getByRole('button', { name: 'Record paper signature' }).click();
    await page.getByRole('dialog').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => page.evaluate(() => document.querySelectorAll('[aria-hidden="true"] main, main[aria-hidden="true"]').length), (v) => expect(v).toBe(0));
    // Playwright's role queries see the page again.
    await page.getByRole('button', { name: 'Export CSV' }).waitFor({ timeout: 2000 });
  });

  it('an office user publishes a new version from the page and is offered a reminder to everyone who must sign again', async () => {
    await openAs(office);
    await page.getByRole('button', { name: 'Publish a policy' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Document').selectOption('staff-aup');
    await dialog.getByRole('textbox', { name: 'Text' }).fill('I will use the school\'s IT safely, and report anything that worries me.');
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published Staff AUP, version 2.').waitFor();
    await page.getByRole('button', { name: 'Remind everyone who must sign' }).click();
    await eventually(() => page.locator('[aria-live="polite"]').first().innerText(), (v) => expect(v).toMatch(/Reminders for Staff AUP: \d+ of \d+ sent/));
    const teacherCell = page.locator(`tr[data-person="${teacher.id}"] td[data-document="staff-aup"]`);
    await eventually(() => teacherCell.innerText(), (v) => expect(v).toMatch(/Older version v1|Not signed/));
  });

  it('an office user imports a CSV: a per-row report first, then the good rows', async () => {
    await openAs(office);
    await page.getByRole('button', { name: 'Import people (CSV)' }).click();
    await page.getByLabel('CSV file').setInputFiles({ name: 'sims.csv', mimeType: 'text/csv', buffer: Buffer.from('kind,id,name,year group\nlearner,B1,Dina Day,Year 5\nlearner,B2,Ed Eel,Year 13\n') });
    await eventually(() => page.locator('#import-summary').innerText(), (v) => expect(v).toMatch(/2 rows: 1 ready to import, 1 with problems/));
    expect(await page.locator('table[aria-label="Rows with problems"]').innerText()).toMatch(/3\s+Ed Eel\s+year group "Year 13"/);
    await page.getByRole('button', { name: 'Import 1 good rows' }).click();
    await eventually(() => page.getByText('1 imported; 1 rows were not imported.').count(), (v) => expect(v).toBe(1));
    await eventually(() => page.locator('tr', { hasText: 'Dina Day' }).count(), (v) => expect(v).toBe(1));
  });
});

describe('outside Teams, with real credentials', () => {
  it('offers no demo picker and asks for Teams', async () => {
    // Each step's time goes in the log line a failure prints: a server of its own, started inside the test.
    const steps: string[] = [];
    let t = Date.now();
    const step = (name: string) => {
      steps.push(`${name} ${Date.now() - t} ms`);
      t = Date.now();
    };
    const real = await startWorld({ env: { MicrosoftAppId: '5f0c7a52-3f7e-4f0e-9c1a-6a0e2f7b1c11', MicrosoftAppPassword: 'not-used', MicrosoftAppTenantId: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa', HOST: '127.0.0.1' } });
    step('server started');
    try {
      await page.goto(`${real.url}/tab/`);
      step('page loaded');
      await page.getByText('Please open this page from its tab in Microsoft Teams.').waitFor({ timeout: 20_000 });
      step('asked for Teams');
      expect(await page.getByLabel('Demo person').count()).toBe(0);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nsteps: ${steps.join(', ')}`);
    } finally {
      await real.stop();
      step('server stopped');
      if (Date.now() - t > 5000 || steps.some((x) => Number(x.split(' ').at(-2)) > 10_000)) console.warn(`outside Teams: slow steps: ${steps.join(', ')}`);
    }
  }, 90_000);
});

describe('npm start\'s demo school', () => {
  it('starts with a working register (a staff and a learner AUP, some learners), and the staff update says it read the demo directory', async () => {
    const demo = await startWorld({ env: { DIRECTORY: 'demo', SCHOOL_CONFIG: DEMO_SCHOOL_PATH } });
    try {
      const setup = loadSchoolSetup(DEMO_SCHOOL_PATH);
      const lucy = setup.demoDirectory!.find((p) => p.roles.includes('officeStaff'))!;
      await page.goto(`${demo.url}/tab/`);
      await page.getByLabel('Demo person').selectOption(lucy.id);
      await page.getByRole('button', { name: 'Open', exact: true }).click();
      const counts = page.locator('#register-counts');
      await eventually(() => counts.innerText(), (v) => expect(v).toMatch(/Learner Acceptable Use Policy: 0 signed[\s\S]*Staff Acceptable Use Policy: 0 signed/));
      await page.locator('tr', { hasText: setup.demoRegister!.learners[0].name }).waitFor();
      // Seeded once: a second start on the same storage publishes nothing again.
      await demo.anotherInstance();
      expect((await demo.app.services.stores.aup.versions(setup.schoolId, 'staff-aup')).length).toBe(1);
      await page.getByRole('button', { name: 'Update staff from the demo directory' }).click();
      await page.getByText(/Staff updated from the demo directory \(local mode, not Microsoft 365\)/).waitFor();
    } finally {
      await demo.stop();
    }
  });
});

describe('Teams themes', () => {
  it('the page follows light, dark and high contrast (previewed in local mode with ?theme=)', async () => {
    const backgrounds: Record<string, string> = {};
    for (const theme of ['default', 'dark', 'contrast']) {
      await page.goto(`${w.url}/tab/?theme=${theme}`);
      await page.getByLabel('Demo person').waitFor();
      backgrounds[theme] = await page.evaluate(() => getComputedStyle(document.querySelector('.fui-FluentProvider')!).backgroundColor);
    }
    expect(new Set(Object.values(backgrounds)).size).toBe(3);
    expect(backgrounds.contrast).toBe('rgb(0, 0, 0)');
  });
});

