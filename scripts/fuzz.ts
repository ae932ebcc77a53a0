/**
 * A fuzz run against the real server (Azurite in memory, the Graph and Bot Connector stubs, Teams SSO):
 * seeded malformed inputs at every edge — activities and card actions on /api/messages, every route of
 * the tab's API, CSV imports, setup files — and a summary per edge. Exits 1 on any crash, unexpected
 * 5xx, error in the log or other finding not already listed as a known bug (tests/support/fuzzRun.ts).
 *
 *   npm run fuzz -- [--seed N] [--cases N] [--only edge:index[-index]]
 */
import { failed, formatReport } from '../tests/support/fuzzReport';
import { runFuzz } from '../tests/support/fuzzRun';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function integer(name: string, fallback: number): number {
  const v = option(name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) throw new Error(`--${name} takes a whole number (got ${v ?? 'nothing'})`);
  return Number(v);
}

async function main(): Promise<void> {
  const seed = integer('seed', Date.now() % 1_000_000);
  const cases = integer('cases', 2000);
  const only = option('only');
  if (only !== undefined && !/^(activities|tab|csv|setup):\d+(-\d+)?$/.test(only)) throw new Error('--only takes edge:index or edge:from-to, for example tab:41 or activities:150-160');
  console.log(`fuzz: seed ${seed}, ${cases} cases (again: npm run fuzz -- --seed ${seed} --cases ${cases})`);
  const report = await runFuzz({ seed, cases, only, progress: (line) => console.log(line) });
  for (const line of formatReport(report)) console.log(line);
  process.exitCode = failed(report) ? 1 : 0;
}

main().then(
  // Timers left by the server's background work must not keep the process alive.
  () => setTimeout(() => process.exit(), 100).unref(),
  (err: Error) => {
    console.error(`fuzz: ${err.stack ?? err.message}`);
    process.exit(2);
  },
);
