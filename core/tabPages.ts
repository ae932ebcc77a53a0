/**
 * The tab's pages and who sees each (PRODUCT.md "Who uses it"): the person's roles decide, and the
 * server refuses a page's routes to anyone this says may not see it. Office staff never see concerns;
 * everyone sees their own records.
 */
import { ACCESS_ROLES } from './aup';
import { CASE_ROLES } from './caseAccess';
import { FILTERING_LOG_READERS } from './filteringLog';
import type { Role } from './roles';

export const TAB_PAGES = ['cases', 'register', 'training', 'filtering', 'records'] as const;
export type TabPageId = (typeof TAB_PAGES)[number];

export interface TabPage {
  id: TabPageId;
  title: string;
  /** Who sees it; `everyone` is every signed-in person of the school. */
  audience: 'everyone' | Role[];
}

export const PAGES: Record<TabPageId, TabPage> = {
  // §6: the DSLs, deputies, OSL and Headteacher (the Chair for cases about the Head); office staff never.
  cases: { id: 'cases', title: 'Cases', audience: CASE_ROLES },
  // §7.2 "maintain a record of users who are granted access": kept by the office, read by leadership.
  register: { id: 'register', title: 'AUP register', audience: ACCESS_ROLES },
  // §5.3: kept by the office (the single central record; Ofsted asks to see it), read by the DSLs.
  training: { id: 'training', title: 'Training', audience: ACCESS_ROLES },
  // §7.3.1 and the DfE Filtering and Monitoring Standards: kept by technical staff and the OSL, read by
  // the safeguarding team, the Headteacher and governors (core/filteringLog.ts); office staff never.
  filtering: { id: 'filtering', title: 'Filtering & monitoring', audience: FILTERING_LOG_READERS },
  records: { id: 'records', title: 'My records', audience: 'everyone' },
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
