/**
 * The Filtering & monitoring page's API (PRODUCT.md §7; policy §7.3; the DfE Filtering and Monitoring
 * Standards): the log of filtering changes, checks and annual reviews, appended to by technical staff
 * and the Online Safety Lead and read by the safeguarding team, the Headteacher and governors
 * (core/filteringLog.ts); corrections as new entries; the filtering-breach and monitoring-alert concerns
 * counted beside it (counts only); CSV export; and the upload of a monitoring system's alert export.
 * Every read, write, export and upload is audited.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { categoryById } from '../../../core/categories';
import { carriesImage } from '../../../core/concern';
import {
  canKeepFilteringLog,
  CHANGE_ACTION_TITLES,
  CHANGE_ACTIONS,
  CHECK_RESULT_TITLES,
  CHECK_RESULTS,
  ENTRY_KIND_TITLES,
  readLog,
  reviewStatus,
  type EntryDetails,
  type LogEntry,
} from '../../../core/filteringLog';
import { todayIn } from '../../../core/time';
import { academicYearOf, academicYearTitle } from '../../../core/training';
import { MONITORING_VENDORS, VENDOR_TITLES, type MonitoringVendor } from '../../../monitoring/alert';
import type { Services } from '../../../runtime/services';
import { ENTRY_ID_PATTERN } from '../../../store/filteringLogStore';
import { checkAlertUpload, commitAlertUpload } from '../alertUpload';
import { callerOf, type Caller } from '../caller';
import { toCsv } from '../csv';
import { parse, problem, requirePage } from '../http';
import type { AlertUploadProgress, ConcernCountView, FilteringEntryView, FilteringLogView } from '../view';

export const FILTERING_AUDIT = 'filtering';

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const text = (label: string, max: number) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is longer than ${max} characters`)
    .refine((v) => !CONTROL.test(v), `${label} contains control characters`)
    .refine((v) => !carriesImage(v), 'images are never stored: describe it in words');
const optionalText = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} is longer than ${max} characters`)
    .refine((v) => !CONTROL.test(v), `${label} contains control characters`)
    .refine((v) => !carriesImage(v), 'images are never stored: describe it in words')
    .default('');

export function filteringRoutes(s: Services): Router {
  const router = express.Router();
  const { schoolId } = s.setup;
  const fm = s.setup.filteringAndMonitoring;
  const today = () => todayIn(s.setup.timeZone, s.clock());
  const day = z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, as YYYY-MM-DD')
    .refine((d) => !Number.isNaN(Date.parse(`${d}T12:00:00Z`)) && new Date(`${d}T12:00:00Z`).toISOString().startsWith(d), 'not a real day')
    .refine((d) => d <= today(), 'the date cannot be in the future');
  const details = z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('change'), on: day, action: z.enum(CHANGE_ACTIONS), what: text('What was blocked or allowed', 500), why: text('Why', 2000), riskAssessment: text('The risk assessment', 2000), requestedBy: text('Requested by', 120), approvedBy: text('Approved by', 120) }),
    z
      .strictObject({ kind: z.literal('check'), on: day, checkedBy: text('Who checked', 120), whatWasTested: text('What was tested', 2000), result: z.enum(CHECK_RESULTS), followUp: optionalText('Follow-up', 2000) })
      .refine((c) => c.result === 'working' || c.followUp !== '', { message: 'A problem was found: say what follows from it', path: ['followUp'] }),
    z.strictObject({ kind: z.literal('review'), on: day, seniorLeader: text('The senior leader', 120), governor: text('The governor', 120), findings: text('Findings', 4000), actions: optionalText('Actions', 4000) }),
  ]);
  const entryBody = z.strictObject({ details });
  const correctionBody = z.strictObject({ details, reason: text('The reason for the correction', 500) });
  const entryIdParam = z.string().regex(ENTRY_ID_PATTERN, 'not an entry of the log');
  const uploadBody = z.strictObject({ csv: z.string().max(5_000_000), system: z.enum(MONITORING_VENDORS) });

  const audit = (caller: Caller, action: string, detail = '') => s.stores.audit.append(schoolId, { reference: FILTERING_AUDIT, action, byId: caller.id, byName: caller.name, via: 'tab', detail }, s.clock());
  /** Only technical staff and the Online Safety Lead keep the log (core/filteringLog.ts); refusals audited. */
  const keeper = async (res: express.Response, what: string): Promise<Caller | undefined> => {
    const caller = callerOf(res);
    if (canKeepFilteringLog(caller.roles)) return caller;
    await audit(caller, `${what} refused: not a keeper of the log`);
    problem(res, 403, 'Only technical staff and the Online Safety Lead keep the filtering and monitoring log.');
    return undefined;
  };

  router.use(['/filtering', '/filtering.csv'], requirePage('filtering'));

  router.get('/filtering', async (_req, res) => {
    const caller = callerOf(res);
    const [entries, cases, below] = await Promise.all([s.stores.filteringLog.entries(schoolId), s.stores.cases.allCases(schoolId), s.stores.filteringLog.belowThreshold(schoolId), audit(caller, 'log read')]);
    const now = today();
    const starts = s.setup.training.academicYearStarts;
    const thisYear = academicYearOf(now, starts);
    const yearOf = (iso: string) => academicYearOf(todayIn(s.setup.timeZone, new Date(iso)), starts);
    // Counts only, never who (PRODUCT.md §7: "shown with the breach and alert counts for governors").
    const counts: ConcernCountView[] = (['filteringBreach', 'monitoringAlert'] as const).map((category) => {
      const of = [...cases.values()].filter((c) => c.concern.category === category);
      return {
        category,
        title: categoryById(category)!.title,
        thisYear: of.filter((c) => yearOf(c.createdAt) === thisYear).length,
        lastYear: of.filter((c) => yearOf(c.createdAt) === thisYear - 1).length,
        open: of.filter((c) => c.status !== 'closed').length,
      };
    });
    const lines = readLog(entries);
    const view: FilteringLogView = {
      canKeep: canKeepFilteringLog(caller.roles),
      today: now,
      academicYears: { this: academicYearTitle(thisYear), last: academicYearTitle(thisYear - 1) },
      seniorLeader: fm.seniorLeader,
      governor: fm.governor,
      filteringSystem: fm.filteringSystem,
      monitoringSystem: fm.monitoringSystem ? { id: fm.monitoringSystem, title: VENDOR_TITLES[fm.monitoringSystem] } : undefined,
      riskThreshold: fm.riskThreshold,
      review: reviewStatus(lines, now),
      lines: lines.map((l) => ({ id: l.id, current: entryView(l.current), history: l.history.map(entryView) })),
      counts,
      belowThreshold: { thisYear: below.filter((b) => yearOf(b.receivedAt) === thisYear).length, lastYear: below.filter((b) => yearOf(b.receivedAt) === thisYear - 1).length },
      systems: MONITORING_VENDORS.map((id) => ({ id, title: VENDOR_TITLES[id] })),
    };
    res.setHeader('cache-control', 'no-store');
    res.json(view);
  });

  router.post('/filtering/entries', async (req, res) => {
    const caller = await keeper(res, 'entry');
    const body = caller && parse(entryBody, req.body, res);
    if (!caller || !body) return;
    const saved = await s.stores.filteringLog.append(schoolId, { details: body.details as EntryDetails, recordedBy: { id: caller.id, name: caller.name } }, s.clock());
    if (saved === 'alreadyCorrected') return problem(res, 409, 'Nothing was recorded.');
    await audit(caller, `${ENTRY_KIND_TITLES[body.details.kind].toLowerCase()} recorded`, saved.id);
    res.status(201).json({ id: saved.id, current: entryView(saved), history: [] });
  });

  /** A correction is a new entry naming the one it corrects, of the same kind, with its reason. */
  router.post('/filtering/entries/:id/corrections', async (req, res) => {
    const caller = await keeper(res, 'correction');
    const id = caller && parse(entryIdParam, req.params.id, res);
    const body = id && parse(correctionBody, req.body, res);
    if (!caller || !id || !body) return;
    const original = await s.stores.filteringLog.entry(schoolId, id);
    if (!original) return problem(res, 404, 'There is no such entry in the log.');
    if (original.details.kind !== body.details.kind) return problem(res, 400, `A correction of a ${ENTRY_KIND_TITLES[original.details.kind].toLowerCase()} is a ${ENTRY_KIND_TITLES[original.details.kind].toLowerCase()} too.`);
    const saved = await s.stores.filteringLog.append(schoolId, { details: body.details as EntryDetails, recordedBy: { id: caller.id, name: caller.name }, corrects: id, correctionReason: body.reason }, s.clock());
    if (saved === 'alreadyCorrected') {
      await audit(caller, 'correction refused: corrected already', id);
      return problem(res, 409, 'That entry has been corrected already: correct its latest version. Nothing was recorded.');
    }
    await audit(caller, `${ENTRY_KIND_TITLES[body.details.kind].toLowerCase()} corrected`, `${saved.id} corrects ${id}: ${body.reason}`);
    res.status(201).json({ id: saved.id, current: entryView(saved), history: [] });
  });

  /** Every entry and every version, as recorded (corrections name what they correct). */
  router.get('/filtering.csv', async (_req, res) => {
    const caller = callerOf(res);
    const [entries] = await Promise.all([s.stores.filteringLog.entries(schoolId), audit(caller, 'log exported')]);
    const superseded = new Set(entries.map((e) => e.corrects).filter((x): x is string => !!x));
    const header = ['Entry', 'Kind', 'Date', 'Current', 'Corrects', 'Reason for the correction', 'Recorded at', 'Recorded by', 'Blocked or allowed', 'What', 'Why', 'Risk assessment', 'Requested by', 'Approved by', 'Checked by', 'What was tested', 'Result', 'Follow-up', 'Senior leader', 'Governor', 'Findings', 'Actions'];
    const rows = entries.map((e) => {
      const d = e.details;
      const change = d.kind === 'change' ? [CHANGE_ACTION_TITLES[d.action], d.what, d.why, d.riskAssessment, d.requestedBy, d.approvedBy] : ['', '', '', '', '', ''];
      const check = d.kind === 'check' ? [d.checkedBy, d.whatWasTested, CHECK_RESULT_TITLES[d.result], d.followUp] : ['', '', '', ''];
      const review = d.kind === 'review' ? [d.seniorLeader, d.governor, d.findings, d.actions] : ['', '', '', ''];
      return [e.id, ENTRY_KIND_TITLES[d.kind], d.on, superseded.has(e.id) ? 'no (corrected)' : 'yes', e.corrects ?? '', e.correctionReason ?? '', e.recordedAt, e.recordedBy.name, ...change, ...check, ...review];
    });
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="filtering-and-monitoring-log-${today()}.csv"`);
    res.setHeader('cache-control', 'no-store');
    res.send(`\ufeff${toCsv([header, ...rows])}`);
  });

  /** The report on an alert export, row by row, and what committing it would do: nothing is written. */
  router.post('/filtering/alerts/check', async (req, res) => {
    const caller = await keeper(res, 'alert upload check');
    const body = caller && parse(uploadBody, req.body, res);
    if (!caller || !body) return;
    const { view } = await checkAlertUpload(s, body.csv, body.system as MonitoringVendor);
    res.json(view);
  });

  /** Takes in the export's alerts (the technician has seen the report), streaming progress as lines of JSON. */
  router.post('/filtering/alerts', async (req, res) => {
    const caller = await keeper(res, 'alert upload');
    const body = caller && parse(uploadBody, req.body, res);
    if (!caller || !body) return;
    const check = await checkAlertUpload(s, body.csv, body.system as MonitoringVendor);
    if (check.view.fileProblem) return problem(res, 400, check.view.fileProblem);
    res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    const line = (o: AlertUploadProgress) => res.write(`${JSON.stringify(o)}\n`);
    line({ stage: 'checked', total: check.view.total, toTake: check.toTake.length });
    try {
      const done = await commitAlertUpload(s, check, { id: caller.id, name: caller.name, tenantId: s.setup.tenantId ?? '' }, line);
      await audit(caller, 'monitoring alerts uploaded', `${VENDOR_TITLES[body.system as MonitoringVendor]}: ${done.created} cases made, ${done.alreadyReceived} already received, ${done.belowThreshold} below the threshold, ${done.refused} rows refused`);
      line(done);
    } catch (err) {
      s.log.error('alert upload failed', { error: (err as Error).message });
      line({ stage: 'failed', error: 'The upload stopped part way; what was taken in is kept, and uploading the file again takes in only the rest.' });
    }
    res.end();
  });

  return router;
}

function entryView(e: LogEntry): FilteringEntryView {
  return { id: e.id, details: e.details, recordedAt: e.recordedAt, recordedByName: e.recordedBy.name, corrects: e.corrects, correctionReason: e.correctionReason };
}
