/**
 * Nothing is lost: storage down while a concern is submitted, and the server killed (kill -9) between
 * storing a case and telling the DSL.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite, type AzuriteHandle } from '../support/azurite';
import { textOf } from '../support/cards';
import { startConnectorStub, type ConnectorStub } from '../support/connectorStub';
import { IDENTITY_HEADER, startGraphStub, type GraphStub } from '../support/graphStub';
import { PEOPLE } from '../support/people';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { conversationOf, startWorld, TEST_SCHOOL, TENANT, type World } from '../support/world';
import { ROLES } from '../../core/roles';
import { loadSchoolSetup } from '../../config/load';

const { reporter, dslPrep } = PEOPLE;
// These tests start and kill whole server processes: give them room on a busy two-core machine.
jest.setTimeout(180_000);
const caseCards = (c: ConnectorStub, conversationId: string) => c.sent.filter((s) => s.conversationId === conversationId && String(s.activity.summary ?? '').startsWith('Online-safety concern'));

describe('storage down when a concern is submitted', () => {
  let azurite: AzuriteHandle;
  let w: World;
  const dbDir = mkdtempSync(path.join(os.tmpdir(), 'azurite-'));
  const spoolDir = mkdtempSync(path.join(os.tmpdir(), 'spool-'));

  beforeAll(async () => {
    azurite = await startAzurite(0, path.join(dbDir, 'tables.json'));
    w = await startWorld({ tablesConnectionString: azurite.connectionString, env: { OUTBOX_SWEEP_SECONDS: '0.3', SPOOL_DIR: spoolDir } });
  });
  afterAll(async () => {
    await w.stop();
    await azurite.stop();
  });

  it('the reporter is told plainly, the words are kept, the DSL is told one waits, and it is stored when storage returns', async () => {
    const { formId } = await w.openForm(reporter, 'cyberbullying');
    const port = azurite.port;
    await azurite.stop();
    const reply = await w.invoke(reporter, 'submitConcern', {
      formId, category: 'cyberbullying', learnerName1: 'Learner B', learnerYear1: 'Year 5', whatHappened: 'Words that must not be lost.', happenedOn: '2026-11-20', location: 'onSite', device: 'personalDevice', immediateDanger: 'no',
    });
    expect(reply.status).toBe(200);
    expect(textOf(reply.body.value)).toMatch(/cannot be reached right now.*kept on the server/s);
    expect(readdirSync(spoolDir).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    // The DSL hears that a concern is waiting, without its details.
    const waiting = await w.connector.waitFor((all) => all.some((s) => s.conversationId.includes(dslPrep.id) && /is waiting/.test(s.activity.text ?? '')));
    expect(JSON.stringify(waiting)).not.toContain('Words that must not be lost');
    // Storage comes back on the same address with its data.
    azurite = await startAzurite(port, path.join(dbDir, 'tables.json'));
    await w.connector.waitFor((all) => all.some((s) => s.conversationId.includes(dslPrep.id) && String(s.activity.summary ?? '').startsWith('Online-safety concern')), 15000);
    const told = await w.connector.waitFor((all) => all.some((s) => s.conversationId === conversationOf(reporter) && /now been stored.*SMP-\d{4}-\d{4}/.test(s.activity.text ?? '')));
    const reference = told.map((s) => s.activity.text ?? '').join(' ').match(/SMP-\d{4}-\d{4}/)![0];
    const record = await w.app.services.stores.cases.getCase(w.setup.schoolId, reference);
    expect(record!.concern.whatHappened).toBe('Words that must not be lost.');
    expect(readdirSync(spoolDir).filter((f) => f.endsWith('.json'))).toHaveLength(0);
    // Submitting the same form again (a retried request) makes no second case.
    const again = await w.invoke(reporter, 'submitConcern', {
      formId, category: 'cyberbullying', learnerName1: 'Learner B', learnerYear1: 'Year 5', whatHappened: 'Words that must not be lost.', happenedOn: '2026-11-20', location: 'onSite', device: 'personalDevice', immediateDanger: 'no',
    });
    expect(JSON.stringify(again.body.value)).toContain(reference);
    expect(await w.app.services.stores.cases.listCases(w.setup.schoolId)).toHaveLength(1);
  });
});

describe('storage down and the spool cannot write either (a full disk)', () => {
  it('the reporter is told nothing was stored and keeps the form as typed; Send again later makes one case', async () => {
    const dbDir = mkdtempSync(path.join(os.tmpdir(), 'azurite-'));
    // A spool folder under a file: every write fails, as on a full disk.
    const notADir = path.join(mkdtempSync(path.join(os.tmpdir(), 'spool-')), 'file');
    writeFileSync(notADir, '');
    let azurite = await startAzurite(0, path.join(dbDir, 'tables.json'));
    const w = await startWorld({ tablesConnectionString: azurite.connectionString, env: { OUTBOX_SWEEP_SECONDS: '0.3', SPOOL_DIR: path.join(notADir, 'spool') } });
    try {
      const { formId } = await w.openForm(reporter, 'cyberbullying');
      const port = azurite.port;
      await azurite.stop();
      const fields = { formId, category: 'cyberbullying', learnerName1: 'Learner C', learnerYear1: 'Year 5', whatHappened: 'Words kept in the form.', happenedOn: '2026-11-20', location: 'onSite', device: 'personalDevice', immediateDanger: 'no' };
      const reply = await w.invoke(reporter, 'submitConcern', fields);
      expect(reply.status).toBe(200);
      expect(textOf(reply.body.value)).toMatch(/could NOT be stored.*Speak to a DSL in person now/s);
      expect(JSON.stringify(reply.body.value)).toContain('Words kept in the form.');
      expect(w.logs.some((l) => l.level === 'error' && /neither stored nor kept/.test(l.message))).toBe(true);
      azurite = await startAzurite(port, path.join(dbDir, 'tables.json'));
      const again = await w.invoke(reporter, 'submitConcern', fields);
      expect(JSON.stringify(again.body.value)).toMatch(/SMP-\d{4}-\d{4}/);
      await w.invoke(reporter, 'submitConcern', fields);
      expect(await w.app.services.stores.cases.listCases(w.setup.schoolId)).toHaveLength(1);
    } finally {
      await w.stop();
      await azurite.stop();
    }
  });
});

describe('kill -9 between storing a case and telling the DSL', () => {
  let azurite: AzuriteHandle;
  let graph: GraphStub;
  let connector: ConnectorStub;
  let server: ServerProcess | undefined;
  let base = '';

  async function startServer(): Promise<void> {
    server = await startServerProcess({
      SCHOOL_CONFIG: TEST_SCHOOL,
      TABLES_CONNECTION_STRING: azurite.connectionString,
      DIRECTORY: 'graph',
      GRAPH_BASE_URL: graph.url,
      IDENTITY_ENDPOINT: `${graph.url}/msi/token`,
      IDENTITY_HEADER,
      BOT_SERVICE_URL: connector.url,
      TEAMS_APP_CATALOG_ID: 'catalog-app-id',
      OUTBOX_SWEEP_SECONDS: '0.5',
      OUTBOX_LEASE_SECONDS: '2',
      LOG_QUIET: 'true',
      SPOOL_DIR: mkdtempSync(path.join(os.tmpdir(), 'spool-')),
    });
    base = server.url;
  }

  beforeAll(async () => {
    azurite = await startAzurite();
    graph = await startGraphStub();
    connector = await startConnectorStub();
    const setup = loadSchoolSetup(TEST_SCHOOL);
    for (const role of ROLES) {
      const id = setup.groups[role];
      if (id) graph.groups.set(id, Object.values(PEOPLE).filter((p) => p.roles.includes(role)).map(({ id: pid, displayName }) => ({ id: pid, displayName })));
    }
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await Promise.all([connector.close(), graph.close(), azurite.stop()]);
  });

  it('after a restart the DSL is told, once', async () => {
    await startServer();
    const post = async (body: unknown) => {
      const r = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return r.json();
    };
    const activity = (fields: Record<string, unknown>) => ({
      serviceUrl: connector.url, channelId: 'msteams', from: { id: '29:r', name: reporter.displayName, aadObjectId: reporter.id },
      conversation: { id: conversationOf(reporter), conversationType: 'personal', tenantId: TENANT }, recipient: { id: '28:bot' }, channelData: { tenant: { id: TENANT } }, ...fields,
    });
    const invoke = (verb: string, data: Record<string, unknown>) => post(activity({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data } } }));
    const form = await invoke('chooseCategory', { category: 'cyberbullying' });
    const formId = form.value.actions.find((a: any) => a.verb === 'submitConcern').data.formId;
    // The connector takes the DSL's card but never answers: the server dies while it waits.
    connector.hold = true;
    const receipt = await invoke('submitConcern', { formId, category: 'cyberbullying', learnerName1: 'L', learnerYear1: 'Year 5', whatHappened: 'x', happenedOn: '2026-11-20', location: 'onSite', device: 'none', immediateDanger: 'no' });
    const reference = JSON.stringify(receipt.value).match(/SMP-\d{4}-\d{4}/)![0];
    for (let i = 0; i < 100 && connector.held === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(connector.held).toBeGreaterThan(0);
    server!.child.kill('SIGKILL');
    await server!.exited;
    connector.hold = false;
    expect(caseCards(connector, `19:personal-chat-${dslPrep.id}`)).toHaveLength(0);

    await startServer();
    await connector.waitFor(() => caseCards(connector, `19:personal-chat-${dslPrep.id}`).length === 1, 30000);
    await new Promise((r) => setTimeout(r, 1500));
    const cards = caseCards(connector, `19:personal-chat-${dslPrep.id}`);
    expect(cards).toHaveLength(1);
    expect(cards[0].activity.summary).toContain(reference);
  });
});
