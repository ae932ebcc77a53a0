/**
 * Nothing lost, nothing leaked, under the faults a review found (each test fails on the code before its
 * fix): storage that hangs, Graph down or hung on a new deployment, both down at once, a hung connector
 * at shutdown, a verb that would show a case to someone it is not with, text that grows past a table
 * property once escaped, another channel, a spool on a disk that fails.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VERBS } from '../../bot/bot';
import { parseSchoolSetup } from '../../config/load';
import { readSettings } from '../../config/settings';
import { createApp } from '../../app/server';
import { Spool, type SpoolFs } from '../../store/spool';
import { promises as fs } from 'node:fs';
import { connectionStringFor, startAzurite, type AzuriteHandle } from '../support/azurite';
import { textOf } from '../support/cards';
import { PEOPLE } from '../support/people';
import { startProxy, type BlackHoleProxy } from '../support/proxy';
import { conversationOf, startWorld, TEST_SCHOOL, type World } from '../support/world';

const { reporter, dslPrep, dslPrePrep, teacher, head } = PEOPLE;
let w: World | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

const caseCardsTo = (world: World, person: { id: string }) => world.connector.sent.filter((s) => s.conversationId === conversationOf(person as never) && String(s.activity.summary ?? '').startsWith('Online-safety concern'));

describe('no card action shows a case to someone it is not with', () => {
  it('every verb, pressed by a member of staff on a case that is not theirs, answers with nothing of it', async () => {
    w = await startWorld();
    const { reference } = await w.raise(reporter, 'staffAllegation', { staffInvolvedId: dslPrep.id, whatHappened: 'Secret words nobody else may read.' });
    const record = (await w.app.services.stores.cases.getCase(w.setup.schoolId, reference!))!;
    const data = { reference, to: 'deputyDsl', action: 'LADO consulted', note: 'n', decision: 'No further action', reason: 'r', outcome: 'o', lessonsLearnt: 'l', documentId: 'x', version: 1 };
    // A case card names its reference (and with it category, phase, reporter, who acted): none may come back.
    for (const v of VERBS) {
      const reply = await w.invoke(teacher, v.verb, data);
      const said = JSON.stringify(reply.body ?? '');
      for (const secret of [reference!, 'Secret words']) expect({ verb: v.verb, leaks: said.includes(secret) }).toEqual({ verb: v.verb, leaks: false });
    }
    expect(record.recipients.map((r) => r.id)).toEqual([head.id]);
    const refused = (await w.app.services.stores.audit.forCase(w.setup.schoolId, reference!)).filter((a) => /refused/.test(a.action)).map((a) => a.action.split(' refused')[0]);
    expect(refused).toEqual(expect.arrayContaining(['acknowledge', 'close', 'reopen', 'record action']));
  });
});

describe('storage that hangs instead of refusing (a network black hole)', () => {
  let azurite: AzuriteHandle;
  let proxy: BlackHoleProxy;
  beforeEach(async () => {
    azurite = await startAzurite();
    proxy = await startProxy(azurite.port);
  });
  afterEach(async () => {
    await w?.stop();
    w = undefined;
    await proxy.close();
    await azurite.stop();
  });

  it('a submit is answered within its deadline, the words kept in the spool, and stored once when storage answers again', async () => {
    w = await startWorld({ tablesConnectionString: connectionStringFor(proxy.port), env: { SUBMIT_DEADLINE_MS: '1500', STORAGE_REQUEST_TIMEOUT_MS: '700', OUTBOX_SWEEP_SECONDS: '0.5' } });
    for (const p of [dslPrep, dslPrePrep]) await w.say(p, 'hi');
    const { formId } = await w.openForm(reporter, 'cyberbullying');
    proxy.blackHole = true;
    const started = Date.now();
    const reply = await w.invoke(reporter, 'submitConcern', { formId, category: 'cyberbullying', learnerName1: 'A', learnerYear1: 'Year 5', whatHappened: 'Messages in a game chat.', happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: 'no' });
    // Teams gives a card action about 15 s: the reporter is answered well within it.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(textOf(reply.body.value)).toMatch(/kept safely, but not stored yet/);
    proxy.blackHole = false;
    // The spool is drained: one case, its card to the DSL, and the reporter gets the reference.
    await w.connector.waitFor(() => w!.connector.sent.some((s) => s.conversationId === conversationOf(reporter) && /Its reference is SMP-\d{4}-\d{4}/.test(s.activity.text ?? '')), 20_000);
    await w.connector.waitFor(() => caseCardsTo(w!, dslPrep).length >= 1, 10_000);
    expect(await w.app.services.stores.cases.listCases(w.setup.schoolId)).toHaveLength(1);
  });
});

describe('Microsoft Graph down', () => {
  it('on a new deployment (no earlier lookup), the fallback list is told; those routing names are told when Graph answers', async () => {
    w = await startWorld({ env: { GRAPH_TIMEOUT_MS: '500' } });
    const setup = { ...w.setup, fallbackRecipients: [{ id: dslPrePrep.id, displayName: dslPrePrep.displayName, role: 'dslPrePrep' as const }] };
    const app = await createApp(readSettings({ PORT: '0', SCHOOL_CONFIG: TEST_SCHOOL, TABLES_CONNECTION_STRING: w.azurite.connectionString, TABLES_PREFIX: 'fallback', DIRECTORY: 'graph', GRAPH_BASE_URL: w.graph.url, BOT_SERVICE_URL: w.connector.url, TEAMS_APP_CATALOG_ID: 'catalog-app-id', DIRECTORY_CACHE_SECONDS: '0', OUTBOX_SWEEP_SECONDS: '3600', GRAPH_TIMEOUT_MS: '500', SPOOL_DIR: mkdtempSync(path.join(os.tmpdir(), 'spool-')) }), { setup, log: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    try {
      w.graph.down = true;
      const pending = await import('../../cases/intake');
      const actor = { id: reporter.id, name: reporter.displayName, tenantId: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa' };
      const concern = { category: 'cyberbullying' as const, learners: [{ name: 'A', yearGroup: 'Year 5' }], whatHappened: 'x', happenedOn: '2026-11-20', location: 'onSite' as const, device: 'schoolDevice' as const, immediateDanger: false };
      const p = await pending.prepareConcern(app.services, actor, concern, '0b6a4a1e-8a5a-4e0f-9a51-2c1e0b9b7d11', {}, 2026);
      expect(p.recipients.map((r) => r.id)).toEqual([dslPrePrep.id]);
      expect(p.reasons.join(' ')).toMatch(/fallback list/);
      const { record } = await pending.storeConcern(app.services, p);
      expect(record.directoryStale).toBe(true);
      // Graph answers again: the Prep DSL, whom routing names for Year 5, is told as well; once.
      w.graph.down = false;
      expect(await app.rerouter.sweep()).toBe(1);
      expect(await app.rerouter.sweep()).toBe(0);
      const stored = (await app.services.stores.cases.getCase(w.setup.schoolId, record.reference))!;
      expect(stored.recipients.map((r) => r.id)).toEqual([dslPrePrep.id, dslPrep.id]);
      expect(stored.directoryStale).toBe(false);
      expect((await app.services.stores.chronology.of(stored)).map((c) => c.summary).join('\n')).toMatch(/Microsoft Graph reachable again: also sent to Priya Shah/);
    } finally {
      await app.close();
    }
  });

  it('with no fallback list either, the case is stored, the receipt says truly that nobody could be told yet, and they are told when Graph answers', async () => {
    w = await startWorld({ env: { GRAPH_TIMEOUT_MS: '500' } });
    w.graph.down = true;
    const { reply, reference } = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    expect(textOf(reply.body.value)).toMatch(/Nobody could be told yet/);
    expect(textOf(reply.body.value)).not.toMatch(/has been told/);
    w.graph.down = false;
    await w.say(dslPrep, 'hi');
    expect(await w.app.rerouter.sweep()).toBe(1);
    await w.connector.waitFor(() => caseCardsTo(w!, dslPrep).length === 1);
    expect((await w.app.services.stores.cases.getCase(w.setup.schoolId, reference!))!.recipients.map((r) => r.id)).toEqual([dslPrep.id]);
  });

  it('while Graph hangs, a submit does not wait out its timeouts each time: it answers from the last lookup', async () => {
    w = await startWorld({ env: { GRAPH_TIMEOUT_MS: '1500' } });
    await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' }); // a lookup that worked
    w.graph.hang = true;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const { reply } = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
      times.push(Date.now() - started);
      expect(textOf(reply.body.value)).toMatch(/SMP-\d{4}-\d{4}/);
    }
    // The first waits for Graph's timeout (with its one retry); the next ones answer at once.
    expect(times[2]).toBeLessThan(1500);
    w.graph.hang = false;
  });

  it('with storage and Graph both down, the concern is kept in the spool, not refused', async () => {
    w = await startWorld({ env: { GRAPH_TIMEOUT_MS: '500', STORAGE_REQUEST_TIMEOUT_MS: '500', SUBMIT_DEADLINE_MS: '2000' } });
    const { formId } = await w.openForm(reporter, 'cyberbullying');
    w.graph.down = true;
    await w.azurite.stop();
    const reply = await w.invoke(reporter, 'submitConcern', { formId, category: 'cyberbullying', learnerName1: 'A', learnerYear1: 'Year 5', whatHappened: 'Messages.', happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: 'no' });
    expect(reply.status).toBe(200);
    expect(textOf(reply.body.value)).toMatch(/kept safely, but not stored yet/);
    expect((await w.app.services.spool.list()).length).toBe(1);
  });
});

describe('a hung connector', () => {
  it('a send that never answers gives up after its timeout, is retried, and a shutdown finishes within its bound', async () => {
    w = await startWorld({ env: { BOT_CONNECTOR_TIMEOUT_MS: '600', OUTBOX_SWEEP_SECONDS: '0.3' } });
    await w.say(dslPrep, 'hi');
    w.connector.hold = true;
    await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    await new Promise((r) => setTimeout(r, 1200));
    expect(w.logs.some((l) => l.message === 'message not delivered; will retry' && /did not answer within/.test(String(l.error)))).toBe(true);
    w.connector.hold = false;
    await w.connector.waitFor(() => caseCardsTo(w!, dslPrep).length >= 1, 10_000);
    // Held again: closing does not wait on the hung call for ever.
    w.connector.hold = true;
    await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    const started = Date.now();
    await w.app.close();
    expect(Date.now() - started).toBeLessThan(8000);
    w.connector.hold = false;
  });
});

describe('a connector that answers 503', () => {
  it('is retried by the outbox alone: the DSL gets the card once (the client pipeline retried by itself after our timeout)', async () => {
    w = await startWorld({ env: { BOT_CONNECTOR_TIMEOUT_MS: '500', OUTBOX_SWEEP_SECONDS: '0.3', OUTBOX_LEASE_SECONDS: '5' } });
    await w.say(dslPrep, 'hi');
    const callsBefore = w.connector.sent.length;
    w.connector.failNext(1, 503);
    const { reference } = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
    await w.connector.waitFor(() => caseCardsTo(w!, dslPrep).length >= 1, 15_000);
    // Past the outbox's back-off and the client's own retry delays: nothing more comes.
    await new Promise((r) => setTimeout(r, 4000));
    const cards = caseCardsTo(w, dslPrep);
    expect(cards).toHaveLength(1);
    expect(cards[0].activity.summary).toContain(reference);
    expect(w.connector.sent.length - callsBefore).toBe(1);
    expect(w.logs.some((l) => l.message === 'message not delivered; will retry' && /503|stub failure/.test(String(l.error)))).toBe(true);
  });
});

describe('a connector that cannot be reached', () => {
  it('a reply that cannot be sent is a 502 saying so, not a server error; a concern raised meanwhile is stored and its people told', async () => {
    w = await startWorld();
    await w.say(dslPrep, 'hi');
    const unreachable = { serviceUrl: 'http://127.0.0.1:9/' };
    const r = await w.post(w.activity(reporter, { type: 'message', text: 'hi', ...unreachable }));
    expect(r.status).toBe(502);
    expect(JSON.parse(r.text).error).toMatch(/could not be sent back to Teams/);
    expect(w.logs.filter((l) => l.level === 'error')).toEqual([]);
    // The concern itself needs no reply through the connector: it is stored, and the DSL's card goes by the outbox.
    const { formId } = await w.openForm(reporter, 'cyberbullying');
    const reply = await w.invoke(reporter, 'submitConcern', { formId, category: 'cyberbullying', learnerName1: 'Learner A', learnerYear1: 'Year 5', whatHappened: 'What happened.', happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: 'no' }, unreachable);
    expect(reply.status).toBe(200);
    const reference = JSON.stringify(reply.body.value).match(/[A-Z]{2,6}-\d{4}-\d{4}/)?.[0];
    expect(reference).toBeDefined();
    expect(await w.app.services.stores.cases.getCase(w.setup.schoolId, reference!)).toMatchObject({ reference });
    await w.connector.waitFor(() => caseCardsTo(w!, dslPrep).length >= 1, 10_000);
  });
});

describe('text within the limits that grows past a table property once escaped', () => {
  it('is refused with a message, and a colleague\'s concern sent at the same moment is stored', async () => {
    w = await startWorld();
    const [big, small] = await Promise.all([
      w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5', whatHappened: '\u0001'.repeat(7900) }),
      w.raise(teacher, 'cyberbullying', { learnerYear1: 'Year 5' }),
    ]);
    expect(textOf(big.reply.body.value)).toMatch(/too long to store/);
    expect(small.reference).toMatch(/SMP-\d{4}-\d{4}/);
    expect(await w.app.services.stores.cases.listCases(w.setup.schoolId)).toHaveLength(1);
  });
});

describe('channel and tenant', () => {
  it('an activity from another channel than Teams is refused', async () => {
    w = await startWorld();
    const r = await w.invoke(reporter, 'chooseCategory', { category: 'cyberbullying' }, { channelId: 'slack' });
    expect(r.status).toBe(403);
    expect(r.body.value.message).toMatch(/Microsoft Teams only/);
  });

  it('in production the school\'s setup must name its tenant', async () => {
    const azurite = await startAzurite();
    try {
      const env = { NODE_ENV: 'production', MicrosoftAppId: '5f0c7a52-3f7e-4f0e-9c1a-6a0e2f7b1c11', MicrosoftAppPassword: 'x', MicrosoftAppTenantId: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa', TABLES_CONNECTION_STRING: azurite.connectionString, SCHOOL_CONFIG: TEST_SCHOOL, TEAMS_APP_CATALOG_ID: 'c', AZURE_CLIENT_ID: 'a', AZURE_TENANT_ID: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa', AZURE_CLIENT_SECRET: 's' };
      const { tenantId: _t, ...noTenant } = parseSchoolSetup(JSON.parse((await fs.readFile(TEST_SCHOOL, 'utf8')) as string));
      await expect(createApp(readSettings(env), { setup: { ...noTenant } as never })).rejects.toThrow(/must name its tenantId/);
    } finally {
      await azurite.stop();
    }
  });
});

describe('the spool on a disk that fails', () => {
  it('a write that fails leaves no temporary file; a file that cannot be read is moved to quarantine and reported', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spool-'));
    const full: SpoolFs = {
      ...fs,
      open: (async (file: string, flags: string, mode?: number) => {
        const handle = await fs.open(file, flags, mode);
        if (flags !== 'wx') return handle;
        return Object.assign(Object.create(handle), { writeFile: async () => { throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }); }, sync: () => handle.sync(), close: () => handle.close() });
      }) as SpoolFs['open'],
    };
    await expect(new Spool(dir, full).put({ a: 1 })).rejects.toThrow(/ENOSPC/);
    expect(readdirSync(dir)).toEqual([]);

    const reported: string[] = [];
    const spool = new Spool<{ a: number }>(dir, fs, (file) => reported.push(path.basename(file)));
    await spool.put({ a: 2 });
    await fs.writeFile(path.join(dir, '000000000000001-broken.json'), '{ not json');
    const listed = await spool.list();
    expect(listed.map((x) => x.item)).toEqual([{ a: 2 }]);
    expect(reported).toEqual(['000000000000001-broken.json']);
    expect(readdirSync(path.join(dir, 'quarantine'))).toEqual(['000000000000001-broken.json']);
  });
});
