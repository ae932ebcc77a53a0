/**
 * The whole product on real parts for an end-to-end test: a real Azurite, the real server on a free
 * port, and local stubs of the Bot Connector and Microsoft Graph. Tests talk to it as Teams would:
 * Bot Framework activities POSTed to /api/messages.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadSchoolSetup } from '../../config/load';
import type { SchoolSetup } from '../../config/schema';
import { createApp, type App } from '../../app/server';
import { jsonLog } from '../../runtime/log';
import { readSettings } from '../../config/settings';
import { ROLES } from '../../core/roles';
import { openTables, type Tables } from '../../store/tables';
import { startAzurite, type AzuriteHandle } from './azurite';
import { actionsOf, cardProblems } from './cards';
import { startConnectorStub, type ConnectorStub } from './connectorStub';
import { IDENTITY_HEADER, startGraphStub, type GraphStub } from './graphStub';
import { PEOPLE, type TestPerson } from './people';

export const TEST_SCHOOL = path.join(__dirname, '..', 'fixtures', 'school.json');
export const TENANT = 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa';

export interface InvokeReply {
  status: number;
  body: { statusCode: number; type: string; value: any };
}

export interface World {
  url: string;
  setup: SchoolSetup;
  app: App;
  /** Another server instance on the same storage and stubs (several instances, or a restart). */
  anotherInstance(): Promise<App>;
  azurite: AzuriteHandle;
  /** The same storage, for tests that look at what is stored (never to change it behind the server's back). */
  tables: Tables;
  /** Every line the servers logged (tests read warnings here; nothing is printed). */
  logs: { level: string; message: string; [k: string]: unknown }[];
  connector: ConnectorStub;
  graph: GraphStub;
  /** Every card the bot has produced, in invoke responses and in messages. */
  cards: unknown[];
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  activity(person: TestPerson, fields: Record<string, unknown>): Record<string, unknown>;
  say(person: TestPerson, text: string, extra?: Record<string, unknown>): Promise<number>;
  invoke(person: TestPerson, verb: string, data: Record<string, unknown>, extra?: Record<string, unknown>): Promise<InvokeReply>;
  openForm(person: TestPerson, category: string, immediateDanger?: boolean): Promise<{ formId: string; card: any }>;
  raise(person: TestPerson, category: string, fields?: Record<string, string>): Promise<{ reply: InvokeReply; reference?: string; formId: string }>;
  conversationOf(person: TestPerson): string;
  stop(): Promise<void>;
}

export function conversationOf(person: TestPerson): string {
  return `a:personal-${person.id}`;
}

export interface WorldOptions {
  env?: Record<string, string>;
  people?: TestPerson[];
  /** Use this storage instead of starting an in-memory Azurite (benchmarks run Azurite in its own process). */
  tablesConnectionString?: string;
  /** The server's clock (tests move time on to reach deadlines). */
  clock?: () => Date;
}

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  // What has started so far is stopped again if a later step throws (a setup or settings that cannot
  // be read, a port taken): a failed start leaves no emulator or stub running behind the test.
  const started: (() => Promise<unknown>)[] = [];
  try {
    return await startParts(opts, started);
  } catch (err) {
    await Promise.allSettled(started.reverse().map((stop) => stop()));
    throw err;
  }
}

async function startParts(opts: WorldOptions, started: (() => Promise<unknown>)[]): Promise<World> {
  const azurite: AzuriteHandle = opts.tablesConnectionString
    ? { connectionString: opts.tablesConnectionString, port: 0, stop: async () => undefined }
    : await startAzurite();
  started.push(() => azurite.stop());
  const graph = await startGraphStub();
  started.push(() => graph.close());
  const connector = await startConnectorStub();
  started.push(() => connector.close());
  const setup = loadSchoolSetup(TEST_SCHOOL);
  const people = opts.people ?? Object.values(PEOPLE);
  for (const role of ROLES) {
    const groupId = setup.groups[role];
    // As Graph gives them: the mail is the email; a user without a mailbox has only the sign-in name.
    if (groupId) graph.groups.set(groupId, people.filter((p) => p.roles.includes(role)).map(({ id, displayName, email }) => ({ id, displayName, mail: email ?? null, userPrincipalName: email ?? `${id}@school.example` })));
  }
  // The managed-identity endpoint App Service gives a web app; @azure/identity reads these.
  process.env.IDENTITY_ENDPOINT = `${graph.url}/msi/token`;
  process.env.IDENTITY_HEADER = IDENTITY_HEADER;
  const settings = readSettings({
    PORT: '0',
    SCHOOL_CONFIG: TEST_SCHOOL,
    TABLES_CONNECTION_STRING: azurite.connectionString,
    DIRECTORY: 'graph',
    GRAPH_BASE_URL: graph.url,
    BOT_SERVICE_URL: connector.url,
    TEAMS_APP_CATALOG_ID: 'catalog-app-id',
    DIRECTORY_CACHE_SECONDS: '0',
    OUTBOX_SWEEP_SECONDS: '3600',
    LOG_QUIET: 'true',
    SPOOL_DIR: mkdtempSync(path.join(os.tmpdir(), 'spool-')),
    ...opts.env,
  });
  const logs: World['logs'] = [];
  const log = jsonLog((line) => logs.push(JSON.parse(line)));
  const app = await createApp(settings, { clock: opts.clock, log });
  started.push(() => app.close());
  const tables = await openTables(settings.tables);
  const server = await app.listen();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const others: App[] = [];
  const cards: unknown[] = [];

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };

  const activity = (person: TestPerson, fields: Record<string, unknown>) => ({
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl: connector.url,
    channelId: 'msteams',
    from: { id: `29:${person.id}`, name: person.displayName, aadObjectId: person.id },
    conversation: { id: conversationOf(person), conversationType: 'personal', tenantId: TENANT },
    recipient: { id: '28:bot-id', name: 'Online Safety' },
    channelData: { tenant: { id: TENANT } },
    ...fields,
  });

  const invoke = async (person: TestPerson, verb: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<InvokeReply> => {
    const r = await post(activity(person, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, replyToId: `card-${randomUUID()}`, ...extra }));
    const body = r.text ? JSON.parse(r.text) : undefined;
    if (body?.type === 'application/vnd.microsoft.card.adaptive') cards.push(body.value);
    return { status: r.status, body };
  };

  const openForm = async (person: TestPerson, category: string, immediateDanger = false) => {
    const reply = await invoke(person, 'chooseCategory', { category, immediateDanger: immediateDanger ? 'yes' : 'no' });
    const card = reply.body.value;
    const submit = actionsOf(card).find((a) => a.verb === 'submitConcern');
    if (!submit) throw new Error(`no form for ${category}: ${JSON.stringify(reply.body).slice(0, 400)}`);
    return { formId: String(submit.data!.formId), card };
  };

  const world: World = {
    url,
    setup,
    app,
    anotherInstance: async () => {
      const other = await createApp(settings, { clock: opts.clock, log });
      await other.listen();
      others.push(other);
      return other;
    },
    azurite,
    tables,
    logs,
    connector,
    graph,
    cards,
    post,
    activity,
    say: async (person, text, extra = {}) => (await post(activity(person, { type: 'message', text, ...extra }))).status,
    invoke,
    openForm,
    raise: async (person, category, fields = {}) => {
      const { formId } = await openForm(person, category, fields.immediateDanger === 'yes');
      const reply = await invoke(person, 'submitConcern', {
        formId,
        category,
        learnerName1: 'Learner A',
        learnerYear1: 'Year 5',
        whatHappened: 'A description of what happened.',
        happenedOn: '2026-11-20',
        location: 'onSite',
        device: 'schoolDevice',
        immediateDanger: 'no',
        ...fields,
      });
      const reference = (JSON.stringify(reply.body?.value ?? '').match(/[A-Z]{2,6}-\d{4}-\d{4}/) ?? [])[0];
      return { reply, reference, formId };
    },
    conversationOf,
    stop: async () => {
      for (const s of connector.sent) for (const a of s.activity.attachments ?? []) cards.push(a.content);
      await Promise.all([app.close(), ...others.map((o) => o.close())]);
      await Promise.all([connector.close(), graph.close(), azurite.stop()]);
    },
  };
  return world;
}

/** All problems found in the cards a world produced (checked after it stops). */
export function problemsIn(cards: unknown[]): string[] {
  return cards.flatMap((c, i) => cardProblems(c).map((p) => `card ${i}: ${p}`));
}
