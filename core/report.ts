/**
 * The termly governors' report (PRODUCT.md §7): policy §3 "the named governor for safeguarding will
 * report on a regular basis to the governing body on online safety practice and incidents, including
 * outcomes"; §4.2 the DSL will "report online safety concerns, as appropriate, to the senior
 * leadership team and Governing Body"; §4.1 leadership "audit and evaluate online safety practice".
 *
 * Anonymised: no names, no free text, and small counts suppressed (`shownCount`). The page, the PDF and
 * the CSV are all drawn from the one report built here, which holds the suppressed words, never the
 * raw counts, so no way out of the server can show a 1 or a 2.
 */
import { dayTitle } from './time';
import { durationTitle, type Count, type Trends } from './trends';

/**
 * PRODUCT.md §7: "counts under 3 shown as 'fewer than 3'". A count of one or two concerns, in a school
 * where everyone knows everyone, can point at a child or a member of staff (the statistical-disclosure
 * rule the DfE and ONS use for small numbers). Zero is shown as 0: that nothing happened points at
 * nobody, and governors need to see gaps (§4.2 "identify gaps and trends").
 */
export const SUPPRESS_BELOW = 3;
export const FEWER_THAN_3 = 'fewer than 3';
export const SUPPRESSION_RULE = 'Counts of 1 or 2 are shown as "fewer than 3", so that no child or member of staff can be identified; 0 is shown as 0.';

export function shownCount(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`a count is a whole number of at least 0, not ${n}`);
  if (n === 0) return '0';
  return n < SUPPRESS_BELOW ? FEWER_THAN_3 : String(n);
}

/** A share as a whole percent, rounded down (99.6% is not "100%"); "—" when nobody is in scope. */
export function percentTitle(part: number, whole: number): string {
  if (whole <= 0) return '—';
  return `${Math.floor((100 * part) / whole)}%`;
}

export interface Term {
  name: string;
  start: string;
  end: string;
}

/** The term the report is about by default: the latest that has started. */
export function currentTerm(terms: readonly Term[], today: string): Term | undefined {
  return [...terms].filter((t) => t.start <= today).sort((a, b) => b.start.localeCompare(a.start))[0];
}

/** The term before it in the setup (by start date), to compare with. */
export function termBefore(terms: readonly Term[], term: Term): Term | undefined {
  return [...terms].filter((t) => t.start < term.start).sort((a, b) => b.start.localeCompare(a.start))[0];
}

/**
 * The filtering and monitoring part (policy §7.3; DfE Filtering and Monitoring Standards): the
 * concerns raised in the categories "filtering breach" and "monitoring alert", and, once the filtering
 * and monitoring log is kept (issue 11, part 3), what it adds (changes, checks, the annual review) as
 * labelled lines.
 */
export interface FilteringMonitoringSummary {
  filteringBreaches: number;
  monitoringAlerts: number;
  /** Lines from the filtering and monitoring log, shown as given (they are about systems, not people). */
  log?: { label: string; value: string }[];
}

export interface CourseCompliance {
  title: string;
  /** Everyone the course applies to. */
  required: number;
  /** Of them, in date: current or due soon (core/training.ts: not yet lapsed). */
  inDate: number;
}

export interface AupSignOff {
  title: string;
  /** Everyone the document applies to. */
  appliesTo: number;
  /** Of them, signed its current version (core/aup.ts `signatureStatus` "current"). */
  signedCurrent: number;
}

export interface ReportTable {
  id: string;
  title: string;
  /** What the numbers are, said under the title. */
  note?: string;
  columns: string[];
  rows: string[][];
}

export interface GovernorsReport {
  schoolName: string;
  term: Term;
  previousTerm?: Term;
  /** YYYY-MM-DD */
  preparedOn: string;
  rule: string;
  tables: ReportTable[];
}

export interface ReportInputs {
  schoolName: string;
  preparedOn: string;
  term: Term;
  previousTerm?: Term;
  thisTerm: Trends;
  previous?: Trends;
  filtering: FilteringMonitoringSummary;
  previousFiltering?: FilteringMonitoringSummary;
  training: CourseCompliance[];
  aup: AupSignOff[];
}

/** Rows of counts for this term and, when there is one, the term before, suppressed. */
function countRows(now: Count[], before: Count[] | undefined): string[][] {
  const prev = new Map((before ?? []).map((c) => [c.key, c.count]));
  return now.map((c) => [c.label, shownCount(c.count), ...(before ? [shownCount(prev.get(c.key) ?? 0)] : [])]);
}

export function buildGovernorsReport(r: ReportInputs): GovernorsReport {
  const t = r.thisTerm;
  const p = r.previous && r.previousTerm ? r.previous : undefined;
  const columns = (first: string) => [first, r.term.name, ...(p && r.previousTerm ? [r.previousTerm.name] : [])];
  const both = (now: number, before: number | undefined) => [shownCount(now), ...(p ? [shownCount(before ?? 0)] : [])];
  const counts = (id: string, title: string, first: string, pick: (x: Trends) => Count[], note?: string): ReportTable => ({ id, title, note, columns: columns(first), rows: countRows(pick(t), p && pick(p)) });
  const ack = t.acknowledgement;
  const enough = ack.acknowledged >= SUPPRESS_BELOW;
  const tables: ReportTable[] = [
    {
      id: 'summary',
      title: 'Concerns raised',
      note: t.aboutStaffTotalOnly || p?.aboutStaffTotalOnly ? 'Concerns about staff are counted in the total only.' : undefined,
      columns: columns('Concerns'),
      rows: [['All concerns', ...both(t.total, p?.total)]],
    },
    counts('category', 'Concerns by category', 'Category', (x) => x.byCategory),
    counts('phase', 'Concerns by phase', 'Phase', (x) => x.byPhase),
    counts('yearGroup', 'Concerns by year group', 'Year group', (x) => x.byYearGroup, 'A concern about learners in two year groups counts in each.'),
    { id: 'month', title: 'Concerns by month', columns: ['Month', 'Concerns'], rows: t.byMonth.map((c) => [c.label, shownCount(c.count)]) },
    counts('outcome', 'Outcomes', 'Decision', (x) => x.byOutcome, 'Concerns raised in the term and closed since, by the decision recorded when they were closed.'),
    counts('status', 'Where the concerns are now', 'Status', (x) => x.byStatus),
    {
      id: 'acknowledgement',
      title: 'Acknowledgement and escalation',
      note: 'Time from the report to the first acknowledgement by the safeguarding team.',
      columns: columns('Measure'),
      rows: [
        ['Acknowledged', ...both(ack.acknowledged, p?.acknowledgement.acknowledged)],
        ['Not yet acknowledged', ...both(ack.notAcknowledged, p?.acknowledgement.notAcknowledged)],
        ['Median time to acknowledge', enough ? durationTitle(ack.medianMinutes) : `not shown (${FEWER_THAN_3} acknowledged)`, ...(p ? [p.acknowledgement.acknowledged >= SUPPRESS_BELOW ? durationTitle(p.acknowledgement.medianMinutes) : `not shown (${FEWER_THAN_3} acknowledged)`] : [])],
        ['90th percentile', enough ? durationTitle(ack.p90Minutes) : `not shown (${FEWER_THAN_3} acknowledged)`, ...(p ? [p.acknowledgement.acknowledged >= SUPPRESS_BELOW ? durationTitle(p.acknowledgement.p90Minutes) : `not shown (${FEWER_THAN_3} acknowledged)`] : [])],
        ['Escalated (not acknowledged in time)', ...both(t.escalations.escalated, p?.escalations.escalated)],
        ...countRows(t.escalations.byLevel, p?.escalations.byLevel).map(([label, ...v]) => [`Escalated as far as: ${label}`, ...v]),
      ],
    },
    {
      id: 'filtering',
      title: 'Filtering and monitoring',
      note: 'Policy §7.3: concerns raised about the school\'s filtering and monitoring systems.',
      columns: columns('Measure'),
      rows: [
        ['Filtering breaches reported', ...both(r.filtering.filteringBreaches, r.previousFiltering?.filteringBreaches)],
        ['Monitoring alerts raised as concerns', ...both(r.filtering.monitoringAlerts, r.previousFiltering?.monitoringAlerts)],
        ...(r.filtering.log ?? []).map((l) => [l.label, l.value, ...(p ? [''] : [])]),
      ],
    },
    {
      id: 'training',
      title: 'Training compliance',
      note: `Staff whose training is current (or due soon, not yet lapsed) on ${dayTitle(r.preparedOn)}, of those each course applies to.`,
      columns: ['Course', 'Staff it applies to', 'Current'],
      rows: r.training.filter((c) => c.required > 0).map((c) => [c.title, String(c.required), percentTitle(c.inDate, c.required)]),
    },
    {
      id: 'aup',
      title: 'Acceptable Use Policy sign-off',
      note: `Signed the current version on ${dayTitle(r.preparedOn)}, of those each document applies to.`,
      columns: ['Document', 'People it applies to', 'Signed the current version'],
      rows: r.aup.filter((d) => d.appliesTo > 0).map((d) => [d.title, String(d.appliesTo), percentTitle(d.signedCurrent, d.appliesTo)]),
    },
  ];
  return { schoolName: r.schoolName, term: r.term, previousTerm: p ? r.previousTerm : undefined, preparedOn: r.preparedOn, rule: SUPPRESSION_RULE, tables };
}
