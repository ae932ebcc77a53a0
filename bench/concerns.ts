/**
 * Benchmark: a concern submitted → stored → DSL card sent → receipt, with N concurrent reporters.
 * Three processes, as in production: Azurite; the server (bench/serverProcess.ts); and this one, which
 * plays Teams — the reporters and the Bot Connector (stub). The floor is the same Table writes and
 * connector call made directly from here, in the same run. Prints p50/p99, throughput and the ratio.
 *
 *   npx tsx bench/concerns.ts [reporters=50] [rounds=3]
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import { TableClient } from '@azure/data-tables';
import { startConnectorStub, type ConnectorStub } from '../tests/support/connectorStub';
import { PEOPLE, type TestPerson } from '../tests/support/people';
import { conversationOf, TENANT } from '../tests/support/world';
import { ms, percentile, spawnAzurite } from './support';

const N = Number(process.argv[2] ?? 50);
const ROUNDS = Number(process.argv[3] ?? 3);

function reporters(n: number): TestPerson[] {
  return Array.from({ length: n }, (_, i) => ({ id: `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`, displayName: `Reporter ${i}`, roles: ['allStaff'] }));
}

/** Teams' side of the conversation: activities POSTed to the server's /api/messages. */
class Teams {
  constructor(private readonly url: string, private readonly connector: ConnectorStub) {}

  private activity(person: TestPerson, fields: Record<string, unknown>) {
    return {
      id: randomUUID(), serviceUrl: this.connector.url, channelId: 'msteams',
      from: { id: `29:${person.id}`, name: person.displayName, aadObjectId: person.id },
      conversation: { id: conversationOf(person), conversationType: 'personal', tenantId: TENANT },
      recipient: { id: '28:bot', name: 'bot' }, channelData: { tenant: { id: TENANT } }, ...fields,
    };
  }

  async post(body: unknown): Promise<any> {
    const r = await fetch(`${this.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await r.text();
    return text ? JSON.parse(text) : undefined;
  }

  say(person: TestPerson, text: string) {
    return this.post(this.activity(person, { type: 'message', text }));
  }

  invoke(person: TestPerson, verb: string, data: Record<string, unknown>) {
    return this.post(this.activity(person, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data } }, replyToId: randomUUID() }));
  }
}

/** DSL cards as they arrive at the connector stub, by reference. */
const cardArrivals = new Map<string, number>();
const cardWaiters = new Map<string, (at: number) => void>();

/** One concern through the product; resolves with its latency when both receipt and DSL card are in. */
async function throughProduct(teams: Teams, person: TestPerson): Promise<number> {
  const form = await teams.invoke(person, 'chooseCategory', { category: 'cyberbullying' });
  const formId = form.value.actions.find((a: { verb?: string }) => a.verb === 'submitConcern').data.formId;
  const start = performance.now();
  const reply = await teams.invoke(person, 'submitConcern', {
    formId, category: 'cyberbullying', learnerName1: 'Learner', learnerYear1: 'Year 5', whatHappened: 'Benchmark concern text.', happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: 'no',
  });
  const receiptAt = performance.now();
  const reference = JSON.stringify(reply.value).match(/[A-Z]+-\d{4}-\d{4}/)![0];
  const cardAt = cardArrivals.get(reference) ?? (await new Promise<number>((resolve) => cardWaiters.set(reference, resolve)));
  return Math.max(receiptAt, cardAt) - start;
}

/**
 * The floor: the storage writes and connector call one concern needs, made directly: one
 * transaction (case, submission key, outbox row), the connector POST, the outbox row marked sent.
 */
async function direct(table: TableClient, connectorUrl: string, i: number, school: string): Promise<number> {
  const start = performance.now();
  const reference = `FLR-2026-${String(i).padStart(5, '0')}`;
  await table.submitTransaction([
    ['create', { partitionKey: school, rowKey: `case|${reference}`, concern: 'x'.repeat(400) }],
    ['create', { partitionKey: school, rowKey: `submission|${i}|${randomUUID()}`, reference }],
    ['create', { partitionKey: school, rowKey: `outbox|${reference}|notify`, status: 'pending' }],
  ]);
  await fetch(`${connectorUrl}/v3/conversations/a:floor-${i}/activities`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', summary: reference }) });
  await table.updateEntity({ partitionKey: school, rowKey: `outbox|${reference}|notify`, status: 'sent' }, 'Merge');
  return performance.now() - start;
}

async function main() {
  const azurite = await spawnAzurite();
  const connector = await startConnectorStub();
  connector.onSent((s) => {
    const reference = String(s.activity.summary ?? '').match(/[A-Z]+-\d{4}-\d{4}/)?.[0];
    if (!reference) return;
    cardArrivals.set(reference, s.at);
    cardWaiters.get(reference)?.(s.at);
  });
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const server = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(__dirname, 'serverProcess.ts')], {
    env: { ...process.env, BENCH_TABLES: azurite.connectionString, BENCH_CONNECTOR: connector.url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { url } = JSON.parse(await new Promise<string>((resolve) => readline.createInterface({ input: server.stdout! }).once('line', resolve)));
  const teams = new Teams(url, connector);
  const table = TableClient.fromConnectionString(azurite.connectionString, 'Cases', { allowInsecureConnection: true });
  const staff = reporters(N);
  // Warm up: connections, JIT, the directory cache, conversation references.
  for (const p of [PEOPLE.dslPrep, ...staff]) await teams.say(p, 'hi');
  await Promise.all(staff.slice(0, 5).map((p) => throughProduct(teams, p)));
  await Promise.all(staff.slice(0, 5).map((_p, i) => direct(table, connector.url, 100000 + i, 'floor-warm')));

  const product: number[] = [];
  const floor: number[] = [];
  let productWall = 0;
  let floorWall = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    product.push(...(await Promise.all(staff.map((p) => throughProduct(teams, p)))));
    productWall += performance.now() - t;
    t = performance.now();
    floor.push(...(await Promise.all(staff.map((_p, i) => direct(table, connector.url, round * N + i, 'floor')))));
    floorWall += performance.now() - t;
  }
  server.kill('SIGINT');
  await new Promise((r) => server.once('exit', r));
  await connector.close();
  azurite.stop();

  const row = (name: string, v: number[], wall: number) =>
    console.log(`${name.padEnd(10)} p50 ${ms(percentile(v, 50)).padStart(10)}  p99 ${ms(percentile(v, 99)).padStart(10)}  throughput ${((v.length / wall) * 1000).toFixed(1).padStart(6)} concerns/s`);
  console.log(`concern → stored → DSL card sent → receipt; ${N} concurrent reporters × ${ROUNDS} rounds; Azurite, the server and the reporters + connector stub in three processes`);
  row('product', product, productWall);
  row('floor', floor, floorWall);
  console.log(`ratio (product / floor): p50 ${(percentile(product, 50) / percentile(floor, 50)).toFixed(2)}, p99 ${(percentile(product, 99) / percentile(floor, 99)).toFixed(2)}, throughput ${((floorWall / floor.length) / (productWall / product.length)).toFixed(2)}`);
  console.log(`aim: ratio ≤ 1.5 and p99 < 300 ms with 50 reporters`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
