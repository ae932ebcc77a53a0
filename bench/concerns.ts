/**
 * Benchmark: a concern submitted → stored → DSL card sent → receipt, with N concurrent reporters,
 * against Azurite (its own process) and the connector stub. The floor is the same Table writes and
 * connector calls made directly, in the same run. Prints p50/p99, throughput and the ratio.
 *
 *   npx tsx bench/concerns.ts [reporters=50] [rounds=3]
 */
import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { PEOPLE, type TestPerson } from '../tests/support/people';
import { startWorld, type World } from '../tests/support/world';
import { ms, percentile, spawnAzurite } from './support';

const N = Number(process.argv[2] ?? 50);
const ROUNDS = Number(process.argv[3] ?? 3);

function reporters(n: number): TestPerson[] {
  return Array.from({ length: n }, (_, i) => ({ id: `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`, displayName: `Reporter ${i}`, roles: ['allStaff'] }));
}

/** DSL cards as they arrive at the connector stub, by reference. */
const cardArrivals = new Map<string, number>();
const cardWaiters = new Map<string, (at: number) => void>();

/** One concern through the product; resolves with its latency when both receipt and DSL card are in. */
async function throughProduct(w: World, person: TestPerson): Promise<number> {
  const { formId } = await w.openForm(person, 'cyberbullying');
  const start = performance.now();
  const reply = await w.invoke(person, 'submitConcern', {
    formId, category: 'cyberbullying', learnerName1: 'Learner', learnerYear1: 'Year 5', whatHappened: 'Benchmark concern text.', happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: 'no',
  });
  const receiptAt = performance.now();
  const reference = JSON.stringify(reply.body.value).match(/[A-Z]+-\d{4}-\d{4}/)![0];
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
  const people = [...Object.values(PEOPLE), ...reporters(N)];
  const w = await startWorld({ tablesConnectionString: azurite.connectionString, people, env: { DIRECTORY_CACHE_SECONDS: '60' } });
  w.connector.onSent((s) => {
    const reference = String(s.activity.summary ?? '').match(/[A-Z]+-\d{4}-\d{4}/)?.[0];
    if (!reference) return;
    cardArrivals.set(reference, s.at);
    cardWaiters.get(reference)?.(s.at);
  });
  const table = TableClient.fromConnectionString(azurite.connectionString, 'Cases', { allowInsecureConnection: true });
  const staff = reporters(N);
  // Warm up: connections, JIT, the directory cache, conversation references.
  for (const p of [PEOPLE.dslPrep, ...staff]) await w.say(p, 'hi');
  await Promise.all(staff.slice(0, 5).map((p) => throughProduct(w, p)));
  await Promise.all(staff.slice(0, 5).map((_p, i) => direct(table, w.connector.url, 100000 + i, 'floor-warm')));

  const product: number[] = [];
  const floor: number[] = [];
  let productWall = 0;
  let floorWall = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    product.push(...(await Promise.all(staff.map((p) => throughProduct(w, p)))));
    productWall += performance.now() - t;
    t = performance.now();
    floor.push(...(await Promise.all(staff.map((_p, i) => direct(table, w.connector.url, round * N + i, 'floor')))));
    floorWall += performance.now() - t;
  }
  await w.stop();
  azurite.stop();

  const row = (name: string, v: number[], wall: number) =>
    console.log(`${name.padEnd(10)} p50 ${ms(percentile(v, 50)).padStart(10)}  p99 ${ms(percentile(v, 99)).padStart(10)}  throughput ${((v.length / wall) * 1000).toFixed(1).padStart(6)} concerns/s`);
  console.log(`concern → stored → DSL card sent → receipt; ${N} concurrent reporters × ${ROUNDS} rounds; Azurite in its own process; connector stub`);
  row('product', product, productWall);
  row('floor', floor, floorWall);
  console.log(`ratio (product / floor): p50 ${(percentile(product, 50) / percentile(floor, 50)).toFixed(2)}, p99 ${(percentile(product, 99) / percentile(floor, 99)).toFixed(2)}, throughput ${((floorWall / floor.length) / (productWall / product.length)).toFixed(2)}`);
  console.log(`aim: ratio ≤ 1.5 and p99 < 300 ms with 50 reporters`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
