/**
 * Links from a card to a page of the tab. In Teams: a deep link to the app's static tab (its entityId
 * is the page's id) with what on the page as the subEntityId; an app from the org catalog is named by
 * its catalog id. In local mode: the tab's own address on this computer. Otherwise there is no link.
 */
import type { TabPageId } from '../core/tabPages';

export interface LinkSettings {
  teamsAppCatalogId?: string;
  localMode: boolean;
  port: number;
}

export function tabLink(settings: LinkSettings, page: TabPageId, sub?: string): string {
  if (settings.teamsAppCatalogId) {
    const context = sub ? `?context=${encodeURIComponent(JSON.stringify({ subEntityId: `${page}:${sub}` }))}` : '';
    return `https://teams.microsoft.com/l/entity/${encodeURIComponent(settings.teamsAppCatalogId)}/${page}${context}`;
  }
  if (settings.localMode && settings.port) return `http://127.0.0.1:${settings.port}/tab/?page=${page}${sub ? `&sub=${encodeURIComponent(sub)}` : ''}`;
  return '';
}
