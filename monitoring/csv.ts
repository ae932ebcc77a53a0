/**
 * Monitoring alerts from a spreadsheet, for systems that only export (PRODUCT.md §7: "or the technician
 * uploads their CSV export"). The caller parses the file (tab/api/csv.ts, which also drops Excel's
 * byte-order mark) and says which system it came from; this checks every row and reports each by its
 * number as a spreadsheet shows it, the header being row 1.
 *
 * WHERE THE COLUMNS COME FROM: none of Smoothwall Monitor, Senso or Impero documents an alert export
 * that we could find (see each adapter's header), so this is OUR OWN GENERIC LAYOUT, documented in
 * docs/monitoring.md. Its column names accept the words the vendors' consoles use (Senso's "PC Name",
 * "Phrase", "Severity"; Smoothwall's "Risk Level"; Impero's keyword "List"), so a technician can usually
 * rename a header or two rather than rebuild the sheet. Columns in any order; case, spaces and
 * punctuation in headers are ignored; columns we do not know are ignored and listed; picture columns
 * (screenshot, image, thumbnail …) are never read. The risk column is read on the named system's scale.
 */
import { z } from 'zod';
import { ALERT_LIMITS, type MonitoringAlert, type MonitoringVendor } from './alert';
import { alertIdField, emailField, finishAlert, instantField, optionalText, riskField, urlField, vendorLinkField, type RiskScale } from './fields';
import { IMPERO_RISK } from './impero';
import { PICTURE_NAME, withoutImages } from './images';
import { instantFromExport, knownTimeZone } from './instant';
import { SENSO_RISK } from './senso';
import { SMOOTHWALL_RISK } from './smoothwall';

export const MAX_ALERT_ROWS = 20_000;

const SCALES: Record<MonitoringVendor, RiskScale> = { smoothwall: SMOOTHWALL_RISK, senso: SENSO_RISK, impero: IMPERO_RISK };

type Column = 'alertId' | 'occurredAt' | 'risk' | 'category' | 'trigger' | 'username' | 'userPrincipalName' | 'email' | 'name' | 'misId' | 'device' | 'application' | 'url' | 'note' | 'vendorLink';

/** Header words (lowercase, letters and digits only) → the column they mean. */
const HEADERS: Record<string, Column> = {
  ...words('alertId', 'alertid', 'id', 'eventid', 'violationid', 'captureid', 'reference', 'ref'),
  ...words('occurredAt', 'occurredat', 'date', 'datetime', 'dateandtime', 'time', 'when', 'eventtime', 'eventdate', 'violationtime', 'capturedat', 'capturetime', 'timestamp'),
  ...words('risk', 'risk', 'risklevel', 'severity', 'level'),
  ...words('category', 'category', 'riskcategory', 'riskprofile', 'ruleset', 'keywordlist', 'list', 'policy', 'theme'),
  ...words('trigger', 'trigger', 'phrase', 'keyword', 'word', 'ruleword', 'triggerwords', 'capturedtext', 'what'),
  ...words('username', 'username', 'user', 'loggedinuser', 'who', 'login'),
  ...words('userPrincipalName', 'userprincipalname', 'signinname'),
  ...words('email', 'email', 'emailaddress'),
  ...words('name', 'name', 'learner', 'learnername', 'fullname', 'displayname', 'pupil', 'student'),
  // In a school "UPN" is the Unique Pupil Number, an MIS id (as in the people import), not a sign-in name.
  ...words('misId', 'misid', 'upn', 'uniquepupilnumber', 'adno', 'admissionnumber', 'externalid'),
  ...words('device', 'device', 'devicename', 'computer', 'computername', 'pcname', 'machine', 'machinename'),
  ...words('application', 'application', 'app', 'program'),
  ...words('url', 'url', 'website', 'webaddress'),
  ...words('note', 'note', 'notes', 'summary', 'description', 'comment'),
  ...words('vendorLink', 'link', 'capturelink', 'captureurl', 'eventurl', 'eventlink', 'consolelink'),
};

function words(column: Column, ...headers: string[]): Record<string, Column> {
  return Object.fromEntries(headers.map((h) => [h, column]));
}

const REQUIRED: [Column, string][] = [
  ['alertId', 'alert id'],
  ['occurredAt', 'date and time'],
  ['risk', 'risk (or severity)'],
];

export interface AlertRowReport {
  /** The row's number in the file, the header being row 1 (as a spreadsheet shows it). */
  row: number;
  alertId: string;
  problems: string[];
}

export interface AlertCsvCheck {
  /** Rows below the header that are not blank. */
  total: number;
  alerts: { row: number; alert: MonitoringAlert }[];
  bad: AlertRowReport[];
  /** The same alert id again: one case already comes from the first row. */
  repeated: { row: number; firstRow: number; alertId: string }[];
  /** Headers not read: unknown ones, second columns of the same meaning, and pictures. */
  ignoredColumns: string[];
  /** Cells that carried image data and were dropped ("row 4, Notes"). */
  droppedImages: string[];
  /** A problem with the whole file (no header, required columns missing): nothing is imported. */
  fileProblem?: string;
}

/** Which column each header is, reading the first of two that mean the same. */
function readHeader(header: string[]) {
  const columns = new Map<Column, { index: number; title: string }>();
  const ignoredColumns: string[] = [];
  header.forEach((raw, index) => {
    const title = raw.replace(/^\uFEFF/, '').trim().slice(0, 40) || `column ${index + 1}`;
    const column = PICTURE_NAME.test(title) ? undefined : HEADERS[title.toLowerCase().replace(/[^a-z0-9]/g, '')];
    if (!column || columns.has(column)) ignoredColumns.push(title);
    else columns.set(column, { index, title });
  });
  return { columns, ignoredColumns };
}

function rowSchema(titles: (c: Column) => string, scale: RiskScale, timeZone: string) {
  const t = (c: Column, max: number) => optionalText(titles(c), max);
  return z.object({
    alertId: alertIdField(titles('alertId')),
    occurredAt: instantField(titles('occurredAt'), (s) => instantFromExport(s, timeZone), '04/03/2026 10:15 or 2026-03-04T10:15:00Z'),
    risk: riskField(titles('risk'), scale),
    category: t('category', ALERT_LIMITS.category),
    trigger: t('trigger', ALERT_LIMITS.trigger),
    username: t('username', ALERT_LIMITS.learnerField),
    userPrincipalName: t('userPrincipalName', ALERT_LIMITS.email),
    email: emailField(titles('email')),
    name: t('name', ALERT_LIMITS.learnerField),
    misId: t('misId', ALERT_LIMITS.learnerField),
    device: t('device', ALERT_LIMITS.device),
    application: t('application', ALERT_LIMITS.application),
    url: urlField(titles('url')),
    note: t('note', ALERT_LIMITS.note),
    vendorLink: vendorLinkField(titles('vendorLink')),
  });
}

export function alertsFromCsv(rows: string[][], vendor: MonitoringVendor, timeZone = 'Europe/London'): AlertCsvCheck {
  const check: AlertCsvCheck = { total: 0, alerts: [], bad: [], repeated: [], ignoredColumns: [], droppedImages: [] };
  const blank = (r: string[]) => r.every((c) => c.trim() === '');
  const headerAt = rows.findIndex((r) => !blank(r));
  if (headerAt < 0) return { ...check, fileProblem: 'The file is empty.' };
  if (!knownTimeZone(timeZone)) return { ...check, fileProblem: `The school's time zone "${timeZone}" is not one this server knows.` };
  const { columns, ignoredColumns } = readHeader(rows[headerAt]);
  check.ignoredColumns = ignoredColumns;
  check.total = rows.slice(headerAt + 1).filter((r) => !blank(r)).length;
  const missing = REQUIRED.filter(([c]) => !columns.has(c)).map(([, words]) => words);
  if (missing.length) return { ...check, fileProblem: `The first row must name the columns; missing: ${missing.join(', ')}.` };
  if (check.total > MAX_ALERT_ROWS) return { ...check, fileProblem: `The file has more than ${MAX_ALERT_ROWS.toLocaleString('en-GB')} alerts; split it.` };

  const titles = (c: Column) => columns.get(c)?.title ?? c;
  const schema = rowSchema(titles, SCALES[vendor], timeZone);
  const width = rows[headerAt].length;
  const firstRowOf = new Map<string, number>();
  rows.forEach((cells, i) => {
    if (i <= headerAt || blank(cells)) return;
    const row = i + 1;
    const record: Record<string, string> = {};
    for (const [column, { index }] of columns) if ((cells[index] ?? '').trim() !== '') record[column] = cells[index];
    const { value, dropped } = withoutImages(record);
    check.droppedImages.push(...dropped.map((c) => `row ${row}, ${titles(c as Column)}`));
    const problems: string[] = [];
    if (cells.length > width && cells.slice(width).some((c) => c.trim())) problems.push(`the row has ${cells.length} cells but the header names ${width}`);
    const parsed = schema.safeParse(value);
    const given = (value as Record<string, string | undefined>).alertId ?? '';
    const alertId = given.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, ALERT_LIMITS.alertId);
    if (!parsed.success) {
      check.bad.push({ row, alertId, problems: [...new Set([...problems, ...parsed.error.issues.map((x) => x.message)])] });
      return;
    }
    const { username, userPrincipalName, email, name, misId, risk, ...rest } = parsed.data;
    const finished = finishAlert({ vendor, ...rest, ...risk, learner: { username, userPrincipalName, email, name, misId } }, 'the user, name, email or MIS id columns');
    if (Array.isArray(finished) || problems.length) {
      check.bad.push({ row, alertId, problems: [...problems, ...(Array.isArray(finished) ? finished : [])] });
      return;
    }
    const first = firstRowOf.get(finished.alertId);
    if (first) check.repeated.push({ row, firstRow: first, alertId: finished.alertId });
    else {
      firstRowOf.set(finished.alertId, row);
      check.alerts.push({ row, alert: finished });
    }
  });
  return check;
}
