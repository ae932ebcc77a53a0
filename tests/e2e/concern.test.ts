/**
 * Raising a concern and acknowledging it, end to end: activities over HTTP to the real server, a real
 * Azurite, and local stubs of the Bot Connector and Microsoft Graph.
 */
import { textOf } from '../support/cards';
import { PEOPLE } from '../support/people';
import { conversationOf, problemsIn, startWorld, type World } from '../support/world';

const { reporter, dslPrep, dslPrePrep, osl, head, chair, deputy, tech, teacher } = PEOPLE;
const allCards: unknown[] = [];

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.stop();
  allCards.push(...w.cards);
});

/** Case cards sent to a person's 1:1 chat (the stub's conversation ids follow the person): not the help card a "hi" gets. */
const alertsTo = (person: { id: string }) =>
  w.connector.sent.filter((s) => (s.kind === 'send' || s.kind === 'reply') && s.conversationId.includes(person.id) && s.activity.attachments?.length && String(s.activity.summary ?? '').startsWith('Online-safety concern'));

async function casesInStore() {
  return w.app.services.stores.cases.listCases(w.setup.schoolId);
}

describe('raising a concern', () => {
  it('greets a person who installs the app, with the raise-a-concern card', async () => {
    const status = await w.post(w.activity(reporter, { type: 'conversationUpdate', membersAdded: [{ id: '28:bot-id' }] }));
    expect(status.status).toBe(200);
    const sent = await w.connector.waitFor((all) => all.some((s) => s.conversationId === conversationOf(reporter)));
    const card = sent[0].activity.attachments[0].content;
    expect(textOf(card)).toMatch(/call 999 now/i);
    expect(JSON.stringify(card)).toContain('chooseCategory');
  });

  it('answers any message with help and the card', async () => {
    expect(await w.say(reporter, 'hello')).toBe(200);
    const sent = await w.connector.waitFor((all) => all.length > 0);
    expect(sent[0].activity.text).toMatch(/raise an online-safety concern/i);
    expect(sent[0].activity.attachments[0].content.actions.map((a: any) => a.verb)).toContain('chooseCategory');
  });

  it('shows the category\'s own guidance before anything is written (sexting: never view)', async () => {
    const { card } = await w.openForm(reporter, 'sharingNudes');
    expect(textOf(card)).toMatch(/do not view, copy, print/i);
    expect(JSON.stringify(card)).not.toMatch(/"url"/);
  });

  it('immediate danger shows "call 999 now" first', async () => {
    const r = await w.invoke(reporter, 'immediateDanger', {});
    expect(textOf(r.body.value).split('\n').slice(0, 3).join(' ')).toMatch(/call 999 now/i);
    const { card } = await w.openForm(reporter, 'cyberbullying', true);
    expect(card.body[0].items[0].text).toMatch(/Call 999 now/);
  });

  it('a Year 1 concern reaches the Pre-Prep DSL only, with a receipt to the reporter', async () => {
    const { reply, reference } = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 1' });
    expect(reply.status).toBe(200);
    expect(reference).toMatch(/^SMP-\d{4}-0001$/);
    expect(textOf(reply.body.value)).toMatch(/Waiting for acknowledgement/);
    await w.connector.waitFor(() => alertsTo(dslPrePrep).length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(alertsTo(dslPrep)).toHaveLength(0);
    expect(alertsTo(osl)).toHaveLength(0);
    const alert = alertsTo(dslPrePrep)[0].activity.attachments[0].content;
    expect(textOf(alert)).toContain(reference);
    expect(textOf(alert)).toContain('Sam Taylor');
    // The minimum only: no narrative and no learner names in the chat (§3).
    expect(JSON.stringify(alert)).not.toContain('A description of what happened');
    expect(JSON.stringify(alert)).not.toContain('Learner A');
    const [stored] = await casesInStore();
    expect(stored.concern.whatHappened).toBe('A description of what happened.');
    expect(stored.recipients.map((r) => r.id)).toEqual([dslPrePrep.id]);
  });

  it('a Year 5 concern reaches the Prep DSL only', async () => {
    await w.raise(reporter, 'onlineHate', { learnerYear1: 'Year 5' });
    await w.connector.waitFor(() => alertsTo(dslPrep).length === 1);
    expect(alertsTo(dslPrePrep)).toHaveLength(0);
  });

  it('an unknown year group reaches both DSLs', async () => {
    await w.raise(reporter, 'other', { learnerYear1: '', learnerName1: 'Unknown learner' });
    await w.connector.waitFor(() => alertsTo(dslPrep).length === 1 && alertsTo(dslPrePrep).length === 1);
  });

  it('an allegation about a member of staff goes to the Headteacher, never to the person it is about', async () => {
    const { reference } = await w.raise(reporter, 'staffAllegation', { staffInvolvedId: dslPrep.id });
    expect(reference).toBeDefined();
    await w.connector.waitFor(() => alertsTo(head).length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(alertsTo(dslPrep)).toHaveLength(0);
    expect(alertsTo(dslPrePrep)).toHaveLength(0);
  });

  it('an allegation about the Headteacher goes to the Chair of Governors', async () => {
    await w.raise(reporter, 'staffAllegation', { staffInvolvedId: head.id });
    await w.connector.waitFor(() => alertsTo(chair).length === 1);
    expect(alertsTo(head)).toHaveLength(0);
  });

  it('the subject never receives the concern, even in immediate danger', async () => {
    await w.raise(reporter, 'indecentImages', { staffInvolvedId: dslPrep.id, immediateDanger: 'yes' });
    await w.connector.waitFor(() => alertsTo(head).length === 1 && alertsTo(osl).length === 1 && alertsTo(dslPrePrep).length === 1);
    expect(alertsTo(dslPrep)).toHaveLength(0);
  });

  it('immediate danger tells every DSL and the Online Safety Lead at once, marked urgent', async () => {
    const { reply } = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 1', immediateDanger: 'yes' });
    expect(textOf(reply.body.value)).toMatch(/call 999 now/i);
    await w.connector.waitFor(() => [dslPrep, dslPrePrep, osl].every((p) => alertsTo(p).length === 1));
    expect(textOf(alertsTo(osl)[0].activity.attachments[0].content)).toMatch(/URGENT/);
    expect(alertsTo(deputy)).toHaveLength(0);
  });

  it('a filtering breach tells the technical staff as well', async () => {
    await w.raise(reporter, 'filteringBreach', { url: 'https://example.org/page' });
    await w.connector.waitFor(() => alertsTo(dslPrep).length === 1 && alertsTo(tech).length === 1);
  });

  it('a double submit makes one case, and the second press gets the same receipt', async () => {
    const { formId } = await w.openForm(reporter, 'cyberbullying');
    const data = { formId, category: 'cyberbullying', learnerName1: 'L', learnerYear1: 'Year 4', whatHappened: 'x', happenedOn: '2026-11-20', location: 'onSite', device: 'none', immediateDanger: 'no' };
    const [a, b, c] = await Promise.all([w.invoke(reporter, 'submitConcern', data), w.invoke(reporter, 'submitConcern', data), w.invoke(reporter, 'submitConcern', data)]);
    const refs = [a, b, c].map((r) => JSON.stringify(r.body.value).match(/SMP-\d{4}-\d{4}/)?.[0]);
    expect(new Set(refs).size).toBe(1);
    expect(await casesInStore()).toHaveLength(1);
    await w.connector.waitFor(() => alertsTo(dslPrep).length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(alertsTo(dslPrep)).toHaveLength(1);
  });

  it('many reporters at once get unique, consecutive references, and every case reaches the case list', async () => {
    const listed = async () => new Set((await w.app.services.stores.cases.allCases(w.setup.schoolId)).keys());
    expect(await listed()).toEqual(new Set());
    const replies = await Promise.all(Array.from({ length: 12 }, () => w.raise(reporter, 'other')));
    const refs = replies.map((r) => r.reference).sort();
    expect(new Set(refs).size).toBe(12);
    expect(refs[11]).toMatch(/-0012$/);
    expect(await listed()).toEqual(new Set(refs));
  });

  it('an image sent in the chat gets the never-view guidance and is neither stored nor forwarded', async () => {
    await w.raise(reporter, 'sharingNudes');
    const before = w.connector.sent.length;
    const status = await w.say(reporter, '', { attachments: [{ contentType: 'image/png', contentUrl: 'https://example.org/secret.png', name: 'secret.png' }] });
    expect(status).toBe(200);
    const sent = await w.connector.waitFor((all) => all.length > before && all.some((s) => s.conversationId === conversationOf(reporter) && /never/i.test(textOf(s.activity.attachments?.[0]?.content))));
    expect(JSON.stringify(sent)).not.toContain('secret.png');
    const everything = JSON.stringify(await casesInStore());
    expect(everything).not.toContain('secret.png');
    for (const table of Object.values(w.tables)) {
      for await (const e of (table as any).listEntities()) expect(JSON.stringify(e)).not.toContain('secret.png');
    }
  });

  it('an image pasted into the form is refused and nothing is stored', async () => {
    const { reply } = await w.raise(reporter, 'sharingNudes', { whatHappened: 'see data:image/png;base64,iVBORw0KGgo=' });
    expect(textOf(reply.body.value)).toMatch(/Images are never accepted/);
    expect(await casesInStore()).toHaveLength(0);
  });
});

describe('who may raise a concern', () => {
  it('someone Teams knows who is not on the school\'s staff list (a pupil shares the tenant) gets no form, and a form sent anyway stores nothing', async () => {
    const pupil = { id: '00000000-0000-4000-8000-0000000000fe', displayName: 'Alex Pupil', roles: [] };
    const { formId } = await w.openForm(reporter, 'cyberbullying');
    const before = (await casesInStore()).length;
    const chose = await w.invoke(pupil, 'chooseCategory', { category: 'cyberbullying' });
    expect(chose.status).toBe(200);
    expect(textOf(chose.body.value)).toMatch(/Only staff of .* can raise a concern here/);
    expect(JSON.stringify(chose.body.value)).not.toContain('submitConcern');
    const sent = await w.invoke(pupil, 'submitConcern', { formId, category: 'cyberbullying', learnerName1: 'L', learnerYear1: 'Year 5', whatHappened: 'x', happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: 'no' });
    expect(textOf(sent.body.value)).toMatch(/Only staff/);
    expect(await casesInStore()).toHaveLength(before);
    expect(w.logs.some((l) => l.message === 'a concern was started by someone not on the staff list')).toBe(true);
  });
});

describe('routing through Microsoft Graph', () => {
  it('reads group members across several pages', async () => {
    await w.stop();
    const many = Array.from({ length: 250 }, (_, i) => ({ id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, displayName: `Staff ${i}`, roles: ['allStaff' as const] }));
    w = await startWorld({ people: [...Object.values(PEOPLE), ...many] });
    w.graph.pageSize = 40;
    const { card } = await w.openForm(reporter, 'staffAllegation');
    const staffChoices = card.body.find((b: any) => b.id === 'staffInvolvedId').choices;
    expect(staffChoices.length).toBe(Object.values(PEOPLE).length + 250);
    expect(w.graph.requests.filter((r) => r.path.includes('transitiveMembers')).length).toBeGreaterThanOrEqual(7);
    await w.raise(reporter, 'staffAllegation', { staffInvolvedId: many[249].id });
    await w.connector.waitFor(() => alertsTo(head).length === 1);
  });

  it('when Graph is down, the concern is stored and the last known recipients are told, and the case says so', async () => {
    await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    await w.connector.waitFor(() => alertsTo(dslPrep).length === 1);
    w.graph.down = true;
    const { reference, reply } = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    expect(reply.status).toBe(200);
    await w.connector.waitFor(() => alertsTo(dslPrep).length === 2);
    const stored = await w.app.services.stores.cases.getCase(w.setup.schoolId, reference!);
    expect(stored!.directoryStale).toBe(true);
    expect(stored!.routeReasons.join(' ')).toMatch(/Graph could not be reached/);
    expect(textOf(alertsTo(dslPrep)[1].activity.attachments[0].content)).toMatch(/last successful lookup/);
  });

  it('installs the app through Graph for a recipient who never wrote to the bot, and reaches them in that chat', async () => {
    await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    await w.connector.waitFor(() => w.connector.sent.some((s) => s.conversationId === `19:personal-chat-${dslPrep.id}`));
    expect(w.graph.installs).toContain(dslPrep.id);
  });

  it('uses the stored conversation of a recipient who has written to the bot', async () => {
    await w.say(dslPrep, 'hi');
    await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    await w.connector.waitFor(() => w.connector.sent.filter((s) => s.conversationId === conversationOf(dslPrep)).length === 2);
    expect(w.graph.installs).not.toContain(dslPrep.id);
  });
});

describe('acknowledging', () => {
  async function raised(category = 'cyberbullying', fields: Record<string, string> = { learnerYear1: 'Year 5' }) {
    for (const p of [dslPrep, dslPrePrep, osl, head]) await w.say(p, 'hi');
    const r = await w.raise(reporter, category, fields);
    return r.reference!;
  }

  it('the DSL acknowledges with one button; every copy of the card and the reporter are told', async () => {
    const reference = await raised('cyberbullying', { learnerYear1: 'Year 5', immediateDanger: 'yes' });
    await w.connector.waitFor(() => [dslPrep, dslPrePrep, osl].every((p) => alertsTo(p).length === 1));
    const reply = await w.invoke(dslPrep, 'acknowledge', { reference });
    expect(reply.status).toBe(200);
    expect(textOf(reply.body.value)).toMatch(/Acknowledged by Priya Shah at/);
    expect(JSON.stringify(reply.body.value.actions)).not.toContain('"acknowledge"');
    await w.connector.waitFor((all) => [dslPrep, dslPrePrep, osl].every((p) => all.some((s) => s.kind === 'update' && s.conversationId === conversationOf(p))));
    for (const p of [dslPrePrep, osl]) {
      const update = w.connector.sent.find((s) => s.kind === 'update' && s.conversationId === conversationOf(p))!;
      expect(textOf(update.activity.attachments[0].content)).toMatch(/Acknowledged by Priya Shah/);
    }
    const told = await w.connector.waitFor((all) => all.some((s) => s.conversationId === conversationOf(reporter) && /acknowledged by Priya Shah/i.test(s.activity.text ?? '')));
    expect(told.some((s) => s.kind === 'update' && s.conversationId === conversationOf(reporter) && /Acknowledged by Priya Shah/.test(textOf(s.activity.attachments?.[0]?.content)))).toBe(true);
    const stored = await w.app.services.stores.cases.getCase(w.setup.schoolId, reference);
    expect(stored!.acknowledgedBy!.id).toBe(dslPrep.id);
  });

  it('an acknowledgement by someone who is not a recipient is refused and changes nothing', async () => {
    const reference = await raised();
    const reply = await w.invoke(teacher, 'acknowledge', { reference });
    expect(reply.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(reply.body.value).toMatch(/only the people this concern was sent to/i);
    const forged = await w.invoke(dslPrePrep, 'acknowledge', { reference, recipients: [dslPrePrep.id], acknowledgedBy: dslPrePrep.id });
    expect(forged.body.value).toMatch(/only the people/i);
    const stored = await w.app.services.stores.cases.getCase(w.setup.schoolId, reference);
    expect(stored!.status).toBe('open');
    expect(stored!.acknowledgedBy).toBeUndefined();
    const audit = await w.app.services.stores.audit.forCase(w.setup.schoolId, reference);
    expect(audit.filter((a) => /refused/.test(a.action))).toHaveLength(2);
  });

  it('a second press changes nothing', async () => {
    const reference = await raised();
    await w.invoke(dslPrep, 'acknowledge', { reference });
    const first = await w.app.services.stores.cases.getCase(w.setup.schoolId, reference);
    const again = await w.invoke(dslPrep, 'acknowledge', { reference });
    expect(textOf(again.body.value)).toMatch(/Acknowledged by Priya Shah/);
    const second = await w.app.services.stores.cases.getCase(w.setup.schoolId, reference);
    expect(second!.acknowledgedAt).toBe(first!.acknowledgedAt);
    expect(second!.etag).toBe(first!.etag);
  });

  it('two DSLs pressing at the same moment give exactly one acknowledgement', async () => {
    const reference = await raised('other', { learnerYear1: '' });
    const replies = await Promise.all([w.invoke(dslPrep, 'acknowledge', { reference }), w.invoke(dslPrePrep, 'acknowledge', { reference })]);
    const texts = replies.map((r) => textOf(r.body.value));
    const stored = await w.app.services.stores.cases.getCase(w.setup.schoolId, reference);
    const winner = stored!.acknowledgedBy!.displayName;
    expect(texts.every((t) => t.includes(`Acknowledged by ${winner}`))).toBe(true);
    const acks = (await w.app.services.stores.audit.forCase(w.setup.schoolId, reference)).filter((a) => a.action === 'acknowledged');
    expect(acks).toHaveLength(1);
    await w.connector.waitFor((all) => all.filter((s) => s.conversationId === conversationOf(reporter) && /acknowledged by/i.test(s.activity.text ?? '')).length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(w.connector.sent.filter((s) => s.conversationId === conversationOf(reporter) && /acknowledged by/i.test(s.activity.text ?? ''))).toHaveLength(1);
  });
});

afterAll(() => {
  // Every card the bot sent passes the Adaptive Cards 1.5 schema check.
  expect(allCards.length).toBeGreaterThan(20);
  expect(problemsIn(allCards)).toEqual([]);
});
