/**
 * "Report as a concern" on a Teams message (PRODUCT.md §8), end to end: the message extension's invokes
 * POSTed to /api/messages as Teams sends them (from a channel and from a group chat), the real server, a
 * real Azurite, and local stubs of the Bot Connector and Microsoft Graph. A third stub stands for every
 * address a reported message points at (its images, its files): it must never be asked for anything.
 */
import { startStub, type StubServer } from '../support/http';
import { textOf } from '../support/cards';
import { PEOPLE, type TestPerson } from '../support/people';
import { problemsIn, startWorld, TENANT, type World } from '../support/world';
import { casePage } from '../../tab/api/caseView';

const { reporter, dslPrep, teacher } = PEOPLE;
const pupil: TestPerson = { id: '00000000-0000-4000-8000-0000000000ff', displayName: 'Alex Pupil', roles: [] };
const allCards: unknown[] = [];

// Monday 23 November 2026, 10:00 in London; time still runs.
const offset = Date.parse('2026-11-23T10:00:00Z') - Date.now();
const clock = () => new Date(Date.now() + offset);

const CHANNEL_ID = '19:0a1b2c3d4e5f@thread.tacv2';
const MESSAGE_LINK = `https://teams.microsoft.com/l/message/${CHANNEL_ID}/1732098130123?tenantId=${TENANT}&groupId=7c1e&parentMessageId=1732098130123`;
/** Where an invoke comes from: a team's channel, or a group chat. */
const FROM_CHANNEL = {
  conversation: { id: `${CHANNEL_ID};messageid=1732098130123`, conversationType: 'channel', tenantId: TENANT, isGroup: true },
  channelData: { tenant: { id: TENANT }, team: { id: '19:team@thread.tacv2' }, channel: { id: CHANNEL_ID }, source: { name: 'message' } },
};
const FROM_GROUP_CHAT = {
  conversation: { id: '19:8f7e6d5c@thread.v2', conversationType: 'groupChat', tenantId: TENANT, isGroup: true },
  channelData: { tenant: { id: TENANT }, source: { name: 'message' } },
};
type Place = typeof FROM_CHANNEL | typeof FROM_GROUP_CHAT;

let w: World;
let outside: StubServer;
let outsideRequests: string[];

beforeEach(async () => {
  outsideRequests = [];
  [w, outside] = await Promise.all([
    startWorld({ clock }),
    startStub((req) => {
      outsideRequests.push(`${req.method} ${req.path}`);
      return { status: 200, body: {} };
    }),
  ]);
});
afterEach(async () => {
  await Promise.all([w.stop(), outside.close()]);
  allCards.push(...w.cards);
});

/** The message Teams describes in the invoke (`messagePayload`), sent on Friday 20 November at 15:42 in London. */
function message(fields: { html?: string; attachments?: unknown[]; author?: string } = {}) {
  return {
    id: '1732098130123',
    replyToId: null,
    createdDateTime: '2026-11-20T15:42:10.123Z',
    lastModifiedDateTime: null,
    deleted: false,
    subject: null,
    summary: null,
    importance: 'normal',
    locale: 'en-us',
    linkToMessage: MESSAGE_LINK,
    from: { user: { id: '00000000-0000-4000-8000-0000000000aa', displayName: fields.author ?? 'Jordan Smith', userIdentityType: 'aadUser' }, application: null, device: null, conversation: null },
    body: { contentType: 'html', content: fields.html ?? '<p>Everyone in 5B should <b>unfriend</b> Casey &amp; laugh at her photo</p><p>pass it on</p>' },
    attachments: fields.attachments ?? [],
    mentions: [],
    reactions: [],
  };
}

async function invoke(person: TestPerson, name: string, value: unknown, place: Place = FROM_CHANNEL, tenant = TENANT) {
  const where = tenant === TENANT ? place : { conversation: { ...place.conversation, tenantId: tenant }, channelData: { ...place.channelData, tenant: { id: tenant } } };
  const r = await w.post(w.activity(person, { type: 'invoke', name, value, ...where }));
  const body = r.text ? JSON.parse(r.text) : undefined;
  const card = body?.task?.value?.card?.content;
  if (card) w.cards.push(card);
  return { status: r.status, body, card };
}

const fetchTask = (person: TestPerson, payload: unknown, place?: Place, tenant?: string) =>
  invoke(person, 'composeExtension/fetchTask', { commandId: 'reportConcern', commandContext: 'message', context: { theme: 'default' }, messagePayload: payload }, place, tenant);

const submitAction = (person: TestPerson, payload: unknown, data: Record<string, unknown>, place?: Place, tenant?: string) =>
  invoke(person, 'composeExtension/submitAction', { commandId: 'reportConcern', commandContext: 'message', context: { theme: 'default' }, messagePayload: payload, data }, place, tenant);

/** Every input of a card with its value, as Teams sends them with an Action.Submit. */
function inputsOf(card: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') out[o.id] = typeof o.value === 'string' ? o.value : '';
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

const submitData = (card: any) => (card.actions ?? []).find((a: any) => a.type === 'Action.Submit' && a.data?.step === 'submitConcern')?.data;

/** fetchTask, then the kind of concern: the form, filled in from the message. */
async function openForm(person: TestPerson, payload: unknown, category: string, place?: Place) {
  const start = await fetchTask(person, payload, place);
  expect(start.status).toBe(200);
  const form = await submitAction(person, payload, { step: 'chooseCategory', category, immediateDanger: 'no' }, place);
  expect(form.status).toBe(200);
  const data = submitData(form.card);
  if (!data) throw new Error(`no form: ${JSON.stringify(form.body).slice(0, 400)}`);
  return { card: form.card, data, values: inputsOf(form.card) };
}

/** The whole dialog: the form as Teams sends it back, with the reporter's own answers. */
async function report(person: TestPerson, payload: unknown, category: string, fields: Record<string, string> = {}, place?: Place) {
  const { card, data, values } = await openForm(person, payload, category, place);
  const sent = { ...values, learnerName1: 'Casey Brown', learnerYear1: 'Year 5', location: 'offSite', device: 'personalDevice', ...fields, ...data };
  const reply = await submitAction(person, payload, sent, place);
  const reference = (JSON.stringify(reply.card ?? '').match(/[A-Z]{2,6}-\d{4}-\d{4}/) ?? [])[0];
  return { form: card, sent, reply, reference };
}

const cases = () => w.app.services.stores.cases.listCases(w.setup.schoolId);
const personalChat = (p: TestPerson) => `19:personal-chat-${p.id}`;
/** Graph was asked only who is on the staff (the directory), never for a message, its images or its files. */
/** What Graph may be asked: who is on the staff and in each role, installing the app to reach someone, and (urgent cases) activity-feed notifications. */
const STAFF_OR_INSTALL = /^\/v1\.0\/(groups\/[^/]+\/transitiveMembers\/microsoft\.graph\.user|users\/[^/]+\/teamwork\/(installedApps(\/[^/]+\/chat)?|sendActivityNotification))$/;
const graphAskedOnlyForStaff = () => w.graph.requests.every((r) => STAFF_OR_INSTALL.test(r.path));

describe('Report as a concern: the dialog', () => {
  it('from a channel message: the kind of concern first, then the form with the message\'s link, sender, time and words filled in', async () => {
    const payload = message();
    const start = await fetchTask(reporter, payload);
    expect(start.status).toBe(200);
    expect(start.body.task.type).toBe('continue');
    expect(start.body.task.value.title).toBe('Report as a concern');
    expect(start.body.task.value.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(textOf(start.card)).toContain('Reporting a message from Jordan Smith, sent 20 Nov 2026, 15:42');
    expect(textOf(start.card)).toMatch(/call 999 now/i);
    expect(textOf(start.card)).toMatch(/never opened, copied, stored or forwarded/);
    expect(start.card.actions.map((a: any) => [a.type, a.data?.step])).toContainEqual(['Action.Submit', 'chooseCategory']);
    expect(JSON.stringify(start.card)).not.toContain('Action.Execute');

    const { card, values } = await openForm(reporter, payload, 'cyberbullying');
    // The chat's form for that kind, with its guidance (§11.5: keep evidence).
    expect(textOf(card)).toContain('Cyberbullying');
    expect(textOf(card)).toMatch(/evidence/i);
    expect(values.messageLink).toBe(MESSAGE_LINK);
    expect(values.messageAuthor).toBe('Jordan Smith');
    expect(values.happenedOn).toBe('2026-11-20');
    expect(values.happenedAt).toBe('15:42');
    // Its words, as plain text, are the first line of "what happened", for the reporter to keep or delete.
    expect(values.whatHappened).toBe('The message said: Everyone in 5B should unfriend Casey & laugh at her photo\npass it on\n');
    expect(textOf(card)).toMatch(/keep them or delete them/);
    expect(graphAskedOnlyForStaff()).toBe(true);
    expect(await cases()).toHaveLength(0);
  });

  it('a message with images (in its text and hosted in Teams) and files: nothing of them is fetched, copied or stored, and the form says so', async () => {
    const payload = message({
      html: `<p>look at this</p><img src="${outside.url}/secret.png" alt="photo"><p><img src="https://graph.microsoft.com/v1.0/chats/19:x@thread.v2/messages/1732098130123/hostedContents/aWQ9eA==/$value" itemtype="http://schema.skype.com/AMSImage"></p><attachment id="f1"></attachment>`,
      attachments: [
        { id: 'f1', contentType: 'reference', contentUrl: `${outside.url}/sites/class/Shared%20Documents/evidence.docx`, name: 'evidence.docx' },
        { id: 'i1', contentType: 'image/png', contentUrl: `${outside.url}/photo.png`, name: 'photo.png' },
      ],
    });
    const { card, values } = await openForm(reporter, payload, 'sharingNudes');
    expect(textOf(card)).toMatch(/It has 4 images or files\. They have not been opened, copied or stored, and will not be forwarded/);
    expect(textOf(card)).toMatch(/do not view, copy, print/i);
    expect(values.whatHappened).toBe('The message said: look at this\n');
    const { reply, reference } = await report(reporter, payload, 'sharingNudes');
    expect(reply.status).toBe(200);
    expect(reference).toMatch(/^SMP-2026-0001$/);
    await w.app.services.outbox.idle();

    // Nobody asked for the images or the files: not the addresses in the message, not Graph.
    expect(outsideRequests).toEqual([]);
    expect(w.graph.requests.filter((r) => /messages|hostedContents|shares|drives|sites/i.test(r.path))).toEqual([]);
    expect(w.graph.requests.filter((r) => !STAFF_OR_INSTALL.test(r.path))).toEqual([]);
    // Sharing nudes is urgent: the activity-feed notifications open the case's page in the tab.
    expect(w.graph.notifications.length).toBeGreaterThan(0);
    for (const n of w.graph.notifications) {
      expect(n.body.topic).toEqual({ source: 'text', value: `Online-safety concern ${reference}`, webUrl: `https://teams.microsoft.com/l/entity/catalog-app-id/cases?context=${encodeURIComponent(JSON.stringify({ subEntityId: `cases:${reference}` }))}` });
    }
    // And none of them is stored anywhere.
    for (const table of Object.values(w.tables)) {
      for await (const e of (table as any).listEntities()) expect(JSON.stringify(e)).not.toMatch(new RegExp(`secret\\.png|photo\\.png|evidence\\.docx|hostedContents|${outside.url}`));
    }
  });

  it('from a group chat, the same dialog and the same case', async () => {
    const payload = message({ html: '<div>send me a pic or else</div>', author: 'Unknown adult' });
    const { values } = await openForm(reporter, payload, 'sexualAbuseExploitation', FROM_GROUP_CHAT);
    expect(values.whatHappened).toBe('The message said: send me a pic or else\n');
    expect(values.messageAuthor).toBe('Unknown adult');
    const { reply, reference } = await report(reporter, payload, 'sexualAbuseExploitation', {}, FROM_GROUP_CHAT);
    expect(textOf(reply.card)).toContain(reference);
    const [stored] = await cases();
    expect(stored.concern.category).toBe('sexualAbuseExploitation');
    expect(stored.concern.reportedMessage).toEqual({ link: MESSAGE_LINK, author: 'Unknown adult' });
    // The DSL's case page shows which message it was, and who sent it.
    const page = await casePage(w.app.services, stored, { id: dslPrep.id, roles: dslPrep.roles }, '2026-11-23');
    expect(page.concern.reportedMessage).toEqual({ link: MESSAGE_LINK, author: 'Unknown adult' });
  });

  it('"someone is in immediate danger" shows call 999 first, and the form comes marked', async () => {
    const payload = message();
    const danger = await submitAction(reporter, payload, { step: 'immediateDanger' });
    expect(textOf(danger.card).split('\n').slice(0, 4).join(' ')).toMatch(/call 999 now/i);
    const form = await submitAction(reporter, payload, { step: 'chooseCategory', category: 'cyberbullying', immediateDanger: 'yes' });
    expect(form.card.body[0].items[0].text).toMatch(/Call 999 now/);
    expect(inputsOf(form.card).immediateDanger).toBe('yes');
  });
});

describe('Report as a concern: sending it', () => {
  it('stores the case exactly as the chat does, routes it, and answers with the receipt, which also arrives in the reporter\'s chat', async () => {
    const payload = message();
    const { reply, reference } = await report(reporter, payload, 'cyberbullying');
    expect(reply.status).toBe(200);
    expect(reply.body.task.type).toBe('continue');
    expect(textOf(reply.card)).toMatch(/Concern sent/);
    expect(textOf(reply.card)).toMatch(/Waiting for acknowledgement/);
    expect(reply.card.actions).toContainEqual({ type: 'Action.OpenUrl', title: 'My concerns', url: `https://teams.microsoft.com/l/entity/catalog-app-id/raise?context=${encodeURIComponent(JSON.stringify({ subEntityId: `raise:${reference}` }))}` });

    const [stored] = await cases();
    expect(stored.reference).toBe(reference);
    expect(stored.reporter).toEqual({ id: reporter.id, displayName: reporter.displayName });
    expect(stored.concern).toMatchObject({ category: 'cyberbullying', happenedOn: '2026-11-20', happenedAt: '15:42', location: 'offSite', device: 'personalDevice', learners: [{ name: 'Casey Brown', yearGroup: 'Year 5' }] });
    expect(stored.concern.whatHappened).toMatch(/^The message said: Everyone in 5B/);
    expect(stored.recipients.map((r) => r.id)).toEqual([dslPrep.id]);
    const audit = await w.app.services.stores.audit.forCase(w.setup.schoolId, reference!);
    expect(audit.map((a) => a.action)).toContain('created');

    // The DSL's card, as for the chat.
    const alert = await w.connector.waitFor((all) => all.some((s) => s.conversationId === personalChat(dslPrep) && s.activity.attachments?.length));
    expect(textOf(alert.find((s) => s.conversationId === personalChat(dslPrep))!.activity.attachments[0].content)).toContain(reference);

    // The receipt in the reporter's own chat with the bot: the reference, never the narrative, a name or the message.
    const sent = await w.connector.waitFor((all) => all.some((s) => s.conversationId === personalChat(reporter)));
    const receipt = sent.find((s) => s.conversationId === personalChat(reporter))!;
    expect(receipt.activity.summary).toBe(`Concern sent: ${reference}`);
    const receiptJson = JSON.stringify(receipt.activity);
    expect(textOf(receipt.activity.attachments[0].content)).toContain(reference);
    for (const secret of ['Casey', '5B', 'unfriend', 'Jordan Smith', 'teams.microsoft.com/l/message', 'The message said']) expect(receiptJson).not.toContain(secret);

    // Acknowledged: that receipt shows it, and the reporter is told.
    const ack = await w.invoke(dslPrep, 'acknowledge', { reference });
    expect(ack.status).toBe(200);
    await w.connector.waitFor((all) => all.some((s) => s.kind === 'update' && s.conversationId === personalChat(reporter) && s.activityId === receipt.activityId && /Acknowledged by Priya Shah/.test(textOf(s.activity.attachments?.[0]?.content))));
    await w.connector.waitFor((all) => all.some((s) => s.conversationId === personalChat(reporter) && /acknowledged by Priya Shah/i.test(s.activity.text ?? '')));
  });

  it('a double submit makes one case; the second answer says it was already received, and one receipt reaches the chat', async () => {
    const payload = message();
    const { sent, reference } = await report(reporter, payload, 'onlineHate');
    const again = await submitAction(reporter, payload, sent);
    expect(again.status).toBe(200);
    expect(textOf(again.card)).toContain(reference);
    expect(textOf(again.card)).toMatch(/already received/);
    const [x, y] = await Promise.all([submitAction(reporter, payload, sent), submitAction(reporter, payload, sent)]);
    for (const r of [x, y]) expect(textOf(r.card)).toContain(reference);
    expect(await cases()).toHaveLength(1);
    await w.connector.waitFor((all) => all.some((s) => s.conversationId === personalChat(reporter)));
    await w.app.services.outbox.idle();
    await new Promise((r) => setTimeout(r, 200));
    expect(w.connector.sent.filter((s) => s.conversationId === personalChat(reporter))).toHaveLength(1);
    expect(w.connector.sent.filter((s) => s.conversationId === personalChat(dslPrep))).toHaveLength(1);
  });

  it('bad fields: the form again, with each problem and what was typed; nothing stored', async () => {
    const payload = message();
    const { card: form, data } = await openForm(reporter, payload, 'filteringBreach');
    const reply = await submitAction(reporter, payload, {
      ...inputsOf(form),
      whatHappened: '',
      happenedOn: '2026-12-25',
      location: '',
      url: 'ftp://example.org/x',
      messageLink: 'javascript:alert(1)',
      messageAuthor: 'Jordan Smith',
      immediateDanger: 'maybe',
      ...data,
    });
    expect(reply.status).toBe(200);
    const text = textOf(reply.card);
    for (const problem of ['Say what happened.', 'The date it happened cannot be in the future.', 'Choose where it happened.', 'The web address must start with http:// or https://.', 'The link to the message must start with https://.', 'Say whether anyone is in immediate danger.']) {
      expect(text).toContain(problem);
    }
    expect(submitData(reply.card)).toEqual(data);
    expect(inputsOf(reply.card).messageAuthor).toBe('Jordan Smith');
    const extra = await submitAction(reporter, payload, { ...inputsOf(form), ...data, learnerName1: 'A', learnerYear1: 'Year 5', location: 'onSite', device: 'none', recipients: 'me' });
    expect(textOf(extra.card)).toMatch(/fields it should not have \(recipients\)/);
    expect(await cases()).toHaveLength(0);
  });

  it('an invoke from another tenant is refused and nothing is stored', async () => {
    const payload = message();
    const other = 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb';
    const fetched = await fetchTask(reporter, payload, FROM_CHANNEL, other);
    expect(fetched.status).toBe(403);
    expect(fetched.body.task).toBeUndefined();
    const { data, values } = await openForm(reporter, payload, 'cyberbullying');
    const sent = await submitAction(reporter, payload, { ...values, learnerName1: 'L', learnerYear1: 'Year 5', location: 'onSite', device: 'none', ...data }, FROM_GROUP_CHAT, other);
    expect(sent.status).toBe(403);
    expect(await cases()).toHaveLength(0);
    expect(w.logs.some((l) => l.message === 'activity from another tenant refused')).toBe(true);
  });

  it('someone Teams knows who is not on the school\'s staff list is told so, and nothing is stored', async () => {
    const payload = message();
    const fetched = await fetchTask(pupil, payload);
    expect(fetched.status).toBe(200);
    expect(fetched.body.task).toEqual({ type: 'message', value: expect.stringMatching(/Only staff of .* can raise a concern here/) });
    const { data, values } = await openForm(reporter, payload, 'cyberbullying');
    const sent = await submitAction(pupil, payload, { ...values, learnerName1: 'L', learnerYear1: 'Year 5', location: 'onSite', device: 'none', ...data });
    expect(sent.body.task.type).toBe('message');
    expect(await cases()).toHaveLength(0);
    // Nor may they search the learners' names the form's typeahead offers staff.
    const search = { queryText: 'a', dataset: 'learners', queryOptions: { skip: 0, top: 15 } };
    expect((await invoke(pupil, 'application/search', search)).status).toBe(403);
    expect((await invoke(reporter, 'application/search', search)).status).toBe(200);
  });

  it('a malformed invoke is a 400 and nothing is stored', async () => {
    const payload = message();
    const bad: [string, unknown][] = [
      ['composeExtension/fetchTask', 'not an object'],
      ['composeExtension/fetchTask', { commandId: 42 }],
      ['composeExtension/fetchTask', { commandId: 'somethingElse', messagePayload: payload }],
      ['composeExtension/fetchTask', { commandId: 'reportConcern', messagePayload: { body: 'no' } }],
      ['composeExtension/submitAction', { commandId: 'reportConcern', messagePayload: payload }],
      ['composeExtension/submitAction', { commandId: 'reportConcern', messagePayload: payload, data: { step: 'deleteEverything' } }],
      ['composeExtension/submitAction', { commandId: 'reportConcern', messagePayload: payload, data: ['step', 'submitConcern'] }],
      ['composeExtension/query', { commandId: 'reportConcern', parameters: [] }],
    ];
    for (const [name, value] of bad) {
      const r = await invoke(reporter, name, value);
      expect({ name, value, status: r.status }).toEqual({ name, value, status: 400 });
      expect(r.body.type).toBe('application/vnd.microsoft.error');
    }
    expect(await cases()).toHaveLength(0);
  });

  it('a message with no words, no sender and no time still opens an empty form (today\'s date)', async () => {
    const bare = { id: '1', body: { contentType: 'html', content: '<img src="x">' }, attachments: null, from: null };
    const start = await fetchTask(teacher, bare);
    expect(textOf(start.card)).toContain('Reporting a message from someone, sent at a time Teams did not give');
    const { values } = await openForm(teacher, bare, 'other');
    expect(values).toMatchObject({ whatHappened: '', messageLink: '', messageAuthor: '', happenedOn: '2026-11-23', happenedAt: '' });
  });
});

afterAll(() => {
  // Every card the dialog showed and the bot sent passes the Adaptive Cards 1.5 schema check.
  expect(allCards.length).toBeGreaterThan(20);
  expect(problemsIn(allCards)).toEqual([]);
});
