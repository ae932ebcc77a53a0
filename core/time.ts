/**
 * Times and dates as the school reads them: in the school's time zone (the setup's `timeZone`),
 * never the server's. Pure: the instant is always passed in.
 */
const timeFormats = new Map<string, Intl.DateTimeFormat>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();

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
