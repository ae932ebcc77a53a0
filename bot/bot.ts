/**
 * The Teams bot: what arrives on /api/messages and what answers it. Messages get help and the
 * "Raise a concern" card; card actions (Universal Actions) are routed by verb to one handler each
 * (handlers/); "Report as a concern" on a message (a message extension) opens its dialog
 * (messageExtension.ts); nothing here knows botbuilder (delivery/channel.ts gives plain activities).
 */
import { z } from 'zod';
import { CATEGORIES } from '../core/categories';
import { noticeCard, startCard } from '../delivery/cards';
import type { IncomingActivity, TurnReply } from '../delivery/channel';
import type { Actor, Services } from '../runtime/services';
import { acknowledge } from './handlers/acknowledge';
import { closeCase, reopenCase } from './handlers/closeCase';
import { reassign } from './handlers/reassign';
import { recordAction } from './handlers/recordAction';
import { signAup } from './handlers/signAup';
import { chooseCategory, immediateDanger } from './handlers/startConcern';
import { cancelConcern, submitConcern } from './handlers/submitConcern';
import { learnerTitle, searchLearners } from '../cases/learners';
import { staffMember } from '../cases/raise';
import { dialogResponse, onMessageExtension, type DialogResult } from './messageExtension';
import { verbTable, type ActionResult, type Verb } from './verbs';

/** Every card action the bot answers. A new verb is one handler file and one entry here. */
export const VERBS = [chooseCategory, immediateDanger, submitConcern, cancelConcern, acknowledge, reassign, recordAction, closeCase, reopenCase, signAup] as Verb<unknown>[];

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

export function createBot(s: Services): (activity: IncomingActivity) => Promise<TurnReply> {
  const verbs = verbTable(VERBS);

  /** Keeps the person's 1:1 conversation reference so the bot can reach them later. */
  const remember = async (a: IncomingActivity): Promise<void> => {
    const userId = a.from.aadObjectId;
    if (!userId || (a.conversation.type && a.conversation.type !== 'personal')) return;
    // Best effort: a storage outage must not stop a concern being raised.
    await s.stores.conversations.remember(a.conversation.tenantId, userId, a.reference).catch((err: Error) => s.log.warn('conversation reference not saved', { error: err.message }));
  };

  const onConversationUpdate = async (a: IncomingActivity): Promise<TurnReply> => {
    await remember(a);
    if (!a.membersAdded.includes(a.recipientId)) return {};
    return {
      messages: [{
        text: `Hello. I am ${s.setup.name}'s online-safety concerns bot. Use the card below to raise a concern with the Designated Safeguarding Lead; it takes under a minute.`,
        card: startCard(s.setup, { pageLink: s.outbox.link('raise') }),
      }],
    };
  };

  const onMessage = async (a: IncomingActivity): Promise<TurnReply> => {
    await remember(a);
    const files = a.attachmentTypes.filter((t) => !TEXT_ATTACHMENTS.has(t));
    if (files.length > 0) {
      // Never stored, never forwarded, never logged beyond the fact (§11.2, §11.4).
      s.log.warn('attachment refused', { count: files.length });
      return { messages: [{ card: noticeCard('Please do not send images or files', IMAGE_GUIDANCE, 'Attention') }] };
    }
    const long = a.text.trim().length > 40;
    return {
      messages: [{
        text: long
          ? 'Please do not write the details of a concern in this chat: use the form below, so they are kept in the safeguarding record only.'
          : 'To raise an online-safety concern, choose its kind below. If someone is in immediate danger, call 999 now.',
        card: startCard(s.setup, { pageLink: s.outbox.link('raise') }),
      }],
    };
  };

  const onInvoke = async (a: IncomingActivity): Promise<ActionResult | SearchResult | DialogResult> => {
    if (a.name === 'application/search') return onSearch(a);
    // "Report as a concern" on a message: not the person's chat with the bot, so nothing is remembered from it.
    if (a.name?.startsWith('composeExtension/')) return onMessageExtension(s, a);
    if (a.name !== 'adaptiveCard/action') return { kind: 'error', status: 400, message: `This app does not handle "${String(a.name).slice(0, 60)}".` };
    const parsed = actionInvoke.safeParse(a.value);
    if (!parsed.success) return { kind: 'error', status: 400, message: 'The card action could not be read.' };
    const { verb: name, data = {} } = parsed.data.action;
    const handler = verbs.get(name);
    if (!handler) return { kind: 'error', status: 400, message: `Unknown action "${name.slice(0, 64)}".` };
    const userId = a.from.aadObjectId;
    if (!userId) return { kind: 'error', status: 403, message: 'We could not tell who you are, so nothing was done.' };
    await remember(a);
    // Teams adds its own keys to some submits; they are not the person's input.
    const { msteams: _teams, ...input } = data;
    const checked = handler.data.safeParse(input);
    if (!checked.success) return { kind: 'error', status: 400, message: handler.invalid };
    const actor: Actor = { id: userId, name: a.from.name, tenantId: a.conversation.tenantId };
    try {
      return await handler.handle(s, actor, checked.data, { conversationId: a.conversation.id, activityId: a.replyToId, serviceUrl: a.serviceUrl });
    } catch (err) {
      s.log.error('card action failed', { verb: name, error: (err as Error).message });
      return { kind: 'error', status: 503, message: 'Something went wrong and nothing was changed. Please try again in a minute.' };
    }
  };

  /**
   * The concern form's typeahead (Input.ChoiceSet with choices.data, Data.Query dataset "learners"):
   * learners of the roster by name, for a member of staff Teams has identified (and the directory lists
   * as staff). Names and year groups
   * only; at most what Teams shows (15).
   */
  const onSearch = async (a: IncomingActivity): Promise<ActionResult | SearchResult> => {
    const parsed = searchInvoke.safeParse(a.value);
    if (!parsed.success) return { kind: 'error', status: 400, message: 'The search could not be read.' };
    if (parsed.data.dataset !== 'learners') return { kind: 'error', status: 400, message: `There is nothing to search called "${parsed.data.dataset.slice(0, 40)}".` };
    if (!a.from.aadObjectId) return { kind: 'error', status: 403, message: 'We could not tell who you are, so nothing was searched.' };
    // Learners' names are for the school's staff only; the form is now also shown in channels and group chats.
    if (!(await staffMember(s, a.from.aadObjectId))) return { kind: 'error', status: 403, message: 'Only the school\'s staff can search the list of learners.' };
    const query = parsed.data.queryText.trim();
    if (!query) return { kind: 'search', results: [] };
    const top = Math.min(parsed.data.queryOptions?.top ?? 15, 15);
    const skip = parsed.data.queryOptions?.skip ?? 0;
    const found = await searchLearners(s, query, skip + top);
    return { kind: 'search', results: found.slice(skip).map((l) => ({ title: learnerTitle(l), value: l.id })) };
  };

  return async (a) => {
    // Teams only: the Bot Framework can connect a bot to other channels, which this one is not for.
    if (a.channelId !== 'msteams') {
      s.log.warn('activity from another channel refused', { type: a.type, channel: a.channelId.slice(0, 40) });
      return a.type === 'invoke' ? invokeReply({ kind: 'error', status: 403, message: 'This app works in Microsoft Teams only.' }) : {};
    }
    if (s.setup.tenantId && a.conversation.tenantId !== s.setup.tenantId) {
      s.log.warn('activity from another tenant refused', { type: a.type });
      return a.type === 'invoke' ? invokeReply({ kind: 'error', status: 403, message: 'This app is not set up for your organisation.' }) : {};
    }
    switch (a.type) {
      case 'message':
        return onMessage(a);
      case 'conversationUpdate':
        return onConversationUpdate(a);
      case 'installationUpdate':
        await remember(a);
        return {};
      case 'invoke':
        return invokeReply(await onInvoke(a));
      default:
        return {};
    }
  };
}

/** What a typeahead search answers (Teams' searchResponse). */
type SearchResult = { kind: 'search'; results: { title: string; value: string }[] };

const searchInvoke = z.object({
  queryText: z.string().max(100),
  dataset: z.string().max(100),
  queryOptions: z.object({ skip: z.number().int().min(0).max(1000).optional(), top: z.number().int().min(1).max(100).optional() }).optional(),
});

/** The response Teams expects: a card, a message, search results, a dialog, or an error with its status. */
function invokeReply(result: ActionResult | SearchResult | DialogResult): TurnReply {
  if (result.kind === 'dialog' || result.kind === 'dialogMessage') return { invokeResponse: { status: 200, body: dialogResponse(result) } };
  if (result.kind === 'search') return { invokeResponse: { status: 200, body: { type: 'application/vnd.microsoft.search.searchResponse', value: { results: result.results } } } };
  if (result.kind === 'card') return { invokeResponse: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: result.card } } };
  if (result.kind === 'message') return { invokeResponse: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: result.text } } };
  return { invokeResponse: { status: result.status, body: { statusCode: result.status, type: 'application/vnd.microsoft.error', value: { code: codeOf(result.status), message: result.message } } } };
}

function codeOf(status: number): string {
  return ({ 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 503: 'ServiceUnavailable' } as Record<number, string>)[status] ?? 'Error';
}
