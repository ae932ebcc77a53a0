/**
 * The tab's pages and who sees each (PRODUCT.md "Who uses it"): the person's roles decide, and the
 * server refuses a page's routes to anyone this says may not see it. Office staff never see concerns;
 * everyone sees their own records.
 */
import { ACCESS_ROLES } from './aup';
import { CASE_ROLES } from './caseAccess';
import { FILTERING_LOG_READERS } from './filteringLog';
import type { Role } from './roles';

export const TAB_PAGES = ['cases', 'register', 'training', 'trends', 'report', 'filtering', 'records', 'raise'] as const;
export type TabPageId = (typeof TAB_PAGES)[number];

export interface TabPage {
  id: TabPageId;
  title: string;
  /** Who sees it; `everyone` is every signed-in person of the school. */
  audience: 'everyone' | Role[];
}

/**
 * Who oversees online safety as a whole, in numbers without names: the DSLs and deputies (§4.2 "monitor
 * online safety incidents to identify gaps and trends" and "report ... to the senior leadership team and
 * Governing Body"), the Online Safety Lead (§4), the Headteacher (§3 "the head teacher will be informed",
 * §4.1 "audit and evaluate online safety practice") and the governors with their Chair (§3 "the named
 * governor for safeguarding will report on a regular basis to the governing body on online safety
 * practice and incidents, including outcomes"). Office staff and technical staff never.
 */
export const OVERSIGHT_ROLES: Role[] = ['dslPrep', 'dslPrePrep', 'deputyDsl', 'onlineSafetyLead', 'headteacher', 'governors', 'chairOfGovernors'];

export const PAGES: Record<TabPageId, TabPage> = {
  // §6: the DSLs, deputies, OSL and Headteacher (the Chair for cases about the Head); office staff never.
  cases: { id: 'cases', title: 'Cases', audience: CASE_ROLES },
  // §7.2 "maintain a record of users who are granted access": kept by the office, read by leadership.
  register: { id: 'register', title: 'AUP register', audience: ACCESS_ROLES },
  // §5.3: kept by the office (the single central record; Ofsted asks to see it), read by the DSLs.
  training: { id: 'training', title: 'Training', audience: ACCESS_ROLES },
  // §3, §4.1, §4.2: counts by category, phase, year group, month and outcome; no names (core/trends.ts).
  trends: { id: 'trends', title: 'Trends', audience: OVERSIGHT_ROLES },
  // §3: the termly report to the governing body, anonymised (core/report.ts).
  report: { id: 'report', title: "Governors' report", audience: OVERSIGHT_ROLES },
  // §7.3.1 and the DfE Filtering and Monitoring Standards: kept by technical staff and the OSL, read by
  // the safeguarding team, the Headteacher and governors (core/filteringLog.ts); office staff never.
  filtering: { id: 'filtering', title: 'Filtering & monitoring', audience: FILTERING_LOG_READERS },
  records: { id: 'records', title: 'My records', audience: 'everyone' },
  // PRODUCT.md §1, §8: any member of staff raises a concern, here as in the chat, and sees their own.
  raise: { id: 'raise', title: 'Raise a concern', audience: ['allStaff'] },
};

export function canSeePage(page: TabPageId, roles: Role[]): boolean {
  const { audience } = PAGES[page];
  return audience === 'everyone' || audience.some((r) => roles.includes(r));
}

/** The pages a person sees, in the navigation's order. */
export function pagesFor(roles: Role[]): TabPageId[] {
  return TAB_PAGES.filter((p) => canSeePage(p, roles));
}

export function isTabPage(id: unknown): id is TabPageId {
  return typeof id === 'string' && (TAB_PAGES as readonly string[]).includes(id);
}
