/**
 * The one place that knows @microsoft/teams-js: starting inside Teams, its theme (and changes to it),
 * the page Teams opened (a static tab's entityId, or a deep link's subEntityId), and the SSO token for
 * the tab's API.
 */
import { app, authentication } from '@microsoft/teams-js';

import { asTheme, type HostTheme } from './theme';

export type { HostTheme };

export interface TeamsHost {
  theme: HostTheme;
  onThemeChange(handler: (theme: HostTheme) => void): void;
  /** The static tab Teams opened (its entityId in the manifest). */
  pageId?: string;
  /** What a deep link asked for within it (its context's subEntityId). */
  subPageId?: string;
  /** A token for the tab's API (Teams caches and refreshes it). */
  token(): Promise<string>;
}

/** Resolves to the host inside Teams, or undefined outside it (app.initialize rejects or never answers). */
export async function startInTeams(timeoutMs = 4000): Promise<TeamsHost | undefined> {
  try {
    await Promise.race([app.initialize(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs))]);
  } catch {
    return undefined;
  }
  const context = await app.getContext();
  app.notifySuccess();
  return {
    theme: asTheme(context.app.theme),
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((t) => handler(asTheme(t))),
    pageId: context.page.id || undefined,
    subPageId: context.page.subPageId || undefined,
    token: () => authentication.getAuthToken(),
  };
}
