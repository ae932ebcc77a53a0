/**
 * Monitoring alerts uploaded as a CSV export, for systems that only export (PRODUCT.md §7): every row is
 * checked and reported first (monitoring/csv.ts reads the file on the named system's scale), with what
 * committing it would do; then the alerts are taken in one by one exactly as the endpoint takes them
 * (cases/alertIntake.ts), so an alert already received by either way makes no second case.
 * The report never names a learner: only whether the roster knows them.
 */
import { matchLearner, rosterIndex, takeAlert, type RosterIndex } from '../../cases/alertIntake';
import { MONITORING_REPORTER } from '../../core/concern';
import { atOrAboveThreshold, deduplicationKey, type MonitoringAlert, type MonitoringVendor, type RiskLevel } from '../../monitoring/alert';
import { alertsFromCsv } from '../../monitoring/csv';
import type { Actor, Services } from '../../runtime/services';
import { CsvError, parseCsv } from './csv';
import type { AlertRowView, AlertUploadCheckView, AlertUploadProgress } from './view';

export interface AlertUploadCheck {
  view: AlertUploadCheckView;
  /** The rows committing takes in, with the pictures dropped from each. */
  toTake: { row: number; alert: MonitoringAlert; droppedImages: string[] }[];
  roster: RosterIndex;
}

function learnerOnRoster(alert: MonitoringAlert, roster: RosterIndex): AlertRowView['learner'] {
  const { learners } = matchLearner(alert.learner, alert.device, roster);
  if (learners.length === 0) return 'none';
  if (learners[0].learnerId) return 'onRoster';
  return learners[0].yearGroup ? 'nameOnly' : 'notFound';
}

export async function checkAlertUpload(s: Services, csv: string, vendor: MonitoringVendor): Promise<AlertUploadCheck> {
  const empty = { newCase: 0, alreadyReceived: 0, belowThreshold: 0, repeated: 0, problem: 0 };
  let rows: string[][];
  try {
    rows = parseCsv(csv);
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    return { view: { system: vendor, total: 0, counts: empty, rows: [], ignoredColumns: [], droppedImages: [], fileProblem: err.message }, toTake: [], roster: { byMisId: new Map(), byEmail: new Map(), byName: new Map() } };
  }
  const read = alertsFromCsv(rows, vendor, s.setup.timeZone);
  const [received, roster] = await Promise.all([s.stores.newCases.formsOf(s.setup.schoolId, MONITORING_REPORTER.id), rosterIndex(s)]);
  const threshold = s.setup.filteringAndMonitoring.riskThreshold as RiskLevel;
  // Pictures are reported per row ("row 4, Screenshot"): each alert keeps the names of its own.
  const droppedByRow = new Map<number, string[]>();
  for (const d of read.droppedImages) {
    const m = /^row (\d+), (.*)$/.exec(d);
    if (m) droppedByRow.set(Number(m[1]), [...(droppedByRow.get(Number(m[1])) ?? []), m[2]]);
  }
  const views: AlertRowView[] = [];
  const toTake: AlertUploadCheck['toTake'] = [];
  for (const { row, alert } of read.alerts) {
    const outcome: AlertRowView['outcome'] = !atOrAboveThreshold(alert, threshold) ? 'belowThreshold' : received.has(deduplicationKey(alert)) ? 'alreadyReceived' : 'newCase';
    views.push({ row, alertId: alert.alertId, occurredAt: alert.occurredAt, risk: alert.risk, outcome, learner: outcome === 'newCase' ? learnerOnRoster(alert, roster) : undefined, problems: [] });
    if (outcome !== 'alreadyReceived') toTake.push({ row, alert, droppedImages: droppedByRow.get(row) ?? [] });
  }
  for (const r of read.repeated) views.push({ row: r.row, alertId: r.alertId, outcome: 'repeated', problems: [`the same alert id as row ${r.firstRow}: counted once`] });
  for (const b of read.bad) views.push({ row: b.row, alertId: b.alertId, outcome: 'problem', problems: b.problems });
  views.sort((a, b) => a.row - b.row);
  const counts = { ...empty };
  for (const v of views) counts[v.outcome]++;
  return {
    view: { system: vendor, total: read.total, counts, rows: views, ignoredColumns: read.ignoredColumns, droppedImages: read.droppedImages, fileProblem: read.fileProblem },
    toTake: read.fileProblem ? [] : toTake,
    roster,
  };
}

/** Alerts taken at once: enough to fill the case store's group commits, few enough to keep the server answering. */
const AT_ONCE = 8;

/** Takes in the checked rows, calling back with progress; the same as the endpoint for each alert. */
export async function commitAlertUpload(s: Services, check: AlertUploadCheck, by: Actor, progress: (p: AlertUploadProgress) => void): Promise<Extract<AlertUploadProgress, { stage: 'done' }>> {
  const totals = { created: 0, alreadyReceived: check.view.counts.alreadyReceived, belowThreshold: 0 };
  let done = 0;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < check.toTake.length; i = next++) {
      const { alert, droppedImages } = check.toTake[i];
      const taken = await takeAlert(s, alert, { via: 'csv', droppedImages, roster: check.roster, by });
      if (taken.outcome === 'created') totals.created++;
      else if (taken.outcome === 'alreadyReceived') totals.alreadyReceived++;
      else totals.belowThreshold++;
      done++;
      if (done % 10 === 0 || done === check.toTake.length) progress({ stage: 'taking', done, of: check.toTake.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, check.toTake.length) }, worker));
  return { stage: 'done', ...totals, refused: check.view.counts.problem };
}
