/**
 * The fuzz run: the real server (fuzzWorld.ts), seeded malformed inputs at every edge (fuzzActivities,
 * fuzzTab, fuzzCsv, fuzzSetup), and what counts against the product: a crash (an exception that would
 * stop the process, a request never answered within 10 s, a connection dropped), a 5xx other than a
 * 502/503 carrying a message, an error in the log (or printed), a setup refused with anything but a
 * SchoolSetupError. Bugs already reported are matched by KNOWN (fuzzKnown.ts) and counted apart.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_ACTIVITY_BODY } from '../../bot/routes';
import { MAX_TAB_BODY } from '../../tab/api/router';
import { MAX_ALERT_BYTES } from '../../monitoring/endpoint';
import { alertCase } from './fuzzAlerts';
import { activityCase } from './fuzzActivities';
import type { EdgeId, FuzzFixtures, FuzzRequest, HttpCase } from './fuzzCase';
import { csvCase } from './fuzzCsv';
import { KNOWN } from './fuzzKnown';
import { Rng, seedFor } from './fuzzRandom';
import { DEMO_SETUP, setupCase } from './fuzzSetup';
import { tabCase } from './fuzzTab';
import { emulatorWorks, startFuzzWorld, watchProcess, type FuzzWorld, type ProcessWatch } from './fuzzWorld';

export const REQUEST_TIMEOUT_MS = 10_000;
/** Fresh storage at most this many times when the emulator itself breaks (see emulatorWorks). */
const MAX_RESTARTS = 5;

export interface FuzzOptions {
  seed: number;
  /** All cases, shared out between the edges. */
  cases: number;
  /** Only this case (`tab:41`) or these cases of one edge (`activities:150-160`), each printed in full. */
  only?: string;
  progress?: (line: string) => void;
}

export type FailureKind = 'crash' | 'hang' | 'no answer' | 'unexpected 5xx' | 'error log' | 'setup exception' | 'setup accepted but unusable' | 'emulator broken';

export interface Failure {
  kind: FailureKind;
  edge: EdgeId | 'after';
  index: number;
  label: string;
  route: string;
  request?: FuzzRequest;
  status?: number;
  response?: string;
  /** The error, or the log lines, as reported. */
  detail?: string;
  /** The id of the bug in KNOWN it is, when it is one. */
  known?: string;
}

export interface EdgeSummary {
  edge: EdgeId | 'after';
  title: string;
  cases: number;
  ms: number;
  /** Status code (or outcome, for setup files) → cases. */
  outcomes: Record<string, number>;
  /** 502/503 answers with a message: allowed, listed with their bodies. */
  allowed5xx: { route: string; label: string; status: number; body: string }[];
  /** The slowest cases (a request near the 10 s limit is nearly a hang). */
  slowest: { index: number; label: string; ms: number }[];
}

export interface FuzzReport {
  seed: number;
  cases: number;
  edges: EdgeSummary[];
  failures: Failure[];
  /** Every error line the servers logged or printed, with the case it came during. */
  errorLines: { edge: string; index: number; line: string }[];
}

const EDGES: { edge: EdgeId; title: string; share: number }[] = [
  { edge: 'activities', title: 'POST /api/messages (activities, card actions, concern forms)', share: 0.36 },
  { edge: 'tab', title: 'the tab API (/api/tab/..., every route, five callers and refused tokens)', share: 0.3 },
  { edge: 'csv', title: 'CSV files (people and training imports, check and import)', share: 0.12 },
  { edge: 'alerts', title: 'POST /api/monitoring/alerts (vendors\' alerts mutated, every kind of credential)', share: 0.07 },
  { edge: 'setup', title: 'setup files (parseSchoolSetup, loadSchoolSetup)', share: 0.15 },
];

export function casesPerEdge(total: number): Record<EdgeId, number> {
  const out = {} as Record<EdgeId, number>;
  let left = total;
  for (const [i, e] of EDGES.entries()) left -= out[e.edge] = i === EDGES.length - 1 ? left : Math.round(total * e.share);
  return out;
}

/** What a run carries from case to case: the world (replaced if the emulator breaks) and the report. */
interface Run {
  opts: FuzzOptions;
  report: FuzzReport;
  watch: ProcessWatch;
  world: FuzzWorld;
  restarts: number;
  say(line: string): void;
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = { seed: opts.seed, cases: 0, edges: [], failures: [], errorLines: [] };
  const say = opts.progress ?? (() => undefined);
  const watch = watchProcess(report);
  const only = opts.only?.match(/^(\w+):(\d+)(?:-(\d+))?$/);
  let run: Run | undefined;
  try {
    say('starting the server (Azurite in memory, Graph and Bot Connector stubs, SSO)...');
    run = { opts, report, watch, world: await startFuzzWorld(), restarts: 0, say };
    watch.logTo(run.world.t.w.logs);
    const counts = casesPerEdge(opts.cases);
    for (const { edge, title } of EDGES) {
      // The reads after the HTTP edges come before the setup files, whose parsing holds the event loop
      // for seconds at a time: a request right after that can meet a keep-alive socket closing (ECONNRESET).
      if (edge === 'setup' && !only) report.edges.push(await afterTheFuzz(run));
      if (only && only[1] !== edge) continue;
      const indexes = only ? range(Number(only[2]), Number(only[3] ?? only[2])) : range(0, counts[edge] - 1);
      report.edges.push(await runEdge(run, edge, title, indexes, !!only));
      report.cases += indexes.length;
    }
    // Background work still under way (reminders, the outbox) may log a little after the last case.
    await new Promise((r) => setTimeout(r, 200));
    for (const line of newErrors(run, 'after', -1)) report.failures.push({ kind: 'error log', edge: 'after', index: -1, label: 'logged by background work after the last case', route: '', detail: line });
  } catch (err) {
    if (!(err instanceof ServerGone)) throw err;
    report.failures.push({ kind: 'crash', edge: err.edge, index: err.index, label: err.label, route: '', detail: err.message });
  } finally {
    await run?.world.stop().catch((err: Error) => report.failures.push({ kind: 'crash', edge: 'after', index: -1, label: 'stopping the server', route: '', detail: err.message }));
    watch.stop();
  }
  for (const f of report.failures) f.known = KNOWN.find((k) => k.matches(f))?.id;
  return report;
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

async function runEdge(run: Run, edge: EdgeId, title: string, indexes: number[], verbose: boolean): Promise<EdgeSummary> {
  const summary: EdgeSummary = { edge, title, cases: indexes.length, ms: 0, outcomes: {}, allowed5xx: [], slowest: [] };
  const started = performance.now();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'fuzz-setup-'));
  const demoText = readFileSync(DEMO_SETUP, 'utf8');
  run.say(`${title}: ${indexes.length} cases`);
  for (const index of indexes) {
    const rng = new Rng(seedFor(run.opts.seed, edge, index));
    if (edge === 'setup') {
      const out = setupCase(rng, demoText, tmp);
      summary.outcomes[out.result] = (summary.outcomes[out.result] ?? 0) + 1;
      summary.slowest = [...summary.slowest, { index, label: out.label, ms: out.ms }].sort((a, b) => b.ms - a.ms).slice(0, 3);
      if (verbose) run.say(indexes.length > 1 ? `setup ${index}: ${out.label} → ${out.result} ${out.message?.split('\n')[0] ?? ''}` : `setup ${index}: ${out.label}\n${out.result} ${out.message ?? ''} (${out.ms.toFixed(0)} ms)\ninput: ${out.input}`);
      const base = { edge, index, label: out.label, route: 'parseSchoolSetup', detail: out.message, response: out.input };
      if (out.result === 'exception') run.report.failures.push({ ...base, kind: 'setup exception' });
      if (out.result === 'unusable') run.report.failures.push({ ...base, kind: 'setup accepted but unusable' });
      if (out.ms > REQUEST_TIMEOUT_MS) run.report.failures.push({ ...base, kind: 'hang', detail: `took ${Math.round(out.ms)} ms` });
      continue;
    }
    const c = await generate(edge, rng, run.world.fx);
    run.watch.at({ edge, index, label: c.label, route: c.route });
    await runHttpCase(run, c, summary, edge, index, verbose ? (indexes.length > 1 ? 'line' : 'full') : undefined);
    if ((index + 1) % 250 === 0) run.say(`  ${index + 1} ${edge} cases`);
  }
  summary.ms = performance.now() - started;
  return summary;
}

function generate(edge: EdgeId, rng: Rng, fx: FuzzFixtures): Promise<HttpCase> | HttpCase {
  if (edge === 'activities') return activityCase(rng, fx);
  if (edge === 'tab') return tabCase(rng, fx);
  if (edge === 'alerts') return alertCase(rng, fx);
  return csvCase(rng, fx);
}

async function send(base: string, req: FuzzRequest): Promise<{ status?: number; text: string; error?: string; notSent?: boolean }> {
  let url: URL;
  try {
    url = new URL(base + req.path);
  } catch (err) {
    return { text: '', error: `not sent: ${(err as Error).message}`, notSent: true };
  }
  try {
    const res = await fetch(url, { method: req.method, headers: req.headers, body: req.body, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    const e = err as Error & { cause?: Error };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return { text: '', error: `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` };
    if (e.message === 'fetch failed') return { text: '', error: `connection failed: ${e.cause?.message ?? e.message}` };
    return { text: '', error: `not sent: ${e.message}`, notSent: true };
  }
}

/** A 502 or 503 that says what went wrong (the tab's `error`, or the invoke response's message). */
function carriesMessage(text: string): boolean {
  try {
    const body = JSON.parse(text) as { error?: unknown; value?: { message?: unknown } };
    return (typeof body.error === 'string' && body.error.length > 0) || (typeof body.value?.message === 'string' && body.value.message.length > 0);
  } catch {
    return false;
  }
}

/** body-parser's limits ('256kb', '6mb') in bytes. */
const bytes = (limit: string) => Number(limit.replace(/[a-z]+$/i, '')) * (/mb$/i.test(limit) ? 1024 * 1024 : 1024);

/**
 * A body over the server's limit is answered 413 before it has all arrived, and Node then closes the
 * connection: the client, still sending, may see the reset instead of the 413. HTTP's way, not a crash
 * (the server is asked whether it is still there all the same).
 */
function resetOverTheLimit(req: FuzzRequest, error: string): boolean {
  const limit = req.path.startsWith('/api/messages') ? bytes(MAX_ACTIVITY_BODY) : req.path.startsWith('/api/monitoring') ? MAX_ALERT_BYTES : bytes(MAX_TAB_BODY);
  return /ECONNRESET|EPIPE|other side closed/.test(error) && Buffer.byteLength(req.body ?? '') > limit;
}

/** Where each log array was read up to. */
const logCursor = new WeakMap<object, number>();

/** The error lines logged (or printed) since the last look, also kept in the report's list. */
function newErrors(run: Run, edge: string, index: number): string[] {
  const logs = run.world.t.w.logs;
  const lines = logs.slice(logCursor.get(logs) ?? 0);
  logCursor.set(logs, logs.length);
  const errors = lines.filter((l) => l.level === 'error').map(({ time: _t, level: _l, message, ...fields }) => `${message} ${JSON.stringify(fields)}`);
  for (const line of errors) run.report.errorLines.push({ edge, index, line });
  return errors;
}

/** `verbose`: each case in full ('full'), or a line a case ('line'). */
async function runHttpCase(run: Run, c: HttpCase, summary: EdgeSummary, edge: EdgeId | 'after', index: number, verbose?: 'full' | 'line'): Promise<void> {
  const { w } = run.world.t;
  for (const line of newErrors(run, 'between cases', -1)) run.report.failures.push({ kind: 'error log', edge, index, label: `logged before this case (background work): ${c.label}`, route: c.route, detail: line });
  if (c.request.graphDown) w.graph.down = true;
  const started = performance.now();
  let r = await send(w.url, c.request);
  // A reset before any answer on a reused keep-alive connection is the client's race with the server
  // closing it (HTTP clients retry then): once more on a fresh connection. A server that resets this
  // request itself resets it again, and that counts.
  const reset = !!r.error && !resetOverTheLimit(c.request, r.error) && /ECONNRESET|EPIPE|other side closed|socket hang up/.test(r.error);
  if (reset) r = await send(w.url, { ...c.request, headers: { ...c.request.headers, connection: 'close' } });
  const ms = performance.now() - started;
  w.graph.down = false;
  // What the server does after answering (Express prints a second answer's error then) belongs here.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  const errors = newErrors(run, edge, index);
  summary.slowest = [...summary.slowest, { index, label: c.label, ms }].sort((a, b) => b.ms - a.ms).slice(0, 3);
  const overLimit = !!r.error && resetOverTheLimit(c.request, r.error);
  const answered = r.notSent ? 'not sent' : overLimit ? 'reset (body over the limit)' : r.error ? 'no answer' : String(r.status);
  const outcome = reset ? `reset, then ${answered} on a fresh connection` : answered;
  summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
  if (verbose === 'line') run.say(`${edge} ${index}: ${c.label} → ${outcome} ${errors.join(' | ').slice(0, 200)}`);
  if (verbose === 'full') run.say(`${edge} ${index}: ${c.label}\n${c.request.method} ${c.request.path}\nheaders: ${JSON.stringify(c.request.headers).slice(0, 300)}\nbody: ${(c.request.body ?? '').slice(0, 2000)}\n→ ${outcome} ${r.error ?? ''} ${r.text.slice(0, 2000)}\nerror log: ${errors.join('\n') || 'none'}`);
  const failure = { edge, index, label: c.label, route: c.route, request: c.request, status: r.status, response: r.text.slice(0, 600), detail: errors.join(' | ') || undefined };
  const allowed = (r.status === 502 || r.status === 503) && carriesMessage(r.text);
  if (r.error && !r.notSent) {
    if (!overLimit) run.report.failures.push({ ...failure, kind: r.error.startsWith('no answer') ? 'hang' : 'no answer', detail: [r.error, ...errors].join(' | ') });
    const health = await send(w.url, { method: 'GET', path: '/healthz', headers: {} });
    if (health.status !== 200) throw new ServerGone(`the server stopped answering after this case: ${health.error ?? health.status}`, edge, index, c.label);
  } else if (r.status !== undefined && r.status >= 500 && !allowed) {
    run.report.failures.push({ ...failure, kind: 'unexpected 5xx' });
  } else {
    if (allowed) summary.allowed5xx.push({ route: c.route, label: c.label, status: r.status!, body: r.text.slice(0, 300) });
    // An error logged for a request that was answered well enough is still a bug to look at.
    if (errors.length) run.report.failures.push({ ...failure, kind: 'error log' });
  }
  if (errors.length && !(await emulatorWorks(w))) await restart(run, c, edge, index);
}

/** The emulator refuses every transaction now: say which case broke it, and go on with fresh storage. */
async function restart(run: Run, c: HttpCase, edge: EdgeId | 'after', index: number): Promise<void> {
  run.report.failures.push({ kind: 'emulator broken', edge, index, label: c.label, route: c.route, request: c.request, detail: 'Azurite refuses every transaction after this case; the run goes on with a fresh server and storage' });
  if (++run.restarts > MAX_RESTARTS) throw new ServerGone(`Azurite broke ${run.restarts} times; the run stops here`, edge, index, c.label);
  run.say(`  Azurite broke after ${edge} case ${index}: starting afresh`);
  await run.world.stop();
  run.world = await startFuzzWorld();
  run.watch.logTo(run.world.t.w.logs);
}

class ServerGone extends Error {
  constructor(message: string, readonly edge: EdgeId | 'after', readonly index: number, readonly label: string) {
    super(message);
  }
}

/** After the fuzz, every page still reads for each kind of caller: nothing stored by a case broke it. */
async function afterTheFuzz(run: Run): Promise<EdgeSummary> {
  const summary: EdgeSummary = { edge: 'after', title: 'after the HTTP edges: every page still reads, for each caller', cases: 0, ms: 0, outcomes: {}, allowed5xx: [], slowest: [] };
  const started = performance.now();
  const { fx } = run.world;
  const reads = ['/me', '/register', '/register.csv', '/training', '/training.csv', '/training/pending', '/my-records', `/training/people/${fx.people.teacher.id}`, '/documents/staff-aup/versions'];
  for (const who of ['keeper', 'reader', 'staff'] as const) {
    for (const p of reads) {
      const c: HttpCase = { label: `${who} reads ${p}`, route: `GET ${p}`, request: { method: 'GET', path: `/api/tab${p}`, headers: { authorization: `Bearer ${fx.tabAuth[who]}` } } };
      run.watch.at({ edge: 'after', index: summary.cases, label: c.label, route: c.route });
      await runHttpCase(run, c, summary, 'after', summary.cases++);
    }
  }
  summary.ms = performance.now() - started;
  return summary;
}
