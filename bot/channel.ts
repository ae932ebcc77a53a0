/**
 * The one place that knows botbuilder: receiving activities on /api/messages and reaching people
 * proactively. Moving to the Microsoft 365 Agents SDK means rewriting this file.
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
import type { AuthenticateRequestResult } from 'botframework-connector';
import type { Request, Response } from 'express';
import type { AdaptiveCard } from './cards';

export type ConversationRef = Partial<ConversationReference>;

export interface BotCredentials {
  appId: string;
  password?: string;
  appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  tenantId?: string;
}

export interface ChannelSettings {
  credentials?: BotCredentials;
  /** Overrides for tests: where the Bot Framework's signing keys are published. */
  openIdMetadataUrl?: string;
  tokenIssuer?: string;
}

export class ChannelError extends Error {
  constructor(message: string, readonly status?: number, readonly retryAfterSeconds?: number) {
    super(message);
  }
}

/** Exposes the adapter's activity processing so that authentication failures are ours to answer. */
class TeamsAdapter extends CloudAdapter {
  run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(auth, activity, logic);
  }
}

export class TeamsChannel {
  readonly adapter: TeamsAdapter;
  private readonly auth: ConfigurationBotFrameworkAuthentication;
  readonly appId: string;

  constructor(settings: ChannelSettings) {
    const c = settings.credentials;
    this.appId = c?.appId ?? '';
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
    this.auth = new ConfigurationBotFrameworkAuthentication(overrides, credentialsFactory);
    this.adapter = new TeamsAdapter(this.auth);
    this.adapter.onTurnError = async (_context, error) => {
      throw error;
    };
  }

  /**
   * Runs one incoming request. Its Bot Framework token is checked first: any failure (missing, forged,
   * expired, wrong audience or issuer) is a 401 and nothing runs. Without credentials (local mode)
   * botbuilder accepts unauthenticated requests; the server then listens on loopback only.
   */
  async process(req: Request, res: Response, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = req.body as Activity;
    const header = req.headers.authorization ?? '';
    let auth: AuthenticateRequestResult;
    try {
      auth = await this.auth.authenticateRequest(activity, header);
    } catch {
      res.status(401).json({ error: 'Unauthorized: a valid Bot Framework token is required.' });
      return;
    }
    const invokeResponse = await this.adapter.run(auth, activity, logic);
    res.status(invokeResponse?.status ?? 200);
    if (invokeResponse?.body !== undefined) res.json(invokeResponse.body);
    else res.end();
  }

  static referenceOf(activity: Activity): ConversationRef {
    return TurnContext.getConversationReference(activity);
  }

  private async withConversation<T>(ref: ConversationRef, work: (ctx: TurnContext) => Promise<T>): Promise<T> {
    let result: T | undefined;
    try {
      await this.adapter.continueConversationAsync(this.appId, ref, async (ctx) => {
        result = await work(ctx);
      });
    } catch (err) {
      throw toChannelError(err);
    }
    return result as T;
  }

  async sendCard(ref: ConversationRef, card: AdaptiveCard, summary: string): Promise<string> {
    return this.withConversation(ref, async (ctx) => {
      const r = await ctx.sendActivity({ type: ActivityTypes.Message, summary, attachments: [CardFactory.adaptiveCard(card)] });
      return r?.id ?? '';
    });
  }

  async updateCard(ref: ConversationRef, activityId: string, card: AdaptiveCard): Promise<void> {
    await this.withConversation(ref, async (ctx) => {
      await ctx.updateActivity({ type: ActivityTypes.Message, id: activityId, attachments: [CardFactory.adaptiveCard(card)] });
    });
  }

  async sendText(ref: ConversationRef, text: string): Promise<string> {
    return this.withConversation(ref, async (ctx) => (await ctx.sendActivity(text))?.id ?? '');
  }

  /** Opens a 1:1 conversation with a person through the connector (used where Graph cannot install). */
  async createPersonalConversation(serviceUrl: string, tenantId: string, userId: string): Promise<ConversationRef> {
    let ref: ConversationRef | undefined;
    try {
      await this.adapter.createConversationAsync(
        this.appId,
        'msteams',
        serviceUrl,
        'https://api.botframework.com',
        { isGroup: false, bot: { id: this.appId ? `28:${this.appId}` : 'bot', name: 'bot' }, members: [{ id: userId, name: '' }], tenantId, channelData: { tenant: { id: tenantId } } } as never,
        async (ctx) => {
          ref = TurnContext.getConversationReference(ctx.activity);
        },
      );
    } catch (err) {
      throw toChannelError(err);
    }
    if (!ref) throw new ChannelError('the connector did not return a conversation');
    return ref;
  }
}

function toChannelError(err: unknown): ChannelError {
  if (err instanceof ChannelError) return err;
  const e = err as { statusCode?: number; response?: { status?: number; headers?: { get?: (k: string) => string | null } }; message?: string };
  const status = e.statusCode ?? e.response?.status;
  const retryAfter = Number(e.response?.headers?.get?.('retry-after'));
  return new ChannelError(e.message ?? String(err), status, Number.isFinite(retryAfter) ? retryAfter : undefined);
}
