/**
 * Training records from the MIS (PRODUCT.md §5: "the school's records are held in the MIS today (SIMS),
 * so import is how most data arrives"): a CSV in the style of a SIMS staff-training export, every row
 * checked and reported by its number first, then the good rows written, each completion once.
 *
 * Columns (header row, any order, case and spaces ignored; documented in the README with a sample):
 * `staff code` and/or `email` (who: matched to a member of staff by email, else by the staff code the
 * people import gave them), `surname` + `forename` or `name` (shown in the report only), `course` (a
 * course's id, title or one of its aliases in the setup), `date completed` (YYYY-MM-DD or DD/MM/YYYY,
 * not in the future), and optionally `provider`, `hours`, `certificate` / `evidence` (a number or a link:
 * never a file).
 */
import { z } from 'zod';
import { courseNameKey } from '../../config/training';
import type { SchoolSetup } from '../../config/schema';
import { carriesImage } from '../../core/concern';
import { parseDay } from '../../core/time';
import type { NewTrainingRecord } from '../../store/trainingStore';
import { isKeySafe } from '../../store/tables';
import { recordKey } from '../../store/trainingStore';
import { CsvError, parseCsv } from './csv';

export const MAX_TRAINING_ROWS = 20_000;

/** A member of staff as the import can match them. */
export interface ImportablePerson {
  id: string;
  displayName: string;
  email?: string;
  staffCode?: string;
}

export interface TrainingRowReport {
  /** The row's number as a spreadsheet shows it (the header is row 1). */
  row: number;
  name: string;
  course: string;
  completedOn?: string;
  /** new: will be written; alreadyRecorded: stored before (or earlier in this file), nothing changes; problem: not imported. */
  outcome: 'new' | 'alreadyRecorded' | 'problem';
  problems: string[];
  personId?: string;
}

export interface TrainingImportCheck {
  total: number;
  rows: TrainingRowReport[];
  good: NewTrainingRecord[];
  counts: { new: number; alreadyRecorded: number; problem: number };
  /** Who the file names that is not a member of staff here (email or staff code), once each. */
  unmatched: string[];
  fileProblem?: string;
}

const COLUMNS: Record<string, string> = {
  staffcode: 'staffCode', code: 'staffCode', staffid: 'staffCode', employeeid: 'staffCode', payrollnumber: 'staffCode',
  email: 'email', emailaddress: 'email', workemail: 'email',
  name: 'name', fullname: 'name', staffname: 'name',
  forename: 'forename', firstname: 'forename', preferredforename: 'forename', legalforename: 'forename',
  surname: 'surname', lastname: 'surname', legalsurname: 'surname',
  course: 'course', coursename: 'course', coursetitle: 'course', training: 'course', trainingcourse: 'course', event: 'course', description: 'course',
  date: 'date', datecompleted: 'date', completed: 'date', completedon: 'date', completiondate: 'date', enddate: 'date', dateattended: 'date',
  provider: 'provider', trainer: 'provider', deliveredby: 'provider', organisation: 'provider', organization: 'provider',
  hours: 'hours', duration: 'hours', durationhours: 'hours', cpdhours: 'hours',
  evidence: 'evidence', certificate: 'evidence', certificateno: 'evidence', certificatenumber: 'evidence', certificatereference: 'evidence', link: 'evidence',
};

export const detailsSchema = z.object({
  provider: z.string().max(120, 'provider is longer than 120 characters').optional(),
  hours: z.number().min(0, 'hours cannot be negative').max(1000, 'hours must be at most 1,000').optional(),
  evidence: z
    .string()
    .max(300, 'evidence is longer than 300 characters (give a link or a certificate number)')
    .refine((v) => !carriesImage(v), 'evidence is a link or a certificate number: files and images are never stored')
    .refine((v) => !/^[a-z][a-z0-9+.-]*:/i.test(v) || /^https?:\/\//i.test(v), 'a link as evidence must start with http:// or https://')
    .optional(),
});

/** Courses by every name the import accepts (id, title, aliases). */
export function courseNames(setup: SchoolSetup): Map<string, string> {
  const names = new Map<string, string>();
  for (const c of setup.training.courses) for (const n of [c.id, c.title, ...c.aliases]) names.set(courseNameKey(n), c.id);
  return names;
}

export function checkTrainingImport(
  csv: string,
  ctx: { setup: SchoolSetup; people: ImportablePerson[]; recordedKeys: ReadonlySet<string>; today: string; by: { id: string; name: string; at: string } },
): TrainingImportCheck {
  const empty = (fileProblem: string, total = 0): TrainingImportCheck => ({ total, rows: [], good: [], counts: { new: 0, alreadyRecorded: 0, problem: 0 }, unmatched: [], fileProblem });
  let rows: string[][];
  try {
    rows = parseCsv(csv).filter((r) => r.some((c) => c.trim() !== ''));
  } catch (err) {
    if (err instanceof CsvError) return empty(err.message);
    throw err;
  }
  if (rows.length === 0) return empty('The file is empty.');
  const header = rows[0].map((h) => COLUMNS[h.toLowerCase().replace(/[^a-z]/g, '')] ?? '');
  const missing: string[] = [];
  if (!header.includes('email') && !header.includes('staffCode')) missing.push('email or staff code');
  if (!header.includes('course')) missing.push('course');
  if (!header.includes('date')) missing.push('date completed');
  if (missing.length) return empty(`The first row must name the columns; missing: ${missing.join(', ')}.`, rows.length - 1);
  if (rows.length - 1 > MAX_TRAINING_ROWS) return empty(`The file has ${(rows.length - 1).toLocaleString('en-GB')} rows, more than ${MAX_TRAINING_ROWS.toLocaleString('en-GB')}; split it (by year, for example) and import each part.`, rows.length - 1);

  const byEmail = new Map(ctx.people.filter((p) => p.email).map((p) => [p.email!.toLowerCase(), p]));
  const byCode = new Map(ctx.people.filter((p) => p.staffCode).map((p) => [p.staffCode!.toLowerCase(), p]));
  const courses = courseNames(ctx.setup);
  const inFile = new Map<string, number>();
  const unmatched = new Set<string>();
  const out: TrainingImportCheck = { total: rows.length - 1, rows: [], good: [], counts: { new: 0, alreadyRecorded: 0, problem: 0 }, unmatched: [] };

  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    const get = (col: string) => (header.indexOf(col) >= 0 ? (cells[header.indexOf(col)] ?? '').trim() : '');
    const name = (get('name') || [get('forename'), get('surname')].filter(Boolean).join(' ')).slice(0, 120);
    const problems: string[] = [];
    if (cells.length > header.length && cells.slice(header.length).some((c) => c.trim())) problems.push(`the row has ${cells.length} cells but the header names ${header.length}`);

    const email = get('email').toLowerCase();
    const code = get('staffCode');
    const person = (email && byEmail.get(email)) || (code && byCode.get(code.toLowerCase())) || undefined;
    if (!email && !code) problems.push('no email or staff code: the row does not say who');
    else if (person && !isKeySafe(person.id)) problems.push(`${person.displayName.slice(0, 80)} has an id storage cannot take: correct them in the register first`);
    else if (!person) {
      const who = [email, code && `staff code ${code}`].filter(Boolean).join(' / ');
      problems.push(`no member of staff here has ${who}`);
      unmatched.add(who);
    }

    const courseText = get('course');
    const courseId = courses.get(courseNameKey(courseText));
    if (!courseText) problems.push('the course is missing');
    else if (!courseId) problems.push(`"${courseText.slice(0, 80)}" is not one of the school's courses (the setup can name it as an alias of one)`);

    const dateText = get('date');
    const completedOn = dateText ? parseDay(dateText) : undefined;
    if (!dateText) problems.push('the date completed is missing');
    else if (!completedOn) problems.push(`"${dateText.slice(0, 20)}" is not a date (YYYY-MM-DD or DD/MM/YYYY)`);
    else if (completedOn > ctx.today) problems.push(`${completedOn} is in the future`);

    const hoursText = get('hours');
    const hours = hoursText ? Number(hoursText.replace(',', '.')) : undefined;
    if (hoursText && !Number.isFinite(hours)) problems.push(`hours "${hoursText.slice(0, 20)}" is not a number`);
    const details = detailsSchema.safeParse({ provider: get('provider') || undefined, hours: Number.isFinite(hours) ? hours : undefined, evidence: get('evidence') || undefined });
    if (!details.success) problems.push(...details.error.issues.map((x) => x.message));

    const report: TrainingRowReport = { row, name: name || person?.displayName || '', course: courseText.slice(0, 120), completedOn, outcome: 'problem', problems, personId: person?.id };
    if (problems.length === 0 && person && courseId && completedOn && details.success) {
      const key = recordKey(person.id, courseId, completedOn);
      const earlier = inFile.get(key);
      if (ctx.recordedKeys.has(key) || earlier) {
        report.outcome = 'alreadyRecorded';
        if (earlier) report.problems = [`the same as row ${earlier}`];
      } else {
        inFile.set(key, row);
        report.outcome = 'new';
        out.good.push({
          personId: person.id,
          personName: person.displayName,
          courseId,
          completedOn,
          ...details.data,
          source: 'csv',
          state: 'confirmed',
          recordedById: ctx.by.id,
          recordedByName: ctx.by.name,
          recordedAt: ctx.by.at,
        });
      }
    }
    out.counts[report.outcome]++;
    out.rows.push(report);
  });
  out.unmatched = [...unmatched];
  return out;
}
