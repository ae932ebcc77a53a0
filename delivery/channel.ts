/**
 * The one place that knows botbuilder: receiving activities on /api/messages (with the Bot Framework
 * token check) and reaching people proactively. Everything else sees plain data: an IncomingActivity
 * in, a TurnReply out, a ConversationRef to write to. Moving to the Microsoft 365 Agents SDK means
 * rewriting this file.
 */
import {
  ActivityTypes,
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  TurnContext,
  type Activity,
  type ConversationReference,
} from 'botbuilder';
import type { AuthenticateRequestResult, ConnectorClient, ConnectorFactory } from 'botframework-connector';
import type { Request, Response } from 'express';
import type { BotCredentials } from '../config/settings';
import type { Log } from '../runtime/log';
import type { ConversationRef } from '../store/conversationStore';
import { checkActivity } from './activityShape';
import type { AdaptiveCard } from './cards';

export interface ChannelSettings {
  credentials?: BotCredentials;
  /** Overrides for tests: where the Bot Framework's signing keys are published. */
  openIdMetadataUrl?: string;
  tokenIssuer?: string;
  /** Every call to the Bot Connector gives up after this long (a hung call must not hold the outbox). */
  timeoutMs?: number;
}

export class ChannelError extends Error {
  constructor(message: string, readonly status?: number, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

/** The bot's answer to an activity could not be sent to the Bot Connector (unreachable, or it refused). */
export class ReplyNotDelivered extends ChannelError {
  constructor(connector: ChannelError) {
    super(`the reply could not be sent to the Bot Connector: ${connector.message}`, connector.status, connector.retryAfterSeconds);
  }
}

/** An activity Teams sent, as the rest of the product sees it. Attachments are known by type only. */
export interface IncomingActivity {
  type: string;
  name?: string;
  text: string;
  value: unknown;
  channelId: string;
  serviceUrl: string;
  /** The message a card action was pressed on. */
  replyToId?: string;
  from: { id: string; name: string; aadObjectId?: string };
  conversation: { id: string; type?: string; tenantId: string };
  recipientId: string;
  membersAdded: string[];
  attachmentTypes: string[];
  /** Where to reach this person again. */
  reference: ConversationRef;
}

export interface OutgoingMessage {
  text?: string;
  card?: AdaptiveCard;
  /** Shown in notifications and the chat list instead of "Card". */
  summary?: string;
}

/** What the bot answers: messages in the conversation, and for an invoke the response Teams waits for. */
export interface TurnReply {
  messages?: OutgoingMessage[];
  invokeResponse?: { status: number; body: unknown };
}

export type TurnHandler = (activity: IncomingActivity) => Promise<TurnReply>;

/** Exposes the adapter's activity processing so that authentication failures are ours to answer. */
class TeamsAdapter extends CloudAdapter {
  run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(auth, activity, logic);
  }
}

/**
 * botframework-connector prints the signing key and a stack trace to the console for every token it
 * refuses (expired, unknown key): an unauthenticated caller could flood the log. We log one line per
 * refusal ourselves, so those two prints are dropped; nothing else printed is touched.
 */
function silenceTokenRefusalPrints(): void {
  const marker = Symbol.for('online-safety.quietTokenPrints');
  const global = globalThis as Record<symbol, unknown>;
  if (global[marker]) return;
  global[marker] = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const first = args[0];
    if (typeof first === 'string' && first.startsWith('Error finding key for token.')) return;
    if (first instanceof Error && first.name === 'TokenExpiredError') return;
    original(...args);
  };
}

function toIncoming(a: Activity): IncomingActivity {
  const channelTenant = (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return {
    type: a.type,
    name: a.name,
    text: a.text ?? '',
    value: a.value,
    channelId: a.channelId ?? '',
    serviceUrl: a.serviceUrl ?? '',
    replyToId: a.replyToId,
    from: { id: a.from?.id ?? '', name: a.from?.name ?? '', aadObjectId: a.from?.aadObjectId },
    conversation: { id: a.conversation?.id ?? '', type: a.conversation?.conversationType, tenantId: a.conversation?.tenantId ?? channelTenant ?? '' },
    recipientId: a.recipient?.id ?? '',
    membersAdded: (a.membersAdded ?? []).map((m) => m.id),
    attachmentTypes: (a.attachments ?? []).map((att) => att.contentType),
    reference: plainReference(TurnContext.getConversationReference(a)),
  };
}

function plainReference(ref: Partial<ConversationReference>): ConversationRef {
  const { activityId: _ignored, ...stable } = ref;
  return JSON.parse(JSON.stringify(stable)) as ConversationRef;
}

export class TeamsChannel {
  private readonly adapter: TeamsAdapter;
  private readonly auth: ConfigurationBotFrameworkAuthentication;
  readonly appId: string;
  private readonly timeoutMs: number;

  constructor(settings: ChannelSettings, private readonly log: Log) {
    silenceTokenRefusalPrints();
    const c = settings.credentials;
    this.appId = c?.appId ?? '';
    this.timeoutMs = settings.timeoutMs ?? 10_000;
    const credentialsFactory = new ConfigurationServiceClientCredentialFactory({
      MicrosoftAppId: c?.appId,
      MicrosoftAppPassword: c?.password,
      MicrosoftAppType: c?.appType ?? 'MultiTenant',
      MicrosoftAppTenantId: c?.tenantId,
    });
    // Overriding any one endpoint makes botbuilder take every one as given, so the public cloud's
    // values are spelled out beside the override.
    const overrides = settings.openIdMetadataUrl
      ? {
          ToBotFromChannelOpenIdMetadataUrl: settings.openIdMetadataUrl,
          ToBotFromChannelTokenIssuer: settings.tokenIssuer ?? 'https://api.botframework.com',
          ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
          ToChannelFromBotOAuthScope: 'https://api.botframework.com',
          OAuthUrl: 'https://api.botframework.com',
          ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration',
          CallerId: 'urn:botframework:azure',
          ValidateAuthority: true,
        }
      : {};
    this.auth = withSharedClients(new ConfigurationBotFrameworkAuthentication(overrides, credentialsFactory));
    this.adapter = new TeamsAdapter(this.auth);
    this.adapter.onTurnError = async (_context, error) => {
      throw error;
    };
  }

  /**
   * Runs one incoming request. The activity's shape is checked first (activityShape.ts: a 400 naming
   * each wrong field), then its Bot Framework token: any failure (missing, forged, expired, wrong
   * audience or issuer) is a 401, one log line, and nothing runs. Without credentials (local mode)
   * botbuilder accepts unauthenticated requests; the server then listens on loopback only. A reply the
   * Bot Connector cannot take throws ReplyNotDelivered (the route answers 502).
   */
  async process(req: Request, res: Response, handler: TurnHandler): Promise<void> {
    const checked = checkActivity(req.body);
    if (!checked.ok) {
      res.status(400).json({ error: checked.error, ...(checked.problems.length ? { details: checked.problems } : {}) });
      return;
    }
    const activity = checked.activity as Partial<Activity> as Activity;
    let auth: AuthenticateRequestResult;
    try {
      auth = await this.auth.authenticateRequest(activity, req.headers.authorization ?? '');
    } catch (err) {
      this.log.warn('bot token refused', { reason: String((err as Error).message ?? err).slice(0, 120) });
      res.status(401).json({ error: 'Unauthorized: a valid Bot Framework token is required.' });
      return;
    }
    const invokeResponse = await this.adapter.run(auth, activity, async (ctx) => {
      const reply = await handler(toIncoming(ctx.activity));
      for (const m of reply.messages ?? []) {
        // The answer goes back through the Bot Connector: its failure is the connector's, not ours.
        await ctx.sendActivity(toActivity(m)).catch((err: unknown) => {
          throw new ReplyNotDelivered(toChannelError(err));
        });
      }
      if (reply.invokeResponse) await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: reply.invokeResponse });
    });
    res.status(invokeResponse?.status ?? 200);
    if (invokeResponse?.body !== undefined) res.json(invokeResponse.body);
    else res.end();
  }

  /** Runs `work` in a person's conversation, giving up after the channel's timeout. */
  private async withConversation<T>(ref: ConversationRef, work: (ctx: TurnContext) => Promise<T>): Promise<T> {
    let result: T | undefined;
    const call = this.adapter.continueConversationAsync(this.appId, ref as Partial<ConversationReference>, async (ctx) => {
      result = await work(ctx);
    });
    try {
      await withTimeout(call, this.timeoutMs);
    } catch (err) {
      throw toChannelError(err);
    }
    return result as T;
  }

  async sendCard(ref: ConversationRef, card: AdaptiveCard, summary: string): Promise<string> {
    return this.withConversation(ref, async (ctx) => (await ctx.sendActivity(toActivity({ card, summary })))?.id ?? '');
  }

  async updateCard(ref: ConversationRef, activityId: string, card: AdaptiveCard): Promise<void> {
    await this.withConversation(ref, async (ctx) => {
      await ctx.updateActivity({ ...toActivity({ card }), id: activityId });
    });
  }

  async sendText(ref: ConversationRef, text: string): Promise<string> {
    return this.withConversation(ref, async (ctx) => (await ctx.sendActivity(text))?.id ?? '');
  }

  /** Opens a 1:1 conversation with a person through the connector (used where Graph cannot install). */
  async createPersonalConversation(serviceUrl: string, tenantId: string, userId: string): Promise<ConversationRef> {
    let ref: ConversationRef | undefined;
    const call = this.adapter.createConversationAsync(
      this.appId,
      'msteams',
      serviceUrl,
      'https://api.botframework.com',
      { isGroup: false, bot: { id: this.botId(), name: 'bot' }, members: [{ id: userId, name: '' }], tenantId, channelData: { tenant: { id: tenantId } } } as never,
      async (ctx) => {
        ref = plainReference(TurnContext.getConversationReference(ctx.activity));
      },
    );
    try {
      await withTimeout(call, this.timeoutMs);
    } catch (err) {
      throw toChannelError(err);
    }
    if (!ref) throw new ChannelError('the connector did not return a conversation');
    return ref;
  }

  /** The bot's id in Teams conversations. */
  botId(): string {
    return this.appId ? `28:${this.appId}` : 'bot';
  }
}

/** Clients kept: one per (app, service URL, audience); Teams has a handful of service URLs. */
const MAX_CLIENTS = 64;

/**
 * One promise per key, made on first use and kept (the oldest dropped past MAX_CLIENTS). One that fails
 * (credentials refused) is dropped, so that the next call tries again.
 */
function keptByKey<T>(): (key: string, make: () => Promise<T>) => Promise<T> {
  const kept = new Map<string, Promise<T>>();
  return (key, make) => {
    const known = kept.get(key);
    if (known) return known;
    const made = make();
    made.catch(() => kept.delete(key));
    if (kept.size >= MAX_CLIENTS) kept.delete(kept.keys().next().value as string);
    kept.set(key, made);
    return made;
  };
}

/**
 * The connector clients this authentication makes, changed in two ways.
 *
 * No hidden retries for cards sent from outside a turn: the client's HTTP pipeline retries 5xx, 429
 * and network errors by itself (up to 3 times, for seconds), and a call given up by our timeout is not
 * stopped: it could deliver a card after the outbox had already marked it failed and sent it again, so
 * the DSL got it twice (found by `npm run faults`). The outbox is the one place that retries, with its
 * lease, Retry-After and back-off. (A turn's own replies keep botbuilder's retries.)
 *
 * Made once, not per turn: botbuilder builds a new connector client and a new user-token client
 * (credentials, HTTP pipeline) for every activity received and every card sent, about a millisecond
 * of CPU each (`npm run bench:concerns` profile). A client holds no state of a turn, and its
 * credentials cache the app's token, so one per (app id, service URL, audience) serves them all. Both
 * ways botbuilder gets a connector factory are covered: `createConnectorFactory` (cards sent from
 * outside a turn) and the factory `authenticateRequest` makes for each activity received.
 */
function withSharedClients(auth: ConfigurationBotFrameworkAuthentication): ConfigurationBotFrameworkAuthentication {
  const connectorClient = keptByKey<ConnectorClient>();
  /** `retries`: whether the client's own pipeline retries (kept for a turn's replies, as botbuilder has it). */
  const shared = <F extends ConnectorFactory>(factory: F, retries: boolean): F => {
    const create = factory.create.bind(factory);
    const appId = String((factory as unknown as { appId?: string }).appId ?? '');
    factory.create = (serviceUrl, audience) =>
      connectorClient(`${retries ? 'turn' : 'sends'}|${appId}|${serviceUrl}|${audience ?? ''}`, () =>
        create(serviceUrl, audience).then((client) => {
          const pipeline = (client as unknown as { client?: { pipeline?: { removePolicy(o: { phase: string }): unknown } } }).client?.pipeline;
          if (!retries) pipeline?.removePolicy({ phase: 'Retry' });
          return client;
        }),
      );
    return factory;
  };
  const createFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (identity) => shared(createFactory(identity), false);
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = (activity, authHeader) =>
    authenticate(activity, authHeader).then((result) => (result.connectorFactory ? { ...result, connectorFactory: shared(result.connectorFactory, true) } : result));
  // The user-token client (sign-in cards, which this bot does not use) is also made for every turn.
  const tokenClient = keptByKey<Awaited<ReturnType<typeof auth.createUserTokenClient>>>();
  const createTokenClient = auth.createUserTokenClient.bind(auth);
  auth.createUserTokenClient = (identity) => tokenClient(String(identity.getClaimValue('aud') ?? identity.getClaimValue('appid') ?? ''), () => createTokenClient(identity));
  return auth;
}

function toActivity(m: OutgoingMessage): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.summary ? { summary: m.summary } : {}),
    ...(m.card ? { attachments: [CardFactory.adaptiveCard(m.card)] } : {}),
  };
}

/** Rejects after `ms`; the call itself may still finish later (its result is then ignored). */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChannelError(`the Bot Connector did not answer within ${Math.round(ms / 1000)} s`, 504)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function toChannelError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  const e = err as { statusCode?: number; response?: { status?: number; headers?: { get?: (k: string) => string | null } }; message?: string };
  const status = e.statusCode ?? e.response?.status;
  const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
  return new ChannelError(e.message ?? String(err), status, Number.isFinite(retryAfter) ? retryAfter : undefined);
}
