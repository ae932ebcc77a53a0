/**
 * The one way the product reaches a person in Teams, for the bot and the tab alike.
 *
 * - Messages a case owes (its card, updates of it, a word to the reporter, a feed notification) were
 *   written to the outbox in the same transaction as the change that caused them, so a crash or an
 *   outage loses nothing: what was not delivered is found again by the sweep and sent. A claim
 *   (ETag-guarded) stops two instances sending the same message.
 * - Cards sent now (an AUP to sign, a reminder) go through `sendCardNow`, with the same way of reaching
 *   the person and the same retry rule; their bookkeeping is the caller's (store/reminderStore.ts).
 */
import type { SchoolSetup } from '../config/schema';
import type { CardLocation, CaseRecord } from '../core/case';
import { formatTime } from '../core/time';
import type { Directory } from '../directory/directory';
import type { Log } from '../runtime/log';
import { Periodic } from '../runtime/periodic';
import type { CaseStore } from '../store/caseStore';
import type { ConversationRef, ConversationStore } from '../store/conversationStore';
import type { OutboxMessage, OutboxStore } from '../store/outboxStore';
import { caseAlertCard, caseLinkCard, receiptCard, type AdaptiveCard } from './cards';
import { ChannelError, type TeamsChannel } from './channel';
import { tabLink, type LinkSettings } from './deepLinks';
import { ConversationPace } from './pace';
import type { TabPageId } from '../core/tabPages';

export interface OutboxSettings {
  /** Where to reach people who have never written to the bot (Teams' regional service URL). */
  serviceUrl: string;
  tenantId: string;
  leaseSeconds: number;
  sweepSeconds: number;
  /** How cards link to the tab's pages (delivery/deepLinks.ts). */
  links: LinkSettings;
  /** Tests only: multiplies Teams' per-conversation limits for paced messages (delivery/pace.ts). */
  paceScale?: number;
}

export class Outbox {
  private readonly sweeper: Periodic;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Bursts (monitoring alerts) are sent at Teams' pace for each person's chat. */
  private readonly pace: ConversationPace;

  constructor(
    private readonly setup: SchoolSetup,
    private readonly stores: { cases: CaseStore; outbox: OutboxStore; conversations: ConversationStore },
    private readonly channel: TeamsChannel,
    private readonly directory: Directory,
    private readonly settings: OutboxSettings,
    private readonly log: Log,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.sweeper = new Periodic(() => this.sweepOnce(), settings.sweepSeconds, log, 'outbox sweep');
    this.pace = new ConversationPace(settings.paceScale ?? 1);
  }

  start(): void {
    this.sweeper.start(true);
  }

  async stop(): Promise<void> {
    // What waits for its turn stays in the outbox: another instance's sweep takes it once its hold passes.
    this.pace.stop();
    await this.sweeper.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Sends messages now, in the background; whatever fails stays in the outbox for the sweep. */
  dispatch(messages: OutboxMessage[], record?: CaseRecord): void {
    if (messages.length === 0) return;
    const p = this.deliverAll(messages, record).catch((err: Error) => this.log.warn('dispatch failed; the sweep will retry', { error: err.message }));
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /**
   * Sends messages in the background at Teams' pace for each recipient's chat (a burst of monitoring
   * alerts owes each DSL hundreds of cards). They were stored unclaimed but held until `pacedHoldUntil`;
   * each is claimed (ETag) just before it is sent, so if the hold passed and a sweep took it first, it
   * is not sent twice.
   */
  dispatchPaced(messages: OutboxMessage[], record?: CaseRecord): void {
    for (const m of messages) {
      const p = this.pace.run(m.personId, () => this.deliverOne({ ...m, claimed: false }, record, true)).catch((err: Error) => this.log.warn('paced dispatch failed; the sweep will retry', { error: err.message }));
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    }
  }

  /** Until when messages for these people, queued now, are this instance's to send at Teams' pace. */
  pacedHoldUntil(personIds: Iterable<string>): string {
    return new Date(this.clock().getTime() + this.pace.waitMs(personIds) + this.settings.leaseSeconds * 1000).toISOString();
  }

  /** Waits for everything dispatched so far (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Sends what is owed and due (after a restart, or a failed attempt); one sweep at a time. */
  sweep(): Promise<number> {
    return this.sweeper.run();
  }

  private async sweepOnce(): Promise<number> {
    const due = await this.stores.outbox.due(this.setup.schoolId, this.clock().toISOString());
    if (due.length > 0) await this.deliverAll(due);
    return due.length;
  }

  private async deliverAll(messages: OutboxMessage[], record?: CaseRecord): Promise<void> {
    // Cards to recipients first, so that updates find them.
    const order: Record<OutboxMessage['kind'], number> = { notifyRecipient: 0, activityFeed: 0, nextStepReminder: 0, sendReceipt: 0, updateRecipientCard: 1, tellReporter: 2 };
    const sorted = [...messages].sort((a, b) => order[a.kind] - order[b.kind]);
    const groups = [0, 1, 2].map((k) => sorted.filter((m) => order[m.kind] === k));
    for (const group of groups) await Promise.all(group.map((m) => this.deliverOne(m, record)));
  }

  /** `held`: written unclaimed but held for this instance (dispatchPaced), so claimed before its hold passes. */
  private async deliverOne(message: OutboxMessage, known?: CaseRecord, held = false): Promise<void> {
    const now = this.clock();
    const claimed = message.claimed ? message : await this.stores.outbox.claim(message, now, this.settings.leaseSeconds, { held });
    if (!claimed) return;
    try {
      const record = known && known.reference === message.reference && message.kind === 'notifyRecipient' ? known : await this.stores.cases.getCase(message.schoolId, message.reference);
      if (!record) {
        await this.stores.outbox.markSent(claimed, now.toISOString());
        return;
      }
      const location = await this.send(claimed, record);
      await this.stores.outbox.markSent(claimed, this.clock().toISOString(), location);
      this.log.info('message delivered', { reference: message.reference, kind: message.kind, attempts: claimed.attempts });
    } catch (err) {
      // The chat is gone or the app was removed: forget it, so the next attempt reaches them afresh.
      if (err instanceof ChannelError && (err.status === 404 || err.status === 403)) {
        const record = await this.stores.cases.getCase(message.schoolId, message.reference).catch(() => undefined);
        const who = message.kind === 'tellReporter' ? record?.reporter.id : message.personId;
        if (who) await this.stores.conversations.forget(record?.tenantId || this.settings.tenantId, who).catch(() => undefined);
      }
      const delay = retryDelaySeconds(err, claimed.attempts);
      const retryAt = new Date(this.clock().getTime() + delay * 1000).toISOString();
      this.log.warn('message not delivered; will retry', { reference: message.reference, kind: message.kind, attempts: claimed.attempts, retryInSeconds: delay, error: (err as Error).message });
      await this.stores.outbox.markFailed(claimed, retryAt, (err as Error).message).catch(() => undefined);
    }
  }

  private async send(message: OutboxMessage, record: CaseRecord): Promise<CardLocation | undefined> {
    switch (message.kind) {
      case 'notifyRecipient': {
        const ref = await this.reach(message.personId, record.tenantId);
        const activityId = await this.channel.sendCard(ref, caseAlertCard(this.setup, record, message.personId, this.caseLink(record.reference)), `Online-safety concern ${record.reference}`);
        return { conversationId: ref.conversation!.id, activityId, serviceUrl: ref.serviceUrl };
      }
      case 'activityFeed': {
        // No narrative: the reference only. It opens the case's page in the tab.
        await this.directory.notifyActivity(message.personId, {
          activityType: record.escalationLevel > 0 ? 'concernEscalated' : 'urgentConcern',
          preview: `Urgent online-safety concern ${record.reference}`,
          reference: record.reference,
          webUrl: this.caseLink(record.reference),
        });
        return undefined;
      }
      case 'sendReceipt': {
        // Raised outside the chat (a message extension, the tab): the chat keeps the reference too.
        const ref = await this.reach(record.reporter.id, record.tenantId);
        const activityId = await this.channel.sendCard(ref, receiptCard(this.setup, record, { link: this.link('raise', record.reference) }), `Concern sent: ${record.reference}`);
        return { conversationId: ref.conversation!.id, activityId, serviceUrl: ref.serviceUrl };
      }
      case 'updateRecipientCard': {
        const delivered = (await this.stores.outbox.forCase(record.schoolId, record.reference))
          .filter((m) => m.kind === 'notifyRecipient' && m.personId === message.personId && m.status === 'sent' && m.activityId)
          .sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? ''))
          .pop();
        // Not delivered yet: when it is, it is drawn from the case as it is then.
        if (!delivered) return undefined;
        const ref = await this.reach(message.personId, record.tenantId);
        await this.channel.updateCard(at(ref, delivered.conversationId!, delivered.serviceUrl), delivered.activityId!, caseAlertCard(this.setup, record, message.personId, this.caseLink(record.reference)));
        return undefined;
      }
      case 'nextStepReminder': {
        // The reference and the day only: what the step is stays in the case (PRODUCT.md §3).
        const step = record.nextStep;
        if (!step || record.status === 'closed' || step.owner.id !== message.personId) return undefined;
        const ref = await this.reach(message.personId, record.tenantId);
        const card = caseLinkCard(`Next step overdue: ${record.reference}`, [`The next step you own on case ${record.reference} was due on ${step.dueOn}. Open the case to record what was done, or set a new next step.`], this.caseLink(record.reference), 'Open case', 'Warning');
        const activityId = await this.channel.sendCard(ref, card, `Next step overdue: ${record.reference}`);
        return { conversationId: ref.conversation!.id, activityId, serviceUrl: ref.serviceUrl };
      }
      case 'tellReporter': {
        const ref = await this.reach(record.reporter.id, record.tenantId);
        const receipt = record.receipt ?? (await this.sentReceipt(record));
        if (receipt) await this.channel.updateCard(at(ref, receipt.conversationId, receipt.serviceUrl), receipt.activityId, receiptCard(this.setup, record, { link: this.link('raise', record.reference) }));
        const when = record.acknowledgedAt ? formatTime(record.acknowledgedAt, this.setup.timeZone) : '';
        const activityId = await this.channel.sendText(ref, `Your concern ${record.reference} was acknowledged by ${record.acknowledgedBy?.displayName ?? 'the DSL'} at ${when}.`);
        return { conversationId: ref.conversation!.id, activityId, serviceUrl: ref.serviceUrl };
      }
    }
  }

  /** Where the receipt sent to the reporter's chat is (a concern raised outside the chat), once it is delivered. */
  private async sentReceipt(record: CaseRecord): Promise<CardLocation | undefined> {
    const sent = (await this.stores.outbox.forCase(record.schoolId, record.reference)).find((m) => m.kind === 'sendReceipt' && m.status === 'sent' && m.activityId && m.conversationId);
    return sent && { conversationId: sent.conversationId!, activityId: sent.activityId!, serviceUrl: sent.serviceUrl };
  }

  /** The case's page in the tab (a Teams deep link), or '' when no link can be made. */
  caseLink(reference: string): string {
    return this.link('cases', reference);
  }

  /** A page of the tab (and what on it), as cards link to it; '' when no link can be made. */
  link(page: TabPageId, sub?: string): string {
    return tabLink(this.settings.links, page, sub);
  }

  /** Sends a short text straight away, outside the outbox (used when storage itself is down). */
  async sendNow(personId: string, tenantId: string, text: string): Promise<void> {
    const ref = await this.reach(personId, tenantId);
    await this.channel.sendText(ref, text);
  }

  /**
   * Sends a card to a person now (an AUP to sign, a reminder), reaching them as the outbox does and
   * retrying a throttled or failing connector a few times, honouring Retry-After.
   */
  async sendCardNow(personId: string, card: AdaptiveCard, summary: string, opts: { attempts?: number; maxWaitSeconds?: number } = {}): Promise<void> {
    const attempts = opts.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        const ref = await this.reach(personId, this.setup.tenantId ?? '');
        await this.channel.sendCard(ref, card, summary);
        return;
      } catch (err) {
        const retryable = err instanceof ChannelError && (err.status === 429 || (err.status ?? 0) >= 500);
        if (!retryable || attempt >= attempts) throw err;
        const seconds = Math.min(retryDelaySeconds(err, attempt), opts.maxWaitSeconds ?? 60);
        await new Promise((r) => setTimeout(r, seconds * 1000));
      }
    }
  }

  /** The person's 1:1 conversation: stored, or made by installing the app for them (Graph). */
  async reach(personId: string, tenantId: string): Promise<ConversationRef> {
    const tenant = tenantId || this.settings.tenantId;
    const stored = await this.stores.conversations.get(tenant, personId).catch(() => undefined);
    if (stored?.conversation?.id) return stored;
    const chatId = await this.directory.installBotFor(personId);
    let ref: ConversationRef;
    if (chatId) {
      ref = {
        channelId: 'msteams',
        serviceUrl: this.settings.serviceUrl,
        conversation: { id: chatId, conversationType: 'personal', tenantId: tenant, isGroup: false, name: '' },
        bot: { id: this.channel.botId(), name: '' },
        user: { id: personId, name: '', aadObjectId: personId },
      };
    } else {
      ref = await this.channel.createPersonalConversation(this.settings.serviceUrl, tenant, personId);
    }
    await this.stores.conversations.save(tenant, personId, ref).catch(() => undefined);
    return ref;
  }
}

/** The same person's reference, pointed at a given conversation (and the connector it was reached through). */
function at(ref: ConversationRef, conversationId: string, serviceUrl?: string): ConversationRef {
  return { ...ref, serviceUrl: serviceUrl ?? ref.serviceUrl, conversation: { ...ref.conversation!, id: conversationId } };
}

/** Honour Retry-After on 429; back off on 5xx and network errors (capped at ten minutes). */
export function retryDelaySeconds(err: unknown, attempts: number): number {
  if (err instanceof ChannelError && err.retryAfterSeconds !== undefined) return Math.max(1, Math.min(err.retryAfterSeconds, 600));
  return Math.min(2 ** Math.min(attempts, 10), 600);
}
