/** Bad input gets a clear message or a 4xx, never a 500, and changes nothing. */
import { textOf } from '../support/cards';
import { PEOPLE } from '../support/people';
import { problemsIn, startWorld, type World } from '../support/world';

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

  it('other activity types are accepted and ignored', async () => {
    const r = await w.post(w.activity(reporter, { type: 'typing' }));
    expect(r.status).toBe(200);
  });
});
