/**
 * The Training page and the training half of "My records" in headless Chromium (PRODUCT.md §5), driving
 * the page the server serves at /tab against the real server in local mode, Azurite and the stubs. The
 * school's day is fixed, so statuses do not depend on today's date. Each test works on its own course or
 * its own people, so that a failure says what broke.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { eventually as retry, openAs as openTab, freshPage, startWorldAndBrowser } from '../support/tabPage';
import { PEOPLE, type TestPerson } from '../support/people';
import { startWorld, type World } from '../support/world';

const { office, teacher, reporter, dslPrep, deputy, osl, tech, head } = PEOPLE;
// Monday 23 November 2026, autumn term of 2026/27; time still runs.
const offset = Date.parse('2026-11-23T10:00:00Z') - Date.now();
const clock = () => new Date(Date.now() + offset);
// The fixture's staff, and one more from the MIS whose first name is also Chris Evans's.
const MORGAN = { id: 'S100', name: 'Chris Morgan', email: 'chris.morgan@school.example' };
const STAFF = Object.values(PEOPLE).filter((p) => p.roles.includes('allStaff')).length + 1;

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
  ({ w, browser } = await startWorldAndBrowser({ clock, env: { TAB_REMINDERS_PER_SECOND: '20' } }));
  await api(office, '/people/import', { csv: `kind,id,name,email\nstaff,${MORGAN.id},${MORGAN.name},${MORGAN.email}\n` });
  // Prevent duty training: two people current; everyone else has never done it.
  await api(office, '/training/sessions', { courseId: 'prevent', completedOn: '2026-10-01', provider: 'Home Office e-learning', personIds: [teacher.id, reporter.id] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});
beforeEach(async () => {
  page = await freshPage(browser, 10_000);
});
afterEach(async () => {
  await page.close();
});

async function openAs(person: TestPerson, query = '') {
  await openTab(page, w.url, person, query);
}

const eventually = <T>(read: () => Promise<T>, check: (value: T) => void, timeoutMs = 8000) => retry(read, check, timeoutMs);

const matrixRows = () => page.locator('table[aria-label="Training matrix"] tbody tr');
const cell = (person: { id: string }, courseId: string) => page.locator(`table[aria-label="Training matrix"] tr[data-person="${person.id}"] td[data-course="${courseId}"]`);
const counts = () => page.locator('#training-counts').innerText();
/** For the longer stories: on a loaded shared machine they took up to 19 s, near jest's 30 s. */
const LONG = 60_000;
const openTraining = async (person: TestPerson, query = '?page=training') => {
  await openAs(person, query);
  await page.getByRole('heading', { name: 'Training records' }).waitFor();
};

describe('the matrix', () => {
  it('an office user filters by role, course, status and name, sees the counts per course, sorts, and exports what is shown', async () => {
    await openTraining(office);
    await eventually(() => matrixRows().count(), (v) => expect(v).toBe(STAFF));
    await eventually(counts, (v) => expect(v).toContain(`Prevent duty training: 2 of ${STAFF} current, 0 due soon, 0 overdue, ${STAFF - 2} never done`));
    expect(await cell(teacher, 'prevent').innerText()).toMatch(/Current\s+done 1 Oct 2026/);
    expect(await cell(teacher, 'prevent').getAttribute('title')).toMatch(/next due 1 Oct 2028/);
    expect(await cell(tech, 'prevent').innerText()).toMatch(/Never done\s+due now/);
    expect(await cell(teacher, 'dsl-training').innerText()).toMatch(/Not required/);

    // Role: the roles the people hold.
    await page.getByLabel('Role').selectOption('dslPrep');
    await eventually(() => matrixRows().allInnerTexts(), (v) => expect(v).toEqual([expect.stringContaining(dslPrep.displayName)]));
    await page.getByLabel('Role').selectOption('');

    // One course: its column only, and its status.
    await page.getByLabel('Course').selectOption('prevent');
    await page.getByLabel('Status').selectOption('current');
    await eventually(() => matrixRows().allInnerTexts(), (v) => expect(v).toEqual([expect.stringContaining(teacher.displayName), expect.stringContaining(reporter.displayName)]));
    expect(await page.locator('table[aria-label="Training matrix"] thead th').allInnerTexts()).toEqual(['Name', 'Prevent duty training']);
    await eventually(counts, (v) => expect(v).toMatch(/^2 people\s+Prevent duty training: 2 of 2 current/));
    await page.getByLabel('Sort by').selectOption('nameDescending');
    await eventually(() => matrixRows().allInnerTexts(), (v) => expect(v).toEqual([expect.stringContaining(reporter.displayName), expect.stringContaining(teacher.displayName)]));
    await page.getByLabel('Search by name').fill('chris');
    await eventually(() => matrixRows().allInnerTexts(), (v) => expect(v).toEqual([expect.stringContaining(teacher.displayName)]));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('training-2026-11-23.csv');
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
    expect(csv).toEqual(['Name,Email,Staff code,Started,Prevent duty training,Last done,Due', `${teacher.displayName},${teacher.email},,,Current,2026-10-01,2028-10-01`]);

    // By status: the most urgent first, then by name.
    await page.getByLabel('Search by name').fill('');
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Sort by').selectOption('status');
    await eventually(() => matrixRows().allInnerTexts(), (v) => expect(v.slice(-2)).toEqual([expect.stringContaining(teacher.displayName), expect.stringContaining(reporter.displayName)]));
    await page.getByLabel('Sort by').selectOption('statusDescending');
    await eventually(() => matrixRows().allInnerTexts(), (v) => expect(v.slice(0, 2)).toEqual([expect.stringContaining(teacher.displayName), expect.stringContaining(reporter.displayName)]));
  });

  it('a filter that matches nobody says so', async () => {
    await openTraining(office);
    await page.getByLabel('Search by name').fill('nobody-by-this-name');
    await eventually(() => page.locator('#training-empty').innerText(), (v) => expect(v).toBe('No one matches these filters.'));
    await eventually(counts, (v) => expect(v).toMatch(/^0 people/));
  });

  it('a DSL reads the matrix (a deep link opens it on one course): no session, import or reminders', async () => {
    await openTraining(dslPrep, '?page=training&sub=prevent');
    await eventually(() => matrixRows().count(), (v) => expect(v).toBe(STAFF));
    expect(await page.getByLabel('Course').inputValue()).toBe('prevent');
    expect(await page.locator('table[aria-label="Training matrix"] thead th').allInnerTexts()).toEqual(['Name', 'Prevent duty training']);
    await page.getByRole('button', { name: 'Export CSV' }).waitFor();
    for (const name of ['Record a session', 'Import from the MIS (CSV)', 'Remind everyone due (all courses)']) expect(await page.getByRole('button', { name }).count()).toBe(0);
  });

  it('an office user reminds everyone due for one course, and sees the bot send them', async () => {
    await openTraining(office);
    await page.getByLabel('Course').selectOption('prevent');
    await page.getByRole('button', { name: 'Remind everyone due for this course' }).click();
    // Everyone but the two who did it; Chris Morgan, from the MIS and not in Teams, cannot be reached by the bot.
    await eventually(() => page.locator('#reminder-status').innerText(), (v) => expect(v).toMatch(new RegExp(`^Reminders for Prevent duty training: ${STAFF - 3} of ${STAFF - 3} sent\\. Done\\.`)), 15_000);
    // The office is told who is due but has no Teams to be reminded in.
    expect(await page.locator('#reminder-not-in-teams').innerText()).toBe(`1 due cannot be reached in Teams (no Microsoft 365 account), so tell them another way: ${MORGAN.name}.`);
  }, LONG);
});

describe('recording a session', () => {
  it('an office user ticks people, pastes a list (one ambiguous, one not found), records the session, sees a result per person and the matrix updated', async () => {
    await openTraining(office);
    await page.getByRole('button', { name: 'Record a session' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Course').selectOption('safeguarding-update');
    await dialog.getByLabel('Date of the session').fill('2026-09-02');
    await dialog.getByLabel('Provider').fill('KCC Education Safeguarding');
    await dialog.getByLabel('Hours').fill('2');
    await dialog.getByLabel('Evidence').fill('https://school.example/inset-2026-signin.pdf');

    await dialog.getByLabel(teacher.displayName).check();
    await dialog.getByLabel(head.displayName).check();
    await dialog.getByLabel('Find people').fill('dan');
    await dialog.getByRole('button', { name: 'Tick all shown (2)' }).click();
    await eventually(() => dialog.locator('#session-ticked').innerText(), (v) => expect(v).toMatch(/^4 ticked/));

    await dialog.getByRole('tab', { name: 'Paste a list of names' }).click();
    await dialog.getByLabel('Names or emails, one a line').fill(['Shah, Priya', 'lucy.brown@school.example', 'Chris', 'Somebody Else'].join('\n'));
    await dialog.getByRole('button', { name: 'Match names' }).click();
    await eventually(() => dialog.locator('#session-matches').innerText(), (v) => expect(v).toMatch(/2 matched and ticked, 1 to choose, 1 not found[\s\S]*Not found \(tick them by hand if they are staff here\): Somebody Else/));
    await dialog.getByLabel('Who is “Chris”?').selectOption({ label: MORGAN.name });
    await eventually(() => dialog.locator('#session-ticked').innerText(), (v) => expect(v).toMatch(/^7 ticked/));

    await dialog.getByRole('button', { name: 'Record for 7 people' }).click();
    await eventually(() => dialog.locator('#session-result').innerText(), (v) => expect(v).toBe('7 recorded, 0 already recorded.'));
    const results = await dialog.locator('table[aria-label="Result per person"] tbody tr').allInnerTexts();
    expect(results).toHaveLength(7);
    expect(results.every((r) => /Recorded$/.test(r))).toBe(true);
    expect(results.join('\n')).toContain(MORGAN.name);
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByLabel('Course').selectOption('safeguarding-update');
    await eventually(counts, (v) => expect(v).toContain(`Annual safeguarding and online-safety update (September INSET): 7 of ${STAFF} current`));
    expect(await cell(teacher, 'safeguarding-update').innerText()).toMatch(/Current\s+done 2 Sep 2026/);
    expect(await cell(tech, 'safeguarding-update').innerText()).toMatch(/Never done/);

    // The same session again for one of them: nothing twice.
    await page.getByRole('button', { name: 'Record a session' }).click();
    await dialog.getByLabel('Date of the session').fill('2026-09-02');
    await dialog.getByLabel('Provider').fill('KCC Education Safeguarding');
    await dialog.getByLabel('Hours').fill('2');
    await dialog.getByLabel('Evidence').fill('https://school.example/inset-2026-signin.pdf');
    await dialog.getByLabel(teacher.displayName).check();
    await dialog.getByRole('button', { name: 'Record for 1 person' }).click();
    await eventually(() => dialog.locator('#session-result').innerText(), (v) => expect(v).toBe('0 recorded, 1 already recorded.'));
    await dialog.getByRole('button', { name: 'Close' }).click();
    await eventually(() => page.evaluate(() => document.querySelectorAll('[aria-hidden="true"] main, main[aria-hidden="true"]').length), (v) => expect(v).toBe(0));
  }, LONG);
});

describe('the MIS import', () => {
  const csv = [
    'Staff Code,Email,Surname,Forename,Course,Date Completed,Provider,Hours,Certificate No',
    `,${tech.email},Price,Ian,Safeguarding induction,01/09/2026,School,1,IND-1`,
    `,${deputy.email},Lee,Dana,Designated Safeguarding Lead,2025-03-04,"KCC, Education Safeguarding",6,DSL-99`,
    ',nobody@school.example,Nobody,No,Induction,2026-09-01,,,',
    `,${PEOPLE.dslPrePrep.email},Okafor,Tom,Juggling,2026-01-01,,,`,
  ].join('\r\n');

  it('an office user sees the report (bad rows by number, who was not matched), then imports the new rows with progress; the same file again imports nothing', async () => {
    await openTraining(office);
    await page.getByRole('button', { name: 'Import from the MIS (CSV)' }).click();
    const panel = page.getByRole('region', { name: 'Import training records' });
    await panel.getByText(/The first row names the columns/).waitFor();
    await panel.getByLabel('CSV file').setInputFiles({ name: 'sims-training.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await eventually(() => page.locator('#training-import-summary').innerText(), (v) => expect(v).toBe('4 rows: 2 new, 0 already recorded, 2 with problems (not imported).'));
    const problems = await panel.locator('table[aria-label="Rows with problems"] tbody tr').allInnerTexts();
    expect(problems).toEqual([expect.stringMatching(/^4\s+No Nobody\s+Induction\s+1 Sep 2026\s+no member of staff here has nobody@school.example/), expect.stringMatching(/^5\s+Tom Okafor\s+Juggling\s+1 Jan 2026\s+"Juggling" is not one of the school's courses/)]);
    expect(await panel.getByRole('list', { name: 'People not matched' }).innerText()).toBe('nobody@school.example');

    // Every progress line the page showed, kept as it shows them.
    await page.evaluate(() => {
      const seen: string[] = ((window as unknown as { progressSeen: string[] }).progressSeen = []);
      new MutationObserver(() => {
        const t = document.querySelector('#training-import-progress')?.textContent;
        if (t && seen.at(-1) !== t) seen.push(t);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await panel.getByRole('button', { name: 'Import 2 new rows' }).click();
    await eventually(() => page.locator('#training-import-result').innerText(), (v) => expect(v).toBe('2 imported, 0 already recorded (nothing changed), 2 rows with problems not imported.'));
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => /^Importing: \d of 2…$/.test(s))).toBe(true);

    await eventually(() => cell(tech, 'induction').innerText(), (v) => expect(v).toMatch(/Current\s+done 1 Sep 2026/));
    expect(await cell(deputy, 'dsl-training').innerText()).toMatch(/Current\s+done 4 Mar 2025/);
    expect(await cell(deputy, 'dsl-update').innerText()).toMatch(/Overdue\s+was due 4 Mar 2026/);

    await panel.getByLabel('CSV file').setInputFiles({ name: 'sims-training.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await eventually(() => page.locator('#training-import-summary').innerText(), (v) => expect(v).toBe('4 rows: 0 new, 2 already recorded, 2 with problems (not imported).'));
    expect(await panel.getByRole('button', { name: 'Import 0 new rows' }).isDisabled()).toBe(true);
  }, LONG);

  it('a file without the columns it needs is refused whole, saying which are missing', async () => {
    await openTraining(office);
    await page.getByRole('button', { name: 'Import from the MIS (CSV)' }).click();
    const panel = page.getByRole('region', { name: 'Import training records' });
    await panel.getByLabel('CSV file').setInputFiles({ name: 'wrong.csv', mimeType: 'text/csv', buffer: Buffer.from('name,course\nChris,Prevent\n') });
    await panel.getByText(/missing: email or staff code, date completed/).waitFor();
    expect(await panel.getByRole('button', { name: /^Import \d+ new/ }).count()).toBe(0);
  });
});

describe('self-reports', () => {
  it('a member of staff reports a course in My records; it waits for the office, who confirms it (the cell turns current) or rejects another with a reason', async () => {
    // Chris Evans reports on the page; Sam Taylor's report, through the API, is the one to reject.
    await api(reporter, '/my-records/training', { courseId: 'safer-internet-day', completedOn: '2026-11-19', provider: 'A video at home' });
    await openAs(teacher);
    await page.getByRole('heading', { name: 'My records' }).waitFor();
    const mine = page.locator('table[aria-label="Your training"]');
    await eventually(() => mine.locator('tr[data-course="safer-internet-day"]').innerText(), (v) => expect(v).toMatch(/Never done/));
    const form = page.getByRole('region', { name: 'Report training you have done' });
    await form.getByLabel('Course').selectOption('safer-internet-day');
    await form.getByLabel('Date completed').fill('2026-11-20');
    await form.getByLabel('Provider').fill('UK Safer Internet Centre webinar');
    await form.getByLabel('Hours').fill('1');
    await form.getByLabel('Evidence').fill('UKSIC-2026-0042');
    await form.getByRole('button', { name: 'Send to the office' }).click();
    await form.getByText(/Sent to the office: Safer Internet Day twilight session \(February\) on 20 Nov 2026 shows as awaiting confirmation/).waitFor();
    await eventually(() => mine.locator('tr[data-course="safer-internet-day"]').innerText(), (v) => expect(v).toMatch(/Never done\s+Awaiting confirmation by the office \(20 Nov 2026\)/));
    const records = page.locator('table[aria-label="Your training records"]');
    await eventually(() => records.locator('tr[data-state="pending"]').innerText(), (v) => expect(v).toMatch(/Safer Internet Day.*\s+20 Nov 2026\s+UK Safer Internet Centre webinar\s+1\s+Certificate UKSIC-2026-0042\s+Awaiting confirmation\s+Self-report, Chris Evans/));

    await openTraining(office);
    const pending = page.getByRole('region', { name: /Pending confirmations/ });
    await eventually(() => pending.getByRole('heading').innerText(), (v) => expect(v).toBe('Pending confirmations (2)'));
    await eventually(() => cell(teacher, 'safer-internet-day').innerText(), (v) => expect(v).toMatch(/Never done\s+due now\s+Awaiting confirmation/));

    await pending.locator(`tr[data-person="${reporter.id}"]`).getByRole('button', { name: 'Reject' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('button', { name: 'Reject' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Reason').fill('No certificate: please bring it to the office');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await page.getByText(`Rejected: ${reporter.displayName}, Safer Internet Day twilight session (February), 19 Nov 2026.`).waitFor();
    await eventually(() => pending.getByRole('heading').innerText(), (v) => expect(v).toBe('Pending confirmations (1)'));

    await pending.locator(`tr[data-person="${teacher.id}"]`).getByRole('button', { name: 'Confirm' }).click();
    await page.getByText(`Confirmed: ${teacher.displayName}, Safer Internet Day twilight session (February), 20 Nov 2026.`).waitFor();
    await eventually(() => cell(teacher, 'safer-internet-day').innerText(), (v) => expect(v).toMatch(/^Current\s+done 20 Nov 2026$/));
    expect(await cell(reporter, 'safer-internet-day').innerText()).toMatch(/^Never done\s+due now$/);
    expect(await page.getByRole('region', { name: /Pending confirmations/ }).count()).toBe(0);

    // Sam Taylor reads why in their own records.
    await openAs(reporter);
    const theirs = page.locator('table[aria-label="Your training records"]');
    await eventually(() => theirs.innerText(), (v) => expect(v).toMatch(/Rejected[\s\S]*Rejected by Lucy Brown, .*: No certificate: please bring it to the office/));
  }, LONG);
});

describe('a person\'s page', () => {
  it('an office user opens a person from the matrix, sets their start date, adds a record, corrects it and withdraws it; the history shows who, when, why and what it said before', async () => {
    await openTraining(office);
    await page.locator(`tr[data-person="${osl.id}"]`).getByRole('button', { name: osl.displayName }).click();
    await page.getByRole('heading', { name: `Training: ${osl.displayName}` }).waitFor();
    const courses = page.locator('table[aria-label="Their courses"]');
    await eventually(() => courses.locator('tr[data-course="induction"]').innerText(), (v) => expect(v).toMatch(/Required\s+Never done/));
    expect(await courses.locator('tr[data-course="dsl-training"]').innerText()).toMatch(/Not required\s+Not required/);

    await page.getByLabel('Start date').fill('2026-11-16');
    await page.getByRole('button', { name: 'Save details' }).click();
    await eventually(() => courses.locator('tr[data-course="induction"]').innerText(), (v) => expect(v).toMatch(/Required\s+Due soon\s+6 Dec 2026/));

    await page.getByRole('button', { name: 'Add a record' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Course').selectOption('online-safety-lead');
    await dialog.getByLabel('Date completed').fill('2026-10-05');
    await dialog.getByLabel('Provider').fill('LGfL');
    await dialog.getByLabel('Hours').fill('3');
    await dialog.getByRole('button', { name: 'Add the record' }).click();
    await eventually(() => courses.locator('tr[data-course="online-safety-lead"]').innerText(), (v) => expect(v).toMatch(/Required\s+Current\s+5 Oct 2026\s+5 Oct 2028/));

    const records = page.locator('table[aria-label="Their training records"]');
    const record = records.locator('tr[data-record]', { hasText: 'Online Safety Lead training' });
    await record.getByRole('button', { name: 'Correct' }).click();
    await dialog.getByLabel('Date completed').fill('2026-10-06');
    await dialog.getByLabel('Hours').fill('3.5');
    expect(await dialog.getByRole('button', { name: 'Save the correction' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Reason for the correction').fill('The certificate says 6 October, three and a half hours');
    await dialog.getByRole('button', { name: 'Save the correction' }).click();
    const history = page.getByRole('list', { name: 'History of Online Safety Lead training, 6 Oct 2026' });
    await eventually(() => history.innerText(), (v) => expect(v).toMatch(/^Corrected by Lucy Brown, \d+ Nov 2026, \d\d:\d\d: The certificate says 6 October, three and a half hours\. Before: /));
    const before = await history.innerText();
    expect(before).toContain('hours 3');
    expect(before).toContain('date completed 5 Oct 2026');
    expect(await record.innerText()).toMatch(/6 Oct 2026\s+LGfL\s+3\.5/);

    await record.getByRole('button', { name: 'Withdraw' }).click();
    await dialog.getByLabel('Reason').fill('Entered for the wrong person');
    await dialog.getByRole('button', { name: 'Withdraw' }).click();
    await eventually(() => history.locator('li').allInnerTexts(), (v) => expect(v).toEqual([expect.stringMatching(/^Corrected by Lucy Brown/), expect.stringMatching(/^Withdrawn by Lucy Brown, .*: Entered for the wrong person\./)]));
    expect(await records.locator('tr[data-state="withdrawn"]').innerText()).toMatch(/Withdrawn/);
    await eventually(() => courses.locator('tr[data-course="online-safety-lead"]').innerText(), (v) => expect(v).toMatch(/Never done/));

    await page.getByRole('button', { name: 'Back to the matrix' }).click();
    await eventually(() => cell(osl, 'induction').innerText(), (v) => expect(v).toMatch(/Due soon\s+due by 6 Dec 2026/));
  }, LONG);

  it('a deep link opens a person\'s page; a DSL reads it and cannot change it', async () => {
    await openAs(dslPrep, `?page=training&sub=person:${teacher.id}`);
    await page.getByRole('heading', { name: `Training: ${teacher.displayName}` }).waitFor();
    const courses = page.locator('table[aria-label="Their courses"]');
    await eventually(() => courses.locator('tr[data-course="prevent"]').innerText(), (v) => expect(v).toMatch(/Required\s+Current\s+1 Oct 2026\s+1 Oct 2028/));
    await page.locator('table[aria-label="Their training records"]').getByText('Home Office e-learning').waitFor();
    for (const name of ['Add a record', 'Save details', 'Correct', 'Withdraw']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.getByLabel('Start date').count()).toBe(0);
    await page.getByRole('button', { name: 'Back to the matrix' }).click();
    await page.getByRole('heading', { name: 'Training records' }).waitFor();
  });
});

describe('who sees the page', () => {
  it('a member of staff without the page gets My records (and Raise a concern), with their own training', async () => {
    // Sam (a teacher) has no page but their own; technical staff also have the filtering and monitoring log.
    await openAs(reporter, '?page=training');
    await page.getByRole('heading', { name: 'My records' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Training' }).count()).toBe(0);
    expect(await page.getByRole('tab').allInnerTexts()).toEqual(['My records', 'Raise a concern']);
    await page.locator('table[aria-label="Your training"]').waitFor();
    expect(await page.locator('body').innerText()).not.toContain(teacher.displayName);
    const refused = await page.evaluate(async (id) => (await fetch('/api/tab/training', { headers: { 'x-demo-user': id } })).status, reporter.id);
    expect(refused).toBe(403);
  });
});

/** A school of 300 staff (the size the page is built for), in a world of its own. */
describe('300 staff × the school\'s courses', () => {
  let big: World;
  beforeAll(async () => {
    big = await startWorld({ clock });
    const rows = Array.from({ length: 290 }, (_, i) => `staff,P${i},Person ${String(i).padStart(3, '0')} Staff,p${i}@school.example,2020-09-01`);
    const res = await fetch(`${big.url}/api/tab/people/import`, { method: 'POST', headers: { 'x-demo-user': office.id, 'content-type': 'application/json' }, body: JSON.stringify({ csv: `kind,id,name,email,start date\n${rows.join('\n')}\n` }) });
    expect(await res.text()).toMatch(/"stage":"done","imported":290/);
  }, 60_000);
  afterAll(async () => {
    await big?.stop();
  });

  it('draws the first hundred rows, then the rest on "Show more"; a search and a course filter answer at once', async () => {
    await page.goto(`${big.url}/tab/?page=training`);
    await page.getByLabel('Demo person').selectOption(office.id);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await eventually(() => matrixRows().count(), (v) => expect(v).toBe(100), 15_000);
    await eventually(counts, (v) => expect(v).toMatch(/^300 people/));
    const more = page.getByRole('button', { name: 'Show more (200 more)' });
    await more.click();
    await eventually(() => matrixRows().count(), (v) => expect(v).toBe(300));
    expect(await more.count()).toBe(0);

    // Loose bounds (a small shared machine): what matters is that nothing waits on the server or on drawing 2,700 cells.
    let t = Date.now();
    await page.getByLabel('Search by name').fill('person 12');
    await eventually(() => matrixRows().count(), (v) => expect(v).toBe(10));
    expect(Date.now() - t).toBeLessThan(3000);
    t = Date.now();
    await page.getByLabel('Search by name').fill('');
    await page.getByLabel('Course').selectOption('prevent');
    await eventually(() => page.locator('table[aria-label="Training matrix"] thead th').count(), (v) => expect(v).toBe(2));
    await eventually(() => matrixRows().count(), (v) => expect(v).toBe(100));
    expect(Date.now() - t).toBeLessThan(3000);
  });
});
