/**
 * Edge 5 of the fuzz: the monitoring systems' endpoint (POST /api/monitoring/alerts, monitoring/endpoint.ts)
 * with the vendors' own sample alerts (tests/fixtures/monitoring) mutated field by field, bodies that are
 * not one alert at all, and every kind of credential: the school's bearer key, HMAC signatures with and
 * without a timestamp, and wrong, malformed, stale or missing ones. A refusal is a 4xx with a reason; an
 * alert taken in is a 200 or 202.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../monitoring/signature';
import { SYSTEM_HEADER } from '../../monitoring/endpoint';
import type { FuzzFixtures, HttpCase } from './fuzzCase';
import { mutateObject, ODD_DATES, oddString, oddText, oddValue, toJson, type Rng } from './fuzzRandom';

/** The fuzz world's monitoring secret (fuzzWorld.ts sets it as MONITORING_SECRET). */
export const FUZZ_MONITORING_SECRET = 'fuzz-monitoring-secret-0123456789abcdef';

const SAMPLES: Record<string, Record<string, unknown>> = Object.fromEntries(
  ['smoothwall-event', 'senso-violation', 'impero-capture'].map((name) => [name.split('-')[0], JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'monitoring', `${name}.json`), 'utf8'))]),
);

/** Odd values for the fields every vendor's alert has in some form. */
const FIELDS: Record<string, (r: Rng) => unknown> = {
  eventId: (r) => r.pick<unknown>(['S|1', 'a/b', '', 'x'.repeat(201), oddString(r), oddValue(r)]),
  violationId: (r) => r.pick<unknown>(['V#1', '', 'x'.repeat(201), oddValue(r)]),
  captureId: (r) => r.pick<unknown>(['C?1', '', oddValue(r)]),
  eventTime: (r) => r.pick<unknown>([...ODD_DATES, '2026-03-04T25:00:00Z', 1e15, oddValue(r)]),
  riskLevel: (r) => r.pick<unknown>([0, 5, 6, -1, 2.5, 'SEVERE', '4', null, 1e308, oddValue(r)]),
  severity: (r) => r.pick<unknown>(['high', 'critical', 9, oddValue(r)]),
  user: (r) => r.pick<unknown>([{}, { misId: 'A100' }, { misId: 'a/b', name: 'x'.repeat(500) }, 'ann.pupil', oddValue(r)]),
  screenshot: (r) => r.pick<unknown>(['data:image/png;base64,iVBORw0KGgo=', `data:image/jpeg;base64,${'A'.repeat(5000)}`, 'https://example.org/capture.png', oddValue(r)]),
  capturedText: (r) => r.pick<unknown>([oddText(r, 400), 'data:image/png;base64,iVBOR', 'x'.repeat(70_000), oddValue(r)]),
};

function body(rng: Rng): { text: string; label: string } {
  const vendor = rng.pick(Object.keys(SAMPLES));
  // A fresh id, so that a body taken in is a new alert, not the first one again.
  const base = { ...SAMPLES[vendor] };
  for (const key of ['eventId', 'violationId', 'captureId']) if (key in base) base[key] = `${String(base[key])}-${rng.int(1_000_000)}`;
  return rng.weighted<() => { text: string; label: string }>([
    [10, () => ({ text: JSON.stringify(base), label: `${vendor} sample` })],
    [55, () => ({ text: toJson(mutateObject(rng, base, FIELDS)), label: `${vendor} sample, mutated` })],
    [10, () => ({ text: toJson(rng.pick<unknown>([[base, base], null, 'alert', 42, [], oddValue(rng)])), label: 'not one alert' })],
    [10, () => ({ text: oddText(rng, 400), label: 'not JSON' })],
    [5, () => ({ text: JSON.stringify({ ...base, capturedText: 'x'.repeat(1024 * 1024 + 10) }), label: 'over 1 MiB' })],
    [10, () => ({ text: JSON.stringify({ ...base, ...(rng.chance(0.5) ? { eventId: 'E-1', violationId: 'V-1' } : {}) }).replace(/"(eventId|violationId|captureId)"/, rng.chance(0.5) ? '"id"' : '"$1"'), label: `${vendor} sample, ids confused` })],
  ])();
}

function credentials(rng: Rng, text: string, now: Date): { headers: Record<string, string>; label: string } {
  const seconds = Math.floor(now.getTime() / 1000);
  return rng.weighted<() => { headers: Record<string, string>; label: string }>([
    [35, () => ({ headers: { authorization: `Bearer ${FUZZ_MONITORING_SECRET}` }, label: 'bearer key' })],
    [25, () => ({ headers: { [SIGNATURE_HEADER]: signBody(text, FUZZ_MONITORING_SECRET, String(seconds)), [TIMESTAMP_HEADER]: String(seconds) }, label: 'HMAC with timestamp' })],
    [5, () => ({ headers: { [SIGNATURE_HEADER]: signBody(text, FUZZ_MONITORING_SECRET) }, label: 'HMAC of the body alone' })],
    [5, () => ({ headers: { [SIGNATURE_HEADER]: signBody(text, FUZZ_MONITORING_SECRET, String(seconds - 3600)), [TIMESTAMP_HEADER]: String(seconds - 3600) }, label: 'stale timestamp (refused)' })],
    [5, () => ({ headers: { [SIGNATURE_HEADER]: signBody(`${text} `, FUZZ_MONITORING_SECRET) }, label: 'signature of other bytes (refused)' })],
    [5, () => ({ headers: { [SIGNATURE_HEADER]: rng.pick(['sha256=', 'sha1=abc', 'sha256=zz', `sha256=${'0'.repeat(64)}`, oddString(rng)]), [TIMESTAMP_HEADER]: rng.pick(['', '-1', '1e99', 'soon', String(seconds)]) }, label: 'malformed signature (refused)' })],
    [5, () => ({ headers: { authorization: rng.pick(['Bearer ', 'Bearer wrong', `Basic ${FUZZ_MONITORING_SECRET}`, `Bearer ${FUZZ_MONITORING_SECRET} `, `bearer ${FUZZ_MONITORING_SECRET.toUpperCase()}`, oddString(rng)]) }, label: 'wrong bearer (refused)' })],
    [5, () => ({ headers: {}, label: 'no credential (refused)' })],
  ])();
}

export function alertCase(rng: Rng, fx: FuzzFixtures): HttpCase {
  const b = body(rng);
  const c = credentials(rng, b.text, fx.now());
  const named = rng.chance(0.15) ? rng.pick(['smoothwall', 'senso', 'impero', 'Senso ', 'netsweeper', '', oddString(rng)]) : undefined;
  const inQuery = named !== undefined && rng.chance(0.5);
  const headers: Record<string, string> = { 'content-type': rng.chance(0.9) ? 'application/json' : rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']), ...c.headers };
  if (named !== undefined && !inQuery) {
    // A header cannot carry every character: what fetch would refuse is sent in the query instead.
    if (/^[\x20-\x7e]*$/.test(named)) headers[SYSTEM_HEADER] = named;
  }
  const query = inQuery ? `?system=${encodeURIComponent(named!.replace(/[\ud800-\udfff]/g, '?'))}` : '';
  return {
    label: [b.label, c.label, named !== undefined ? `system "${named.slice(0, 20)}"` : ''].filter(Boolean).join(', '),
    route: 'POST /api/monitoring/alerts',
    request: { method: 'POST', path: `/api/monitoring/alerts${query}`, headers, body: b.text, graphDown: rng.chance(0.02) },
  };
}
