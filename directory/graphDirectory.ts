/**
 * The one place that knows @microsoft/microsoft-graph-client. Role groups are read with
 * transitiveMembers (nested groups count), following @odata.nextLink across pages.
 *
 * Permissions (application): GroupMember.Read.All for the role groups;
 * TeamsAppInstallation.ReadWriteForUser.All to install the bot for a recipient who never opened it;
 * EduRoster.Read.All (optional) for learners from School Data Sync.
 */
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { TokenCredential } from '@azure/identity';
import type { Person, Role, RoleMembers } from '../core/roles';
import { DirectoryUnavailableError, type ActivityNotification, type Directory, type DirectoryLearner } from './directory';

export const GRAPH_HOST = 'https://graph.microsoft.com';

/**
 * Sends Graph requests to another host (a test stub) while the client still believes it talks to
 * graph.microsoft.com, so its auth header, paging and retries behave exactly as in production.
 */
class RewriteHostMiddleware implements Middleware {
  private next?: Middleware;
  constructor(private readonly target: string, private readonly timeoutMs: number) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    if (typeof context.request === 'string' && this.target !== GRAPH_HOST && context.request.startsWith(GRAPH_HOST)) {
      context.request = this.target + context.request.slice(GRAPH_HOST.length);
    }
    context.options = { ...(context.options ?? {}), signal: AbortSignal.timeout(this.timeoutMs) };
    await this.next!.execute(context);
  }
}

export interface GraphSettings {
  credential: TokenCredential;
  /** Defaults to https://graph.microsoft.com; tests point it at a local stub. */
  baseUrl?: string;
  timeoutMs?: number;
  groups: Partial<Record<Role, string>>;
  /** The app's id in the org's Teams app catalog (for proactive installs). */
  teamsAppCatalogId?: string;
  /** The identity Teams accepts activity-feed notifications from (the tab's sign-in app), if not the main one. */
  notifyCredential?: TokenCredential;
}

export function createGraphClient(settings: Pick<GraphSettings, 'credential' | 'baseUrl' | 'timeoutMs'>): Client {
  const auth = new AuthenticationHandler(
    new TokenCredentialAuthenticationProvider(settings.credential, { scopes: ['https://graph.microsoft.com/.default'] }),
  );
  const chain: Middleware[] = [
    auth,
    new RetryHandler(new RetryHandlerOptions(1, 2)),
    new RedirectHandler(),
    new TelemetryHandler(),
    new RewriteHostMiddleware((settings.baseUrl ?? GRAPH_HOST).replace(/\/$/, ''), settings.timeoutMs ?? 5000),
    new HTTPMessageHandler(),
  ];
  for (let i = 0; i < chain.length - 1; i++) (chain[i] as { setNext?: (m: Middleware) => void }).setNext?.(chain[i + 1]);
  return Client.initWithMiddleware({ middleware: chain[0], defaultVersion: 'v1.0' });
}

interface GraphUser {
  id: string;
  displayName?: string;
  mail?: string | null;
  userPrincipalName?: string;
}

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

/** Graph's mail when the user has a mailbox, else the sign-in name when it is an address. */
function emailOf(u: GraphUser): { email?: string } {
  const email = u.mail || (u.userPrincipalName?.includes('@') ? u.userPrincipalName : undefined);
  return email ? { email: email.toLowerCase() } : {};
}

export class GraphDirectory implements Directory {
  readonly source = 'microsoft365' as const;
  private readonly client: Client;
  private readonly notifyClient: Client;
  constructor(private readonly settings: GraphSettings) {
    this.client = createGraphClient(settings);
    this.notifyClient = settings.notifyCredential ? createGraphClient({ ...settings, credential: settings.notifyCredential }) : this.client;
  }

  async membersOf(roles: Role[]): Promise<RoleMembers> {
    const out: RoleMembers = {};
    try {
      await Promise.all(
        roles.map(async (role) => {
          const groupId = this.settings.groups[role];
          out[role] = groupId ? await this.groupMembers(groupId) : [];
        }),
      );
    } catch (err) {
      throw new DirectoryUnavailableError(`Microsoft Graph could not be reached: ${(err as Error).message}`);
    }
    return out;
  }

  private async groupMembers(groupId: string): Promise<Person[]> {
    const first = (await this.client
      .api(`/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user`)
      .select(['id', 'displayName', 'mail', 'userPrincipalName'])
      .top(999)
      .get()) as Page<GraphUser>;
    return (await this.allPages(first)).map((u) => ({ id: u.id, displayName: u.displayName ?? u.id, ...emailOf(u) }));
  }

  /** Every item of a paged answer, following @odata.nextLink. */
  private async allPages<T>(first: Page<T>): Promise<T[]> {
    const items: T[] = [];
    let page = first;
    for (let pages = 0; ; pages++) {
      items.push(...(page.value ?? []));
      const next = page['@odata.nextLink'];
      if (!next || pages > 1000) break;
      page = (await this.client.api(next).get()) as Page<T>;
    }
    return items;
  }

  /** Learners from School Data Sync; undefined when the tenant has no education data (403/404). */
  async learners(): Promise<DirectoryLearner[] | undefined> {
    try {
      const first = (await this.client
        .api('/education/users')
        .filter("primaryRole eq 'student'")
        .select(['id', 'displayName', 'student'])
        .top(999)
        .get()) as Page<GraphUser & { student?: { grade?: string } }>;
      return (await this.allPages(first)).map((u) => ({ id: u.id, displayName: u.displayName ?? u.id, grade: u.student?.grade }));
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 403 || status === 404 || status === 400) return undefined;
      throw new DirectoryUnavailableError(`Microsoft Graph could not be reached: ${(err as Error).message}`);
    }
  }

  async installBotFor(userId: string): Promise<string | undefined> {
    const installation = await this.installation(userId, true);
    if (!installation) return undefined;
    const chat = (await this.client.api(`${this.installedApps(userId)}/${encodeURIComponent(installation)}/chat`).get()) as { id: string };
    return chat.id;
  }

  private installedApps(userId: string): string {
    return `/users/${encodeURIComponent(userId)}/teamwork/installedApps`;
  }

  /** The id of the app's installation in the person's personal scope, installing it if asked. */
  private async installation(userId: string, install: boolean): Promise<string | undefined> {
    const appId = this.settings.teamsAppCatalogId;
    if (!appId) return undefined;
    const base = this.installedApps(userId);
    if (install) {
      try {
        await this.client.api(base).post({ 'teamsApp@odata.bind': `${GRAPH_HOST}/v1.0/appCatalogs/teamsApps/${appId}` });
      } catch (err) {
        // 409: already installed for this person, which is what we want.
        if ((err as { statusCode?: number }).statusCode !== 409) throw err;
      }
    }
    const installed = (await this.client.api(base).expand('teamsApp').filter(`teamsApp/id eq '${appId}'`).get()) as Page<{ id: string }>;
    return installed.value?.[0]?.id;
  }

  /**
   * TeamsActivity.Send: an activity-feed notification. With a deep link, its topic is that link (a
   * `text` topic, which Teams opens at the tab's page); otherwise the app's personal installation. Either
   * way the app must be installed for the person (Teams refuses notifications for apps they lack).
   */
  async notifyActivity(userId: string, n: ActivityNotification): Promise<boolean> {
    const installation = await this.installation(userId, true);
    if (!installation) return false;
    await this.notifyClient.api(`/users/${encodeURIComponent(userId)}/teamwork/sendActivityNotification`).post({
      topic: n.webUrl
        ? { source: 'text', value: `Online-safety concern ${n.reference}`, webUrl: n.webUrl }
        : { source: 'entityUrl', value: `${GRAPH_HOST}/v1.0${this.installedApps(userId)}/${installation}` },
      activityType: n.activityType,
      previewText: { content: n.preview },
      templateParameters: [{ name: 'reference', value: n.reference }],
    });
    return true;
  }
}
