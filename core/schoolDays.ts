/**
 * School days (KCSIE: a child-protection file goes to the new school "within 5 school days"): the
 * school's working weekdays (the setup's working hours), inside its terms when the setup gives them.
 * Pure date arithmetic on YYYY-MM-DD days.
 */
export interface SchoolCalendar {
  /** ISO weekdays the school works: 1 = Monday … 7 = Sunday. */
  days: readonly number[];
  /** The terms, when known: days outside them (holidays) are not school days. */
  terms?: readonly { name: string; start: string; end: string }[];
}

const DAY_MS = 86_400_000;

function weekday(day: string): number {
  return ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

function next(day: string, by = 1): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + by * DAY_MS).toISOString().slice(0, 10);
}

export function isSchoolDay(day: string, cal: SchoolCalendar): boolean {
  if (!cal.days.includes(weekday(day))) return false;
  return !cal.terms?.length || cal.terms.some((t) => t.start <= day && day <= t.end);
}

/** The school day `n` school days after `from` (from itself does not count). */
export function addSchoolDays(from: string, n: number, cal: SchoolCalendar): string {
  let day = from;
  let left = n;
  // Bounded: a calendar with no school day ahead would loop for ever.
  for (let guard = 0; left > 0 && guard < 3660; guard++) {
    day = next(day);
    if (isSchoolDay(day, cal)) left--;
  }
  return day;
}

/** The term a day falls in, if the setup gives terms. */
export function termOf(day: string, cal: SchoolCalendar): { name: string; start: string; end: string } | undefined {
  return cal.terms?.find((t) => t.start <= day && day <= t.end);
}
