/** How the case pages write days, times and a case's status. */
import type { CaseListItem } from '../../api/view';

/** A calendar day (YYYY-MM-DD) as "24 Nov 2026": read as UTC, so no time zone can move it a day. */
export function formatDay(day?: string): string {
  if (!day) return '';
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** A moment, in the reader's own time (a school's staff are in the school's time zone). */
export function formatTime(iso?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export const STATUS_TITLES: Record<CaseListItem['status'], string> = {
  open: 'Open, not acknowledged',
  acknowledged: 'Acknowledged',
  closed: 'Closed',
};

export const STATUS_COLOURS: Record<CaseListItem['status'], 'danger' | 'warning' | 'success' | 'informative'> = {
  open: 'warning',
  acknowledged: 'informative',
  closed: 'success',
};

/** The learners of a case in one line: "Alex Morgan (Year 5), a learner in Year 4". */
export function learnersLine(learners: { name: string; yearGroup?: string }[]): string {
  if (!learners.length) return 'No learner named';
  return learners.map((l) => (l.name ? `${l.name}${l.yearGroup ? ` (${l.yearGroup})` : ''}` : `a learner${l.yearGroup ? ` in ${l.yearGroup}` : ''}`)).join(', ');
}
