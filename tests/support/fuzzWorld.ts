/**
 * The product as the fuzz meets it: the tab world (real credentials, so tokens are checked as in
 * Teams), a Bot Framework token issuer of the fuzz's own (so it can sign a token for any activity), and
 * the fixtures every generator names: two real cases, forms issued, documents, training records,
 * reminder runs, tokens for each kind of caller and tokens the server must refuse.
 */
import { format } from 'node:util';
import { TableClient } from '@azure/data-tables';
import { actionsOf } from './cards';
import { FUZZ_MONITORING_SECRET } from './fuzzAlerts';
import { startTokenIssuer, type TokenIssuer } from './botTokens';
import type { EdgeId, FuzzFixtures } from './fuzzCase';
import type { FuzzReport } from './fuzzRun';
import { PEOPLE, type TestPerson } from './people';
import { BOT_APP_ID, startTabWorld, type TabWorld } from './tabWorld';
import { TENANT, type World } from './world';

// The school's day is fixed (Monday 23 November 2026): dates in the inputs mean the same on any day.
const offset = Date.parse('2026-11-23T10:00:00Z') - Date.now();
const clock = () => new Date(Date.now() + offset);

export interface FuzzWorld {
  t: TabWorld;
  fx: FuzzFixtures;
  stop(): Promise<void>;
}

export async function startFuzzWorld(): Promise<FuzzWorld> {
  const bot: TokenIssuer = await startTokenIssuer();
  const t = await startTabWorld({ clock, env: { BOT_OPENID_METADATA_URL: bot.metadataUrl, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppPassword: '', TAB_REMINDERS_PER_SECOND: '20', DIRECTORY_CACHE_SECONDS: '5', MONITORING_SECRET: FUZZ_MONITORING_SECRET } });
  try {
    const fx = await fixtures(t, bot);
    return { t, fx, stop: async () => { await t.stop(); await bot.close(); } };
  } catch (err) {
    await t.stop();
    await bot.close();
    throw err;
  }
}

const unsigned = (claims: object) => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

async function fixtures(t: TabWorld, bot: TokenIssuer): Promise<FuzzFixtures> {
  const { w } = t;
  const tokens = new Map<string, Promise<string>>();
  const botToken = (serviceUrl: string) => {
    if (!tokens.has(serviceUrl)) tokens.set(serviceUrl, bot.sign({ aud: BOT_APP_ID, serviceurl: serviceUrl, appid: 'botframework-connector' }));
    return tokens.get(serviceUrl)!;
  };
  const cases = await botFixtures(t, botToken);
  const register = await tabFixtures(t);
  const sso = (p: TestPerson) => t.tab.sign(p);
  return {
    people: PEOPLE,
    now: clock,
    connectorUrl: w.connector.url,
    ...cases,
    ...register,
    botToken,
    badBotAuth: await badBotAuth(bot, w.connector.url),
    tabAuth: { keeper: await sso(PEOPLE.office), reader: await sso(PEOPLE.dslPrep), staff: await sso(PEOPLE.teacher), head: await sso(PEOPLE.head), tech: await sso(PEOPLE.tech) },
    badTabHeaders: await badTabHeaders(t),
  };
}

/** Two cases (one with the Prep DSL, one with the Headteacher) and forms issued but not sent. */
async function botFixtures(t: TabWorld, botToken: (serviceUrl: string) => Promise<string>): Promise<Pick<FuzzFixtures, 'references' | 'formIds'>> {
  const { w } = t;
  const invoke = async (person: TestPerson, verb: string, data: Record<string, unknown>) => {
    const r = await w.post(w.activity(person, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data } } }), { authorization: `Bearer ${await botToken(w.connector.url)}` });
    if (r.status !== 200) throw new Error(`fixture ${verb}: ${r.status} ${r.text.slice(0, 300)}`);
    return JSON.parse(r.text) as { value: unknown };
  };
  const formId = async (category: string) => String(actionsOf((await invoke(PEOPLE.reporter, 'chooseCategory', { category, immediateDanger: 'no' })).value).find((a) => a.verb === 'submitConcern')!.data!.formId);
  const raise = async (category: string, extra: Record<string, string>) => {
    const reply = await invoke(PEOPLE.reporter, 'submitConcern', { formId: await formId(category), category, learnerName1: 'Learner A', learnerYear1: 'Year 5', whatHappened: 'What happened.', happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: 'no', ...extra });
    const reference = JSON.stringify(reply.value).match(/[A-Z]{2,6}-\d{4}-\d{4}/)?.[0];
    if (!reference) throw new Error(`fixture: no reference in ${JSON.stringify(reply).slice(0, 300)}`);
    return reference;
  };
  return {
    references: [await raise('cyberbullying', {}), await raise('staffAllegation', { staffInvolvedId: PEOPLE.teacher.id })],
    formIds: [await formId('cyberbullying'), await formId('filteringBreach'), await formId('staffAllegation')],
  };
}

/** The register's staff synced, three documents, a learner, a training record and a self-report, two reminder runs. */
async function tabFixtures(t: TabWorld): Promise<Pick<FuzzFixtures, 'documentIds' | 'recordKeys' | 'reminderIds' | 'registerIds'>> {
  const call = async (person: TestPerson, path: string, method = 'GET', body?: unknown) => {
    const r = await t.call(person, path, { method, body });
    if (r.status >= 300) throw new Error(`fixture ${method} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
    return r.body;
  };
  const { office, teacher } = PEOPLE;
  await call(office, '/register');
  await call(office, '/documents', 'POST', { documentId: 'staff-aup', kind: 'staff', title: 'Staff AUP', text: 'I will use the school systems responsibly.' });
  await call(office, '/documents', 'POST', { documentId: 'learner-aup', kind: 'learner', title: 'Learner AUP', text: 'I will be kind online.' });
  await call(office, '/documents', 'POST', { documentId: 'kcsie-part-1', kind: 'mustRead', title: 'KCSIE Part 1', link: 'https://www.gov.uk/kcsie' });
  const learner = await call(office, '/people', 'POST', { kind: 'learner', displayName: 'Amira Khan', externalId: 'L001', yearGroup: 'Year 3' });
  await call(office, '/training/records', 'POST', { personId: teacher.id, courseId: 'prevent', completedOn: '2026-10-01' });
  await call(teacher, '/my-records/training', 'POST', { courseId: 'induction', completedOn: '2026-09-05' });
  const records = (await call(office, `/training/people/${teacher.id}`)).records as { key: string }[];
  return {
    documentIds: ['staff-aup', 'learner-aup', 'kcsie-part-1'],
    recordKeys: records.map((r) => r.key),
    reminderIds: [(await call(office, '/reminders', 'POST', { documentId: 'staff-aup' })).id, (await call(office, '/training/reminders', 'POST', {})).id],
    registerIds: [String((learner as { id: string }).id)],
  };
}

/** Authorization headers the bot must refuse: garbage, unsigned, forged, expired, another audience or issuer. */
async function badBotAuth(bot: TokenIssuer, serviceurl: string): Promise<string[]> {
  return [
    '',
    'Bearer',
    'Bearer garbage',
    'Bearer a.b.c',
    'Basic dXNlcjpwYXNz',
    `Bearer ${'x'.repeat(10_000)}`,
    `Bearer ${unsigned({ aud: BOT_APP_ID, iss: 'https://api.botframework.com', serviceurl })}`,
    `Bearer ${await bot.sign({ aud: BOT_APP_ID, serviceurl }, { key: 'rogue' })}`,
    `Bearer ${await bot.sign({ aud: BOT_APP_ID, serviceurl }, { expiresInSeconds: -3600 })}`,
    `Bearer ${await bot.sign({ aud: 'another-bot', serviceurl })}`,
    `Bearer ${await bot.sign({ aud: BOT_APP_ID, serviceurl, iss: 'https://evil.example' })}`,
    `Bearer ${await bot.sign({ aud: BOT_APP_ID, serviceurl: 'https://evil.example/' })}`,
    `Bearer ${await bot.sign({ aud: BOT_APP_ID })}`,
    `Bearer ${await bot.sign({ aud: BOT_APP_ID, serviceurl }, { kid: 'unknown-key' })}`,
  ];
}

/** Headers the tab must refuse (or take as nobody in particular): forged, expired, another tenant, no scope, odd claims. */
async function badTabHeaders(t: TabWorld): Promise<Record<string, string>[]> {
  const { office } = PEOPLE;
  const sso = async (p: TestPerson, opts?: Parameters<TabWorld['tab']['sign']>[1]) => ({ authorization: `Bearer ${await t.tab.sign(p, opts)}` });
  const stranger: TestPerson = { id: 'ffffffff-0000-4000-8000-00000000ffff', displayName: 'Not On The Staff', roles: [] };
  return [
    {},
    { authorization: 'Bearer' },
    { authorization: 'Bearer garbage' },
    { authorization: 'Bearer a.b.c' },
    { authorization: 'Basic dXNlcjpwYXNz' },
    { authorization: `Bearer ${'x'.repeat(12_000)}` },
    { 'x-demo-user': office.id },
    { authorization: `Bearer ${unsigned({ aud: 'x', tid: TENANT, oid: office.id, scp: 'access_as_user' })}` },
    await sso(office, { key: 'rogue' }),
    await sso(office, { expiresInSeconds: -3600 }),
    await sso(office, { claims: { tid: 'bbbbbbbb-0000-4000-8000-000000000000' } }),
    await sso(office, { claims: { scp: 'User.Read' } }),
    await sso(office, { claims: { scp: undefined } }),
    await sso(office, { claims: { oid: 12345 } }),
    await sso(office, { claims: { oid: { id: office.id } } }),
    await sso(office, { claims: { oid: undefined } }),
    await sso(office, { claims: { aud: 'api://elsewhere' } }),
    await sso(office, { issuer: 'https://evil.example/v2.0' }),
    await sso(office, { claims: { name: { first: 'Lucy' } } }),
    { authorization: `${(await sso(office)).authorization} extra` },
    await sso(stranger),
  ];
}

export interface ProcessWatch {
  /** The case now running, to name in what the process reports. */
  at(current: { edge: EdgeId | 'after'; index: number; label: string; route: string }): void;
  /** Where what the server prints goes (as error lines of its log). */
  logTo(logs: World['logs']): void;
  stop(): void;
}

/**
 * What the process itself says: an uncaught exception (app/main.ts would stop), an unhandled rejection
 * (main.ts logs it at error level and serves on), anything printed with console.error (Express's
 * last-resort handler prints there), and a changed Object.prototype at the end.
 */
export function watchProcess(report: FuzzReport): ProcessWatch {
  let current = { edge: 'activities' as EdgeId | 'after', index: -1, label: 'starting', route: '' };
  let logs: World['logs'] | undefined;
  const onException = (err: Error) => report.failures.push({ ...current, kind: 'crash', detail: `uncaught exception: ${err?.stack?.split('\n').slice(0, 4).join(' | ')}` });
  const onRejection = (reason: unknown) => {
    const line = `unhandled rejection: ${String((reason as Error)?.stack?.split('\n').slice(0, 4).join(' | ') ?? reason)}`;
    report.errorLines.push({ edge: current.edge, index: current.index, line });
    report.failures.push({ ...current, kind: 'error log', detail: line });
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  const realConsoleError = console.error;
  console.error = (...args: unknown[]) => {
    if (logs) logs.push({ time: new Date().toISOString(), level: 'error', message: 'printed to the console', text: format(...args).slice(0, 1500) });
    else realConsoleError(...args);
  };
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).join();
  return {
    at: (c) => void (current = c),
    logTo: (l) => void (logs = l),
    stop() {
      console.error = realConsoleError;
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
      if (Object.getOwnPropertyNames(Object.prototype).join() !== prototypeBefore || ({} as Record<string, unknown>).polluted !== undefined) {
        report.failures.push({ kind: 'crash', edge: 'after', index: -1, label: 'Object.prototype was changed during the run', route: '' });
      }
    },
  };
}

/**
 * Whether Azurite still takes a transaction. Azurite 3.35 can be left refusing every later one
 * ("Transaction Overlap!") after a transaction it failed on: the emulator's fault, not the product's.
 */
export async function emulatorWorks(w: World): Promise<boolean> {
  const client = TableClient.fromConnectionString(w.azurite.connectionString, 'FuzzProbe', { allowInsecureConnection: true });
  try {
    await client.createTable();
    await client.submitTransaction([['upsert', { partitionKey: 'probe', rowKey: 'probe', at: Date.now() }]]);
    return true;
  } catch {
    return false;
  }
}
