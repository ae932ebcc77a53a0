/**
 * Monitoring alerts that arrive by themselves (PRODUCT.md §7; policy §7.3.4), end to end: the real
 * server on Azurite with the Graph and connector stubs, alerts POSTed to /api/monitoring/alerts as the
 * school's integration would send them. Who may send (HMAC signature or bearer key, anything else 401
 * and audited without the body), what is refused and why (never a 5xx for what was sent), what becomes a
 * case and where it goes, that the same alert twice makes one case, that pictures never reach storage,
 * and a burst of 500 alerts: all stored, every card delivered, none twice.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { odata } from '@azure/data-tables';
import { signBody } from '../../monitoring/signature';
import { PEOPLE } from '../support/people';
import { startWorld, type World } from '../support/world';

const { office, osl, dslPrep, dslPrePrep } = PEOPLE;
const SECRET = 'c0ffee'.repeat(8); // 48 characters
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'monitoring');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

let w: World;
/** Seconds since 1970 on the server's clock (it is the real one here). */
const nowSeconds = () => String(Math.floor(Date.now() / 1000));

interface Sent {
  status: number;
  body: any;
  text: string;
}

async function send(body: string | Blob, headers: Record<string, string>, query = ''): Promise<Sent> {
  const res = await fetch(`${w.url}/api/monitoring/alerts${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, text };
}

/** As docs/monitoring.md tells the technician: HMAC-SHA256 over `<timestamp>.<body>`. */
function signed(body: string, secret = SECRET, ts = nowSeconds()): Record<string, string> {
  return { 'x-monitoring-timestamp': ts, 'x-monitoring-signature': signBody(body, secret, ts) };
}

const bearer = (key = SECRET) => ({ authorization: `Bearer ${key}` });

async function caseEntity(reference: string): Promise<Record<string, unknown>> {
  return w.tables.Cases.getEntity<Record<string, unknown>>(w.setup.schoolId, `case|${reference}`);
}

async function monitoringCases(): Promise<{ reference: string; key: string; recipients: string[] }[]> {
  const out: { reference: string; key: string; recipients: string[] }[] = [];
  const iter = w.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${w.setup.schoolId} and category eq 'monitoringAlert'` } });
  for await (const e of iter) {
    const concern = JSON.parse(String(e.concern));
    out.push({ reference: String(e.reference), key: concern.monitoring?.key, recipients: String(e.recipientIds).split(',') });
  }
  return out;
}

async function auditRows(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const e of w.tables.Audit.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${w.setup.schoolId}` } })) out.push(e);
  return out;
}

/** A Smoothwall Monitor event in our contract (docs/monitoring.md). */
function smoothwall(id: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ eventId: id, eventTime: '2026-03-04T10:15:27Z', riskLevel: 4, riskCategory: 'Self-harm', capturedText: 'words captured', user: { misId: 'A100', name: 'Alex Morgan' }, deviceName: 'PREP-LIB-07', ...fields });
}

beforeAll(async () => {
  w = await startWorld({ env: { MONITORING_SECRET: SECRET, TEAMS_PACE_SCALE: '20', DIRECTORY_CACHE_SECONDS: '60', OUTBOX_SWEEP_SECONDS: '2' } });
  // The roster the register keeps, as the office imports it from the MIS: the MIS id is what monitoring systems can send.
  const csv = 'kind,id,name,year group\nlearner,A100,Alex Morgan,Year 5\nlearner,A123456789012,Cara Clark,Year 6\nlearner,B200,Bea Khan,Reception\nlearner,D300,Sam Jones,Year 4\nlearner,D301,Sam Jones,Year 1\n';
  const r = await fetch(`${w.url}/api/tab/people/import`, { method: 'POST', headers: { 'x-demo-user': office.id, 'content-type': 'application/json' }, body: JSON.stringify({ csv }) });
  expect(r.status).toBe(200);
  await r.text();
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

describe('who may send an alert', () => {
  it('a Smoothwall event signed with the shared secret (HMAC with a timestamp) becomes a monitoring-alert case reported by "Monitoring system", routed to the OSL and the learner\'s phase DSL', async () => {
    const body = fixture('smoothwall-event.json').replace('"user": {', '"user": { "misId": "A100",');
    const r = await send(body, signed(body));
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ outcome: 'created', reference: expect.stringMatching(/^SMP-\d{4}-\d{4}$/) });
    const record = (await w.app.services.stores.cases.getCase(w.setup.schoolId, r.body.reference))!;
    expect(record.concern.category).toBe('monitoringAlert');
    expect(record.reporter).toEqual({ id: 'monitoring-system', displayName: 'Monitoring system' });
    expect(record.recipients.map((p) => p.id).sort()).toEqual([osl.id, dslPrep.id].sort());
    expect(record.concern.learners).toEqual([{ name: 'Alex Morgan', yearGroup: 'Year 5', learnerId: expect.any(String) }]);
    expect(record.concern.monitoring).toMatchObject({ vendor: 'smoothwall', alertId: 'SWM-20260304-001842', key: 'smoothwall|SWM-20260304-001842', risk: 4, threshold: 3, via: 'endpoint', vendorLink: 'https://portal.smoothwall.cloud/monitor/events/SWM-20260304-001842' });
    expect(record.routeReasons.join(' ')).toContain('found on the roster by MIS id');
    // Each recipient's card, at Teams' pace.
    await w.connector.waitFor((all) => [osl, dslPrep].every((p) => all.some((s) => s.conversationId.endsWith(p.id) && JSON.stringify(s.activity).includes(r.body.reference))), 20_000);
  });

  it('a Senso violation with the bearer key is taken too (signature or bearer, whichever the sender can do)', async () => {
    const body = fixture('senso-violation.json');
    const r = await send(body, bearer());
    expect(r.status).toBe(202);
    expect(r.body.outcome).toBe('created');
    const record = (await w.app.services.stores.cases.getCase(w.setup.schoolId, r.body.reference))!;
    expect(record.concern.monitoring).toMatchObject({ vendor: 'senso', alertId: '884211', risk: 4, vendorRisk: 'URGENT' });
  });

  it('a wrong signature, a wrong key, a stale timestamp or no credentials at all: 401, and an audit row naming the reason, never the body or the secret', async () => {
    const body = smoothwall('FORGED-1', { capturedText: 'forged-words-never-logged' });
    const attempts: [string, Record<string, string>][] = [
      ['wrongSignature', signed(body, 'f'.repeat(48))],
      ['wrongSignature', { ...signed(body), 'x-monitoring-signature': signBody(`${body} `, SECRET, nowSeconds()) }],
      ['staleTimestamp', signed(body, SECRET, String(Math.floor(Date.now() / 1000) - 3600))],
      ['malformedSignature', { 'x-monitoring-signature': 'md5=abc' }],
      ['wrongBearer', bearer('g'.repeat(48))],
      ['malformedBearer', { authorization: 'Basic dXNlcjpwYXNz' }],
      ['missingSignature', {}],
    ];
    for (const [reason, headers] of attempts) {
      const r = await send(body, headers);
      expect({ reason, status: r.status, body: r.body }).toEqual({ reason, status: 401, body: { error: expect.stringContaining('refused'), reason } });
    }
    const refused = (await auditRows()).filter((a) => String(a.action).startsWith('alert refused'));
    expect(refused.map((a) => a.action).sort()).toEqual(attempts.map(([reason]) => `alert refused: ${reason}`).sort());
    for (const row of refused) {
      expect(row).toMatchObject({ reference: 'monitoring', via: 'system' });
      const text = JSON.stringify(row);
      expect(text).not.toContain('forged-words-never-logged');
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('g'.repeat(48));
    }
    expect((await monitoringCases()).some((c) => c.key === 'smoothwall|FORGED-1')).toBe(false);
  });
});

describe('what is refused, and why', () => {
  it('a body over 1 MB is refused with 413 and a message; nothing is stored', async () => {
    const body = smoothwall('BIG-1', { moderatorNote: 'x'.repeat(1_100_000) });
    const r = await send(body, bearer());
    expect(r.status).toBe(413);
    expect(r.body.error).toMatch(/under 1 MB.*link to the capture/);
    expect((await monitoringCases()).some((c) => c.key === 'smoothwall|BIG-1')).toBe(false);
  });

  it('not JSON, not one alert, an unknown system or the wrong shape: 400 with every reason', async () => {
    const cases: [string | Blob, string, RegExp][] = [
      ['{"eventId": ', '', /not valid JSON/],
      ['[1,2]', '', /one alert/],
      ['"text"', '', /one alert/],
      [smoothwall('S-1'), '?system=netsweeper', /not one of smoothwall, senso, impero/],
      [JSON.stringify({ eventId: 'S-2', violationId: 'V-2', eventTime: '2026-03-04T10:15:27Z', riskLevel: 4 }), '', /which system/],
      [JSON.stringify({ eventId: 'S-3', eventTime: '2026-02-30T10:00:00Z', riskLevel: 'SEVERE' }), '', /eventTime "2026-02-30T10:00:00Z" is not a date[\s\S]*riskLevel "SEVERE"[\s\S]*neither a learner|eventTime[\s\S]*riskLevel/],
      [JSON.stringify({ eventId: 'S|4', eventTime: '2026-03-04T10:15:27Z', riskLevel: 4, deviceName: 'PC' }), '', /eventId may hold only/],
      [new Blob([new Uint8Array([0xff, 0xfe, 0x00, 0x7b])]), '', /not valid JSON/],
    ];
    for (const [body, query, message] of cases) {
      const r = await send(body, bearer(), query);
      expect({ status: r.status, error: r.body.error }).toEqual({ status: 400, error: expect.any(String) });
      expect(`${r.body.error} ${(r.body.details ?? []).join(' ')}`).toMatch(message);
    }
    // A body with no id field at all goes to the school's own system (the setup says Smoothwall): its reasons.
    const r = await send(JSON.stringify({ hello: 'world' }), bearer());
    expect(r.status).toBe(400);
    expect(r.body.details).toEqual(expect.arrayContaining(['eventId is missing', 'eventTime is missing', 'riskLevel is missing']));
  });
});

describe('one alert, one case', () => {
  it('the same signed request replayed, and the same alert sent five times at once, make one case; the later answers name it', async () => {
    const body = smoothwall('REPLAY-1');
    const headers = signed(body);
    const first = await send(body, headers);
    expect(first.status).toBe(202);
    const again = await send(body, headers);
    expect(again).toMatchObject({ status: 200, body: { outcome: 'alreadyReceived', reference: first.body.reference } });

    const racing = smoothwall('RACE-1');
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(racing, bearer())));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 202]);
    expect(new Set(answers.map((a) => a.body.reference)).size).toBe(1);
    const cases = await monitoringCases();
    expect(cases.filter((c) => c.key === 'smoothwall|REPLAY-1')).toHaveLength(1);
    expect(cases.filter((c) => c.key === 'smoothwall|RACE-1')).toHaveLength(1);
  });

  it('a learner not on the roster still makes a case, sent to every phase\'s DSL and the OSL, and the case says why', async () => {
    const body = smoothwall('UNKNOWN-1', { user: { username: 'zz.nobody', name: 'Zed Nobody' } });
    const r = await send(body, bearer());
    expect(r.status).toBe(202);
    const record = (await w.app.services.stores.cases.getCase(w.setup.schoolId, r.body.reference))!;
    expect(record.recipients.map((p) => p.id).sort()).toEqual([osl.id, dslPrep.id, dslPrePrep.id].sort());
    expect(record.phases.sort()).toEqual(['prePrep', 'prep']);
    expect(record.concern.learners).toEqual([{ name: 'Zed Nobody' }]);
    expect(record.routeReasons.join(' ')).toMatch(/Zed Nobody\) is not on the roster: the phase is unknown, so every phase's DSL is told/);

    // Two learners share the name: still unknown, and said so; a name alone never picks a child.
    const twins = await send(smoothwall('UNKNOWN-2', { user: { name: 'Sam Jones' } }), bearer());
    const twinCase = (await w.app.services.stores.cases.getCase(w.setup.schoolId, twins.body.reference))!;
    expect(twinCase.routeReasons.join(' ')).toContain('2 learners on the roster have that name');
    expect(twinCase.recipients).toHaveLength(3);
    // A unique name routes by its year group but links no learner: the DSL confirms the child.
    const byName = await send(smoothwall('BYNAME-1', { user: { name: 'Bea Khan' } }), bearer());
    const byNameCase = (await w.app.services.stores.cases.getCase(w.setup.schoolId, byName.body.reference))!;
    expect(byNameCase.recipients.map((p) => p.id).sort()).toEqual([osl.id, dslPrePrep.id].sort());
    expect(byNameCase.concern.learners).toEqual([{ name: 'Bea Khan', yearGroup: 'Reception' }]);
  });

  it('an alert below the school\'s threshold makes no case: it is logged once and counted', async () => {
    const body = smoothwall('LOW-1', { riskLevel: 2 });
    const r = await send(body, bearer());
    expect(r).toMatchObject({ status: 200, body: { outcome: 'belowThreshold', risk: 2, threshold: 3, alreadyLogged: false } });
    const again = await send(body, bearer());
    expect(again.body).toMatchObject({ outcome: 'belowThreshold', alreadyLogged: true });
    expect((await monitoringCases()).some((c) => c.key === 'smoothwall|LOW-1')).toBe(false);
    const logged = await w.app.services.stores.filteringLog.belowThreshold(w.setup.schoolId);
    expect(logged.filter((l) => l.vendor === 'smoothwall' && l.risk === 2)).toHaveLength(1);
  });

  it('pictures are never stored: the Impero capture\'s screenshots and thumbnail are not in the stored case, only the console link', async () => {
    const body = fixture('impero-capture.json');
    const r = await send(body, bearer(), '?system=impero');
    expect(r.status).toBe(202);
    const entity = await caseEntity(r.body.reference);
    const stored = JSON.stringify(entity);
    expect(stored).not.toContain('iVBORw0KGgo');
    expect(stored).not.toContain('thumb.png');
    expect(stored).not.toMatch(/data:image/);
    const concern = JSON.parse(String(entity.concern));
    expect(concern.monitoring.droppedImages).toEqual(['screenshots', 'thumbnailUrl']);
    expect(concern.monitoring.vendorLink).toBe('https://backdrop.imperosoftware.com/captures/c1f6a7e2-4b0e-4d1a-9a53-3f2d7a0c9e11');
    // The MIS id found Cara Clark (Year 6): the Prep DSL and the OSL.
    expect(concern.learners[0]).toMatchObject({ name: 'Cara Clark', yearGroup: 'Year 6' });
    // Nor in the outbox rows, the audit or anything else the case wrote.
    const everything: Record<string, unknown>[] = [];
    for await (const e of w.tables.Cases.listEntities<Record<string, unknown>>()) everything.push(e);
    for await (const e of w.tables.Audit.listEntities<Record<string, unknown>>()) everything.push(e);
    expect(JSON.stringify(everything)).not.toContain('iVBORw0KGgo');
  });
});

describe('a burst', () => {
  it('500 alerts at once: every one answered 202, 500 cases stored, every card delivered at Teams\' pace, none twice, no 5xx', async () => {
    const before = w.connector.sent.length;
    const bodies = Array.from({ length: 500 }, (_, i) => smoothwall(`BURST-${String(i).padStart(3, '0')}`, { user: { misId: i % 2 ? 'A100' : 'B200' } }));
    const answers = await Promise.all(bodies.map((b) => send(b, signed(b))));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s !== 202)).toEqual([]);
    const references = new Set(answers.map((a) => a.body.reference));
    expect(references.size).toBe(500);

    const stored = (await monitoringCases()).filter((c) => c.key.startsWith('smoothwall|BURST-'));
    expect(stored).toHaveLength(500);
    expect(new Set(stored.map((c) => c.key)).size).toBe(500);
    // Prep learners: the OSL and the Prep DSL; Pre-Prep: the OSL and the Pre-Prep DSL. One card each.
    const owed = stored.flatMap((c) => c.recipients.map((id) => `${id}|${c.reference}`));
    expect(owed).toHaveLength(1000);
    // Each person's chat (the bot installs itself for them through Graph: `19:personal-chat-<their id>`).
    const cardsFor = (all: typeof w.connector.sent) =>
      all
        .slice(before)
        .filter((s) => s.kind !== 'update' && s.activity.attachments?.length)
        .map((s) => `${s.conversationId.slice(-36)}|${(JSON.stringify(s.activity.attachments).match(/SMP-\d{4}-\d{4}/) ?? [''])[0]}`)
        .filter((k) => references.has(k.split('|')[1]));
    // A card whose paced send failed (a storage timeout on a busy machine) is taken by the sweep once its hold passes.
    const until = Date.now() + 240_000;
    while (cardsFor(w.connector.sent).length < owed.length && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
    const delivered = cardsFor(w.connector.sent);
    const problems = w.logs.filter((l) => l.level !== 'info').map((l) => `${l.message} ${String(l.error ?? '').slice(0, 80)}`);
    expect({ delivered: delivered.length, problems: delivered.length < owed.length ? [...new Set(problems)] : [] }).toEqual({ delivered: owed.length, problems: [] });
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(new Set(delivered)).toEqual(new Set(owed));
    // And the outbox agrees: nothing owed is left unsent.
    await w.app.services.outbox.idle();
    const pending: string[] = [];
    for await (const e of w.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${w.setup.schoolId} and status eq 'pending'` } })) {
      if (references.has(String(e.reference))) pending.push(String(e.rowKey));
    }
    expect(pending).toEqual([]);
  }, 300_000);
});
