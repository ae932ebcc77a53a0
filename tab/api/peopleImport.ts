/**
 * Learners, parents, visitors (and staff missing from Graph) from a CSV, for example a SIMS export
 * (PRODUCT.md §4). Every row is checked first and reported by its row number; only after the person
 * confirms are the good rows imported.
 *
 * Columns (header row, any order, case and spaces ignored): `kind` (learner, parent, visitor, staff),
 * `id` (the MIS id: for staff, the staff code), `name` (or `forename` and `surname`), `year group`
 * (learners: required; and `date of birth`, for keeping their child-protection records), `tags`
 * (optional, separated by `;`), and for staff `email` and `start date`
 * (YYYY-MM-DD or DD/MM/YYYY). A member of staff whose email is a member of staff already known from
 * Microsoft 365 is that person: their staff code and start date are added to them (the training
 * records need both), not a second row.
 */
import { z } from 'zod';
import { PERSON_KINDS, type PersonKind } from '../../core/aup';
import { parseDay } from '../../core/time';
import type { SchoolSetup } from '../../config/schema';
import { canBeKeyPart, safeKeyPart, type StoredPerson } from '../../store/aupStore';
import { CsvError, parseCsv } from './csv';

export const MAX_IMPORT_ROWS = 20_000;

export interface RowReport {
  /** The row's number in the file, the header being row 1 (as a spreadsheet shows it). */
  row: number;
  name: string;
  problems: string[];
}

export interface ImportCheck {
  total: number;
  good: StoredPerson[];
  bad: RowReport[];
  /** A problem with the whole file (no header, unknown columns): nothing can be imported. */
  fileProblem?: string;
}

const KIND_WORDS: Record<string, PersonKind> = { pupil: 'learner', student: 'learner', child: 'learner', carer: 'parent', guardian: 'parent', contact: 'parent', volunteer: 'visitor', contractor: 'visitor', teacher: 'staff' };

const COLUMN_NAMES: Record<string, string> = {
  kind: 'kind', type: 'kind', role: 'kind',
  id: 'id', misid: 'id', upn: 'id', adno: 'id', admissionnumber: 'id', externalid: 'id',
  name: 'name', fullname: 'name', displayname: 'name',
  forename: 'forename', firstname: 'forename', legalforename: 'forename', preferredforename: 'forename',
  surname: 'surname', lastname: 'surname', legalsurname: 'surname',
  yeargroup: 'yearGroup', year: 'yearGroup',
  tags: 'tags',
  email: 'email', emailaddress: 'email', workemail: 'email',
  startdate: 'startedOn', started: 'startedOn', startedon: 'startedOn', employmentstartdate: 'startedOn', datejoined: 'startedOn',
  dateofbirth: 'dateOfBirth', dob: 'dateOfBirth', birthdate: 'dateOfBirth',
  staffcode: 'id',
};

const rowSchema = (yearGroups: string[]) =>
  z.object({
    kind: z.enum(PERSON_KINDS, { error: `kind must be one of ${PERSON_KINDS.join(', ')}` }),
    id: z.string().min(1, 'id is missing').max(64, 'id is longer than 64 characters').refine((v) => !v || canBeKeyPart(v), 'id has a character an id cannot have (text broken in its encoding: save the file as UTF-8 and check this row)'),
    name: z.string().min(1, 'name is missing').max(120, 'name is longer than 120 characters'),
    yearGroup: z.string().max(40).optional(),
    tags: z.array(z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'tags are letters, digits and dashes, separated by ;')).max(10),
    email: z.string().email('email is not an email address').max(200).optional(),
    startedOn: z.string().optional(),
    dateOfBirth: z.string().optional(),
  }).superRefine((r, ctx) => {
    if (r.startedOn === 'invalid') ctx.addIssue({ code: 'custom', message: 'start date is not a date (YYYY-MM-DD or DD/MM/YYYY)' });
    if (r.dateOfBirth === 'invalid') ctx.addIssue({ code: 'custom', message: 'date of birth is not a date (YYYY-MM-DD or DD/MM/YYYY)' });
    if (r.kind === 'learner' && !r.yearGroup) ctx.addIssue({ code: 'custom', message: 'year group is missing (learners need one)' });
    if (r.yearGroup && !yearGroups.includes(r.yearGroup)) ctx.addIssue({ code: 'custom', message: `year group "${r.yearGroup.slice(0, 40)}" is not one of the school's (${yearGroups.join(', ')})` });
  });

function normaliseYear(v: string, yearGroups: string[]): string {
  const t = v.trim();
  if (!t) return '';
  const exact = yearGroups.find((y) => y.toLowerCase() === t.toLowerCase());
  if (exact) return exact;
  const n = t.match(/^(?:y|yr|year)?\s*(\d{1,2})$/i);
  if (n) return yearGroups.find((y) => y.toLowerCase() === `year ${Number(n[1])}`) ?? t;
  if (/^(r|rec)$/i.test(t)) return yearGroups.find((y) => /^reception$/i.test(y)) ?? t;
  return t;
}

export function personIdFor(kind: PersonKind, externalId: string): string {
  return `csv-${kind}-${safeKeyPart(externalId)}`;
}

/**
 * Checks every row. `staffByEmail` are the members of staff already known (from Microsoft 365): a staff
 * row with one of their emails updates that person rather than adding another.
 */
export function checkImport(csv: string, setup: SchoolSetup, at: string, staffByEmail: ReadonlyMap<string, StoredPerson> = new Map()): ImportCheck {
  let rows: string[][];
  try {
    rows = parseCsv(csv).filter((r) => r.some((c) => c.trim() !== ''));
  } catch (err) {
    if (err instanceof CsvError) return { total: 0, good: [], bad: [], fileProblem: err.message };
    throw err;
  }
  if (rows.length === 0) return { total: 0, good: [], bad: [], fileProblem: 'The file is empty.' };
  const header = rows[0].map((h) => COLUMN_NAMES[h.toLowerCase().replace(/[^a-z]/g, '')] ?? '');
  const missing = ['kind', 'id'].filter((c) => !header.includes(c));
  if (!header.includes('name') && !(header.includes('forename') && header.includes('surname'))) missing.push('name (or forename and surname)');
  if (missing.length) return { total: rows.length - 1, good: [], bad: [], fileProblem: `The first row must name the columns; missing: ${missing.join(', ')}.` };
  if (rows.length - 1 > MAX_IMPORT_ROWS) return { total: rows.length - 1, good: [], bad: [], fileProblem: `The file has more than ${MAX_IMPORT_ROWS.toLocaleString('en-GB')} rows; split it.` };

  const yearGroups = setup.phases.flatMap((p) => p.yearGroups);
  const schema = rowSchema(yearGroups);
  const seen = new Map<string, number>();
  const good: StoredPerson[] = [];
  const bad: RowReport[] = [];
  rows.slice(1).forEach((cells, i) => {
    const rowNumber = i + 2;
    const get = (col: string) => (header.indexOf(col) >= 0 ? (cells[header.indexOf(col)] ?? '').trim() : '');
    const kindWord = get('kind').toLowerCase();
    const name = get('name') || [get('forename'), get('surname')].filter(Boolean).join(' ');
    const parsed = schema.safeParse({
      kind: KIND_WORDS[kindWord] ?? kindWord,
      id: get('id'),
      name,
      yearGroup: normaliseYear(get('yearGroup'), yearGroups) || undefined,
      tags: get('tags') ? get('tags').split(';').map((t) => t.trim()).filter(Boolean) : [],
      email: get('email').toLowerCase() || undefined,
      startedOn: get('startedOn') ? (parseDay(get('startedOn')) ?? 'invalid') : undefined,
      dateOfBirth: get('dateOfBirth') ? (parseDay(get('dateOfBirth')) ?? 'invalid') : undefined,
    });
    const problems = parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
    if (cells.length > header.length && cells.slice(header.length).some((c) => c.trim())) problems.push(`the row has ${cells.length} cells but the header names ${header.length}`);
    if (parsed.success && parsed.data.startedOn && parsed.data.startedOn > at.slice(0, 10)) problems.push('start date is in the future');
    const known = parsed.success && parsed.data.kind === 'staff' && parsed.data.email ? staffByEmail.get(parsed.data.email) : undefined;
    if (parsed.success && known && problems.length === 0) {
      const first = seen.get(known.id);
      if (first) problems.push(`${known.displayName} (${parsed.data.email}) is already on row ${first}`);
      else {
        seen.set(known.id, rowNumber);
        // The person Microsoft 365 knows, with what the MIS adds: the staff code and the start date.
        good.push({ ...known, staffCode: parsed.data.id, startedOn: parsed.data.startedOn ?? known.startedOn, updatedAt: at });
        return;
      }
    }
    if (parsed.success) {
      const id = personIdFor(parsed.data.kind, parsed.data.id);
      const first = seen.get(id);
      if (first) problems.push(`the same ${parsed.data.kind} id "${parsed.data.id}" is already on row ${first}`);
      else seen.set(id, rowNumber);
      if (problems.length === 0) {
        const staff = parsed.data.kind === 'staff' ? { email: parsed.data.email, staffCode: parsed.data.id, startedOn: parsed.data.startedOn } : {};
        const learner = parsed.data.kind === 'learner' && parsed.data.dateOfBirth ? { dateOfBirth: parsed.data.dateOfBirth } : {};
        good.push({ id, displayName: parsed.data.name, kind: parsed.data.kind, yearGroup: parsed.data.yearGroup, tags: parsed.data.tags, source: 'csv', externalId: parsed.data.id, active: true, updatedAt: at, ...staff, ...learner });
        return;
      }
    }
    bad.push({ row: rowNumber, name: name.slice(0, 120), problems });
  });
  return { total: rows.length - 1, good, bad };
}
