/**
 * The Training page's filters and sorting over the matrix the API sends (tab/api/view.ts). The filters
 * mean what GET /training.csv means by the same query, so an export holds the rows the page shows.
 */
import { ROLES, type Role } from '../../../core/roles';
import { TRAINING_STATUS_TITLES, type CourseStatus, type TrainingStatus } from '../../../core/training';
import type { TrainingMatrixView } from '../../api/view';

export type MatrixRow = TrainingMatrixView['rows'][number];

export interface TrainingFilter {
  courseId?: string;
  status?: TrainingStatus;
  role?: Role;
  search?: string;
}

export type TrainingSort = 'name' | 'nameDescending' | 'status' | 'statusDescending';

export const SORT_TITLES: Record<TrainingSort, string> = {
  name: 'Name, A to Z',
  nameDescending: 'Name, Z to A',
  status: 'Status, most urgent first',
  statusDescending: 'Status, least urgent first',
};

/** Most urgent first: what the office chases. */
const URGENCY: Record<TrainingStatus, number> = { overdue: 0, never: 1, dueSoon: 2, current: 3, notRequired: 4 };

/** The course columns shown: the one chosen, or all. */
export function shownCourses(view: TrainingMatrixView, courseId: string | undefined): number[] {
  const index = courseId ? view.courses.findIndex((c) => c.id === courseId) : -1;
  return index >= 0 ? [index] : view.courses.map((_, i) => i);
}

/** The roles anyone on the matrix holds, in the setup's order. */
export function rolesHeld(rows: readonly MatrixRow[]): Role[] {
  const held = new Set<Role>();
  for (const r of rows) for (const role of r.person.roles) held.add(role);
  return ROLES.filter((r) => held.has(r));
}

/** As the CSV export filters: name contains the search, holds the role, some shown course has the status. */
export function filterMatrix(rows: readonly MatrixRow[], columns: readonly number[], filter: TrainingFilter): MatrixRow[] {
  const needle = (filter.search ?? '').trim().toLowerCase();
  return rows.filter((r) => {
    if (needle && !r.person.name.toLowerCase().includes(needle)) return false;
    if (filter.role && !r.person.roles.includes(filter.role)) return false;
    if (filter.status && !columns.some((i) => r.cells[i].status === filter.status)) return false;
    return true;
  });
}

/** By name, or by the most urgent status among the courses shown (then by name). */
export function sortMatrix(rows: readonly MatrixRow[], columns: readonly number[], sort: TrainingSort): MatrixRow[] {
  const byName = (a: MatrixRow, b: MatrixRow) => a.person.name.localeCompare(b.person.name, 'en-GB');
  if (sort === 'name') return [...rows].sort(byName);
  if (sort === 'nameDescending') return [...rows].sort((a, b) => byName(b, a));
  const urgency = new Map(rows.map((r) => [r, Math.min(...columns.map((i) => URGENCY[r.cells[i].status]))]));
  const sign = sort === 'status' ? 1 : -1;
  return [...rows].sort((a, b) => sign * (urgency.get(a)! - urgency.get(b)!) || byName(a, b));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2 Sep 2026" for 2026-09-02: a school day, read as written (no time zone can move it). */
export function formatDay(day: string | undefined): string {
  const m = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  return m ? `${+m[3]} ${MONTHS[+m[2] - 1]} ${m[1]}` : (day ?? '');
}

/** "23 Nov 2026, 10:04" for a moment (when something was recorded or changed). */
export function formatMoment(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** The short line under a status: when it is due, or when it was done. */
export function cellDetail(c: CourseStatus): string {
  switch (c.status) {
    case 'overdue':
      return c.dueOn ? `was due ${formatDay(c.dueOn)}` : '';
    case 'dueSoon':
      return c.dueOn ? `due by ${formatDay(c.dueOn)}` : '';
    case 'never':
      return 'due now';
    case 'current':
    case 'notRequired':
      return c.lastCompletedOn ? `done ${formatDay(c.lastCompletedOn)}` : '';
  }
}

/** The whole story of a cell, for its title and for screen readers. */
export function cellTitle(c: CourseStatus, courseTitles: ReadonlyMap<string, string>): string {
  const parts = [TRAINING_STATUS_TITLES[c.status]];
  if (c.lastCompletedOn) parts.push(`last done ${formatDay(c.lastCompletedOn)}${c.lastCompletedAs ? ` (as ${courseTitles.get(c.lastCompletedAs) ?? c.lastCompletedAs})` : ''}`);
  if (c.dueOn) parts.push(c.status === 'overdue' ? `was due ${formatDay(c.dueOn)}` : `next due ${formatDay(c.dueOn)}`);
  if (c.status === 'never') parts.push('due now');
  if (c.awaitingConfirmation) parts.push(`a self-report of ${formatDay(c.awaitingConfirmation)} is awaiting confirmation`);
  return parts.join('; ');
}
