/**
 * When a capture happened, read strictly. A webhook must say its time zone (ISO 8601 with `Z` or an
 * offset): a time without one is ambiguous for an hour each autumn and wrong by an hour all summer. A
 * spreadsheet export usually shows the school's wall clock ("04/03/2026 10:15"), so the CSV may also
 * use the UK day-first form, read in the school's time zone. Pure: no clock is read.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
const UK = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** Years outside this are a typing or clock error, not a capture. */
const EARLIEST_YEAR = 2000;
const LATEST_YEAR = 2099;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Date.UTC of the wall clock, or undefined when it is no real date (31 April, 25:00). */
function asUtc(c: WallClock): number | undefined {
  if (c.year < EARLIEST_YEAR || c.year > LATEST_YEAR || c.hour > 23 || c.minute > 59 || c.second > 59) return undefined;
  const t = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
  const d = new Date(t);
  return d.getUTCMonth() === c.month - 1 && d.getUTCDate() === c.day ? t : undefined;
}

/** ISO 8601 with a zone, as a UTC ISO string; undefined when it is not one or names no real moment. */
export function isoInstant(text: string): string | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const t = asUtc({ year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +(m[6] ?? 0) });
  if (t === undefined) return undefined;
  const zone = m[8].toUpperCase();
  let offset = 0;
  if (zone !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    if (+z[2] > 14 || +z[3] > 59) return undefined;
    offset = (z[1] === '-' ? -1 : 1) * (+z[2] * 60 + +z[3]);
  }
  const millis = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  return new Date(t - offset * 60_000 + millis).toISOString();
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
/** The zone's offset from UTC, in minutes, at an instant ("GMT+01:00" → 60). */
function offsetAt(instant: number, timeZone: string): number {
  let f = offsetFormats.get(timeZone);
  if (!f) offsetFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' })));
  const name = f.formatToParts(new Date(instant)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (+m[2] * 60 + +(m[3] ?? 0)) : 0;
}

/** Whether Intl knows the zone (the setup's `timeZone`, normally Europe/London). */
export function knownTimeZone(timeZone: string): boolean {
  try {
    offsetAt(0, timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * ISO 8601 with a zone, or "DD/MM/YYYY HH:MM[:SS]" on the school's wall clock in `timeZone`.
 * In the hour the clocks go back, the earlier of the two moments is taken.
 */
export function instantFromExport(text: string, timeZone: string): string | undefined {
  const iso = isoInstant(text);
  if (iso) return iso;
  const m = UK.exec(text.trim());
  if (!m) return undefined;
  const wall = asUtc({ year: +m[3], month: +m[2], day: +m[1], hour: +m[4], minute: +m[5], second: +(m[6] ?? 0) });
  if (wall === undefined) return undefined;
  // The offsets either side of any clock change that day; a reading is right when the zone agrees.
  const day = 86_400_000;
  const offsets = [offsetAt(wall - day, timeZone), offsetAt(wall + day, timeZone)];
  const readings = offsets.map((o) => wall - o * 60_000).filter((t) => offsetAt(t, timeZone) * 60_000 === wall - t);
  // None agrees only in the hour the clocks skip: read it with the offset before the change.
  const t = readings.length > 0 ? Math.min(...readings) : wall - offsets[0] * 60_000;
  return new Date(t).toISOString();
}
