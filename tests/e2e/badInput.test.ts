/** Bad input gets a clear message or a 4xx, never a 500, and changes nothing. */
import { textOf } from '../support/cards';
import { PEOPLE } from '../support/people';
import { problemsIn, startWorld, TENANT, type World } from '../support/world';

const { reporter, dslPrep } = PEOPLE;
let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w.stop();
  expect(problemsIn(w.cards)).toEqual([]);
});

const stored = () => w.app.services.stores.cases.listCases(w.setup.schoolId);
const valid = (formId: string) => ({
  formId, category: 'cyberbullying', learnerName1: 'L', learnerYear1: 'Year 4', whatHappened: 'x', happenedOn: '2026-11-20', location: 'onSite', device: 'none', immediateDanger: 'no',
});

describe('bad input changes nothing', () => {
  it('a body that is not JSON gets a 400', async () => {
    const r = await w.post('{"type": "message", ', {});
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/not valid JSON/);
  });

  it('JSON that is not an activity gets a 400', async () => {
    for (const body of ['[]', '"text"', '{"text":"no type"}', 'null']) {
      const r = await w.post(body);
      expect(r.status).toBe(400);
    }
  });

  it('an oversized body gets a 413', async () => {
    const r = await w.post(w.activity(reporter, { type: 'message', text: 'x'.repeat(300 * 1024) }));
    expect(r.status).toBe(413);
  });

  it('an invoke with no value, or an unknown verb, or another invoke name gets a 400 with a message', async () => {
    const noValue = await w.post(w.activity(reporter, { type: 'invoke', name: 'adaptiveCard/action' }));
    expect(noValue.status).toBe(400);
    expect(JSON.parse(noValue.text).value.message).toMatch(/could not be read/);
    const unknown = await w.invoke(reporter, 'deleteEverything', {});
    expect(unknown.status).toBe(400);
    expect(unknown.body.value.message).toMatch(/Unknown action/);
    const other = await w.post(w.activity(reporter, { type: 'invoke', name: 'composeExtension/query', value: {} }));
    expect(other.status).toBe(400);
    const proto = await w.invoke(reporter, 'constructor', {});
    expect(proto.status).toBe(400);
  });

  it('an invoke without the person\'s Entra id is refused', async () => {
    const r = await w.post(w.activity({ ...reporter, id: '' }, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'acknowledge', data: { reference: 'SMP-2026-0001' } } }, from: { id: '29:x', name: 'X' } }));
    expect(r.status).toBe(403);
  });

  it('an activity from another tenant is refused', async () => {
    const r = await w.post(w.activity(reporter, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'chooseCategory', data: { category: 'other' } } }, conversation: { id: 'x', conversationType: 'personal', tenantId: 'bbbbbbbb-0000-4000-8000-000000000000' }, channelData: { tenant: { id: 'bbbbbbbb-0000-4000-8000-000000000000' } } }));
    expect(r.status).toBe(403);
  });

  it('a submit with missing fields shows the form again with each problem, keeping what was typed', async () => {
    const { formId } = await w.openForm(reporter, 'cyberbullying');
    const r = await w.invoke(reporter, 'submitConcern', { formId, category: 'cyberbullying', learnerName1: 'Kept name' });
    expect(r.status).toBe(200);
    const text = textOf(r.body.value);
    expect(text).toMatch(/Say what happened/);
    expect(text).toMatch(/Choose where it happened/);
    expect(text).toMatch(/Say whether anyone is in immediate danger/);
    expect(JSON.stringify(r.body.value)).toContain('Kept name');
    expect(await stored()).toHaveLength(0);
  });

  it('a submit with unknown fields is refused', async () => {
    const { formId } = await w.openForm(reporter, 'cyberbullying');
    const r = await w.invoke(reporter, 'submitConcern', { ...valid(formId), recipients: [dslPrep.id], attachment: 'x' });
    expect(textOf(r.body.value)).toMatch(/fields it should not have \(recipients, attachment\)/);
    expect(await stored()).toHaveLength(0);
  });

  it('oversized text is refused with the limit, and nothing is stored', async () => {
    const { formId } = await w.openForm(reporter, 'cyberbullying');
    const r = await w.invoke(reporter, 'submitConcern', { ...valid(formId), whatHappened: 'y'.repeat(9000) });
    expect(textOf(r.body.value)).toMatch(/What happened is 9,000 characters long; the limit is 8,000/);
    const r2 = await w.invoke(reporter, 'submitConcern', { ...valid(formId), learnerName1: 'n'.repeat(500) });
    expect(textOf(r2.body.value)).toMatch(/Learner 1 name is 500 characters long; the limit is 120/);
    expect(await stored()).toHaveLength(0);
  });

  it('wrong types, an unknown category, a bad date, URL or year group are each named', async () => {
    const { formId } = await w.openForm(reporter, 'filteringBreach');
    const r = await w.invoke(reporter, 'submitConcern', { ...valid(formId), category: 'filteringBreach', happenedOn: '2999-01-01', url: 'javascript:alert(1)', learnerYear1: 'Year 42', whatHappened: { nested: true } });
    const text = textOf(r.body.value);
    expect(text).toMatch(/What happened: expected text/);
    expect(text).toMatch(/cannot be in the future/);
    expect(text).toMatch(/must start with http/);
    expect(text).toMatch(/"Year 42" is not a year group/);
    const r2 = await w.invoke(reporter, 'submitConcern', { ...valid(formId), category: 'notACategory' });
    expect(textOf(r2.body.value)).toMatch(/Choose the kind of concern/);
    expect(await stored()).toHaveLength(0);
  });

  it('naming someone who is not on the staff list is refused', async () => {
    const { formId } = await w.openForm(reporter, 'staffAllegation');
    const r = await w.invoke(reporter, 'submitConcern', { ...valid(formId), category: 'staffAllegation', staffInvolvedId: 'ffffffff-0000-4000-8000-000000000000' });
    expect(textOf(r.body.value)).toMatch(/not on the school's staff list/);
    const r2 = await w.invoke(reporter, 'submitConcern', { ...valid(formId), category: 'staffAllegation' });
    expect(textOf(r2.body.value)).toMatch(/Choose the member of staff/i);
    expect(await stored()).toHaveLength(0);
  });

  it('a form id that was never issued is refused', async () => {
    const r = await w.invoke(reporter, 'submitConcern', { ...valid('not-a-form') });
    expect(textOf(r.body.value)).toMatch(/could not be matched/);
    expect(await stored()).toHaveLength(0);
  });

  it('an acknowledgement for a case that does not exist gets a 404, and a malformed one a 400', async () => {
    const missing = await w.invoke(dslPrep, 'acknowledge', { reference: 'SMP-2026-9999' });
    expect(missing.status).toBe(404);
    expect(missing.body.value.message).toMatch(/no concern SMP-2026-9999/);
    const malformed = await w.invoke(dslPrep, 'acknowledge', { reference: { $ne: null } });
    expect(malformed.status).toBe(400);
    const none = await w.invoke(dslPrep, 'acknowledge', {});
    expect(none.status).toBe(400);
  });

  it('an impossible date for when it happened is named, and nothing is stored', async () => {
    for (const happenedOn of ['2026-02-30', '0000-00-00', '2026-13-01']) {
      const { formId } = await w.openForm(reporter, 'cyberbullying');
      const r = await w.invoke(reporter, 'submitConcern', { ...valid(formId), happenedOn });
      expect(textOf(r.body.value)).toMatch(/The date it happened is not a real date/);
    }
    expect(await stored()).toHaveLength(0);
  });

  it('other activity types are accepted and ignored', async () => {
    const r = await w.post(w.activity(reporter, { type: 'typing' }));
    expect(r.status).toBe(200);
  });
});

/** Where a value nested thousands of lists deep goes in the body's text (too deep to JSON.stringify here). */
const DEEP = '@@nested@@';
const deepened = (json: string) => json.replace(`"${DEEP}"`, `${'['.repeat(5000)}"x"${']'.repeat(5000)}`);

describe('an activity with a field of the wrong shape is a 400 naming the field, before anything runs', () => {
  const conversation = (id: unknown) => ({ conversation: { id, conversationType: 'personal', tenantId: TENANT } });
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['attachments that are not a list', { attachments: 'x' }, /^attachments:/],
    ['an attachment that is null', { attachments: [null] }, /^attachments\.0:/],
    ['membersAdded that are not a list', { type: 'conversationUpdate', membersAdded: 'x' }, /^membersAdded:/],
    ['text that is a number', { text: 5 }, /^text:/],
    ['a conversation id that is not text', conversation([1e308, true]), /^conversation\.id:/],
    ['a from.id that is an object', { from: { id: {}, name: 'Sam', aadObjectId: reporter.id } }, /^from\.id:/],
    ['a locale that is an object', { locale: { lang: 'en' } }, /^locale:/],
    ['a conversation id with half of a surrogate pair', conversation('a:personal-\ud800'), /^conversation\.id:/],
    ['a conversation id outside Latin-1', conversation('a:personal-€'), /^conversation\.id:/],
    ['a name nested thousands of levels deep', { from: { id: '29:x', aadObjectId: reporter.id, name: DEEP } }, /nested more than/],
  ];

  it.each(cases)('%s', async (_what, fields, named) => {
    const sent = w.connector.sent.length;
    const errors = w.logs.filter((l) => l.level === 'error').length;
    const r = await w.post(deepened(JSON.stringify(w.activity(reporter, { type: 'message', text: 'hi', ...fields }))));
    expect(r.status).toBe(400);
    const body = JSON.parse(r.text) as { error: string; details?: string[] };
    expect([body.error, ...(body.details ?? [])].some((line) => named.test(line))).toBe(true);
    // Nothing ran: no reply, no error, nothing stored.
    expect(w.connector.sent.length).toBe(sent);
    expect(w.logs.filter((l) => l.level === 'error').length).toBe(errors);
    expect(await stored()).toHaveLength(0);
  });
});

describe('a body the JSON parser cannot read', () => {
  it('is answered with its 4xx and a message, and logged as a warning at most, never as an error', async () => {
    const body = JSON.stringify(w.activity(reporter, { type: 'message', text: 'hi' }));
    const send = (headers: Record<string, string>) => fetch(`${w.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const errors = w.logs.filter((l) => l.level === 'error').length;
    const sent = w.connector.sent.length;

    const charset = await send({ 'content-type': 'application/json; charset=x-unknown' });
    expect(charset.status).toBe(415);
    expect(((await charset.json()) as { error: string }).error).toMatch(/UTF-8/);
    const unknownEncoding = await send({ 'content-encoding': 'x-unknown' });
    expect(unknownEncoding.status).toBe(415);
    expect(((await unknownEncoding.json()) as { error: string }).error).toMatch(/Content-Encoding/);
    const notGzip = await send({ 'content-encoding': 'gzip' });
    expect(notGzip.status).toBe(400);
    expect(((await notGzip.json()) as { error: string }).error).toMatch(/could not be decompressed/);

    expect(w.logs.filter((l) => l.level === 'error').length).toBe(errors);
    expect(w.connector.sent.length).toBe(sent);
  });
});
