/**
 * Staff training records (PRODUCT.md §5; policy §5.3; KCSIE Part 2 and Annex C). Pure rules: which
 * courses a person must do, and for each whether they are current, due soon, overdue or have never
 * done it. Days are YYYY-MM-DD in the school's calendar; "today" is always given, never read here.
 *
 * How each status is decided (the pages and the tests rely on these):
 * - Only confirmed completions dated on or before today count. A self-report waiting for the office is
 *   shown (`awaitingConfirmation`) but changes nothing until it is confirmed; a completion dated after
 *   today is ignored (the import refuses it anyway).
 * - Records of a course named in `alsoSatisfiedBy` count as records of this one (the full DSL training is
 *   also a DSL update). Only one step: what satisfies that course does not in turn satisfy this one.
 * - Required and never done: `dueSoon` while the first due date is still ahead (someone who joined last
 *   week and has 20 days for induction), `never` once it has passed or when it cannot be known (no start
 *   date; a role newly taken on). `never` carries no due date: it is due now.
 * - Done: `current` until `dueSoonDays` before the next due date, `dueSoon` from then up to and
 *   including the due date, `overdue` from the day after.
 * - Each academic year: `current` when done within the current academic year (the window does not reach
 *   across 1 September); otherwise due by this year's date, graded by the window as above. A year missed
 *   altogether is `overdue` from that year's date until a completion covers it.
 * - Every N months: due N calendar months after the last completion (29 Feb 2024 + 12 months is 28 Feb
 *   2025). Once: done ever is `current`, for good.
 * - Not required now (no longer a DSL): `notRequired`, with the last completion still shown; the history
 *   is never lost. Newly a DSL with no record: `never`, as KCSIE expects the training before the role.
 *   Only today's roles are known, so a role-based course's first due date cannot be later than starting.
 *
 * A `today` that is not a real YYYY-MM-DD is a programming error (the server's own clock) and throws;
 * a record dated so is left out (the import refuses it).
 */
import type { Role } from './roles';
import { isoDay } from './time';

/**
 * Who must do a course. `everyone` is every member of staff: the people in the school's allStaff group
 * (governors are not staff and are named by role). Otherwise the holders of some roles and the members of
 * some extra Entra groups (GUIDs).
 */
export type CourseAudience = 'everyone' | { roles?: readonly Role[]; groups?: readonly string[] };

/** How often a course must be done. */
export type Renewal =
  /** Once, ever; due from the first day. */
  | { kind: 'once' }
  /** Once, within `days` calendar days of starting at the school (induction, §5.3). */
  | { kind: 'onceWithinDaysOfStarting'; days: number }
  /**
   * Again `months` months after the last time (DSL training: every two years, KCSIE Annex C). The first
   * time is due on starting, or within `firstWithinDaysOfStarting` days of it.
   */
  | { kind: 'everyMonths'; months: number; firstWithinDaysOfStarting?: number }
  /**
   * Once in each academic year, by `dueBy` (MM-DD; 02-29 means the last day of February). The first
   * time is due by the first such date on or after starting (§5.3: the September INSET, the February
   * twilight session for Safer Internet Day).
   */
  | { kind: 'eachAcademicYear'; dueBy: string };

export interface Course {
  /** A slug, for example `dsl-update`: it keys the records. */
  id: string;
  title: string;
  /** Where the duty comes from, for example "§5.3" or "KCSIE Part 1". */
  policy: string;
  audience: CourseAudience;
  renewal: Renewal;
  /** How many days before the due date a course done before becomes "due soon" (unused for courses done once). */
  dueSoonDays: number;
  /** Courses whose records also satisfy this one (one step only). */
  alsoSatisfiedBy?: readonly string[];
  /** A must-read confirmed with one button on a bot card, once per version, like an AUP (KCSIE Part 1). */
  confirmedInTeams?: boolean;
  /** That must-read: a document of kind mustRead in the AUP register, whose "I have read it" records this course. */
  documentId?: string;
  /** Other names the MIS export uses for this course. */
  aliases?: readonly string[];
}

export interface TrainingRules {
  /** MM-DD on which the school's academic year starts (09-01 in England). */
  academicYearStarts: string;
  courses: readonly Course[];
}

export interface TrainingPerson {
  id: string;
  /** Roles held now (from the directory): training follows the roles held today. */
  roles: readonly Role[];
  /** The Entra groups the person is in, for courses that name groups. */
  groupIds?: readonly string[];
  /** First day at the school, YYYY-MM-DD, when known. */
  startedOn?: string;
}

/** What the rules need of a training record; the store keeps more (provider, hours, evidence, who recorded it). */
export interface TrainingRecord {
  personId: string;
  courseId: string;
  /** YYYY-MM-DD */
  completedOn: string;
  /** A self-report the office has not yet confirmed (PRODUCT.md §5): shown, never counted. */
  pendingConfirmation?: boolean;
}

export const TRAINING_STATUSES = ['current', 'dueSoon', 'overdue', 'never', 'notRequired'] as const;
export type TrainingStatus = (typeof TRAINING_STATUSES)[number];

export const TRAINING_STATUS_TITLES: Record<TrainingStatus, string> = {
  current: 'Current',
  dueSoon: 'Due soon',
  overdue: 'Overdue',
  never: 'Never done',
  notRequired: 'Not required',
};

export interface CourseStatus {
  status: TrainingStatus;
  /** The latest confirmed completion on or before today (kept when no longer required). */
  lastCompletedOn?: string;
  /** Set when that completion was of another course that also satisfies this one (the full DSL training). */
  lastCompletedAs?: string;
  /**
   * current: when the next one is due (absent for courses done once); dueSoon: due by this day;
   * overdue: the day it fell due. Absent for never (due now) and notRequired.
   */
  dueOn?: string;
  /** The latest completion the person reported that the office has not yet confirmed. */
  awaitingConfirmation?: string;
}

// ---- Days --------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Days already read: the matrix reads the same few hundred days (today, due dates, completions) for
 * every one of its thousands of cells, and checking a day against the calendar is the costly part.
 */
const dayNumbers = new Map<string, number | null>();
const DAY_NUMBERS_KEPT = 20_000;

/** Days since 1970-01-01, or undefined when `day` is not a real YYYY-MM-DD. */
function dayNumber(day: string): number | undefined {
  const known = dayNumbers.get(day);
  if (known !== undefined) return known ?? undefined;
  const real = isoDay(day);
  const n = real === undefined ? null : Date.parse(`${real}T00:00:00Z`) / DAY_MS;
  if (dayNumbers.size >= DAY_NUMBERS_KEPT) dayNumbers.clear();
  if (typeof day === 'string' && day.length <= 10) dayNumbers.set(day, n);
  return n ?? undefined;
}

function dayOf(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

function mustBeDay(day: string, what: string): number {
  const n = dayNumber(day);
  if (n === undefined) throw new RangeError(`${what} must be a day as YYYY-MM-DD, not "${day}"`);
  return n;
}

export function isIsoDay(day: string): boolean {
  return dayNumber(day) !== undefined;
}

export function addDays(day: string, days: number): string {
  return dayOf(mustBeDay(day, 'the day') + days);
}

/** Calendar months later, kept within the month: 29 Feb 2024 + 12 months = 28 Feb 2025. */
export function addMonths(day: string, months: number): string {
  mustBeDay(day, 'the day');
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return dayOf(Date.UTC(year, month, Math.min(d, last)) / DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return mustBeDay(to, 'the day') - mustBeDay(from, 'the day');
}

/** A day of the year as MM-DD. 02-29 is one only when `leapDayAllowed` (it then means the last day of February). */
export function isMonthDay(md: string, leapDayAllowed = true): boolean {
  const m = MONTH_DAY.exec(md);
  if (!m) return false;
  if (md === '02-29') return leapDayAllowed;
  return dayNumber(`2025-${md}`) !== undefined;
}

/** MM-DD in a given year; 02-29 is the 28th in years without one. */
function monthDayIn(year: number, md: string): string {
  const day = `${String(year).padStart(4, '0')}-${md}`;
  return md === '02-29' && dayNumber(day) === undefined ? `${String(year).padStart(4, '0')}-02-28` : day;
}

/** "30 Sep" for 09-30; 02-29 reads "end of Feb". */
export function monthDayTitle(md: string): string {
  if (md === '02-29') return 'end of Feb';
  const [m, d] = md.split('-').map(Number);
  return `${d} ${MONTH_NAMES[m - 1]}`;
}

// ---- Academic years ----------------------------------------------------------------------------

export const DEFAULT_ACADEMIC_YEAR_STARTS = '09-01';

/** The academic year a day falls in, named by the calendar year it starts in (2026 is 2026/27). */
export function academicYearOf(day: string, starts: string = DEFAULT_ACADEMIC_YEAR_STARTS): number {
  mustBeDay(day, 'the day');
  const year = +day.slice(0, 4);
  return day.slice(5) >= starts ? year : year - 1;
}

export function academicYearStart(year: number, starts: string = DEFAULT_ACADEMIC_YEAR_STARTS): string {
  return monthDayIn(year, starts);
}

/** "2026/27" */
export function academicYearTitle(year: number): string {
  return `${year}/${String((year + 1) % 100).padStart(2, '0')}`;
}

/** The day in academic year `year` by which a course due "by MM-DD" must be done. */
export function academicYearDueDate(year: number, dueBy: string, starts: string = DEFAULT_ACADEMIC_YEAR_STARTS): string {
  const sameYear = monthDayIn(year, dueBy);
  return sameYear >= academicYearStart(year, starts) ? sameYear : monthDayIn(year + 1, dueBy);
}

// ---- Renewal -----------------------------------------------------------------------------------

/** In words, for pages and for the setup file's messages. */
export function describeRenewal(r: Renewal): string {
  switch (r.kind) {
    case 'once':
      return 'once';
    case 'onceWithinDaysOfStarting':
      return `once, within ${r.days} days of starting`;
    case 'everyMonths':
      return `every ${r.months} month${r.months === 1 ? '' : 's'}`;
    case 'eachAcademicYear':
      return `each academic year, by ${monthDayTitle(r.dueBy)}`;
  }
}

/**
 * The fewest days between one due date and the next (a due-soon window must be shorter, or a course
 * would be due soon the day it is done). Undefined for courses done once.
 */
export function shortestRenewalDays(r: Renewal): number | undefined {
  switch (r.kind) {
    case 'once':
    case 'onceWithinDaysOfStarting':
      return undefined;
    case 'eachAcademicYear':
      return 365;
    case 'everyMonths': {
      // Every start day of a leap year and the year before it: month ends and 29 February included.
      let fewest = Infinity;
      for (let n = dayNumber('2023-01-01')!; n <= dayNumber('2024-12-31')!; n++) {
        const from = dayOf(n);
        fewest = Math.min(fewest, daysBetween(from, addMonths(from, r.months)));
      }
      return fewest;
    }
  }
}

// ---- Who must do what --------------------------------------------------------------------------

export function mustDo(course: Pick<Course, 'audience'>, person: TrainingPerson): boolean {
  const a = course.audience;
  if (a === 'everyone') return person.roles.includes('allStaff');
  if (a.roles?.some((r) => person.roles.includes(r))) return true;
  const groups = a.groups ?? [];
  if (groups.length === 0 || !person.groupIds?.length) return false;
  // Entra ids are GUIDs: the setup file may spell them in capitals, Graph answers in lower case.
  const mine = new Set(person.groupIds.map((g) => g.toLowerCase()));
  return groups.some((g) => mine.has(g.toLowerCase()));
}

export function requiredCourses(rules: TrainingRules, person: TrainingPerson): Course[] {
  return rules.courses.filter((c) => mustDo(c, person));
}

// ---- Records -----------------------------------------------------------------------------------

/** The latest completion on or before today of one course by one person, confirmed and awaiting confirmation. */
export interface LatestCompletion {
  confirmedOn?: string;
  awaitingConfirmation?: string;
}

export function completionKey(personId: string, courseId: string): string {
  return `${personId}|${courseId}`;
}

/**
 * One pass over every record: only the latest counts for status. Records dated after today, or not
 * dated as a real day, are left out.
 */
export function latestCompletions(records: Iterable<TrainingRecord>, today: string): Map<string, LatestCompletion> {
  mustBeDay(today, 'today');
  const out = new Map<string, LatestCompletion>();
  const real = new Map<string, boolean>(); // a few hundred distinct days among many thousand records
  const isReal = (day: string) => real.get(day) ?? real.set(day, isIsoDay(day)).get(day)!;
  for (const r of records) {
    if (r.completedOn > today || !isReal(r.completedOn)) continue;
    const key = completionKey(r.personId, r.courseId);
    let latest = out.get(key);
    if (!latest) out.set(key, (latest = {}));
    if (r.pendingConfirmation) {
      if (!latest.awaitingConfirmation || r.completedOn > latest.awaitingConfirmation) latest.awaitingConfirmation = r.completedOn;
    } else if (!latest.confirmedOn || r.completedOn > latest.confirmedOn) {
      latest.confirmedOn = r.completedOn;
    }
  }
  return out;
}

// ---- Status ------------------------------------------------------------------------------------

type Decision = Pick<CourseStatus, 'status' | 'dueOn'>;

/** Done before: current until the window, due soon up to and including the due date, then overdue. */
function byDueDate(dueOn: string, today: string, dueSoonDays: number): Decision {
  const left = daysBetween(today, dueOn);
  if (left < 0) return { status: 'overdue', dueOn };
  return { status: left <= dueSoonDays ? 'dueSoon' : 'current', dueOn };
}

/** Never done: due soon while the first due date is ahead, otherwise never (due now). */
function firstTime(dueOn: string | undefined, today: string): Decision {
  return dueOn !== undefined && dueOn >= today ? { status: 'dueSoon', dueOn } : { status: 'never' };
}

function decide(course: Course, startedOn: string | undefined, last: string | undefined, today: string, starts: string): Decision {
  const r = course.renewal;
  switch (r.kind) {
    case 'once':
      return last ? { status: 'current' } : firstTime(startedOn, today);
    case 'onceWithinDaysOfStarting':
      return last ? { status: 'current' } : firstTime(startedOn === undefined ? undefined : addDays(startedOn, r.days), today);
    case 'everyMonths':
      if (last) return byDueDate(addMonths(last, r.months), today, course.dueSoonDays);
      return firstTime(startedOn === undefined ? undefined : addDays(startedOn, r.firstWithinDaysOfStarting ?? 0), today);
    case 'eachAcademicYear': {
      // The first academic year not yet covered: the one after the last completion's, and not before the
      // first one whose due date falls on or after starting. A year missed altogether stays overdue until
      // a completion covers it (the policy asks for "at least annual updates").
      const thisYear = academicYearOf(today, starts);
      const candidates: number[] = [];
      if (last) candidates.push(academicYearOf(last, starts) + 1);
      if (startedOn) {
        const y = academicYearOf(startedOn, starts);
        candidates.push(academicYearDueDate(y, r.dueBy, starts) >= startedOn ? y : y + 1);
      }
      if (candidates.length === 0) return { status: 'never' };
      const dueOn = academicYearDueDate(Math.max(...candidates), r.dueBy, starts);
      if (!last) return firstTime(dueOn, today);
      // Done in this academic year: current until the year ends, whatever the window.
      if (academicYearOf(last, starts) >= thisYear) return { status: 'current', dueOn };
      return byDueDate(dueOn, today, course.dueSoonDays);
    }
  }
}

/**
 * One person's status for one course. `latest` comes from `latestCompletions` (built once for a whole
 * matrix); `today` is YYYY-MM-DD in the school's time zone.
 */
export function courseStatus(
  course: Course,
  person: TrainingPerson,
  latest: ReadonlyMap<string, LatestCompletion>,
  today: string,
  academicYearStarts: string = DEFAULT_ACADEMIC_YEAR_STARTS,
): CourseStatus {
  mustBeDay(today, 'today');
  let lastCompletedOn: string | undefined;
  let lastCompletedAs: string | undefined;
  let awaitingConfirmation: string | undefined;
  for (const courseId of [course.id, ...(course.alsoSatisfiedBy ?? [])]) {
    const l = latest.get(completionKey(person.id, courseId));
    if (!l) continue;
    if (l.confirmedOn && (!lastCompletedOn || l.confirmedOn > lastCompletedOn)) {
      lastCompletedOn = l.confirmedOn;
      lastCompletedAs = courseId === course.id ? undefined : courseId;
    }
    if (l.awaitingConfirmation && (!awaitingConfirmation || l.awaitingConfirmation > awaitingConfirmation)) awaitingConfirmation = l.awaitingConfirmation;
  }
  const startedOn = person.startedOn && isIsoDay(person.startedOn) ? person.startedOn : undefined;
  const decision: Decision = mustDo(course, person)
    ? decide(course, startedOn, lastCompletedOn, today, academicYearStarts)
    : { status: 'notRequired' };
  const out: CourseStatus = { status: decision.status };
  if (lastCompletedOn) out.lastCompletedOn = lastCompletedOn;
  if (lastCompletedAs) out.lastCompletedAs = lastCompletedAs;
  if (decision.dueOn) out.dueOn = decision.dueOn;
  if (awaitingConfirmation) out.awaitingConfirmation = awaitingConfirmation;
  return out;
}

// ---- The matrix --------------------------------------------------------------------------------

export interface TrainingRow<P extends TrainingPerson = TrainingPerson> {
  person: P;
  /** Aligned with the rules' courses, every course included (notRequired where it does not apply). */
  cells: CourseStatus[];
}

/**
 * People × courses. The records are read once into a lookup, so the work grows with people × courses
 * plus records, never their product. Measured once (not a test): 300 staff × the 9 demo courses with
 * five years of history (27,000 records) took about 18 ms, half of it reading the records, on a small
 * two-core build machine (best of 50 runs).
 */
export function buildTrainingMatrix<P extends TrainingPerson>(rules: TrainingRules, people: readonly P[], records: Iterable<TrainingRecord>, today: string): TrainingRow<P>[] {
  const latest = latestCompletions(records, today);
  return people.map((person) => ({
    person,
    cells: rules.courses.map((c) => courseStatus(c, person, latest, today, rules.academicYearStarts)),
  }));
}

/** A person's own page: every course, with their statuses (filter out notRequired without history to taste). */
export function trainingOf<P extends TrainingPerson>(rules: TrainingRules, person: P, records: Iterable<TrainingRecord>, today: string): TrainingRow<P> {
  const theirs: TrainingRecord[] = [];
  for (const r of records) if (r.personId === person.id) theirs.push(r);
  return buildTrainingMatrix(rules, [person], theirs, today)[0];
}

export type TrainingCounts = Record<TrainingStatus, number> & {
  /** Everyone the course applies to: "41 of 52 current" is current of required. */
  required: number;
  /** Cells with a self-report waiting for the office. */
  awaitingConfirmation: number;
};

export function countTrainingMatrix(rows: readonly TrainingRow[], courseCount: number): TrainingCounts[] {
  const out: TrainingCounts[] = Array.from({ length: courseCount }, () => ({
    required: 0, current: 0, dueSoon: 0, overdue: 0, never: 0, notRequired: 0, awaitingConfirmation: 0,
  }));
  for (const r of rows) {
    r.cells.forEach((c, i) => {
      const n = out[i];
      n[c.status]++;
      if (c.status !== 'notRequired') n.required++;
      if (c.awaitingConfirmation) n.awaitingConfirmation++;
    });
  }
  return out;
}

/**
 * Who a reminder for one course goes to: due soon, overdue or never done. Someone whose self-report,
 * later than anything confirmed, is waiting for the office has said they did it: the office confirms,
 * the bot does not nag.
 */
export function dueForReminder<P extends TrainingPerson>(rows: readonly TrainingRow<P>[], courseIndex: number): P[] {
  return rows
    .filter((r) => {
      const c = r.cells[courseIndex];
      if (!c || (c.status !== 'dueSoon' && c.status !== 'overdue' && c.status !== 'never')) return false;
      const reported = c.awaitingConfirmation !== undefined && (c.lastCompletedOn === undefined || c.awaitingConfirmation > c.lastCompletedOn);
      return !reported;
    })
    .map((r) => r.person);
}

/**
 * The course a must-read document stands for (KCSIE Part 1): confirming the document, on its card or on
 * paper with the office, is also a completion of that course on that day.
 */
export function courseOfMustRead(rules: Pick<TrainingRules, 'courses'>, documentId: string): Course | undefined {
  return rules.courses.find((c) => c.confirmedInTeams && c.documentId === documentId);
}
