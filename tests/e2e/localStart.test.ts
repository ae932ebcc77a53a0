/**
 * `npm start` itself (scripts/start-local.mjs, without the chat windows): Azurite keeps its data on
 * disk, so a case raised just before Ctrl-C or SIGTERM is still there after the next start; and a
 * storage failure during a reminder run never stops the server (the process keeps serving).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { connectionStringFor, startAzurite } from '../support/azurite';
import { freePort, startServerProcess } from '../support/serverProcess';

const root = path.join(__dirname, '..', '..');
const SAM = { id: '00000000-0000-4000-8000-00000000a001', name: 'Sam Taylor (Year 4 teacher)' };
const LUCY = '00000000-0000-4000-8000-00000000a007';
const TENANT = '00000000-0000-4000-8000-0000000000f1';

interface Local {
  child: ChildProcess;
  bot: string;
  azurite: number;
  exited: Promise<number | null>;
}

/**
 * `npm start` on free ports. A port chosen free can be taken by another test before the child listens
 * on it: a child that stops before it answers is started again on other ports (up to three times), and
 * the error says what it printed.
 */
async function startLocal(dataDir: string, env: Record<string, string> = {}): Promise<Local> {
  let printed = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const ports = { bot: await freePort(), azurite: await freePort() };
    const child = spawn(process.execPath, [path.join(root, 'scripts', 'start-local.mjs')], {
      cwd: root,
      env: { ...process.env, PORT: String(ports.bot), AZURITE_TABLE_PORT: String(ports.azurite), PLAYGROUND_PEOPLE: 'off', LOCAL_DATA_DIR: dataDir, LOG_QUIET: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    printed = '';
    child.stdout!.on('data', (c: Buffer) => (printed += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (printed += c.toString()));
    let stopped = false;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => ((stopped = true), r(code))));
    const bot = `http://127.0.0.1:${ports.bot}`;
    for (let i = 0; i < 900 && !stopped; i++) {
      if (await fetch(`${bot}/healthz`).then((r) => r.ok, () => false)) {
        // Answered: by this child, not by something else that holds the port (the child would have stopped).
        await new Promise((r) => setTimeout(r, 200));
        if (!stopped) return { child, bot, azurite: ports.azurite, exited };
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!stopped) {
      child.kill('SIGKILL');
      throw new Error(`npm start did not answer; it printed:\n${printed.slice(-3000)}`);
    }
  }
  throw new Error(`npm start stopped before it answered, three times; it printed:\n${printed.slice(-3000)}`);
}

async function invoke(bot: string, verb: string, data: Record<string, unknown>) {
  const res = await fetch(`${bot}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'invoke', name: 'adaptiveCard/action', id: `i-${Date.now()}`, channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/_connector',
      from: { id: SAM.id, name: SAM.name, aadObjectId: SAM.id }, conversation: { id: 'a:local-chat', conversationType: 'personal', tenantId: TENANT },
      recipient: { id: 'bot', name: 'bot' }, channelData: { tenant: { id: TENANT } }, value: { action: { type: 'Action.Execute', verb, data } },
    }),
  });
  return (await res.json()) as { value: any };
}

async function raise(bot: string): Promise<string> {
  const form = await invoke(bot, 'chooseCategory', { category: 'cyberbullying', immediateDanger: 'no' });
  const formId = form.value.actions.find((a: { verb: string }) => a.verb === 'submitConcern').data.formId;
  const receipt = await invoke(bot, 'submitConcern', { formId, category: 'cyberbullying', learnerName1: 'A', learnerYear1: 'Year 5', whatHappened: 'Unkind messages.', happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: 'no' });
  return JSON.stringify(receipt).match(/SMP-\d{4}-\d{4}/)![0];
}

async function casesOnDisk(azuritePort: number): Promise<string[]> {
  const table = TableClient.fromConnectionString(connectionStringFor(azuritePort), 'Cases', { allowInsecureConnection: true });
  const out: string[] = [];
  for await (const e of table.listEntities<{ reference: string }>({ queryOptions: { filter: "RowKey ge 'case|' and RowKey lt 'case|~'" } })) out.push(e.reference);
  return out;
}

describe('npm start', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`a case raised just before ${signal} is still there after the next start`, async () => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'localdata-'));
      const first = await startLocal(dataDir);
      const reference = await raise(first.bot);
      first.child.kill(signal);
      expect(await first.exited).toBe(0);
      const second = await startLocal(dataDir);
      try {
        expect(await casesOnDisk(second.azurite)).toContain(reference);
      } finally {
        second.child.kill('SIGINT');
        await second.exited;
      }
    }, 120_000);
  }

  it('a storage failure during a reminder run is logged and the server keeps serving (concerns are then kept in the spool)', async () => {
    const azurite = await startAzurite();
    const server = await startServerProcess({ DIRECTORY: 'demo', TABLES_CONNECTION_STRING: azurite.connectionString, TAB_REMINDERS_PER_SECOND: '0.5', STORAGE_REQUEST_TIMEOUT_MS: '500', SUBMIT_DEADLINE_MS: '3000', BOT_SERVICE_URL: 'http://127.0.0.1:9/_connector', SPOOL_DIR: mkdtempSync(path.join(os.tmpdir(), 'spool-')), LOG_QUIET: 'true' });
    const bot = server.url;
    try {
      const tab = (p: string, body?: unknown) => fetch(`${bot}/api/tab${p}`, { method: body ? 'POST' : 'GET', headers: { 'x-demo-user': LUCY, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      expect((await tab('/reminders', { documentId: 'staff-aup' })).status).toBe(202);
      // Storage goes away while the run is sending.
      await azurite.stop();
      await new Promise((r) => setTimeout(r, 4000));
      expect(server.child.exitCode).toBeNull();
      expect((await fetch(`${bot}/healthz`)).status).toBe(200);
      const form = await invoke(bot, 'chooseCategory', { category: 'cyberbullying', immediateDanger: 'no' });
      const formId = form.value.actions.find((a: { verb: string }) => a.verb === 'submitConcern').data.formId;
      const answer = await invoke(bot, 'submitConcern', { formId, category: 'cyberbullying', learnerName1: 'A', learnerYear1: 'Year 5', whatHappened: 'Unkind messages.', happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: 'no' });
      expect(JSON.stringify(answer)).toMatch(/kept safely, but not stored yet/);
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
      await azurite.stop();
    }
  }, 120_000);
});
