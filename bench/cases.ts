/**
 * The case workspace at scale (issue 10's aims): 10 years × 400 cases a year in one school, then 499
 * other schools in the same tables. Case list p95 under 150 ms, case page under 100 ms, a child's
 * chronology under 150 ms, the PDF of a 60-entry chronology under 2 s; and the storage requests and
 * entities read per operation, counted by a proxy in front of Azurite, the same with 1 school and 500.
 * Azurite runs in its own process; the server in local mode with the Graph and connector stubs.
 *
 *   npx tsx bench/cases.ts            (OTHER_CASES=40 cases in each other school by default)
 */
import type { TransactionAction } from '@azure/data-tables';
import type { CaseRecord, ChronologyEntry } from '../core/case';
import type { StoredPerson } from '../store/aupStore';
import { openTables, prefixFilter, type Tables } from '../store/tables';
import { PEOPLE } from '../tests/support/people';
import { startWorld } from '../tests/support/world';
import { caseOf, seedOtherSchools, seedSchool } from './seed';
import { startCountingProxy, type StorageCounts } from './countingProxy';
import { figure } from './figures';
import { ms, percentile, spawnAzurite } from './support';

const YEARS = 10;
const PER_YEAR = 400;
const LEARNERS = 600;
const OTHER_SCHOOLS = 499;
const OTHER_CASES = Number(process.env.OTHER_CASES ?? 40);
const AIM = { listMs: 150, pageMs: 100, chronologyMs: 150, pdfMs: 2000 };
const SCHOOL = 'test-school';
/** The child with the long record: learner 12 is in Year 5 (Prep), so the Prep DSL prepares their file. */
const CHILD = 12;
const CHILD_ID = `csv-learner-L${CHILD}`;
const offset = Date.parse('2026-11-23T10:00:00Z') - Date.now();
const clock = () => new Date(Date.now() + offset);
const { head, dslPrep } = PEOPLE;
const YEARS_GROUPS = ['Reception', 'Year 1', 'Year 2', 'Year 3', 'Year 4', 'Year 5', 'Year 6'];

interface Figures {
  listCold: number;
  list: number[];
  listFiltered: number[];
  page: number[];
  chronology: number[];
  pdf: number[];
  counts: Record<string, StorageCounts>;
  rss: number;
  /** The floor: one range query (a case's chronology) straight to Azurite, no server. */
  rangeQuery: number[];
}

/** Starts a fresh server on the tables (no warm caches) and measures each operation. */
async function measure(connectionString: string, proxy: Awaited<ReturnType<typeof startCountingProxy>>, refs: string[], child: string): Promise<Figures> {
  const w = await startWorld({ tablesConnectionString: connectionString, clock, env: { DIRECTORY_CACHE_SECONDS: '60', CASE_DUTIES_SWEEP_SECONDS: '86400', ESCALATION_SWEEP_SECONDS: '86400' } });
  const api = async (who: { id: string }, path: string) => {
    const start = performance.now();
    const res = await fetch(`${w.url}/api/tab${path}`, { headers: { 'x-demo-user': who.id, 'accept-encoding': 'gzip' } });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.toString().slice(0, 200)}`);
    return { ms: performance.now() - start, body };
  };
  /** The storage one call costs (after the caches it would find warm are warm). */
  const countOf = async (who: { id: string }, path: string) => {
    await new Promise((r) => setTimeout(r, 200));
    proxy.reset();
    await api(who, path);
    // The audit row of a read is written before the answer; nothing else is in flight.
    return { ...proxy.counts };
  };
  try {
    const f: Figures = { listCold: 0, list: [], listFiltered: [], page: [], chronology: [], pdf: [], counts: {}, rss: 0, rangeQuery: [] };
    proxy.reset();
    f.listCold = (await api(head, '/cases')).ms;
    f.counts['case list, first after start'] = { ...proxy.counts };
    for (let i = 0; i < 100; i++) f.list.push((await api(head, '/cases')).ms);
    for (let i = 0; i < 50; i++) f.listFiltered.push((await api(head, `/cases?status=closed&phase=prep&q=learner%20${i}`)).ms);
    for (let i = 0; i < 100; i++) f.page.push((await api(head, `/cases/${refs[(i * 37) % refs.length]}`)).ms);
    for (let i = 0; i < 30; i++) f.chronology.push((await api(dslPrep, `/learners/${child}/chronology`)).ms);
    for (let i = 0; i < 5; i++) f.pdf.push((await api(dslPrep, `/learners/${child}/record.pdf`)).ms);
    f.counts['case list'] = await countOf(head, '/cases');
    f.counts['case page'] = await countOf(head, `/cases/${refs[5]}`);
    f.counts["child's chronology (60 entries)"] = await countOf(dslPrep, `/learners/${child}/chronology`);
    f.counts['PDF of that record'] = await countOf(dslPrep, `/learners/${child}/record.pdf`);
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      for await (const _e of w.tables.Cases.listEntities({ queryOptions: { filter: prefixFilter(SCHOOL, `chron|${refs[(i * 37) % refs.length]}|`) } })) void _e;
      f.rangeQuery.push(performance.now() - t);
    }
    f.rss = process.memoryUsage().rss;
    return f;
  } finally {
    await w.stop();
  }
}

async function main(): Promise<void> {
  const azurite = await spawnAzurite();
  const port = Number(new URL(azurite.connectionString.match(/TableEndpoint=([^;]+)/)![1]).port);
  const proxy = await startCountingProxy(port);
  const viaProxy = azurite.connectionString.replace(`:${port}/`, `:${proxy.port}/`);
  try {
    // Tables exist once a server has started; the seed writes straight to them, as a migration would.
    await (await startWorld({ tablesConnectionString: azurite.connectionString })).stop();
    const tables = await openTables({ kind: 'connectionString', connectionString: azurite.connectionString, prefix: '', requestTimeoutMs: 30_000 } as never);
    const at = clock().toISOString();
    const learners: StoredPerson[] = Array.from({ length: LEARNERS }, (_, i) => ({ id: `csv-learner-L${i}`, displayName: `Learner ${i} Bench`, kind: 'learner', yearGroup: YEARS_GROUPS[i % YEARS_GROUPS.length], tags: [], source: 'csv', externalId: `L${i}`, active: true, updatedAt: at, dateOfBirth: `20${String(10 + (i % 10)).padStart(2, '0')}-0${1 + (i % 9)}-15` }));
    let t = performance.now();
    for (let i = 0; i < learners.length; i += 100) await tables.People.submitTransaction(learners.slice(i, i + 100).map((p): TransactionAction => ['upsert', { partitionKey: SCHOOL, rowKey: p.id, displayName: p.displayName, kind: p.kind, yearGroup: p.yearGroup, tags: '', source: p.source, externalId: p.externalId, active: true, updatedAt: p.updatedAt, dateOfBirth: p.dateOfBirth }, 'Replace']));
    // One Prep child has the long record: 10 cases (one a year) × 6 lines (received, routed, acknowledged,
    // two actions, closed) = 60 entries; nobody else's case names them.
    const cases: { record: CaseRecord; chronology: ChronologyEntry[] }[] = [];
    const startYear = 2017;
    for (let n = 0; n < YEARS * PER_YEAR; n++) {
      const year = startYear + Math.floor(n / PER_YEAR);
      const day = Math.floor(((n % PER_YEAR) / PER_YEAR) * 320);
      const createdAt = new Date(Date.UTC(year, 0, 1) + day * 86_400_000 + (n % 7) * 3_600_000).toISOString();
      const other = (n * 13) % LEARNERS;
      const child = n % PER_YEAR === 7 ? CHILD : other === CHILD ? other + 1 : other;
      const l = learners[child];
      cases.push(caseOf(SCHOOL, n, createdAt, l.id, l.displayName, l.yearGroup!, child === CHILD ? 2 : 1));
    }
    const entities = await seedSchool(tables, SCHOOL, cases);
    const childEntries = cases.filter((c) => c.record.concern.learners[0].learnerId === CHILD_ID).reduce((n, c) => n + c.chronology.length + 2, 0);
    console.log(`seeded ${cases.length} cases (${entities} entities) and ${LEARNERS} learners in one school in ${ms(performance.now() - t)}; the long record has ${childEntries} entries`);
    const refs = cases.map((c) => c.record.reference);

    const one = await measure(viaProxy, proxy, refs, CHILD_ID);

    t = performance.now();
    const others = await seedOtherSchools(tables, OTHER_SCHOOLS, OTHER_CASES);
    console.log(`seeded ${OTHER_SCHOOLS} other schools × ${OTHER_CASES} cases (${others} entities) in ${ms(performance.now() - t)}`);
    const many = await measure(viaProxy, proxy, refs, CHILD_ID);

    const row = (what: string, f: (x: Figures) => number[], aim: number) => {
      const [a, b] = [f(one), f(many)];
      figure({ group: 'cases', name: `${what}, p95, 500 schools`, value: percentile(b, 95), unit: 'ms', aim, better: 'lower' });
      return `  ${what.padEnd(44)} ${`${ms(percentile(a, 50))} / ${ms(percentile(a, 95))}`.padStart(22)} ${`${ms(percentile(b, 50))} / ${ms(percentile(b, 95))}`.padStart(22)}   p95 ${(percentile(b, 95) / aim).toFixed(2)} of aim (${aim} ms)`;
    };
    console.log(`\nCase workspace: ${YEARS} years × ${PER_YEAR} cases in one school; then ${OTHER_SCHOOLS} other schools in the same tables`);
    console.log(`  ${'operation (p50 / p95)'.padEnd(44)} ${'1 school'.padStart(22)} ${'500 schools'.padStart(22)}`);
    console.log(row('case list (the Head: every case they read)', (x) => x.list, AIM.listMs));
    console.log(row('case list, filtered and searched', (x) => x.listFiltered, AIM.listMs));
    console.log(row('case page', (x) => x.page, AIM.pageMs));
    console.log(row("a child's chronology (60 entries)", (x) => x.chronology, AIM.chronologyMs));
    console.log(row('PDF of that record', (x) => x.pdf, AIM.pdfMs));
    console.log(row('floor: one range query straight to Azurite', (x) => x.rangeQuery, AIM.pageMs));
    const queries = one.counts["child's chronology (60 entries)"].requests - 1;
    console.log(`  a child's chronology costs ${queries} range and point reads, in parallel; Azurite scans the whole table for each (Azure Tables reads the key range): ${(percentile(many.chronology, 50) / percentile(many.rangeQuery, 50)).toFixed(1)} range queries' time with 500 schools`);
    console.log(`  ${'first case list after a start (all cases read)'.padEnd(44)} ${ms(one.listCold).padStart(22)} ${ms(many.listCold).padStart(22)}`);
    console.log('\nStorage per operation (requests / entities read / writes), counted at the wire:');
    let same = true;
    for (const op of Object.keys(one.counts)) {
      const [a, b] = [one.counts[op], many.counts[op]];
      const equal = a.requests === b.requests && a.entitiesRead === b.entitiesRead && a.writes === b.writes;
      same &&= equal;
      figure({ group: 'cases', name: `${op}: storage requests, 500 schools vs 1`, value: b.requests, unit: 'requests', aim: a.requests, better: 'equal' });
      figure({ group: 'cases', name: `${op}: entities read, 500 schools vs 1`, value: b.entitiesRead, unit: 'entities', aim: a.entitiesRead, better: 'equal' });
      console.log(`  ${op.padEnd(44)} ${`${a.requests} / ${a.entitiesRead} / ${a.writes}`.padStart(22)} ${`${b.requests} / ${b.entitiesRead} / ${b.writes}`.padStart(22)}   ${equal ? 'same' : 'DIFFERENT'}`);
    }
    console.log(`\n${same ? 'storage per operation is the same with 1 school and with 500' : 'storage per operation DIFFERS between 1 school and 500'}; bench process RSS ${(many.rss / 1e6).toFixed(0)} MB (server in process)`);
    if (!same) process.exitCode = 1;
  } finally {
    await proxy.close();
    azurite.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
