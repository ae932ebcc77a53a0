/** The fuzz run's summary as text: per edge, then the failures grouped with the smallest case of each. */
import { KNOWN } from './fuzzKnown';
import type { Failure, FuzzReport } from './fuzzRun';

const CRASHES = new Set(['crash', 'hang', 'no answer', 'setup exception']);

export interface FuzzCounts {
  crashes: number;
  unexpected5xx: number;
  errorLog: number;
  unusable: number;
  known: number;
  /** Times Azurite broke and the run went on with fresh storage (the emulator's fault, listed). */
  emulatorBroken: number;
}

export function countsOf(report: FuzzReport): FuzzCounts {
  const fresh = report.failures.filter((f) => !f.known && f.kind !== 'emulator broken');
  return {
    crashes: fresh.filter((f) => CRASHES.has(f.kind)).length,
    unexpected5xx: fresh.filter((f) => f.kind === 'unexpected 5xx').length,
    errorLog: fresh.filter((f) => f.kind === 'error log').length,
    unusable: fresh.filter((f) => f.kind === 'setup accepted but unusable').length,
    known: report.failures.filter((f) => f.known).length,
    emulatorBroken: report.failures.filter((f) => f.kind === 'emulator broken').length,
  };
}

/** The line the run ends with. */
export function lastLine(report: FuzzReport): string {
  const c = countsOf(report);
  const known = c.known ? ` (and ${c.known} cases of known bugs: ${[...new Set(report.failures.map((f) => f.known).filter(Boolean))].join(', ')})` : '';
  const emulator = c.emulatorBroken ? `; Azurite broke ${c.emulatorBroken} times and was restarted` : '';
  return `fuzz: ${report.cases} cases, ${c.crashes} crashes, ${c.unexpected5xx} unexpected 5xx, ${c.errorLog} error log lines, ${c.unusable} unusable setups accepted${known}${emulator}`;
}

export function failed(report: FuzzReport): boolean {
  const c = countsOf(report);
  return c.crashes + c.unexpected5xx + c.errorLog + c.unusable > 0;
}

/** Failures of the same kind, route and message are one finding; digits and values in single quotes are ignored. */
function signature(f: Failure): string {
  const detail = (f.detail ?? '').replace(/'[^']*'/g, '…').replace(/\d+/g, 'N').slice(0, 160);
  return [f.kind, f.known ?? '', f.status ?? '', f.route, f.route === 'parseSchoolSetup' ? detail.split('\n')[0] : detail].join('|');
}

const size = (f: Failure) => (f.request ? f.request.path.length + (f.request.body?.length ?? 0) : (f.response?.length ?? 0));
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… (${s.length.toLocaleString('en-GB')} characters)` : s);

export function formatReport(report: FuzzReport): string[] {
  const out: string[] = [`fuzz: seed ${report.seed}`];
  for (const e of report.edges) {
    out.push('', `${e.title}: ${e.cases} cases in ${(e.ms / 1000).toFixed(1)} s`);
    const outcomes = Object.entries(e.outcomes).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}×${n}`).join(', ');
    out.push(`  ${e.edge === 'setup' ? 'outcomes' : 'status codes'}: ${outcomes || 'none'}`);
    const mine = report.failures.filter((f) => f.edge === e.edge);
    const by = (pred: (f: Failure) => boolean) => mine.filter((f) => pred(f) && !f.known).length;
    out.push(`  crashes ${by((f) => CRASHES.has(f.kind))}, unexpected 5xx ${by((f) => f.kind === 'unexpected 5xx')}, error log lines ${by((f) => f.kind === 'error log')}${e.edge === 'setup' ? `, accepted but unusable ${by((f) => f.kind === 'setup accepted but unusable')}` : ''}, known ${mine.filter((f) => f.known).length}`);
    if (e.slowest.length) out.push(`  slowest: ${e.slowest.map((x) => `${e.edge} ${x.index} ${Math.round(x.ms)} ms (${cut(x.label, 40)})`).join('; ')}`);
    if (e.allowed5xx.length) {
      out.push(`  502/503 with a message (allowed: an upstream was unreachable) ${e.allowed5xx.length}:`);
      for (const a of e.allowed5xx.slice(0, 8)) out.push(`    ${a.status} ${a.route} [${a.label}]: ${cut(a.body, 200)}`);
    }
  }

  if (report.errorLines.length) {
    out.push('', `Error log lines (${report.errorLines.length}):`);
    const seen = new Map<string, { line: string; first: string; n: number }>();
    for (const e of report.errorLines) {
      const key = e.line.replace(/\d+/g, 'N');
      const entry = seen.get(key) ?? { line: e.line, first: `${e.edge} ${e.index}`, n: 0 };
      entry.n++;
      seen.set(key, entry);
    }
    for (const { line, first, n } of seen.values()) out.push(`  ${n}× ${cut(line, 300)} (first during ${first})`);
  }

  const groups = new Map<string, Failure[]>();
  for (const f of report.failures) groups.set(signature(f), [...(groups.get(signature(f)) ?? []), f]);
  if (groups.size) out.push('', `Failures, grouped (${groups.size}), each with its smallest case:`);
  [...groups.values()].forEach((fs, i) => {
    const f = fs.reduce((a, b) => (size(b) < size(a) ? b : a));
    const known = f.known ? ` [known: ${f.known}]` : '';
    out.push(`  ${i + 1}. ${f.kind}${f.status ? ` ${f.status}` : ''} ${f.route}: ${fs.length} case${fs.length === 1 ? '' : 's'}${known}`);
    if (f.detail) out.push(`     ${cut(f.detail, 400)}`);
    out.push(`     smallest: ${f.edge} ${f.index}${f.label ? ` (${cut(f.label, 120)})` : ''}`);
    if (f.request) {
      out.push(`       ${f.request.method} ${cut(f.request.path, 300)}${f.request.graphDown ? ' (Graph unreachable)' : ''}`);
      if (f.request.body !== undefined) out.push(`       body: ${cut(f.request.body, 600)}`);
      out.push(`       → ${f.status ?? 'no answer'} ${cut(f.response ?? '', 300)}`);
    } else if (f.response) out.push(`       input: ${cut(f.response, 600)}`);
    if (f.index >= 0 && f.edge !== 'after') out.push(`     replay: npm run fuzz -- --seed ${report.seed} --only ${f.edge}:${f.index}`);
  });

  const seenKnown = new Set(report.failures.map((f) => f.known));
  const unseen = KNOWN.filter((k) => !seenKnown.has(k.id));
  // Said after a whole run only: a run of a few cases reaches few of them.
  if (unseen.length && report.edges.some((e) => e.edge === 'after')) out.push('', `Known bugs not seen in this run (fixed? or not reached by these cases): ${unseen.map((k) => `${k.id} (${k.title})`).join('; ')}`);
  out.push('', lastLine(report));
  return out;
}
