/**
 * "Raise a concern" and "My concerns" in headless Chromium (PRODUCT.md §1, §8): the page the server
 * serves at /tab, against the real server in local mode, Azurite and the stubs. The form goes to the same
 * checks and the same path as the chat's card: the DSL's card reaches the connector stub, and the
 * reporter's list shows the concern and, once the DSL has pressed Acknowledge, that it was acknowledged.
 */
import type { Browser, Page } from 'playwright-core';
import { textOf } from '../support/cards';
import { openAs as openTab, freshPage, startWorldAndBrowser } from '../support/tabPage';
import { PEOPLE, type TestPerson } from '../support/people';
import { problemsIn, type World } from '../support/world';

const { reporter, teacher, dslPrep, office } = PEOPLE;
// Monday 23 November 2026; time still runs.
const offset = Date.parse('2026-11-23T10:00:00Z') - Date.now();
const clock = () => new Date(Date.now() + offset);

let w: World;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ w, browser } = await startWorldAndBrowser({ clock }));
  // The roster the typeahead finds learners in (the register's learners).
  const res = await fetch(`${w.url}/api/tab/people/import`, {
    method: 'POST',
    headers: { 'x-demo-user': office.id, 'content-type': 'application/json' },
    body: JSON.stringify({ csv: 'kind,id,name,year group\nlearner,A1,Alex Morgan,Year 1\nlearner,A2,Bea Khan,Year 5\n' }),
  });
  if (res.status >= 300) throw new Error(`import: ${res.status} ${await res.text()}`);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  if (w) {
    await w.stop();
    // Every card the bot sent (the DSL's, the receipts in chat) passes the Adaptive Cards 1.5 check.
    expect(problemsIn(w.cards)).toEqual([]);
  }
});
beforeEach(async () => {
  page = await freshPage(browser, 15_000);
});
afterEach(async () => {
  await page.close();
});

async function openAs(person: TestPerson, query = '?page=raise') {
  await openTab(page, w.url, person, query);
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  if (query) await page.getByRole('heading', { name: 'Raise a concern' }).waitFor();
}

const cases = () => w.app.services.stores.cases.listCases(w.setup.schoolId);
const form = () => page.getByRole('form', { name: 'Raise a concern' });
const myConcerns = () => page.locator('table[aria-label="My concerns"] tbody tr');

describe('the Raise a concern page', () => {
  it('is in every member of staff\'s navigation, and its guidance is the category\'s own', async () => {
    await openAs(teacher, '');
    await page.getByRole('tab', { name: 'Raise a concern' }).click();
    await form().getByRole('radio', { name: 'Sharing nudes', exact: false }).check();
    await page.getByLabel('Guidance').getByText(/do not view, copy, print/i).waitFor();
    expect(await form().getByLabel('Web address (URL), if relevant').count()).toBe(0);
    await page.getByText('You have not raised a concern yet.').waitFor();
  });

  it('shows each problem the server finds, keeps what was typed, and stores nothing', async () => {
    await openAs(teacher);
    await form().getByRole('radio', { name: 'Filtering breach', exact: false }).check();
    await form().getByLabel('Web address (URL), if relevant').fill('ftp://example.org/x');
    await form().getByLabel(/Learner 1: or their name/).fill('Sam Pupil');
    await form().getByRole('button', { name: 'Send to the DSL' }).click();
    const problems = page.getByLabel('Please check the form');
    await problems.getByText('Say what happened.').waitFor();
    for (const p of ['Choose where it happened.', 'Choose the device involved.', 'The web address must start with http:// or https://.']) await problems.getByText(p).waitFor();
    expect(await form().getByLabel(/Learner 1: or their name/).inputValue()).toBe('Sam Pupil');
    expect(await cases()).toHaveLength(0);
  });

  it('raises a concern: the receipt, the DSL\'s card, the receipt in the chat, and My concerns until it is acknowledged', async () => {
    await openAs(reporter);
    await form().getByRole('radio', { name: 'Cyberbullying' }).check();
    // A learner from the school's list (Year 5: the Prep DSL), as the chat's typeahead finds them.
    await form().getByRole('combobox', { name: /Learner 1: find on the school's list/ }).fill('bea');
    await page.getByRole('option', { name: 'Bea Khan (Year 5)' }).click();
    await form().getByLabel('What happened? (words only: no images, no attachments)').fill('Unkind messages about Bea in a class group chat.');
    await form().getByLabel('Time (if known)').fill('09:15');
    await form().getByLabel('Where').selectOption('offSite');
    await form().getByLabel('Device').selectOption('personalDevice');
    await form().getByRole('button', { name: 'Send to the DSL' }).click();

    const receipt = page.getByRole('status', { name: 'Receipt' });
    await receipt.getByText('Concern sent').waitFor();
    const reference = (await receipt.locator('[data-reference-value]').textContent())!.trim();
    expect(reference).toMatch(/^SMP-2026-\d{4}$/);
    await receipt.getByText('Waiting for acknowledgement').waitFor();

    const [stored] = (await cases()).filter((c) => c.reference === reference);
    expect(stored.reporter.id).toBe(reporter.id);
    expect(stored.concern).toMatchObject({ category: 'cyberbullying', happenedOn: '2026-11-23', happenedAt: '09:15', location: 'offSite', learners: [{ name: 'Bea Khan', yearGroup: 'Year 5', learnerId: 'csv-learner-A2' }] });
    expect(stored.recipients.map((r) => r.id)).toEqual([dslPrep.id]);
    // The DSL's card, and the receipt in the reporter's chat with the bot (no narrative, no name).
    const sent = await w.connector.waitFor((all) => [dslPrep, reporter].every((p) => all.some((s) => s.conversationId === `19:personal-chat-${p.id}` && s.activity.attachments?.length)));
    const toDsl = sent.find((s) => s.conversationId === `19:personal-chat-${dslPrep.id}`)!;
    expect(textOf(toDsl.activity.attachments[0].content)).toContain(reference);
    const toReporter = sent.find((s) => s.conversationId === `19:personal-chat-${reporter.id}`)!;
    expect(textOf(toReporter.activity.attachments[0].content)).toContain(reference);
    expect(JSON.stringify(toReporter.activity)).not.toMatch(/Bea|Unkind/);

    // My concerns: the reporter's own, waiting; not in anyone else's list.
    const row = page.locator(`tr[data-reference="${reference}"]`);
    await row.getByText('Waiting for acknowledgement').waitFor();
    await row.getByText('Cyberbullying').waitFor();
    expect(await row.textContent()).not.toMatch(/Bea|Unkind|Priya/);

    // The DSL acknowledges from their card; the list says so.
    const ack = await w.invoke(dslPrep, 'acknowledge', { reference });
    expect(ack.status).toBe(200);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await row.locator('[data-acknowledged="yes"]').getByText(/Acknowledged by Priya Shah/).waitFor();
    // Each read of the list is audited, as every read of a case is.
    expect((await w.app.services.stores.audit.forCase(w.setup.schoolId, `reporter|${reporter.id}`)).map((a) => a.action)).toContain('own concerns read');

    // A receipt's deep link opens the page with that concern picked out.
    await openAs(reporter, `?page=raise&sub=${reference}`);
    await page.locator(`tr[data-reference="${reference}"]`).getByText(/Acknowledged by Priya Shah/).waitFor();

    // Someone else's list does not have it.
    await page.evaluate(() => sessionStorage.clear());
    await openAs(teacher);
    await page.getByText('You have not raised a concern yet.').waitFor();
  });

  it('"Someone is in immediate danger" says call 999 first, and marks the concern urgent', async () => {
    await openAs(teacher);
    await form().getByRole('button', { name: 'Someone is in immediate danger' }).click();
    await form().getByText('Call 999 now.').waitFor();
    await form().getByRole('radio', { name: 'Other online-safety or welfare concern', exact: false }).check();
    await form().getByLabel('What happened? (words only: no images, no attachments)').fill('A pupil says an adult they met online is waiting outside.');
    await form().getByLabel(/Learner 1: year group/).selectOption('unknown');
    await form().getByLabel('Where').selectOption('onSite');
    await form().getByLabel('Device').selectOption('unknown');
    await form().getByRole('button', { name: 'Send to the DSL' }).click();
    const receipt = page.getByRole('status', { name: 'Receipt' });
    await receipt.getByText('If you have not already: call 999 now.').waitFor();
    await receipt.getByText('Sent to the safeguarding team at once.').waitFor();
    const reference = (await receipt.locator('[data-reference-value]').textContent())!.trim();
    const stored = await w.app.services.stores.cases.getCase(w.setup.schoolId, reference);
    expect(stored!.urgent).toBe(true);
    expect(stored!.concern.immediateDanger).toBe(true);
  });
});
