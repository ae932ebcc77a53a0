/**
 * Benchmark: a burst of monitoring alerts (PRODUCT.md §7, issue 11: "500 alerts in a burst: all stored,
 * time to the last DSL card, 0 duplicates"). All are POSTed at once, signed, to the real server on
 * Azurite in its own process; then the cards are counted as the connector stub receives them, paced as
 * Teams allows one chat (TEAMS_PACE_SCALE=1: 60 in 30 s, so about four minutes for 500 to one person).
 *
 *   npx tsx bench/alerts.ts [alerts=500] [paceScale=1]
 */
import { signBody } from '../monitoring/signature';
import { PEOPLE } from '../tests/support/people';
import { startWorld } from '../tests/support/world';
import { figure } from './figures';
import { ms, percentile, spawnAzurite } from './support';

const ALERTS = Number(process.argv[2] ?? 500);
const SCALE = process.argv[3] ?? '1';
const SECRET = 'bench-'.repeat(8);

async function main() {
  const azurite = await spawnAzurite();
  const w = await startWorld({ tablesConnectionString: azurite.connectionString, env: { MONITORING_SECRET: SECRET, TEAMS_PACE_SCALE: SCALE, DIRECTORY_CACHE_SECONDS: '60', OUTBOX_SWEEP_SECONDS: '15' } });
  const roster = 'kind,id,name,year group\nlearner,A1,Alex Morgan,Year 5\nlearner,B1,Bea Khan,Reception\n';
  await fetch(`${w.url}/api/tab/people/import`, { method: 'POST', headers: { 'x-demo-user': PEOPLE.office.id, 'content-type': 'application/json' }, body: JSON.stringify({ csv: roster }) }).then((r) => r.text());
  const before = w.connector.sent.length;
  const run = Date.now().toString(36);
  const bodies = Array.from({ length: ALERTS }, (_, i) => JSON.stringify({ eventId: `B-${run}-${i}`, eventTime: new Date().toISOString(), riskLevel: 4, user: { misId: i % 2 ? 'A1' : 'B1' } }));

  const t0 = performance.now();
  const answers = await Promise.all(
    bodies.map(async (b) => {
      const ts = String(Math.floor(Date.now() / 1000));
      const r = await fetch(`${w.url}/api/monitoring/alerts`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-monitoring-timestamp': ts, 'x-monitoring-signature': signBody(b, SECRET, ts) }, body: b });
      const body = (await r.json()) as { reference?: string };
      return { status: r.status, reference: body.reference, at: performance.now() - t0 };
    }),
  );
  const answered = performance.now() - t0;
  const references = new Set(answers.map((a) => a.reference).filter((r): r is string => !!r));
  const owed = ALERTS * 2; // the OSL and the learner's phase DSL
  const cards = () => w.connector.sent.slice(before).filter((s) => s.kind !== 'update' && s.activity.attachments?.length).map((s) => `${s.conversationId}|${(JSON.stringify(s.activity.attachments).match(/SMP-\d{4}-\d{4}/) ?? [''])[0]}`).filter((k) => references.has(k.split('|')[1]));
  const until = Date.now() + 20 * 60_000;
  while (cards().length < owed && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    if (process.env.BENCH_DEBUG && Math.random() < 0.05) console.log(cards().length, w.connector.sent.length - before, references.size, answers.map((a) => a.status).join(',').slice(0, 80));
  }
  const lastCard = performance.now() - t0;
  const delivered = cards();

  console.log(`monitoring alerts: ${ALERTS} at once, signed; cards paced to Teams' per-chat limits x${SCALE}`);
  console.log(`  answered: ${answers.filter((a) => a.status === 202).length} x 202, ${answers.filter((a) => a.status >= 500).length} x 5xx, other ${answers.filter((a) => a.status !== 202 && a.status < 500).length}; all answered in ${ms(answered)} (p50 ${ms(percentile(answers.map((a) => a.at), 50))}, p99 ${ms(percentile(answers.map((a) => a.at), 99))})`);
  console.log(`  stored: ${references.size} cases; cards: ${delivered.length} of ${owed} owed, duplicates ${delivered.length - new Set(delivered).size}; last card after ${ms(lastCard)}`);
  // The floor: one chat (the OSL's gets every alert) takes 60 cards in 30 s, so n cards need
  // (ceil(n / 60) - 1) windows of 30 s at least; the aim is within 10% of that.
  const paceFloorMs = ((Math.ceil(ALERTS / 60) - 1) * 30_000) / Number(SCALE);
  console.log(`  Teams' pace floor for ${ALERTS} cards to one chat: ${ms(paceFloorMs)}; last card / floor ${(lastCard / Math.max(1, paceFloorMs)).toFixed(2)}`);
  figure({ group: 'alerts', name: `${ALERTS} alerts: stored as cases`, value: references.size, unit: 'cases', aim: ALERTS, better: 'equal' });
  figure({ group: 'alerts', name: `${ALERTS} alerts: answered 5xx`, value: answers.filter((a) => a.status >= 500).length, unit: 'answers', aim: 0, better: 'equal' });
  figure({ group: 'alerts', name: `${ALERTS} alerts: cards sent twice`, value: delivered.length - new Set(delivered).size, unit: 'cards', aim: 0, better: 'equal' });
  figure({ group: 'alerts', name: `${ALERTS} alerts: last card vs Teams' pace floor`, value: lastCard / Math.max(1, paceFloorMs), unit: '×', aim: 1.1, better: 'lower' });
  await w.stop();
  azurite.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
