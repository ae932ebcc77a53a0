/**
 * Times and dates as the school reads them: in the school's time zone (the setup's `timeZone`),
 * never the server's. Pure: the instant is always passed in.
 */
const timeFormats = new Map<string, Intl.DateTimeFormat>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * An IANA time zone name ("Europe/London", "UTC"), as the setup's `timeZone` must be: one the clock can
 * show dates in. Offsets ("+01:00", "GMT+1") and made-up names are not: newer engines take some offsets,
 * so the name is checked for the IANA form as well as by Intl itself.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** "23 Nov 2026, 11:11" in the school's time zone. */
export function formatTime(iso: string, timeZone: string): string {
  let f = timeFormats.get(timeZone);
  if (!f) timeFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' })));
  return f.format(new Date(iso));
}

/** The date in the school's time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now: Date): string {
  let f = dayFormats.get(timeZone);
  if (!f) dayFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(now);
}

/** The first year a day may be in: anything earlier in a school's records is a typing mistake. */
const FIRST_YEAR = 1900;

/** Whether year, month and day make a day the calendar has (2026-02-30, month 13 and day 0 do not). */
function realDay(y: number, mo: number, d: number): string | undefined {
  if (y < FIRST_YEAR || y > 9999 || mo < 1 || mo > 12 || d < 1) return undefined;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/**
 * A day as the API and the cards send it: exactly YYYY-MM-DD, and a day the calendar has. Undefined for
 * anything else (2026-02-30, 0000-00-00, 2026-13-01, 2026-2-3, a time after the day). Every YYYY-MM-DD
 * that comes in is read with this.
 */
export function isoDay(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m ? realDay(+m[1], +m[2], +m[3]) : undefined;
}

/**
 * A date as an office types it or a MIS exports it: YYYY-MM-DD, or the UK's DD/MM/YYYY (also with dashes
 * or dots, and two-digit years as 20YY). Undefined when it is not a real day (31/02/2026, 2026-13-01).
 */
export function parseDay(text: string): string | undefined {
  const t = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [+m[1], +m[2], +m[3]];
  else {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(t);
    if (!m) return undefined;
    [d, mo, y] = [+m[1], +m[2], m[3].length === 2 ? 2000 + +m[3] : +m[3]];
  }
  return realDay(y, mo, d);
}

/** "1 September 2026" for 2026-09-01 (a day, not an instant: no time zone applies). */
export function dayTitle(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** The time of day in the school's time zone, as HH:MM (24-hour). */
export function timeOfDayIn(timeZone: string, at: Date): string {
  let f = clockFormats.get(timeZone);
  if (!f) clockFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  return f.format(at);
}
