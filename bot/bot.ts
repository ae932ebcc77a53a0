/**
 * Activity routing: what arrives on /api/messages and which handler answers it. Card actions are
 * Universal Actions (Action.Execute), routed by verb to one small handler each.
 */
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import { CATEGORIES } from '../core/categories';
import { noticeCard, startCard } from './cards';
import { TeamsChannel } from './channel';
import { acknowledge } from './handlers/acknowledge';
import { closeCase, reopenCase } from './handlers/closeCase';
import { hideCase, openCase } from './handlers/openCase';
import { reassign } from './handlers/reassign';
import { recordAction } from './handlers/recordAction';
import { signAup } from './handlers/signAup';
import { chooseCategory, immediateDanger } from './handlers/startConcern';
import { cancelConcern, submitConcern } from './handlers/submitConcern';
import type { ActionResult, Actor, CardPlace, Services } from './services';
import { CardFactory } from 'botbuilder';

type Handler = (s: Services, actor: Actor, data: Record<string, unknown>, place: CardPlace) => Promise<ActionResult>;

const HANDLERS: Record<string, Handler> = {
  chooseCategory: (s, _a, data) => chooseCategory(s, data),
  immediateDanger: (s) => immediateDanger(s),
  submitConcern,
  cancelConcern: () => cancelConcern(),
  acknowledge,
  reassign,
  recordAction,
  closeCase,
  reopenCase,
  openCase,
  hideCase,
  signAup,
};

const actionInvoke = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string().min(1).max(64),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

const IMAGE_GUIDANCE = [
  'Images and files are never accepted here, and this one has not been stored or forwarded.',
  ...(CATEGORIES.find((c) => c.id === 'sharingNudes')?.guidance ?? []),
  'If the image may be of a child, do not keep a copy: delete it from this chat (hover over the message and choose Delete) and tell the DSL.',
];

/** Attachments Teams adds to ordinary text messages; anything else is a file or an image. */
const TEXT_ATTACHMENTS = new Set(['text/html', 'text/plain']);

export class SafeguardingBot {
  constructor(private readonly s: Services) {}

  async onTurn(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const tenantId = a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? '';
    if (this.s.setup.tenantId && tenantId !== this.s.setup.tenantId) {
      this.s.log.warn('activity from another tenant refused', { type: a.type });
      if (a.type === ActivityTypes.Invoke) await this.invokeResponse(ctx, { kind: 'error', status: 403, message: 'This app is not set up for your organisation.' });
      return;
    }
    switch (a.type) {
      case ActivityTypes.Message:
        return this.onMessage(ctx, tenantId);
      case ActivityTypes.ConversationUpdate:
        return this.onConversationUpdate(ctx, tenantId);
      case ActivityTypes.InstallationUpdate:
        return this.remember(ctx, tenantId);
      case ActivityTypes.Invoke:
        return this.onInvoke(ctx, tenantId);
      default:
        return;
    }
  }

  /** Keeps the person's 1:1 conversation reference so the bot can reach them later. */
  private async remember(ctx: TurnContext, tenantId: string): Promise<void> {
    const a = ctx.activity;
    const userId = a.from?.aadObjectId;
    const type = a.conversation?.conversationType;
    if (!userId || (type && type !== 'personal')) return;
    // Best effort: a storage outage must not stop a concern being raised.
    await this.s.conversations.remember(tenantId, userId, TeamsChannel.referenceOf(a)).catch((err: Error) => this.s.log.warn('conversation reference not saved', { error: err.message }));
  }

  private async onConversationUpdate(ctx: TurnContext, tenantId: string): Promise<void> {
    await this.remember(ctx, tenantId);
    const botAdded = (ctx.activity.membersAdded ?? []).some((m) => m.id === ctx.activity.recipient?.id);
    if (!botAdded) return;
    await ctx.sendActivity({
      type: ActivityTypes.Message,
      text: `Hello. I am ${this.s.setup.name}'s online-safety concerns bot. Use the card below to raise a concern with the Designated Safeguarding Lead; it takes under a minute.`,
      attachments: [CardFactory.adaptiveCard(startCard(this.s.setup))],
    });
  }

  private async onMessage(ctx: TurnContext, tenantId: string): Promise<void> {
    await this.remember(ctx, tenantId);
    const files = (ctx.activity.attachments ?? []).filter((att) => !TEXT_ATTACHMENTS.has(att.contentType));
    if (files.length > 0) {
      // Never stored, never forwarded, never logged beyond the fact (§11.2, §11.4).
      this.s.log.warn('attachment refused', { count: files.length });
      await ctx.sendActivity({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(noticeCard('Please do not send images or files', IMAGE_GUIDANCE, 'Attention'))] });
      return;
    }
    const long = (ctx.activity.text ?? '').trim().length > 40;
    await ctx.sendActivity({
      type: ActivityTypes.Message,
      text: long
        ? 'Please do not write the details of a concern in this chat: use the form below, so they are kept in the safeguarding record only.'
        : 'To raise an online-safety concern, choose its kind below. If someone is in immediate danger, call 999 now.',
      attachments: [CardFactory.adaptiveCard(startCard(this.s.setup))],
    });
  }

  private async onInvoke(ctx: TurnContext, tenantId: string): Promise<void> {
    const a = ctx.activity;
    if (a.name !== 'adaptiveCard/action') {
      return this.invokeResponse(ctx, { kind: 'error', status: 400, message: `This app does not handle "${String(a.name).slice(0, 60)}".` });
    }
    const parsed = actionInvoke.safeParse(a.value);
    if (!parsed.success) return this.invokeResponse(ctx, { kind: 'error', status: 400, message: 'The card action could not be read.' });
    const { verb, data = {} } = parsed.data.action;
    const handler = Object.prototype.hasOwnProperty.call(HANDLERS, verb) ? HANDLERS[verb] : undefined;
    if (!handler) return this.invokeResponse(ctx, { kind: 'error', status: 400, message: `Unknown action "${verb.slice(0, 64)}".` });
    const userId = a.from?.aadObjectId;
    if (!userId) return this.invokeResponse(ctx, { kind: 'error', status: 403, message: 'We could not tell who you are, so nothing was done.' });
    await this.remember(ctx, tenantId);
    const actor: Actor = { id: userId, name: a.from.name ?? '', tenantId };
    const place: CardPlace = { conversationId: a.conversation?.id, activityId: a.replyToId, serviceUrl: a.serviceUrl };
    let result: ActionResult;
    try {
      result = await handler(this.s, actor, data, place);
    } catch (err) {
      this.s.log.error('card action failed', { verb, error: (err as Error).message });
      result = { kind: 'error', status: 503, message: 'Something went wrong and nothing was changed. Please try again in a minute.' };
    }
    return this.invokeResponse(ctx, result);
  }

  private async invokeResponse(ctx: TurnContext, result: ActionResult): Promise<void> {
    let status = 200;
    let body: object;
    if (result.kind === 'card') body = { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: result.card };
    else if (result.kind === 'message') body = { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: result.text };
    else {
      status = result.status;
      body = { statusCode: result.status, type: 'application/vnd.microsoft.error', value: { code: codeOf(result.status), message: result.message } };
    }
    await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status, body } });
  }
}

function codeOf(status: number): string {
  return ({ 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 503: 'ServiceUnavailable' } as Record<number, string>)[status] ?? 'Error';
}
