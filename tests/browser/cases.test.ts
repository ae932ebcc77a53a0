/**
 * The Cases page in headless Chromium (PRODUCT.md §6), as a DSL, a deputy and the Headteacher use it:
 * the list with its filters, search, counts, flags and paging; a case from acknowledgement to closure,
 * with the server's refusals shown; a non-holder's read-only view; linking a free-text learner to the
 * roster; a child's chronology, the child-protection file transfer, its PDF and its receipt; deep
 * links. The real page (built by jest's globalSetup) against the real server in local mode, Azurite
 * and the stubs; concerns are raised through the bot as Teams would.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { pdfText } from '../support/pdfText';
import { PEOPLE, type TestPerson } from '../support/people';
import { actionsOf } from '../support/cards';
import { demoApi, eventually as retry, openAs as openTab, freshPage, startWorldAndBrowser } from '../support/tabPage';
import { startTabWorld, type TabWorld } from '../support/tabWorld';
import { deepLinkContext, openInTeams } from '../support/teamsHost';
import { TENANT, type World } from '../support/world';

const { reporter, dslPrep, dslPrePrep, deputy, head, office, teacher } = PEOPLE;
// The school's day: Monday 23 November 2026, 10:00 in London; tests move it on, and back after each.
let offset = 0;
const clock = () => new Date(Date.now() + offset);
const setDay = (iso: string) => (offset = Date.parse(iso) - Date.now());
setDay('2026-11-23T10:00:00Z');

/** For the longer stories: a busy shared machine can take well over jest's 30 s default. */
const LONG = 60_000;
let w: World;
let browser: Browser;
let page: Page;

const ALEX_STORY = 'Unkind messages about Alex in a gaming group chat.';
const learner = { alex: '', bea: '', cara: '', dev: '' };
const cases = { alex: '', cara: '', bea: '', freeText: '', lowLevel: '' };

/** The tab's API as a person (local mode: the demo header stands in for sign-in): the answer's JSON. */
const api = (person: TestPerson, path: string, body?: unknown) => demoApi(w.url, person, path, body);
const openAs = (person: TestPerson, query = '') => openTab(page, w.url, person, query);
/** Retries a check while the page renders: up to 15 s, for a busy shared machine. */
const eventually = <T>(read: () => Promise<T>, check: (value: T) => void, timeoutMs = 15_000) => retry(read, check, timeoutMs);

/** Raises a concern through the bot; no learner unless the fields name one. */
async function raise(category: string, fields: Record<string, string>) {
  const { reference } = await w.raise(reporter, category, { learnerName1: '', learnerYear1: '', ...fields });
  expect(reference).toMatch(/^SMP-2026-\d{4}$/);
  return reference!;
}

beforeAll(async () => {
  ({ w, browser } = await startWorldAndBrowser({ clock, env: { CASE_DUTIES_SWEEP_SECONDS: '3600', ESCALATION_SWEEP_SECONDS: '3600' } }));
  // The import answers with its progress, a line of JSON at a time.
  const imported = await fetch(`${w.url}/api/tab/people/import`, {
    method: 'POST',
    headers: { 'x-demo-user': office.id, 'content-type': 'application/json' },
    body: JSON.stringify({ csv: 'kind,id,name,year group,date of birth\nlearner,A1,Alex Morgan,Year 5,2016-03-01\nlearner,B2,Bea Khan,Reception,2021-05-05\nlearner,C3,Cara Jones,Year 6,2015-07-07\nlearner,D4,Dev Patel,Year 4,2017-09-09\n' }),
  });
  expect({ status: imported.status, progress: await imported.text() }).toEqual({ status: 200, progress: expect.stringContaining('"imported":4') });
  const find = async (q: string) => ((await api(dslPrep, `/learners?q=${encodeURIComponent(q)}`)) as { learners: { id: string }[] }).learners[0].id;
  [learner.alex, learner.bea, learner.cara, learner.dev] = [await find('alex'), await find('bea'), await find('cara'), await find('dev patel')];

  cases.alex = await raise('cyberbullying', { learnerPick1: learner.alex, whatHappened: ALEX_STORY });
  cases.cara = await raise('onlineHate', { learnerPick1: learner.cara, whatHappened: 'Hateful comments about Cara\'s family in a class chat.' });
  cases.bea = await raise('cyberbullying', { learnerPick1: learner.bea, whatHappened: 'A tablet game chat.' });
  cases.freeText = await raise('cyberbullying', { learnerName1: 'Dev P', learnerYear1: 'Year 4', whatHappened: 'Name-calling in a game.' });
  cases.lowLevel = await raise('lowLevelStaff', { staffInvolvedId: teacher.id, whatHappened: 'Over-friendly comments online.' });
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await w?.stop();
});
beforeEach(async () => {
  page = await freshPage(browser, 15_000);
});
afterEach(async () => {
  await page.close();
  setDay('2026-11-23T10:00:00Z');
});

/** Reloads the page: the demo person is chosen again (as after any reload in local mode) and the address keeps the place. */
async function reloadAs(person: TestPerson) {
  await page.reload();
  await page.getByLabel('Demo person').selectOption(person.id);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
}

const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
const listed = (label = 'Cases') => page.locator(`table[aria-label="${label}"] tbody tr[data-reference]`).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-reference')));
const row = (reference: string) => page.locator(`tr[data-reference="${reference}"]`);
const sub = () => new URL(page.url()).searchParams.get('sub');
const text = (selector: string) => () => page.locator(selector).innerText();

describe('the case list', () => {
  it('office staff have no Cases tab, even when the address asks for it', async () => {
    await openAs(office, '?page=cases');
    await page.getByRole('heading', { name: 'Acceptable Use Policy register' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Cases' }).count()).toBe(0);
  });

  it('a member of staff who only reports concerns has no Cases page: a link to a case opens their own records, and the API refuses them', async () => {
    await openAs(reporter, `?page=cases&sub=${cases.alex}`);
    await page.getByRole('heading', { name: 'My records' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Cases' }).count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain(ALEX_STORY);
    await expect(api(reporter, `/cases/${cases.alex}`)).rejects.toThrow(/403/);
  });

  it('each phase\'s DSL sees only their phase\'s cases; the Headteacher sees every case, the concern about staff too, and narrows by phase and by who has it', async () => {
    await openAs(dslPrePrep);
    await page.getByRole('heading', { name: 'Cases', exact: true }).waitFor();
    await eventually(listed, (v) => expect(v).toEqual([cases.bea]));
    expect(await page.locator('#case-counts').innerText()).toMatch(/Of the 1 case you may read:\s*1 open/);
    expect(await row(cases.bea).innerText()).toMatch(/Bea Khan \(Reception\)[\s\S]*Pre-Prep[\s\S]*Tom Okafor/);

    await openAs(head);
    await page.getByRole('heading', { name: 'Cases', exact: true }).waitFor();
    await eventually(listed, (v) => expect(v).toEqual([cases.lowLevel, cases.freeText, cases.bea, cases.cara, cases.alex]));
    expect(await row(cases.lowLevel).innerText()).toMatch(/Low-level concern about a member of staff[\s\S]*Helen Marsh[\s\S]*About staff: Chris Evans/);
    // A concern that names no learner is for every phase: it shows under each.
    await page.getByLabel('Phase').selectOption('prePrep');
    await eventually(listed, (v) => expect(v).toEqual([cases.lowLevel, cases.bea]));
    await page.getByLabel('Phase').selectOption('');
    await page.getByLabel('With').selectOption(dslPrePrep.id);
    await eventually(listed, (v) => expect(v).toEqual([cases.bea]));
  });

  it('a DSL sees their phase\'s cases with the counts; filters narrow the list; search finds a learner or a reference', async () => {
    await openAs(dslPrep);
    await page.getByRole('heading', { name: 'Cases', exact: true }).waitFor();
    // Newest first; the Pre-Prep case and the concern about staff are not theirs to see.
    await eventually(listed, (v) => expect(v).toEqual([cases.freeText, cases.cara, cases.alex]));
    await eventually(text('#case-counts'), (v) => expect(v).toMatch(/Of the 3 cases you may read:\s*3 open\s*0 acknowledged\s*0 closed\s*0 overdue next steps/));
    expect(await row(cases.alex).innerText()).toMatch(/Cyberbullying[\s\S]*Alex Morgan \(Year 5\)[\s\S]*Open, not acknowledged[\s\S]*Priya Shah/);

    await page.getByLabel('Category').selectOption('onlineHate');
    await eventually(listed, (v) => expect(v).toEqual([cases.cara]));
    await page.getByLabel('Category').selectOption('');
    await page.getByLabel('Year group').selectOption('Year 4');
    await eventually(listed, (v) => expect(v).toEqual([cases.freeText]));
    await page.getByLabel('Year group').selectOption('');
    await page.getByLabel('Status').selectOption('closed');
    await eventually(text('#cases-empty'), (v) => expect(v).toBe('No case matches these filters.'));
    await page.getByLabel('Status').selectOption('notClosed');
    await eventually(listed, (v) => expect(v).toHaveLength(3));
    await page.getByLabel('Raised from').fill('2026-11-24');
    await eventually(listed, (v) => expect(v).toEqual([]));
    await page.getByLabel('Raised from').fill('');
    await eventually(text('#cases-shown'), (v) => expect(v).toBe('1–3 of 3 cases'));

    await page.getByLabel('Search by reference or learner').fill('alex morgan');
    await eventually(listed, (v) => expect(v).toEqual([cases.alex]));
    await page.getByLabel('Search by reference or learner').fill(cases.cara);
    await eventually(listed, (v) => expect(v).toEqual([cases.cara]));
    // The counts are over every case they may read, whatever the filters.
    expect(await page.locator('#case-counts').innerText()).toMatch(/3 open/);
  });

  it('a next step past its day is flagged with whose it is and the day, counted, and found by the overdue filter; so is a case not acknowledged in time', async () => {
    await api(dslPrep, `/cases/${cases.cara}/acknowledge`, {});
    await api(dslPrep, `/cases/${cases.cara}/next-step`, { what: 'Speak to Cara\'s parents', ownerId: dslPrep.id, dueOn: '2026-11-24' });
    setDay('2026-11-25T09:00:00Z');
    await openAs(dslPrep);
    const flag = row(cases.cara).locator('[data-flag="overdueNextStep"]');
    await eventually(() => flag.innerText(), (v) => expect(v).toBe('Next step overdue: Priya Shah, due 24 Nov 2026'));
    await eventually(text('#case-counts'), (v) => expect(v).toMatch(/1 overdue next step\b/));
    expect(await row(cases.freeText).locator('[data-flag="overdueAcknowledgement"]').innerText()).toBe('Not acknowledged in time');
    await page.getByLabel('Overdue').selectOption('nextStep');
    await eventually(listed, (v) => expect(v).toEqual([cases.cara]));
    await page.getByLabel('Overdue').selectOption('acknowledgement');
    await eventually(listed, (v) => expect(v).toEqual([cases.freeText, cases.alex]));
  });
});

describe('a case', () => {
  it('a DSL opens a case from the list, acknowledges it, records an action (the checklist ticks), sets a next step, and closes it with all four fields; refusals are shown', async () => {
    await openAs(dslPrep);
    // By keyboard: the reference is a button; the case's heading then has the focus.
    await row(cases.alex).getByRole('button', { name: cases.alex }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Case ${cases.alex}` }).waitFor();
    await eventually(focused, (v) => expect(v).toBe(`Case ${cases.alex}`));
    expect(sub()).toBe(cases.alex);
    const reported = page.locator('dl[aria-label="What was reported"]');
    expect(await reported.innerText()).toMatch(new RegExp(`What happened\\s*${ALEX_STORY}[\\s\\S]*When\\s*20 Nov 2026[\\s\\S]*Anyone in immediate danger\\s*No`));
    expect(await page.locator('ul[aria-label="Learners"]').innerText()).toMatch(/Alex Morgan, Year 5, born 1 Mar 2016/);
    const evidence = page.locator('ul[aria-label="Checklist"] li', { hasText: 'Evidence kept' });
    expect(await evidence.getAttribute('data-done')).toBe('false');

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('Acknowledged: the reporter and the others it went to are told.').waitFor();
    await eventually(() => page.locator('dl[aria-label="Who has it"]').innerText(), (v) => expect(v).toMatch(/Acknowledged\s*by Priya Shah/));
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);

    // "Other" needs a note saying who and why: the server's refusal is shown in the dialog.
    await page.getByRole('button', { name: 'Record action' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('Action or referral').selectOption('Other');
    await dialog.getByRole('button', { name: 'Record the action' }).click();
    await dialog.getByRole('alert').getByText('For this action the note is required: say who, and why.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The focus goes back to the button that opened the dialog.
    await eventually(() => page.evaluate(() => document.activeElement?.textContent), (v) => expect(v).toBe('Record action'));

    await page.getByRole('button', { name: 'Record action' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Action or referral').selectOption('Evidence kept');
    await dialog.getByLabel('Note').fill('Screenshots saved by the class teacher.');
    await dialog.getByRole('button', { name: 'Record the action' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => evidence.getAttribute('data-done'), (v) => expect(v).toBe('true'));
    expect(await page.locator('table[aria-label="Chronology"]').innerText()).toMatch(/Priya Shah\s*Evidence kept\s*Screenshots saved by the class teacher\./);
    // Stored, not only shown: after a reload the address still names the case, and the action is in its chronology.
    await reloadAs(dslPrep);
    await page.getByRole('heading', { name: `Case ${cases.alex}` }).waitFor();
    expect(sub()).toBe(cases.alex);
    await eventually(() => page.locator('table[aria-label="Chronology"]').innerText(), (v) => expect(v).toMatch(/Priya Shah\s*Evidence kept\s*Screenshots saved by the class teacher\./));
    expect(await evidence.getAttribute('data-done')).toBe('true');

    await page.getByRole('button', { name: 'Next step' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('What is the next step').fill('Speak to Alex\'s parents');
    await dialog.getByLabel('Whose it is').selectOption(dslPrep.id);
    await dialog.getByLabel('Due on').fill('2026-11-27');
    await dialog.getByRole('button', { name: 'Set the next step' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => page.locator('dl[aria-label="Who has it"]').innerText(), (v) => expect(v).toMatch(/Next step\s*Speak to Alex's parents: Priya Shah, due 27 Nov 2026; set by Priya Shah/));

    // Closing needs the decision, its reason, the outcome and the lessons learnt: without the reason, nothing is closed.
    await page.getByRole('button', { name: 'Close the case' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: 'Decision' }).selectOption('Managed in school (pastoral support / behaviour policy)');
    await dialog.getByLabel('Outcome').fill('Apology made; the group chat was closed.');
    await dialog.getByLabel('Lessons learnt').fill('Remind Year 5 about reporting in gaming chats.');
    await dialog.getByRole('button', { name: 'Close the case' }).click();
    await dialog.getByRole('alert').getByText('The case was not closed.').waitFor();
    expect(await dialog.getByRole('alert').innerText()).toContain('Give the reason for the decision.');
    await dialog.getByLabel('Reason for the decision').fill('Resolved between the children with their parents\' support.');
    await dialog.getByRole('button', { name: 'Close the case' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => page.locator('[data-status]').first().innerText(), (v) => expect(v).toBe('Closed'));
    expect(await page.locator('dl[aria-label="Closure"]').innerText()).toMatch(/Closed\s*by Priya Shah[\s\S]*Decision\s*Managed in school[\s\S]*Reason\s*Resolved between[\s\S]*Outcome\s*Apology made[\s\S]*Lessons learnt\s*Remind Year 5[\s\S]*Retention review\s*1 Mar 2041/);
    await page.getByRole('button', { name: 'Reopen' }).waitFor();

    // Back to the list: the case is closed there too, and the address is the list's again.
    await page.getByRole('button', { name: 'Back to the list' }).click();
    await page.getByRole('heading', { name: 'Cases', exact: true }).waitFor();
    expect(sub()).toBeNull();
    await eventually(() => row(cases.alex).innerText(), (v) => expect(v).toMatch(/Closed/));
  }, LONG);

  it('a deep link opens a case directly; a deputy, who may read it but does not hold it, sees it read-only and is told why', async () => {
    await openAs(deputy, `?page=cases&sub=${cases.cara}`);
    await page.getByRole('heading', { name: `Case ${cases.cara}` }).waitFor();
    await eventually(text('#read-only'), (v) => expect(v).toBe('You can read this case but not change it: only the people it is with now (Priya Shah, DSL (Prep)) can act on it.'));
    expect(await page.locator('dl[aria-label="What was reported"]').innerText()).toContain('Hateful comments about Cara\'s family');
    for (const name of ['Acknowledge', 'Record action', 'Next step', 'Reassign', 'Close the case']) expect(await page.getByRole('button', { name }).count()).toBe(0);
  });

  it('a DSL of the other phase who follows a link to the case is told there is no such case', async () => {
    await openAs(dslPrePrep, `?page=cases&sub=${cases.alex}`);
    await page.getByRole('alert').getByText(`There is no case ${cases.alex}.`).waitFor();
    expect(await page.locator('body').innerText()).not.toContain(ALEX_STORY);
    await page.getByRole('button', { name: 'Back to the list' }).click();
    await eventually(listed, (v) => expect(v).toEqual([cases.bea]));
  });

  it('a DSL hands a case to the deputy and can then only read it; the deputy closes it and reopens it (the reason is required); after a reload the chronology has every step', async () => {
    await openAs(dslPrep, `?page=cases&sub=${cases.cara}`);
    await page.getByRole('heading', { name: `Case ${cases.cara}` }).waitFor();
    await page.getByRole('button', { name: 'Reassign' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reassign to').selectOption('deputyDsl');
    await dialog.getByRole('button', { name: 'Reassign' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('The case is reassigned.').waitFor();
    await eventually(text('#read-only'), (v) => expect(v).toContain('only the people it is with now (Dana Lee, Deputy DSL) can act on it'));
    expect(await page.getByRole('button', { name: 'Close the case' }).count()).toBe(0);

    await openAs(deputy, `?page=cases&sub=${cases.cara}`);
    await page.getByRole('heading', { name: `Case ${cases.cara}` }).waitFor();
    await page.getByRole('button', { name: 'Close the case' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: 'Decision' }).selectOption('No further action');
    await dialog.getByLabel('Reason for the decision').fill('The comments came from outside school and were removed.');
    await dialog.getByLabel('Outcome').fill('Parents informed; no further comments.');
    await dialog.getByLabel('Lessons learnt').fill('None');
    await dialog.getByRole('button', { name: 'Close the case' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => page.locator('[data-status]').first().innerText(), (v) => expect(v).toBe('Closed'));

    await page.getByRole('button', { name: 'Reopen' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Reopen the case' }).click();
    await dialog.getByRole('alert').getByText('Some of what was sent is not right.').waitFor();
    expect(await dialog.getByRole('alert').innerText()).toContain('give the reason for reopening');
    await dialog.getByLabel('Reason for reopening').fill('New comments were posted.');
    await dialog.getByRole('button', { name: 'Reopen the case' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('The case is reopened.').waitFor();
    await eventually(() => page.locator('[data-status]').first().innerText(), (v) => expect(v).not.toBe('Closed'));

    await reloadAs(deputy);
    await page.getByRole('heading', { name: `Case ${cases.cara}` }).waitFor();
    const lines = page.locator('table[aria-label="Chronology"] tbody tr');
    await eventually(() => lines.allInnerTexts(), (v) =>
      expect(v.slice(-3)).toEqual([
        expect.stringMatching(/Priya Shah\s*Reassigned by Priya Shah to Deputy DSL: Dana Lee/),
        expect.stringMatching(/Dana Lee\s*Closed: No further action\s*The comments came from outside school/),
        expect.stringMatching(/Dana Lee\s*Reopened by Dana Lee\s*New comments were posted\./),
      ]),
    );
  }, LONG);

  it('a learner named in free text is linked to the roster; the case then joins their chronology', async () => {
    await openAs(dslPrep, `?page=cases&sub=${cases.freeText}`);
    await page.getByRole('heading', { name: `Case ${cases.freeText}` }).waitFor();
    const learners = page.locator('ul[aria-label="Learners"]');
    expect(await learners.innerText()).toMatch(/Dev P, Year 4\s*\(not in the roster\)/);
    await learners.getByRole('button', { name: 'Link to the roster' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Search the roster by name').fill('dev');
    await dialog.getByRole('radio', { name: 'Dev Patel (Year 4)' }).check();
    await dialog.getByRole('button', { name: 'Link', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    // The reporter's words stay as they were written; the chronology says whom they were linked to.
    await eventually(() => page.locator('table[aria-label="Chronology"]').innerText(), (v) => expect(v).toContain('"Dev P" linked to Dev Patel in the roster'));
    await learners.getByRole('button', { name: 'Dev P\'s chronology' }).click();
    await page.getByRole('heading', { name: 'Dev Patel: chronology' }).waitFor();
    expect(sub()).toBe(`learner:${learner.dev}`);
    expect(await page.locator('table[aria-label="Cases about Dev Patel"]').innerText()).toContain(cases.freeText);
    // The browser's Back returns to the case, and Forward to the child.
    await page.goBack();
    await page.getByRole('heading', { name: `Case ${cases.freeText}` }).waitFor();
    expect(sub()).toBe(cases.freeText);
    await page.goForward();
    await page.getByRole('heading', { name: 'Dev Patel: chronology' }).waitFor();
  });
});

describe('a child\'s record', () => {
  it('a DSL opens a child\'s chronology from a case, records a transfer, downloads the record as a PDF, is warned when no receipt comes, and records the receipt', async () => {
    await openAs(dslPrep, `?page=cases&sub=${cases.alex}`);
    await page.getByRole('button', { name: 'Alex Morgan\'s chronology' }).click();
    await page.getByRole('heading', { name: 'Alex Morgan: chronology' }).waitFor();
    expect(await page.locator('#child-details').innerText()).toBe('Year 5 · born 1 Mar 2016');
    expect(await page.locator('table[aria-label="Cases about Alex Morgan"]').innerText()).toMatch(new RegExp(`${cases.alex}\\s*Cyberbullying\\s*Closed`));
    const entries = page.locator('table[aria-label="Chronology of Alex Morgan"] tbody tr');
    expect(await entries.allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`${cases.alex}\\s*Priya Shah\\s*Evidence kept\\s*Screenshots saved`))]));

    await page.getByRole('button', { name: 'Prepare transfer' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Destination school').fill('Oak Hill Academy');
    await dialog.getByLabel('Contact there (their DSL)').fill('Ms Rivers');
    await dialog.getByLabel('Method').selectOption('secure email');
    await dialog.getByLabel('Date sent').fill('2026-11-23');
    await dialog.getByRole('button', { name: 'Record the transfer' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(text('#transfer-notice'), (v) => expect(v).toBe('The transfer to Oak Hill Academy is recorded. Its receipt is due by 30 Nov 2026 (5 school days): record it here when the school confirms.'));
    const transfer = page.locator('table[aria-label="Transfers of Alex Morgan\'s file"] tbody tr');
    await eventually(() => transfer.innerText(), (v) => expect(v).toMatch(/Oak Hill Academy \(Ms Rivers\)\s*secure email\s*23 Nov 2026, by Priya Shah\s*30 Nov 2026/));
    await eventually(() => entries.allInnerTexts(), (v) => expect(v.join('\n')).toContain('Child-protection file sent to Oak Hill Academy (secure email) on 2026-11-23'));

    const [download] = await Promise.all([page.waitForEvent('download'), transfer.getByRole('button', { name: 'Download the child\'s record for Oak Hill Academy (PDF)' }).click()]);
    expect(download.suggestedFilename()).toBe(`child-protection-record-${learner.alex}.pdf`);
    const { pages } = await pdfText(readFileSync((await download.path())!));
    const pdf = pages.join('\n').replace(/\s+/g, ' ');
    for (const words of ['Alex Morgan', 'Oak Hill Academy', ALEX_STORY]) expect(pdf).toContain(words);

    // A week on, no receipt: the list says so and leads to the child's record, where it is recorded.
    setDay('2026-12-01T09:00:00Z');
    await openAs(dslPrep);
    const warning = page.locator(`[data-overdue-transfer="${learner.alex}"]`);
    await eventually(() => warning.innerText(), (v) => expect(v).toMatch(/No receipt yet: Alex Morgan's child-protection file, sent to Oak Hill Academy on 23 Nov 2026, was due to be confirmed by 30 Nov 2026/));
    await warning.getByRole('button', { name: 'Open Alex Morgan\'s record' }).click();
    await page.getByRole('heading', { name: 'Alex Morgan: chronology' }).waitFor();
    expect(await transfer.locator('[data-flag="overdueReceipt"]').count()).toBe(1);
    await transfer.getByRole('button', { name: 'Record receipt' }).click();
    const receipt = page.getByRole('dialog');
    await receipt.getByLabel('Received on').fill('2026-12-01');
    await receipt.getByLabel('Confirmed by').fill('Ms Rivers');
    await receipt.getByRole('button', { name: 'Record the receipt' }).click();
    await receipt.waitFor({ state: 'detached' });
    await eventually(() => transfer.innerText(), (v) => expect(v).toMatch(/Received 1 Dec 2026, confirmed by Ms Rivers \(recorded by Priya Shah\)/));
    await page.getByRole('button', { name: 'Back to the list' }).click();
    await page.getByRole('heading', { name: 'Cases', exact: true }).waitFor();
    await eventually(listed, (v) => expect(v.length).toBeGreaterThan(0));
    expect(await warning.count()).toBe(0);
  }, LONG);

  it('a deep link to a learner opens their record; one who may not send the file is not offered it', async () => {
    await openAs(dslPrep, `?page=cases&sub=learner:${learner.cara}`);
    await page.getByRole('heading', { name: 'Cara Jones: chronology' }).waitFor();
    expect(await page.locator('table[aria-label="Cases about Cara Jones"]').innerText()).toContain(cases.cara);
    await page.getByRole('button', { name: 'Prepare transfer' }).waitFor();
    // The Pre-Prep DSL may not send a Prep child's file.
    await openAs(dslPrePrep, `?page=cases&sub=learner:${learner.cara}`);
    await page.getByRole('heading', { name: 'Cara Jones: chronology' }).waitFor();
    await page.getByText('There is no case about Cara Jones that you may read.').waitFor();
    expect(await page.getByRole('button', { name: 'Prepare transfer' }).count()).toBe(0);
  });
});

describe('the Headteacher\'s views', () => {
  it('the low-level concerns log holds the concerns about staff, with who each is about; a DSL has no such log', async () => {
    await openAs(head);
    await page.getByRole('tab', { name: 'Low-level concerns log' }).click();
    await eventually(() => listed('Low-level concerns log'), (v) => expect(v).toEqual([cases.lowLevel]));
    expect(sub()).toBe('low-level');
    expect(await row(cases.lowLevel).locator('[data-flag="aboutStaff"]').innerText()).toBe(`About staff: ${teacher.displayName}`);
    await openAs(dslPrep);
    await page.getByRole('heading', { name: 'Cases', exact: true }).waitFor();
    expect(await page.getByRole('tab', { name: 'Low-level concerns log' }).count()).toBe(0);
  });

  it('the retention review lists the closed records due within 90 days, and says nothing is deleted', async () => {
    await api(dslPrePrep, `/cases/${cases.bea}/close`, { decision: 'No further action', reason: 'Resolved', outcome: 'Support given', lessonsLearnt: 'None' });
    await openAs(head, '?page=cases&sub=retention');
    await eventually(text('#retention-empty'), (v) => expect(v).toBe('No record is due for review in the next 90 days.'));
    // Bea was born on 5 May 2021; the test school reviews 25 years from the date of birth.
    setDay('2046-03-01T09:00:00Z');
    await openAs(head, '?page=cases&sub=retention');
    // Alex's, closed earlier and reviewed from 1 Mar 2041, is past its review and listed first.
    await eventually(() => listed('Records due for retention review'), (v) => expect(v).toEqual([cases.alex, cases.bea]));
    expect(await page.locator('#retention-note').innerText()).toMatch(/for review only: nothing is deleted here/);
    expect(await row(cases.bea).innerText()).toMatch(/5 May 2046[\s\S]*Bea Khan \(Reception\)[\s\S]*No further action/);
  });
});

describe('paging', () => {
  it('the list shows a page at a time: "1–10 of 11 cases", then the next', async () => {
    // Raised the next day, so that they are the newest and the first concern raised is the last listed.
    setDay('2026-11-24T10:00:00Z');
    for (let i = 0; i < 8; i++) await raise('other', { learnerName1: `Pupil ${i}`, learnerYear1: 'Year 3', whatHappened: `Concern number ${i}.` });
    await openAs(dslPrep);
    await page.getByLabel('Per page').selectOption('10');
    await eventually(text('#cases-shown'), (v) => expect(v).toBe('1–10 of 11 cases'));
    expect(await listed()).toHaveLength(10);
    await page.getByRole('button', { name: 'Next' }).click();
    await eventually(text('#cases-shown'), (v) => expect(v).toBe('11–11 of 11 cases'));
    await eventually(listed, (v) => expect(v).toEqual([cases.alex]));
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
  });
});

describe('in Teams', () => {
  let t: TabWorld;
  let reference = '';
  let alex = '';
  beforeAll(async () => {
    t = await startTabWorld({ clock });
    const csv = 'kind,id,name,year group,date of birth\nlearner,A1,Alex Morgan,Year 5,2016-03-01\n';
    expect((await t.call(office, '/people/import', { method: 'POST', body: { csv } })).status).toBe(200);
    alex = (await t.call(dslPrep, '/learners?q=alex')).body.learners[0].id;
    const form = await t.press(reporter, 'chooseCategory', { category: 'cyberbullying', immediateDanger: 'no' });
    const submit = actionsOf(form.body.value).find((a) => a.verb === 'submitConcern')!;
    const reply = await t.press(reporter, 'submitConcern', { formId: submit.data!.formId, category: 'cyberbullying', happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: 'no', learnerPick1: alex, whatHappened: ALEX_STORY });
    reference = (JSON.stringify(reply.body.value).match(/SMP-\d{4}-\d{4}/) ?? [''])[0];
    expect(reference).toMatch(/^SMP-2026-\d{4}$/);
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });
  const signedIn = async (person: TestPerson) => ({ token: await t.tab.sign(person), userObjectId: person.id, tenantId: TENANT });

  it('the DSL\'s card opens the case: Teams hands the tab the deep link\'s subEntityId, and the tab signs in with Teams SSO', async () => {
    // The link the DSL's card carries (tests/e2e/caseHandling.test.ts checks the card carries it).
    const context = deepLinkContext(t.w.app.services.outbox.caseLink(reference));
    expect(context).toEqual({ entityId: 'cases', subEntityId: `cases:${reference}` });

    const tab = await openInTeams(page, t.w.url, { ...context, ...(await signedIn(dslPrep)) });
    await tab.getByRole('heading', { name: `Case ${reference}` }).waitFor();
    expect(await tab.locator('dl[aria-label="What was reported"]').innerText()).toContain(ALEX_STORY);
    await tab.getByRole('button', { name: 'Acknowledge' }).click();
    await tab.getByText('Acknowledged: the reporter and the others it went to are told.').waitFor();
  }, LONG);

  it('the link of the overdue-transfer card opens the child\'s record', async () => {
    const context = deepLinkContext(t.w.app.services.outbox.link('cases', `learner:${alex}`));
    expect(context).toEqual({ entityId: 'cases', subEntityId: `cases:learner:${alex}` });
    const tab = await openInTeams(page, t.w.url, { ...context, ...(await signedIn(dslPrep)) });
    await tab.getByRole('heading', { name: 'Alex Morgan: chronology' }).waitFor();
    expect(await tab.locator('table[aria-label="Cases about Alex Morgan"]').innerText()).toContain(reference);
    await tab.getByRole('button', { name: 'Prepare transfer' }).waitFor();
  }, LONG);

  it('someone the Cases page is not open to, given a case\'s link, sees their own records and nothing of the case', async () => {
    const tab = await openInTeams(page, t.w.url, { ...deepLinkContext(t.w.app.services.outbox.caseLink(reference)), ...(await signedIn(reporter)) });
    await tab.getByRole('heading', { name: 'My records' }).waitFor();
    expect(await tab.getByRole('tab', { name: 'Cases' }).count()).toBe(0);
    expect(await tab.locator('body').innerText()).not.toContain(ALEX_STORY);
  }, LONG);
});
