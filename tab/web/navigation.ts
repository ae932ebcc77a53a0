/**
 * Which page the tab shows. Teams opens a page by its static tab (entityId) or a deep link
 * (subEntityId: "records", or a page and what on it, "register:staff-aup"); outside Teams, in local mode,
 * the address says it (`/tab/?page=records`). Moving between pages keeps the address in step, so a
 * page can be reloaded or linked to.
 */
import { isTabPage, type TabPageId } from '../../core/tabPages';

export interface PageRequest {
  page?: TabPageId;
  /** What on the page (a document, later a case): the part after the colon. */
  sub?: string;
}

/** "records", "register:staff-aup" → the page and what on it; anything else → nothing asked. */
export function readPageRequest(value: string | null | undefined): PageRequest {
  if (!value) return {};
  const [page, ...rest] = value.split(':');
  return isTabPage(page) ? { page, sub: rest.join(':') || undefined } : {};
}

/** The page asked for: a deep link's subEntityId first, then the static tab, then the address. */
export function requestedPage(host: { pageId?: string; subPageId?: string } | undefined, search: string): PageRequest {
  const fromLink = readPageRequest(host?.subPageId);
  if (fromLink.page) return fromLink;
  const fromTab = readPageRequest(host?.pageId);
  if (fromTab.page) return fromTab;
  const params = new URLSearchParams(search);
  return readPageRequest(params.get('page') ? `${params.get('page')}${params.get('sub') ? `:${params.get('sub')}` : ''}` : null);
}

/** The page to open: the one asked for if the person may see it, else their first. */
export function pageToOpen(asked: PageRequest, allowed: TabPageId[]): TabPageId | undefined {
  return asked.page && allowed.includes(asked.page) ? asked.page : allowed[0];
}

/**
 * Keeps the address in step with the page and the place on it shown (other parameters, such as ?theme=,
 * are kept). A move within a page (from the case list to a case) is a new entry, so that the browser's
 * Back returns to where the person was; a move between pages replaces it, as the navigation bar is not history.
 */
export function showInAddress(page: TabPageId, sub?: string, how: 'replace' | 'push' = 'replace'): void {
  const url = new URL(window.location.href);
  url.searchParams.set('page', page);
  if (sub) url.searchParams.set('sub', sub);
  else url.searchParams.delete('sub');
  if (url.href === window.location.href) return;
  if (how === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}
