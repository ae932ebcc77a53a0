/**
 * The filtering and monitoring log (PRODUCT.md §7). Pure: who may read and keep it, what an entry is,
 * how corrections read, and when the annual review is due.
 *
 * The policy (§7.3.1): "Changes to the filtering and monitoring approach will be risk assessed by staff
 * with educational and technical experience and, where appropriate, with consent from the leadership
 * team; all changes to the filtering policy are logged and recorded", and "the leadership team will
 * ensure that regular checks are made to ensure that the filtering and monitoring methods are effective
 * and appropriate". The DfE Filtering and Monitoring Standards for schools and colleges (2023) ask for a
 * named senior leader and governor responsible for meeting them, for "documenting decisions on what is
 * blocked or allowed and why", for checks that the systems work, logged with when, who, what was tested
 * and the resulting actions, and for a review of the provision at least annually.
 *
 * Entries are never changed or removed: a correction is a new entry that names the one it corrects
 * and says why, so the log shows what was recorded, when, by whom, and what was corrected since.
 */
import type { Role } from './roles';

/**
 * Read (§7.3.1, DfE standards): the DSLs and deputies (who act on what monitoring finds, §7.3.4), the
 * Online Safety Lead, technical staff, the Headteacher (the leadership team), and governors (strategic
 * responsibility: the standards' named governor). Office staff never: nothing here is theirs to keep.
 */
export const FILTERING_LOG_READERS: Role[] = ['dslPrep', 'dslPrePrep', 'deputyDsl', 'onlineSafetyLead', 'technicalStaff', 'headteacher', 'governors', 'chairOfGovernors'];

/**
 * Keep (§7.3.1 "risk assessed by staff with educational and technical experience"; §4 makes the Online
 * Safety Lead responsible for the day-to-day): technical staff, who make the changes and run the
 * checks, and the Online Safety Lead.
 */
export const FILTERING_LOG_KEEPERS: Role[] = ['technicalStaff', 'onlineSafetyLead'];

export function canReadFilteringLog(roles: readonly Role[]): boolean {
  return roles.some((r) => FILTERING_LOG_READERS.includes(r));
}

export function canKeepFilteringLog(roles: readonly Role[]): boolean {
  return roles.some((r) => FILTERING_LOG_KEEPERS.includes(r));
}

export const ENTRY_KINDS = ['change', 'check', 'review'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const ENTRY_KIND_TITLES: Record<EntryKind, string> = {
  change: 'Filtering change',
  check: 'Check',
  review: 'Annual review',
};

/** What a filtering change did (DfE: "what is blocked or allowed and why"). */
export const CHANGE_ACTIONS = ['blocked', 'allowed', 'other'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];
export const CHANGE_ACTION_TITLES: Record<ChangeAction, string> = { blocked: 'Blocked', allowed: 'Allowed', other: 'Other change' };

export const CHECK_RESULTS = ['working', 'problemFound'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];
export const CHECK_RESULT_TITLES: Record<CheckResult, string> = { working: 'Working as expected', problemFound: 'Problem found' };

/** A change to filtering (or monitoring): §7.3.1 "logged and recorded", risk assessed, approved. */
export interface FilteringChange {
  kind: 'change';
  /** YYYY-MM-DD */
  on: string;
  action: ChangeAction;
  /** The site, category or setting. */
  what: string;
  why: string;
  riskAssessment: string;
  requestedBy: string;
  approvedBy: string;
}

/** A check that filtering and monitoring work (DfE: when, who, what was tested, resulting actions). */
export interface FilteringCheck {
  kind: 'check';
  on: string;
  checkedBy: string;
  whatWasTested: string;
  result: CheckResult;
  followUp: string;
}

/** The annual review (DfE standards), led by the named senior leader with the named governor. */
export interface AnnualReview {
  kind: 'review';
  on: string;
  seniorLeader: string;
  governor: string;
  findings: string;
  actions: string;
}

export type EntryDetails = FilteringChange | FilteringCheck | AnnualReview;

export interface LogEntry {
  id: string;
  details: EntryDetails;
  recordedAt: string;
  recordedBy: { id: string; name: string };
  /** The entry this one corrects, and why. */
  corrects?: string;
  correctionReason?: string;
}

/** An entry as the log reads: its latest version, and what it replaced. */
export interface LogLine {
  /** The first entry of the chain: the log's line. */
  id: string;
  current: LogEntry;
  /** Earlier versions, oldest first (empty when never corrected). */
  history: LogEntry[];
}

/**
 * The log as read: each chain of corrections as one line showing its latest version, newest first
 * by the date it happened. A correction whose original is missing stands on its own.
 */
export function readLog(entries: readonly LogEntry[]): LogLine[] {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const correctedBy = new Map<string, LogEntry>();
  for (const e of entries) if (e.corrects && byId.has(e.corrects)) correctedBy.set(e.corrects, e);
  const lines: LogLine[] = [];
  for (const e of entries) {
    if (e.corrects && byId.has(e.corrects)) continue;
    const history: LogEntry[] = [];
    let current = e;
    const seen = new Set<string>([e.id]);
    for (let next = correctedBy.get(current.id); next && !seen.has(next.id); next = correctedBy.get(current.id)) {
      history.push(current);
      seen.add(next.id);
      current = next;
    }
    lines.push({ id: e.id, current, history });
  }
  return lines.sort((a, b) => b.current.details.on.localeCompare(a.current.details.on) || b.current.recordedAt.localeCompare(a.current.recordedAt));
}

/** The DfE standards: "review your filtering and monitoring provision at least annually". */
export const REVIEW_EVERY_MONTHS = 12;

export type ReviewStatus = { state: 'never' } | { state: 'current'; lastOn: string; dueBy: string } | { state: 'overdue'; lastOn: string; dueBy: string };

export function reviewStatus(lines: readonly LogLine[], today: string): ReviewStatus {
  const last = lines.map((l) => l.current.details).filter((d): d is AnnualReview => d.kind === 'review').map((d) => d.on).sort().pop();
  if (!last) return { state: 'never' };
  const dueBy = addMonths(last, REVIEW_EVERY_MONTHS);
  return { state: dueBy < today ? 'overdue' : 'current', lastOn: last, dueBy };
}

/** YYYY-MM-DD plus whole months, the day kept where the month has it (31 Jan + 1 month → 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
