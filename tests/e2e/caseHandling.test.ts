/**
 * Case handling that never drops a concern: escalation, reassignment, chronology, closure and audit,
 * over HTTP against the real server, Azurite and the stubs.
 */
import { textOf } from '../support/cards';
import { PEOPLE, type TestPerson } from '../support/people';
import { conversationOf, problemsIn, startWorld, type World } from '../support/world';

const { reporter, dslPrep, dslPrePrep, deputy, osl, head, teacher } = PEOPLE;
let w: World;
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const cards: unknown[] = [];

beforeEach(async () => {
  offsetMs = 0;
  w = await startWorld({ clock, env: { ESCALATION_SWEEP_SECONDS: '0.2', OUTBOX_SWEEP_SECONDS: '0.2', OUTBOX_LEASE_SECONDS: '15' } });
  for (const p of [dslPrep, dslPrePrep, deputy, osl, head]) await w.say(p, 'hi');
});
afterEach(async () => {
  await w.stop();
  cards.push(...w.cards);
});
afterAll(() => expect(problemsIn(cards)).toEqual([]));

/** Case cards sent to a person (not the help cards their "hi" got). */
const cardsTo = (person: TestPerson) =>
  w.connector.sent.filter((s) => s.conversationId === conversationOf(person) && s.kind !== 'update' && String(s.activity.summary ?? '').startsWith('Online-safety concern'));
const stored = (reference: string) => w.app.services.stores.cases.getCase(w.setup.schoolId, reference);
const chronology = async (reference: string) => w.app.services.stores.chronology.of((await stored(reference))!);
const minutes = (n: number) => n * 60_000;

describe('escalation', () => {
  it('an urgent case not acknowledged in time goes to the deputies and the OSL, once, with two instances running', async () => {
    await w.anotherInstance();
    const { reference } = await w.raise(reporter, 'sexualAbuseExploitation', { learnerYear1: 'Year 5' });
    await w.connector.waitFor(() => cardsTo(dslPrep).length === 1);
    expect(cardsTo(deputy)).toHaveLength(0);
    offsetMs = minutes(16); // urgent: 15 minutes in the test school's setup
    await w.connector.waitFor(() => cardsTo(deputy).length >= 1 && cardsTo(osl).length >= 1, 10000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(cardsTo(deputy)).toHaveLength(1);
    expect(cardsTo(osl)).toHaveLength(1);
    const record = await stored(reference!);
    expect(record!.escalationLevel).toBe(1);
    const steps = (await chronology(reference!)).filter((c) => c.kind === 'escalated');
    expect(steps).toHaveLength(1);
    expect(steps[0].summary).toMatch(/escalated to Dana Lee \(Deputy DSL\), Dan Reed \(Online Safety Lead\)/);
    // The first DSL's card now says it was escalated.
    const update = await w.connector.waitFor((all) => all.some((s) => s.kind === 'update' && s.conversationId === conversationOf(dslPrep)));
    expect(textOf(update.find((s) => s.kind === 'update' && s.conversationId === conversationOf(dslPrep))!.activity.attachments[0].content)).toMatch(/escalated/);
    // Urgent: the new recipients also get a Teams activity-feed notification through Graph.
    expect(w.graph.notifications.map((n) => n.userId)).toEqual(expect.arrayContaining([dslPrep.id, deputy.id, osl.id]));
    expect(w.graph.notifications.find((n) => n.userId === deputy.id)!.body.activityType).toBe('concernEscalated');
  });

  it('on time, with no sweep to help: each deadline fires within 2 s, even after the clock jumped, and a deadline found during a sweep is not left for the next one', async () => {
    await w.stop();
    w = await startWorld({ clock, env: { ESCALATION_SWEEP_SECONDS: '3600', OUTBOX_SWEEP_SECONDS: '0.2' } });
    const refs: string[] = [];
    for (let i = 0; i < 3; i++) refs.push((await w.raise(reporter, 'sexualAbuseExploitation', { learnerYear1: 'Year 5' })).reference!);
    const deadlines = await Promise.all(refs.map(async (r) => Date.parse((await stored(r))!.deadline!)));
    // The clock jumps on to 1 s before the first deadline (the timers were set 15 minutes ahead).
    offsetMs = Math.min(...deadlines) - 1000 - Date.now();
    const late: number[] = [];
    const until = Date.now() + 8000;
    while (late.length < refs.length && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      late.length = 0;
      for (const [i, r] of refs.entries()) {
        const step = (await chronology(r)).find((c) => c.kind === 'escalated');
        if (step) late.push(Date.parse(step.at) - deadlines[i]);
      }
    }
    expect(late).toHaveLength(refs.length);
    for (const ms of late) expect(ms).toBeLessThan(2000);
  });

  it('the next step goes to the Headteacher, and an acknowledgement stops the chain', async () => {
    const { reference } = await w.raise(reporter, 'sexualAbuseExploitation', { learnerYear1: 'Year 5' });
    offsetMs = minutes(16);
    await w.connector.waitFor(() => cardsTo(deputy).length === 1);
    offsetMs = minutes(32);
    await w.connector.waitFor(() => cardsTo(head).length === 1);
    const ack = await w.invoke(head, 'acknowledge', { reference });
    expect(textOf(ack.body.value)).toMatch(/Acknowledged by Helen Marsh/);
    offsetMs = minutes(120);
    await new Promise((r) => setTimeout(r, 800));
    const record = await stored(reference!);
    expect(record!.escalationLevel).toBe(2);
    expect(record!.deadline).toBeUndefined();
    expect((await chronology(reference!)).map((c) => c.kind)).toEqual(['received', 'routed', 'escalated', 'escalated', 'acknowledged']);
  });

  it('an escalation whose deadline passed while the server was down fires after the restart', async () => {
    const { reference } = await w.raise(reporter, 'sexualAbuseExploitation', { learnerYear1: 'Year 5' });
    await w.connector.waitFor(() => cardsTo(dslPrep).length === 1);
    await w.app.close();
    offsetMs = minutes(60);
    await w.anotherInstance();
    await w.connector.waitFor(() => cardsTo(deputy).length === 1, 10000);
    expect((await stored(reference!))!.escalationLevel).toBe(1);
  });

  it('a standard case waits for the working day', async () => {
    const { reference } = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    const record = await stored(reference!);
    expect(record!.urgent).toBe(false);
    expect(new Date(record!.deadline!).getTime() - Date.now()).toBeGreaterThan(minutes(60));
    offsetMs = minutes(30);
    await new Promise((r) => setTimeout(r, 600));
    expect(cardsTo(deputy)).toHaveLength(0);
  });
});

describe('reassigning', () => {
  it('a DSL hands the case to the deputies; the old DSL can no longer acknowledge it', async () => {
    const { reference } = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    await w.connector.waitFor(() => cardsTo(dslPrep).length === 1);
    const r = await w.invoke(dslPrep, 'reassign', { reference, to: 'deputyDsl' });
    expect(textOf(r.body.value)).toMatch(/no longer hold it/);
    await w.connector.waitFor(() => cardsTo(deputy).length === 1);
    const old = await w.invoke(dslPrep, 'acknowledge', { reference });
    expect(old.body.value).toMatch(/only the people/i);
    expect((await stored(reference!))!.acknowledgedBy).toBeUndefined();
    const ok = await w.invoke(deputy, 'acknowledge', { reference });
    expect(textOf(ok.body.value)).toMatch(/Acknowledged by Dana Lee/);
    expect((await chronology(reference!)).find((c) => c.kind === 'reassigned')!.summary).toMatch(/Reassigned by Priya Shah to Deputy DSL: Dana Lee/);
  });

  it('only a current recipient may reassign, and only to the listed roles', async () => {
    const { reference } = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    const byTeacher = await w.invoke(teacher, 'reassign', { reference, to: 'deputyDsl' });
    expect(byTeacher.body.value).toMatch(/only the people/i);
    const toHead = await w.invoke(dslPrep, 'reassign', { reference, to: 'headteacher' });
    expect(toHead.status).toBe(400);
    expect((await stored(reference!))!.recipients.map((r) => r.id)).toEqual([dslPrep.id]);
  });
});

describe('chronology, actions and closure', () => {
  it('records actions with who and when; a viewed image needs the reason', async () => {
    const { reference } = await w.raise(reporter, 'sharingNudes', { learnerYear1: 'Year 7' });
    const noReason = await w.invoke(dslPrep, 'recordAction', { reference, action: 'Image viewed (record who viewed it and why)' });
    expect(textOf(noReason.body.value)).toMatch(/the note is required/);
    const ok = await w.invoke(dslPrep, 'recordAction', { reference, action: 'Image viewed (record who viewed it and why)', note: 'Viewed by Priya Shah to decide on referral; no copy made.' });
    expect(textOf(ok.body.value)).toMatch(/Recorded: Image viewed/);
    // The note is kept in the case, not echoed into the chat.
    expect(JSON.stringify(ok.body.value)).not.toContain('decide on referral');
    await w.invoke(dslPrep, 'recordAction', { reference, action: 'Device stored securely' });
    const unknown = await w.invoke(dslPrep, 'recordAction', { reference, action: 'Deleted everything' });
    expect(textOf(unknown.body.value)).toMatch(/Choose one of the listed actions/);
    const lines = (await chronology(reference!)).filter((c) => c.kind === 'action');
    expect(lines.map((l) => [l.summary, l.by!.displayName])).toEqual([
      ['Image viewed (record who viewed it and why)', 'Priya Shah'],
      ['Device stored securely', 'Priya Shah'],
    ]);
    expect(lines[0].detail).toEqual({ note: 'Viewed by Priya Shah to decide on referral; no copy made.' });
  });

  it('a closure is refused without its decision, reason, outcome and lessons learnt', async () => {
    const { reference } = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    const r = await w.invoke(dslPrep, 'closeCase', { reference, decision: 'No further action', reason: 'Resolved' });
    expect(r.status).toBe(400);
    expect(r.body.value.message).toMatch(/Give the outcome.*lessons learnt/);
    expect((await stored(reference!))!.status).toBe('open');
  });

  it('a closed case has its retention review date; reopening is recorded', async () => {
    const { reference } = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    const closed = await w.invoke(dslPrep, 'closeCase', { reference, decision: 'Managed in school (pastoral support / behaviour policy)', reason: 'Both learners spoken to', outcome: 'Apology; parents informed', lessonsLearnt: 'Remind Year 5 about group chats' });
    expect(textOf(closed.body.value)).toMatch(/Closed by Priya Shah/);
    const record = await stored(reference!);
    expect(record!.status).toBe('closed');
    expect(record!.retentionReviewOn).toBe(`${new Date().getUTCFullYear() + 25}-${new Date().toISOString().slice(5, 10)}`);
    expect(record!.deadline).toBeUndefined();
    const again = await w.invoke(dslPrep, 'reopenCase', { reference, reason: 'New messages found' });
    expect(textOf(again.body.value)).toMatch(/Case reopened/);
    expect((await stored(reference!))!.status).toBe('acknowledged');
    expect((await chronology(reference!)).map((c) => c.kind)).toEqual(['received', 'routed', 'closed', 'reopened']);
  });
});

describe('reading a case', () => {
  it('the DSL\'s card opens the case in the tab through a Teams deep link; no card carries the details, and the old open and hide actions are gone', async () => {
    const { reference } = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5', learnerName1: 'Alex Learner', whatHappened: 'Nasty messages in the class group chat.' });
    await w.connector.waitFor(() => cardsTo(dslPrep).length === 1);
    const card = cardsTo(dslPrep)[0].activity.attachments[0].content;
    const open = (card.actions as { type: string; title: string; url?: string }[]).find((a) => a.title === 'Open case')!;
    expect(open.type).toBe('Action.OpenUrl');
    const link = new URL(open.url!);
    expect(`${link.origin}${link.pathname}`).toBe('https://teams.microsoft.com/l/entity/catalog-app-id/cases');
    expect(JSON.parse(link.searchParams.get('context')!)).toEqual({ subEntityId: `cases:${reference}` });
    for (const sent of w.connector.sent) expect(JSON.stringify(sent.activity)).not.toMatch(/Nasty messages|Alex Learner/);
    // Acknowledging keeps the link on the card that replaces it.
    const acknowledged = await w.invoke(dslPrep, 'acknowledge', { reference });
    expect(JSON.stringify(acknowledged.body.value)).toContain(open.url!.replace(/"/g, '\\"'));
    for (const verb of ['openCase', 'hideCase']) {
      const r = await w.invoke(dslPrep, verb, { reference });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).not.toMatch(/Nasty messages|Alex Learner/);
    }
  });
});

describe('audit', () => {
  it('every change and refusal is in the append-only audit table', async () => {
    const { reference } = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    await w.invoke(teacher, 'acknowledge', { reference });
    await w.invoke(dslPrep, 'acknowledge', { reference });
    await w.invoke(dslPrep, 'recordAction', { reference, action: 'Parents informed' });
    const audit = await w.app.services.stores.audit.forCase(w.setup.schoolId, reference!);
    expect(audit.map((a) => [a.action, a.byName, a.via])).toEqual([
      ['created', 'Sam Taylor', 'bot'],
      ['acknowledge refused: not a recipient', 'Chris Evans', 'bot'],
      ['acknowledged', 'Priya Shah', 'bot'],
      ['action recorded: Parents informed', 'Priya Shah', 'bot'],
    ]);
  });
});

describe('delivery', () => {
  it('a throttled connector (429 with Retry-After) is retried after the time it asks for, and the card arrives once', async () => {
    w.connector.failNext(2, 429, 1);
    const started = Date.now();
    await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    await w.connector.waitFor(() => cardsTo(dslPrep).length === 1, 15000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await new Promise((r) => setTimeout(r, 500));
    expect(cardsTo(dslPrep)).toHaveLength(1);
  });
});
