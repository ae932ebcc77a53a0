/**
 * `npm run bench`: every benchmark in one run, one after another (each alone on the machine), then
 * every figure in one table as a ratio to its aim or floor (≤ 1 meets it). Each benchmark's own
 * table is printed as it finishes.
 *
 *   npm run bench                      all of them (about 15 minutes on 2 cores)
 *   npm run bench -- cases concerns    only those named
 *
 * Exits 1 if a benchmark fails; a figure over its aim is reported, not failed: figures depend on the
 * machine, and tests assert behaviour only.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { met, parseFigure, ratioOf, type Figure } from './figures';

/** Each benchmark and what it measures, in the order they run. */
const BENCHES: { name: string; file: string; what: string }[] = [
  { name: 'concerns', file: 'concerns.ts', what: 'concern flow vs the direct floor, 50 reporters; 1 school and 500; storage per concern; cold start; RSS' },
  { name: 'delivery', file: 'delivery.ts', what: 'escalation lateness; the outbox under a 429 storm' },
  { name: 'register', file: 'register.ts', what: 'the AUP register: 2,000 people × 5 documents' },
  { name: 'training', file: 'training.ts', what: 'the training matrix: 300 staff, a session, the MIS import' },
  { name: 'cases', file: 'cases.ts', what: 'the case workspace: 10 years × 400 cases, then 500 schools' },
  { name: 'trends', file: 'trends.ts', what: 'trends and the termly report over 10 years × 400 cases' },
  { name: 'alerts', file: 'alerts.ts', what: "a burst of 500 monitoring alerts, every card at Teams' pace" },
];

function run(file: string, onFigure: (f: Figure) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, file)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const f = parseFigure(line);
      if (f) onFigure(f);
      else console.log(line);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !BENCHES.some((b) => b.name === a));
  if (unknown.length) {
    console.error(`unknown benchmark ${unknown.join(', ')}; there are: ${BENCHES.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  const chosen = BENCHES.filter((b) => (asked.length ? asked.includes(b.name) : true) && existsSync(path.join(__dirname, b.file)));
  const figures: Figure[] = [];
  const failed: string[] = [];
  const started = performance.now();
  for (const b of chosen) {
    console.log(`\n=== ${b.name}: ${b.what}`);
    const t = performance.now();
    const code = await run(b.file, (f) => figures.push(f));
    console.log(`=== ${b.name}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    if (code !== 0) failed.push(b.name);
  }

  console.log(`\nEvery figure against its aim (ratio ≤ 1 meets it; "higher" figures are aim / value)`);
  const width = Math.max(20, ...figures.map((f) => f.group.length + f.name.length + 2));
  console.log(`${'figure'.padEnd(width)} ${'value'.padStart(12)} ${'aim'.padStart(12)} ${'ratio'.padStart(7)}  `);
  for (const f of figures) {
    const r = ratioOf(f);
    const ok = met(f);
    const value = `${fmt(f.value)} ${f.unit}`;
    const aim = f.aim === undefined ? '' : `${f.better === 'equal' ? '= ' : f.better === 'higher' ? '≥ ' : '≤ '}${fmt(f.aim)}`;
    console.log(`${`${f.group}: ${f.name}`.padEnd(width)} ${value.padStart(12)} ${aim.padStart(12)} ${(r === undefined ? '' : fmt(r)).padStart(7)}  ${ok === undefined ? '' : ok ? 'ok' : 'OVER'}`);
  }
  const judged = figures.filter((f) => met(f) !== undefined);
  const over = judged.filter((f) => !met(f));
  console.log(`\n${judged.length - over.length} of ${judged.length} figures meet their aims${over.length ? `; over: ${over.map((f) => `${f.group}: ${f.name}`).join('; ')}` : ''}`);
  console.log(`${chosen.length - failed.length} benchmarks ran, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}; ${((performance.now() - started) / 60000).toFixed(1)} minutes`);
  if (failed.length) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
