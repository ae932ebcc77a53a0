/**
 * The whole product with real credentials (so local mode is off) for the tab's API: the real server,
 * Azurite, the Graph and Bot Connector stubs, Teams SSO tokens signed by a local key set served as
 * Entra ID serves its own, and Bot Framework tokens for card presses. Tests call the API as a person.
 */
import { startTokenIssuer, type TokenIssuer } from './botTokens';
import type { TestPerson } from './people';
import { startTabTokenIssuer, type TabTokenIssuer } from './tabTokens';
import { startWorld, TENANT, type World, type WorldOptions } from './world';

export const BOT_APP_ID = '5f0c7a52-3f7e-4f0e-9c1a-6a0e2f7b1c11';

export interface Answer {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export interface TabWorld {
  w: World;
  tab: TabTokenIssuer;
  /** Calls /api/tab<path> as the person (their SSO token), or with no token at all. */
  call(person: TestPerson | undefined, path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Answer>;
  /** What Teams sends when the person presses a card button, with the Bot Framework's token. */
  press(person: TestPerson, verb: string, data: Record<string, unknown>): Promise<{ status: number; body: any }>;
  /** Any invoke Teams sends (a typeahead's `application/search`...), with the Bot Framework's token. */
  invoke(person: TestPerson, name: string, value: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startTabWorld(opts: WorldOptions = {}): Promise<TabWorld> {
  const bot: TokenIssuer = await startTokenIssuer();
  let tab: TabTokenIssuer | undefined;
  let w: World;
  try {
    tab = await startTabTokenIssuer();
    w = await startWorld({
      ...opts,
      env: { ...tab.env, MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: 'not-used', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT, HOST: '127.0.0.1', BOT_OPENID_METADATA_URL: bot.metadataUrl, ...opts.env },
    });
  } catch (err) {
    // startWorld stops what it started; the token issuers are this function's to stop.
    await Promise.allSettled([bot.close(), tab?.close()]);
    throw err;
  }
  return tabWorldOn(w, bot, tab);
}

function tabWorldOn(w: World, bot: TokenIssuer, tab: TabTokenIssuer): TabWorld {
  const invoke = async (person: TestPerson, name: string, value: unknown) => {
    const token = await bot.sign({ aud: BOT_APP_ID, serviceurl: w.connector.url, appid: 'botframework-connector' });
    const r = await w.post(w.activity(person, { type: 'invoke', name, value }), { authorization: `Bearer ${token}` });
    const body = r.text ? JSON.parse(r.text) : undefined;
    if (body?.type === 'application/vnd.microsoft.card.adaptive') w.cards.push(body.value);
    return { status: r.status, body };
  };
  return {
    w,
    tab,
    async call(person, path, init = {}) {
      const token = person ? await tab.sign(person) : undefined;
      const res = await fetch(`${w.url}/api/tab${path}`, {
        method: init.method ?? 'GET',
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      });
      const text = await res.text();
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* CSV or NDJSON */
      }
      return { status: res.status, body, text, headers: res.headers };
    },
    press(person, verb, data) {
      return invoke(person, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb, data } });
    },
    invoke,
    async stop() {
      await w.stop();
      await Promise.all([bot.close(), tab.close()]);
    },
  };
}
