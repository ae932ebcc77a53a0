/**
 * Trends in online-safety concerns, for leadership and governors (PRODUCT.md §7). The policy asks the
 * DSL to "monitor online safety incidents to identify gaps and trends" (§4.2), leadership to "audit and
 * evaluate online safety practice" (§4.1) and the named governor to report to the governing body "on
 * online safety practice and incidents, including outcomes" (§3).
 *
 * Pure counting over a few facts of each case (`CaseFacts` below) that carry no name and no
 * free text: category, when it was raised, phase, year groups, status, acknowledgement, escalation and
 * the closure's decision. Who counts what follows core/caseAccess.ts (see `trendsVisibility`).
 */
import type { CaseRecord, CaseStatus } from './case';
import { canReadCase, type Reader } from './caseAccess';
import { CLOSURE_DECISIONS } from './caseActions';
import { aboutStaff, CATEGORIES, categoryById } from './categories';
import { ESCALATION_CHAIN } from './escalation';
import type { PhaseId, PhaseSetup } from './phases';
import { ROLE_TITLES, type Role } from './roles';
import { todayIn } from './time';
import { academicYearOf, academicYearStart, academicYearTitle, addDays } from './training';

/** What the trends need of a case: nothing that names anyone, nothing typed in free text. */
export interface CaseFacts {
  category: string;
  createdAt: string;
  phases: PhaseId[];
  /** Each named learner's year group ('' when not known); empty when no learner was named. */
  yearGroups: string[];
  urgent: boolean;
  status: CaseStatus;
  acknowledgedAt?: string;
  escalationLevel: number;
  /** The closure's decision (one of CLOSURE_DECISIONS), never its reason or outcome text. */
  closedDecision?: string;
  /** The member of staff the concern is about (an Entra object id), for the access rules only. */
  staffInvolvedId?: string;
  /** Everyone it was ever sent to, by id and role (no names), for the access rules only. */
  everRecipients: { id: string; role: Role }[];
}

export function caseFacts(record: CaseRecord): CaseFacts {
  const ever = new Map<string, { id: string; role: Role }>();
  for (const r of [...record.recipients, ...(record.formerRecipients ?? []), ...(record.routedTo ?? [])]) ever.set(`${r.id}|${r.role}`, { id: r.id, role: r.role });
  return {
    category: record.concern.category,
    createdAt: record.createdAt,
    phases: record.phases,
    yearGroups: record.concern.learners.map((l) => l.yearGroup ?? ''),
    urgent: record.urgent,
    status: record.status,
    acknowledgedAt: record.acknowledgedAt,
    escalationLevel: record.escalationLevel,
    closedDecision: record.closure?.decision,
    staffInvolvedId: record.concern.staffInvolvedId,
    everRecipients: [...ever.values()],
  };
}

// ---- Who counts what ---------------------------------------------------------------------------

/**
 * How one case counts for one person, by the rules of core/caseAccess.ts:
 * - `notCounted`: the person the concern is about never sees it, not even as a number;
 * - `totalOnly`: allegations and low-level concerns about staff, and a member of staff at risk
 *   (`aboutStaff`), go to the Headteacher, or the Chair of Governors when about the Headteacher; anyone
 *   `canReadCase` does not let read it counts it in the total only, with no category, phase, year group,
 *   month, outcome or timing that could point at the member of staff;
 * - `counted`: every other case, in full, for everyone who may see the page: anonymous counts are the
 *   point of the page (governors hold no case, yet §3 asks them to report on incidents).
 */
export type TrendsVisibility = 'counted' | 'totalOnly' | 'notCounted';

export function trendsVisibility(f: CaseFacts, reader: Reader): TrendsVisibility {
  if (f.staffInvolvedId && f.staffInvolvedId === reader.id) return 'notCounted';
  const category = categoryById(f.category);
  if (!category || !aboutStaff(category, f.staffInvolvedId)) return 'counted';
  return canReadCase({ concern: { category: category.id, staffInvolvedId: f.staffInvolvedId }, phases: f.phases, recipients: f.everRecipients }, reader) ? 'counted' : 'totalOnly';
}

/** Those who may see the staff categories at all (§10.2, KCSIE Part 4): the Headteacher and the Chair. */
function seesStaffCategories(reader: Reader): boolean {
  return reader.roles.includes('headteacher') || reader.roles.includes('chairOfGovernors');
}

// ---- Periods -----------------------------------------------------------------------------------

/** Days in the school's time zone, both included (YYYY-MM-DD). */
export interface Period {
  from: string;
  to: string;
}

export interface PeriodChoice extends Period {
  id: string;
  title: string;
}

/** The default: this academic year so far. */
export function thisAcademicYear(today: string, starts?: string): Period {
  return { from: academicYearStart(academicYearOf(today, starts), starts), to: today };
}

/**
 * What the page offers: this academic year so far, the last two whole ones, and each of the school's
 * terms that has started (newest first).
 */
export function periodChoices(today: string, terms: readonly { name: string; start: string; end: string }[], starts?: string): PeriodChoice[] {
  const year = academicYearOf(today, starts);
  const out: PeriodChoice[] = [{ id: 'this-year', title: `This academic year (${academicYearTitle(year)}) so far`, ...thisAcademicYear(today, starts) }];
  for (const y of [year - 1, year - 2]) {
    out.push({ id: `year-${y}`, title: `Academic year ${academicYearTitle(y)}`, from: academicYearStart(y, starts), to: addDays(academicYearStart(y + 1, starts), -1) });
  }
  for (const t of [...terms].filter((t) => t.start <= today).sort((a, b) => b.start.localeCompare(a.start))) {
    out.push({ id: `term-${t.start}`, title: t.name, from: t.start, to: t.end });
  }
  return out;
}

/**
 * Instants (ISO) that surely hold every case raised in the period in any time zone (a day either side):
 * what storage is asked for; `aggregateTrends` then keeps exactly the period's days.
 */
export function instantRange(period: Period): { fromIso: string; toIso: string } {
  return { fromIso: `${addDays(period.from, -1)}T00:00:00.000Z`, toIso: `${addDays(period.to, 2)}T00:00:00.000Z` };
}

/** Each month a period touches, as YYYY-MM, in order. */
export function monthsOf(period: Period): string[] {
  const out: string[] = [];
  let [y, m] = period.from.slice(0, 7).split('-').map(Number);
  const last = period.to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > last) return out;
    out.push(key);
    m === 12 ? ((y += 1), (m = 1)) : (m += 1);
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 2026" for 2026-11. */
export function monthTitle(month: string): string {
  return `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

// ---- Statistics --------------------------------------------------------------------------------

/** The middle value; for an even count, the mean of the two middle ones. Undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length))) - 1];
}

/** Minutes from report to acknowledgement (never negative: clocks a little apart). */
export function minutesToAcknowledge(f: Pick<CaseFacts, 'createdAt' | 'acknowledgedAt'>): number | undefined {
  if (!f.acknowledgedAt) return undefined;
  const ms = Date.parse(f.acknowledgedAt) - Date.parse(f.createdAt);
  return Number.isFinite(ms) ? Math.max(0, ms / 60_000) : undefined;
}

// ---- The counts --------------------------------------------------------------------------------

export interface Count {
  key: string;
  label: string;
  count: number;
}

export interface AcknowledgementStats {
  acknowledged: number;
  notAcknowledged: number;
  medianMinutes?: number;
  p90Minutes?: number;
}

export interface Trends {
  period: Period;
  /** Every concern raised in the period that counts for this person (the about-staff ones too). */
  total: number;
  /** Concerns about staff counted in the total only (see trendsVisibility); the other counts leave them out. */
  aboutStaffTotalOnly: number;
  byCategory: Count[];
  byPhase: Count[];
  /** A concern naming learners in two year groups counts in each; none named or not known: "Not known". */
  byYearGroup: Count[];
  byMonth: Count[];
  /** Closed concerns by the closure's decision. */
  byOutcome: Count[];
  /** Where each concern is now: waiting for acknowledgement, acknowledged, closed. */
  byStatus: Count[];
  acknowledgement: AcknowledgementStats & { urgent: AcknowledgementStats; standard: AcknowledgementStats };
  /** Concerns escalated because nobody acknowledged in time, by the furthest step they reached. */
  escalations: { escalated: number; byLevel: Count[] };
}

export const ABOUT_STAFF_KEY = 'aboutStaff';
export const ABOUT_STAFF_LABEL = 'Concerns about staff (numbers only: the details go to the Headteacher or the Chair)';
export const NOT_KNOWN = 'Not known';
const BOTH_PHASES = 'all';

export const STATUS_LABELS: Record<CaseStatus, string> = { open: 'Waiting for acknowledgement', acknowledged: 'Acknowledged, in hand', closed: 'Closed' };

export interface TrendsSetup {
  phases: PhaseSetup[];
  timeZone: string;
}

/** The day a case was raised, in the school's time zone. */
export function dayRaised(f: Pick<CaseFacts, 'createdAt'>, timeZone: string): string {
  return todayIn(timeZone, new Date(f.createdAt));
}

function counter(entries: [string, string][]): { add(key: string, label?: string): void; list(): Count[] } {
  const map = new Map<string, Count>(entries.map(([key, label]) => [key, { key, label, count: 0 }]));
  return {
    add(key, label = key) {
      const c = map.get(key) ?? map.set(key, { key, label, count: 0 }).get(key)!;
      c.count++;
    },
    list: () => [...map.values()],
  };
}

function ackStats(minutes: number[], notAcknowledged: number): AcknowledgementStats {
  return { acknowledged: minutes.length, notAcknowledged, medianMinutes: median(minutes), p90Minutes: percentile(minutes, 90) };
}

/**
 * The counts for one person over one period: only the concerns raised in it (by the school's day), each
 * counted as `trendsVisibility` says. Every list has its rows whatever the counts (zeros included), so
 * a chart and its table always have the same rows, and two periods line up.
 */
export function aggregateTrends(facts: Iterable<CaseFacts>, period: Period, reader: Reader, setup: TrendsSetup): Trends {
  const staffCategories = seesStaffCategories(reader);
  const categories = counter(CATEGORIES.filter((c) => staffCategories || c.route.kind !== 'headteacher').map((c) => [c.id, c.title]));
  const phases = counter([...setup.phases.map((p): [string, string] => [p.id, p.name]), ...(setup.phases.length > 1 ? [[BOTH_PHASES, 'Both phases, or not known'] as [string, string]] : [])]);
  const yearGroups = counter([...setup.phases.flatMap((p) => p.yearGroups.map((y): [string, string] => [y, y])), [NOT_KNOWN, NOT_KNOWN]]);
  const months = counter(monthsOf(period).map((m) => [m, monthTitle(m)]));
  const outcomes = counter(CLOSURE_DECISIONS.map((d) => [d, d]));
  const statuses = counter((Object.keys(STATUS_LABELS) as CaseStatus[]).map((s) => [s, STATUS_LABELS[s]]));
  const levels = counter(ESCALATION_CHAIN.map((roles, i) => [String(i + 1), roles.map((r) => ROLE_TITLES[r]).join(' and ')]));
  const minutes = { all: [] as number[], urgent: [] as number[], standard: [] as number[] };
  const notAck = { all: 0, urgent: 0, standard: 0 };
  let total = 0;
  let totalOnly = 0;
  let escalated = 0;

  for (const f of facts) {
    const day = dayRaised(f, setup.timeZone);
    if (day < period.from || day > period.to) continue;
    const seen = trendsVisibility(f, reader);
    if (seen === 'notCounted') continue;
    total++;
    if (seen === 'totalOnly') {
      totalOnly++;
      continue;
    }
    categories.add(f.category, categoryById(f.category)?.title);
    phases.add(f.phases.length === 1 ? f.phases[0] : BOTH_PHASES);
    const years = new Set(f.yearGroups.map((y) => y || NOT_KNOWN));
    if (years.size === 0) years.add(NOT_KNOWN);
    for (const y of years) yearGroups.add(y);
    months.add(day.slice(0, 7), monthTitle(day.slice(0, 7)));
    statuses.add(f.status);
    if (f.status === 'closed' && f.closedDecision) outcomes.add(f.closedDecision);
    if (f.escalationLevel > 0) {
      escalated++;
      levels.add(String(Math.min(f.escalationLevel, ESCALATION_CHAIN.length)));
    }
    const m = minutesToAcknowledge(f);
    const kind = f.urgent ? 'urgent' : 'standard';
    if (m === undefined) {
      notAck.all++;
      notAck[kind]++;
    } else {
      minutes.all.push(m);
      minutes[kind].push(m);
    }
  }

  const byCategory = categories.list();
  if (!reader.roles.includes('headteacher')) byCategory.push({ key: ABOUT_STAFF_KEY, label: ABOUT_STAFF_LABEL, count: totalOnly });
  return {
    period,
    total,
    aboutStaffTotalOnly: totalOnly,
    byCategory,
    byPhase: phases.list(),
    byYearGroup: yearGroups.list(),
    byMonth: months.list(),
    byOutcome: outcomes.list(),
    byStatus: statuses.list(),
    acknowledgement: { ...ackStats(minutes.all, notAck.all), urgent: ackStats(minutes.urgent, notAck.urgent), standard: ackStats(minutes.standard, notAck.standard) },
    escalations: { escalated, byLevel: levels.list() },
  };
}

/** "45 min", "3 h 20 min", "2 d 4 h": a duration as the page and the report say it. */
export function durationTitle(minutes: number | undefined): string {
  if (minutes === undefined) return '—';
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}
