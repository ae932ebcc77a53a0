/**
 * Trends and the governors' report at scale (issue 11's aims): one school with ten years of concerns,
 * 400 a year (4,000 cases). The Trends API for this academic year and for all ten years: p95 under
 * 300 ms; the report's PDF under 3 s. Azurite runs in its own process; the server in local mode with the
 * Graph and connector stubs. Cases are seeded straight into the school's partition as the product
 * writes them (caseStore.toCaseEntity), 100 to a transaction. Figures: the first read after a start
 * (one range query of the `facts` column), then the API as it runs (those facts kept in memory and
 * brought up to date by the journal of changes, store/caseFactsStore.ts), also just after a new case.
 *
 *   npx tsx bench/trends.ts
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TransactionAction } from '@azure/data-tables';
import type { CaseRecord } from '../core/case';
import { CLOSURE_DECISIONS } from '../core/caseActions';
import { CATEGORIES } from '../core/categories';
import { DEFAULT_PHASES, phasesOfConcern } from '../core/phases';
import { CaseFactsStore } from '../store/caseFactsStore';
import { journalEntity, toCaseEntity } from '../store/caseStore';
import { PEOPLE } from '../tests/support/people';
import { startWorld, TEST_SCHOOL } from '../tests/support/world';
import { ms, percentile, spawnAzurite } from './support';
import { figure } from './figures';

const YEARS = 10;
const PER_YEAR = 400;
const RUNS = 40;
const AIM = { apiMs: 300, pdfMs: 3000 };
// A fixed school day, so the figures do not depend on the date they are run.
const NOW = Date.parse('2026-11-23T10:00:00Z');
const offset = NOW - Date.now();
const clock = () => new Date(Date.now() + offset);

/** A deterministic stream of numbers in [0, 1), so every run seeds the same school. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** 4,000 cases over ten years: the categories as a prep school sees them (few about staff), most closed. */
function seedCases(schoolId: string): CaseRecord[] {
  const next = random(11);
  const years = DEFAULT_PHASES.flatMap((p) => p.yearGroups);
  const weights = CATEGORIES.map((c) => (c.route.kind === 'headteacher' ? 1 : c.id === 'cyberbullying' ? 20 : c.id === 'filteringBreach' || c.id === 'monitoringAlert' ? 12 : 5));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const pick = () => {
    let r = next() * totalWeight;
    for (let i = 0; i < CATEGORIES.length; i++) if ((r -= weights[i]) < 0) return CATEGORIES[i];
    return CATEGORIES[0];
  };
  const out: CaseRecord[] = [];
  const span = YEARS * 365.25 * 86_400_000;
  for (let i = 0; i < YEARS * PER_YEAR; i++) {
    const created = new Date(NOW - span + (i / (YEARS * PER_YEAR)) * span);
    const year = created.getUTCFullYear();
    const category = pick();
    const learners = category.route.kind === 'headteacher' ? [] : [{ name: `Learner ${i}`, yearGroup: next() < 0.9 ? years[Math.floor(next() * years.length)] : undefined }];
    const staff = category.route.kind === 'headteacher' ? PEOPLE.teacher.id : undefined;
    const acknowledged = next() < 0.97;
    const closed = acknowledged && created.getTime() < NOW - 30 * 86_400_000 && next() < 0.95;
    const ackAt = new Date(created.getTime() + (category.urgent ? 5 + next() * 20 : 20 + next() * 600) * 60_000).toISOString();
    const recipient = { id: PEOPLE.dslPrep.id, displayName: PEOPLE.dslPrep.displayName, role: 'dslPrep' as const };
    out.push({
      schoolId,
      tenantId: 'bench',
      reference: `SMP-${year}-${String(i).padStart(4, '0')}`,
      concern: { category: category.id, learners, whatHappened: 'A description of what happened, as long as a real one is: a paragraph or two. '.repeat(6), happenedOn: created.toISOString().slice(0, 10), location: 'onSite', device: 'schoolDevice', immediateDanger: false, staffInvolvedId: staff },
      reporter: { id: PEOPLE.reporter.id, displayName: PEOPLE.reporter.displayName },
      createdAt: created.toISOString(),
      phases: phasesOfConcern(DEFAULT_PHASES, learners.map((l) => l.yearGroup)),
      urgent: category.urgent,
      recipients: [recipient],
      routedTo: [recipient],
      routeReasons: ['Seeded for the benchmark.'],
      directoryStale: false,
      status: closed ? 'closed' : acknowledged ? 'acknowledged' : 'open',
      acknowledgedBy: acknowledged ? { id: recipient.id, displayName: recipient.displayName } : undefined,
      acknowledgedAt: acknowledged ? ackAt : undefined,
      escalationLevel: next() < 0.05 ? 1 + Math.floor(next() * 3) : 0,
      closure: closed ? { decision: CLOSURE_DECISIONS[Math.floor(next() * CLOSURE_DECISIONS.length)], reason: 'Because.', outcome: 'What came of it.', lessonsLearnt: 'None.', closedBy: { id: recipient.id, displayName: recipient.displayName }, closedAt: ackAt } : undefined,
    });
  }
  return out;
}

async function main(): Promise<void> {
  const azurite = await spawnAzurite();
  // The test school with the terms of its last two academic years.
  const setupFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-trends-')), 'school.json');
  const setup = JSON.parse(readFileSync(TEST_SCHOOL, 'utf8'));
  setup.terms = [
    { name: 'Autumn 2025', start: '2025-09-03', end: '2025-12-12' },
    { name: 'Spring 2026', start: '2026-01-06', end: '2026-03-27' },
    { name: 'Summer 2026', start: '2026-04-14', end: '2026-07-10' },
    { name: 'Autumn 2026', start: '2026-09-02', end: '2026-12-11' },
  ];
  writeFileSync(setupFile, JSON.stringify(setup));
  const w = await startWorld({ tablesConnectionString: azurite.connectionString, clock, env: { DIRECTORY_CACHE_SECONDS: '60', SCHOOL_CONFIG: setupFile } });
  const { schoolId } = w.setup;
  const head = PEOPLE.head;
  const api = async (p: string) => {
    const start = performance.now();
    const res = await fetch(`${w.url}/api/tab${p}`, { headers: { 'x-demo-user': head.id } });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status >= 300) throw new Error(`${p}: ${res.status} ${bytes.toString().slice(0, 200)}`);
    return { ms: performance.now() - start, bytes };
  };
  const measure = async (p: string) => {
    const first = await api(p);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push((await api(p)).ms);
    return { first: first.ms, p50: percentile(runs, 50), p95: percentile(runs, 95), bytes: first.bytes };
  };
  try {
    // --- seed: 4,000 cases, 100 to a transaction (a transaction holds one partition's rows) ----------
    let t = performance.now();
    const cases = seedCases(schoolId);
    const entities = cases.map(toCaseEntity);
    for (let i = 0; i < entities.length; i += 400) {
      await Promise.all([0, 1, 2, 3].map((k) => entities.slice(i + k * 100, i + k * 100 + 100)).filter((b) => b.length).map((b) => w.tables.Cases.submitTransaction(b.map((e): TransactionAction => ['create', e]))));
    }
    const seedMs = performance.now() - t;
    const avgBytes = entities.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / entities.length;
    console.log(`seeded ${cases.length} cases (about ${(avgBytes / 1024).toFixed(1)} KB each) in ${ms(seedMs)}`);

    // --- the first read after a start: the one range query of the `facts` column, and every column ----
    const cold: number[] = [];
    for (let i = 0; i < 10; i++) {
      const fresh = new CaseFactsStore(w.tables, w.app.services.stores.cases);
      t = performance.now();
      await fresh.raisedBetween(schoolId, '2016-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z');
      cold.push(performance.now() - t);
    }
    const whole: number[] = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      await w.app.services.stores.cases.listCases(schoolId);
      whole.push(performance.now() - t);
    }

    const year = await measure('/trends');
    const all = await measure('/trends?from=2016-09-01&to=2026-11-23');
    // After a change: a new case written as the product writes one (the case and its journal row).
    const afterChange: number[] = [];
    for (let i = 0; i < 10; i++) {
      const extra = { ...cases[i], reference: `SMP-2026-9${String(i).padStart(3, '0')}`, createdAt: clock().toISOString() };
      await w.tables.Cases.submitTransaction([['create', toCaseEntity(extra)], ['create', journalEntity(schoolId, extra.reference, new Date().toISOString())]]);
      afterChange.push((await api('/trends?from=2016-09-01&to=2026-11-23')).ms);
    }
    const report = await measure('/report?term=2026-09-02');
    const pdfRuns: number[] = [];
    let pdfBytes = 0;
    for (let i = 0; i < 10; i++) {
      const r = await api('/report.pdf?term=2026-09-02');
      pdfRuns.push(r.ms);
      pdfBytes = r.bytes.length;
    }
    const totals = JSON.parse(all.bytes.toString()) as { total: number };

    const rows: [string, string, string][] = [
      ['API /trends, this academic year (default), first / p50 / p95', `${ms(year.first)} / ${ms(year.p50)} / ${ms(year.p95)}`, `${(year.p95 / AIM.apiMs).toFixed(2)} of aim`],
      [`API /trends, all ten years (${totals.total} cases), first / p50 / p95`, `${ms(all.first)} / ${ms(all.p50)} / ${ms(all.p95)}`, `${(all.p95 / AIM.apiMs).toFixed(2)} of aim`],
      ['API /trends, all ten years, just after a new case, p50 / p95', `${ms(percentile(afterChange, 50))} / ${ms(percentile(afterChange, 95))}`, `${(percentile(afterChange, 95) / AIM.apiMs).toFixed(2)} of aim`],
      ['  the first read after a start (one range query, `facts` only), p50 / p95', `${ms(percentile(cold, 50))} / ${ms(percentile(cold, 95))}`, ''],
      ['  for scale: every column of every case (the case list\'s first read), p50', ms(percentile(whole, 50)), ''],
      ['API /report, a term beside the one before, first / p50 / p95', `${ms(report.first)} / ${ms(report.p50)} / ${ms(report.p95)}`, ''],
      [`report PDF (${(pdfBytes / 1024).toFixed(0)} KB), p50 / max of 10`, `${ms(percentile(pdfRuns, 50))} / ${ms(Math.max(...pdfRuns))}`, `${(Math.max(...pdfRuns) / AIM.pdfMs).toFixed(2)} of aim`],
      ['trends response (JSON), ten years', `${(all.bytes.length / 1024).toFixed(1)} KB`, ''],
    ];
    figure({ group: 'trends', name: 'API /trends, this academic year, p95', value: year.p95, unit: 'ms', aim: AIM.apiMs, better: 'lower' });
    figure({ group: 'trends', name: 'API /trends, ten years, p95', value: all.p95, unit: 'ms', aim: AIM.apiMs, better: 'lower' });
    figure({ group: 'trends', name: 'API /trends, ten years just after a new case, p95', value: percentile(afterChange, 95), unit: 'ms', aim: AIM.apiMs, better: 'lower' });
    figure({ group: 'trends', name: 'report PDF, max of 10', value: Math.max(...pdfRuns), unit: 'ms', aim: AIM.pdfMs, better: 'lower' });
    console.log(`\nTrends: one school, ${YEARS} years × ${PER_YEAR} cases (aims: API p95 < ${AIM.apiMs} ms, PDF < ${AIM.pdfMs} ms)`);
    for (const [what, figure, ratio] of rows) console.log(`  ${what.padEnd(66)} ${figure.padStart(30)}  ${ratio}`);
  } finally {
    await w.stop();
    azurite.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
