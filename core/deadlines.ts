/**
 * When a case must be acknowledged (PRODUCT.md §3): urgent cases within minutes, others within the
 * school's working hours (in the school's time zone, weekends skipped). Pure date arithmetic.
 */
export interface WorkingHours {
  /** "08:00" */
  start: string;
  /** "17:30" */
  end: string;
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  days: number[];
}

export const DEFAULT_WORKING_HOURS: WorkingHours = { start: '08:00', end: '17:30', days: [1, 2, 3, 4, 5] };

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const partFormats = new Map<string, Intl.DateTimeFormat>();
function localParts(instant: Date, timeZone: string): LocalParts {
  let f = partFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    partFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday) + 1;
  return { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour, minute: +p.minute, weekday };
}

/** The instant at which the wall clock in `timeZone` reads the given local time. */
function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, 0, minutes);
  // Correct by the zone's offset at that moment (twice, for the hour around a clock change).
  let t = guess;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(t), timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    t += guess - asUtc;
  }
  return new Date(t);
}

const toMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** `hours` of working time after `from`, counted only inside working hours on working days. */
export function addWorkingHours(from: Date, hours: number, timeZone: string, working: WorkingHours = DEFAULT_WORKING_HOURS): Date {
  let remaining = Math.round(hours * 60);
  const start = toMinutes(working.start);
  const end = toMinutes(working.end);
  let p = localParts(from, timeZone);
  let day = { year: p.year, month: p.month, day: p.day, weekday: p.weekday };
  let minute = p.hour * 60 + p.minute;
  for (let guard = 0; guard < 3660; guard++) {
    if (working.days.includes(day.weekday)) {
      const from = Math.max(minute, start);
      if (from < end) {
        const available = end - from;
        if (remaining <= available) return instantOf(day.year, day.month, day.day, from + remaining, timeZone);
        remaining -= available;
      }
    }
    // next calendar day, from midnight
    const next = new Date(Date.UTC(day.year, day.month - 1, day.day + 1));
    day = { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), weekday: ((next.getUTCDay() + 6) % 7) + 1 };
    minute = 0;
  }
  throw new Error('no working time found within ten years: check the working days');
}

export interface AcknowledgementRule {
  urgentMinutes: number;
  standardHours: number;
  workingHours?: WorkingHours;
}

/** The moment a case at this step must be acknowledged by. */
export function acknowledgementDeadline(from: Date, urgent: boolean, rule: AcknowledgementRule, timeZone: string): Date {
  if (urgent) return new Date(from.getTime() + rule.urgentMinutes * 60_000);
  return addWorkingHours(from, rule.standardHours, timeZone, rule.workingHours ?? DEFAULT_WORKING_HOURS);
}
