/**
 * Benchmark: (1) how late escalations fire against their deadlines, with the default sweep interval;
 * (2) the outbox's delivery rate under a 429 storm from the connector stub, and whether anything is
 * lost or sent twice.
 *
 *   npx tsx bench/delivery.ts [cases=40] [concerns=60] [stormRate=0.5]
 */
import { PEOPLE } from '../tests/support/people';
import { startWorld } from '../tests/support/world';
import { figure } from './figures';
import { ms, percentile, spawnAzurite } from './support';

const CASES = Number(process.argv[2] ?? 40);
const CONCERNS = Number(process.argv[3] ?? 60);
const STORM = Number(process.argv[4] ?? 0.5);
const { reporter, dslPrep, deputy, osl } = PEOPLE;

async function escalationLateness() {
  const azurite = await spawnAzurite();
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const w = await startWorld({ tablesConnectionString: azurite.connectionString, clock, env: { DIRECTORY_CACHE_SECONDS: '60' } });
  for (const p of [reporter, dslPrep, deputy, osl]) await w.say(p, 'hi');
  const refs: string[] = [];
  for (let i = 0; i < CASES; i++) refs.push((await w.raise(reporter, 'sexualAbuseExploitation', { learnerYear1: 'Year 5' })).reference!);
  const deadlines = new Map<string, number>();
  for (const r of refs) deadlines.set(r, Date.parse((await w.app.services.stores.cases.getCase(w.setup.schoolId, r))!.deadline!));
  // Jump the clock to 2 s before the earliest deadline; from then on time runs as usual.
  offset = Math.min(...deadlines.values()) - 2000 - Date.now();
  const late: number[] = [];
  const pending = new Set(refs);
  const until = Date.now() + 120_000;
  while (pending.size > 0 && Date.now() < until) {
    for (const r of [...pending]) {
      const c = await w.app.services.stores.cases.getCase(w.setup.schoolId, r);
      if (c && c.escalationLevel >= 1) {
        const step = (await w.app.services.stores.chronology.of((await w.app.services.stores.cases.getCase(w.setup.schoolId, r))!)).find((e) => e.kind === 'escalated')!;
        late.push(Date.parse(step.at) - deadlines.get(r)!);
        pending.delete(r);
      }
    }
    await new Promise((res) => setTimeout(res, 250));
  }
  await w.stop();
  azurite.stop();
  console.log(`escalation: ${CASES} urgent cases, sweep every ${w.app.services.settings.escalationSweepSeconds} s (default)`);
  console.log(`  late by  p50 ${ms(percentile(late, 50))}  p99 ${ms(percentile(late, 99))}  max ${ms(Math.max(...late))}  (aim: within 2 s at p99); not escalated: ${pending.size}`);
  figure({ group: 'delivery', name: 'escalation lateness, p99', value: percentile(late, 99), unit: 'ms', aim: 2000, better: 'lower' });
  figure({ group: 'delivery', name: 'escalations that never fired', value: pending.size, unit: 'cases', aim: 0, better: 'equal' });
}

async function stormDelivery() {
  const azurite = await spawnAzurite();
  const w = await startWorld({ tablesConnectionString: azurite.connectionString, env: { DIRECTORY_CACHE_SECONDS: '60', OUTBOX_SWEEP_SECONDS: '1' } });
  for (const p of [reporter, dslPrep]) await w.say(p, 'hi');
  w.connector.storm = { rate: STORM, retryAfterSeconds: 1 };
  const start = performance.now();
  const refs: string[] = [];
  await Promise.all(
    Array.from({ length: CONCERNS }, async () => {
      const r = await w.raise(reporter, 'cyberbullying', { learnerYear1: 'Year 5' });
      refs.push(r.reference!);
    }),
  );
  const cards = () => w.connector.sent.filter((s) => String(s.activity.summary ?? '').startsWith('Online-safety concern'));
  await w.connector.waitFor(() => new Set(cards().map((c) => c.activity.summary)).size >= CONCERNS, 300_000);
  const seconds = (performance.now() - start) / 1000;
  const all = cards();
  const distinct = new Set(all.map((c) => c.activity.summary)).size;
  console.log(`outbox under a 429 storm: ${Math.round(STORM * 100)}% of connector calls refused with Retry-After 1 s; ${CONCERNS} concerns`);
  console.log(`  all ${distinct} DSL cards delivered in ${seconds.toFixed(1)} s (${(distinct / seconds).toFixed(1)} cards/s); refused calls ${w.connector.throttled}; duplicates ${all.length - distinct}; lost ${CONCERNS - distinct}`);
  figure({ group: 'delivery', name: '429 storm: DSL cards delivered per second', value: distinct / seconds, unit: 'cards/s', better: 'higher' });
  figure({ group: 'delivery', name: '429 storm: cards sent twice', value: all.length - distinct, unit: 'cards', aim: 0, better: 'equal' });
  figure({ group: 'delivery', name: '429 storm: cards lost', value: CONCERNS - distinct, unit: 'cards', aim: 0, better: 'equal' });
  w.connector.storm = { rate: 0, retryAfterSeconds: 1 };
  await w.stop();
  azurite.stop();
}

(async () => {
  await escalationLateness();
  await stormDelivery();
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
