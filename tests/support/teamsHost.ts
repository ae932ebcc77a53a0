/**
 * Teams around the tab, for browser tests: a page that frames /tab/ and answers the tab's teams-js as
 * Teams does (initialize, getContext with the static tab's entityId and a deep link's subEntityId,
 * getAuthToken with an SSO token the test signed). It is served on the tab's own origin (teams-js
 * accepts messages from there; Teams' own origins need https), by the browser itself (a Playwright
 * route): the server never serves it. Only what the tab asks for is answered; the rest is ignored,
 * as a host ignores what it does not support.
 */
import type { FrameLocator, Page } from 'playwright-core';

export interface TeamsContext {
  /** The static tab opened (its entityId in the manifest): "cases". */
  entityId: string;
  /** What a deep link asked for on it: "cases:SMP-2026-0001". */
  subEntityId?: string;
  /** An SSO token for the tab's API, as authentication.getAuthToken() would give it. */
  token: string;
  userObjectId: string;
  tenantId: string;
}

/** What Teams says it supports: enough for app, authentication and pages. */
const RUNTIME = { apiVersion: 4, isLegacyTeams: false, hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } }, supports: { app: {}, appInitialization: {}, authentication: {}, pages: { config: {}, tabs: {}, appButton: {}, backStack: {} }, teamsCore: {} } };

function hostPage(tabUrl: string, context: TeamsContext): string {
  const answers = {
    initialize: ['content', 'web', JSON.stringify(RUNTIME), '2.58.0'],
    getContext: [{ entityId: context.entityId, subEntityId: context.subEntityId, frameContext: 'content', hostClientType: 'web', hostName: 'Teams', theme: 'default', locale: 'en-gb', tid: context.tenantId, userObjectId: context.userObjectId }],
    'authentication.getAuthToken': [true, context.token],
  };
  return `<!doctype html><html><head><title>Microsoft Teams (test host)</title></head>
<body style="margin:0"><iframe id="tab" title="Online safety" src="${tabUrl}" style="border:0;width:100vw;height:100vh"></iframe>
<script>
const answers = ${JSON.stringify(answers)};
window.addEventListener('message', (e) => {
  const m = e.data;
  if (!m || typeof m.func !== 'string' || !(m.func in answers)) return;
  e.source.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args: answers[m.func] }, e.origin);
});
</script></body></html>`;
}

/** Opens the tab as Teams would (a static tab, or a deep link into it); the tab's frame. */
export async function openInTeams(page: Page, serverUrl: string, context: TeamsContext): Promise<FrameLocator> {
  const hostUrl = `${serverUrl}/teams-test-host.html`;
  await page.route(hostUrl, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: hostPage(`${serverUrl}/tab/`, context) }));
  await page.goto(hostUrl);
  return page.frameLocator('iframe#tab');
}

/** The subEntityId of a Teams deep link (https://teams.microsoft.com/l/entity/<app>/<entityId>?context=...), and its entityId. */
export function deepLinkContext(link: string): { entityId: string; subEntityId?: string } {
  const url = new URL(link);
  const [, , , , entityId] = url.pathname.split('/'); // "", "l", "entity", app id, entityId
  const context = url.searchParams.get('context');
  return { entityId: decodeURIComponent(entityId), subEntityId: context ? (JSON.parse(context) as { subEntityId?: string }).subEntityId : undefined };
}
