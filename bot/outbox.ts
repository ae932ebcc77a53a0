/**
 * Delivers every message the bot owes. Each one was written to the outbox in the same transaction as
 * the change that caused it, so a crash or an outage loses nothing: what was not delivered is found
 * again by the sweep and sent. A claim (ETag-guarded) stops two instances sending the same message.
 */
import type { SchoolSetup } from '../config/schema';
import type { Directory } from '../directory/directory';
import type { CardLocation, CaseRecord, CaseStore, OutboxMessage } from '../store/caseStore';
import type { ConversationStore } from '../store/conversationStore';
import { caseAlertCard, formatTime, receiptCard } from './cards';
import { ChannelError, type ConversationRef, type TeamsChannel } from './channel';
import type { Log } from './log';
import { Periodic } from './periodic';

export interface OutboxSettings {
  /** Where to reach people who have never written to the bot (Teams' regional service URL). */
  serviceUrl: string;
  tenantId: string;
  leaseSeconds: number;
  sweepSeconds: number;
}

export class Outbox {
  private readonly sweeper: Periodic;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly setup: SchoolSetup,
    private readonly cases: CaseStore,
    private readonly conversations: ConversationStore,
    private readonly channel: TeamsChannel,
    private readonly directory: Directory,
    private readonly settings: OutboxSettings,
    private readonly log: Log,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.sweeper = new Periodic(() => this.sweepOnce(), settings.sweepSeconds);
  }

  start(): void {
    this.sweeper.start(true);
  }

  async stop(): Promise<void> {
    await this.sweeper.stop();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Sends messages now, in the background; whatever fails stays in the outbox for the sweep. */
  dispatch(messages: OutboxMessage[], record?: CaseRecord): void {
    const p = this.deliverAll(messages, record);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
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
    try {
      const due = await this.cases.dueOutbox(this.clock().toISOString());
      if (due.length > 0) await this.deliverAll(due);
      return due.length;
    } catch (err) {
      this.log.warn('outbox sweep failed', { error: (err as Error).message });
      return 0;
    }
  }

  private async deliverAll(messages: OutboxMessage[], record?: CaseRecord): Promise<void> {
    // Cards to recipients first, so that updates find them.
    const order: Record<OutboxMessage['kind'], number> = { notifyRecipient: 0, activityFeed: 0, updateRecipientCard: 1, tellReporter: 2 };
    const sorted = [...messages].sort((a, b) => order[a.kind] - order[b.kind]);
    const groups = [0, 1, 2].map((k) => sorted.filter((m) => order[m.kind] === k));
    for (const group of groups) await Promise.all(group.map((m) => this.deliverOne(m, record)));
  }

  private async deliverOne(message: OutboxMessage, known?: CaseRecord): Promise<void> {
    const now = this.clock();
    const claimed = message.claimed ? message : await this.cases.claim(message, now, this.settings.leaseSeconds);
    if (!claimed) return;
    try {
      const record = known && known.reference === message.reference && message.kind === 'notifyRecipient' ? known : await this.cases.getCase(message.schoolId, message.reference);
      if (!record) {
        await this.cases.markSent(claimed, now.toISOString());
        return;
      }
      const location = await this.send(claimed, record);
      await this.cases.markSent(claimed, this.clock().toISOString(), location);
      this.log.info('message delivered', { reference: message.reference, kind: message.kind, attempts: claimed.attempts });
    } catch (err) {
      // The chat is gone or the app was removed: forget it, so the next attempt reaches them afresh.
      if (err instanceof ChannelError && (err.status === 404 || err.status === 403)) {
        const personId = message.kind === 'tellReporter' ? undefined : message.personId;
        const record = await this.cases.getCase(message.schoolId, message.reference).catch(() => undefined);
        const who = personId ?? record?.reporter.id;
        if (who) await this.conversations.forget(record?.tenantId || this.settings.tenantId, who).catch(() => undefined);
      }
      const delay = retryDelaySeconds(err, claimed.attempts);
      const retryAt = new Date(this.clock().getTime() + delay * 1000).toISOString();
      this.log.warn('message not delivered; will retry', { reference: message.reference, kind: message.kind, attempts: claimed.attempts, retryInSeconds: delay, error: (err as Error).message });
      await this.cases.markFailed(claimed, retryAt, (err as Error).message).catch(() => undefined);
    }
  }

  private async send(message: OutboxMessage, record: CaseRecord): Promise<CardLocation | undefined> {
    switch (message.kind) {
      case 'notifyRecipient': {
        const ref = await this.reach(message.personId, record.tenantId);
        const activityId = await this.channel.sendCard(ref, caseAlertCard(this.setup, record, message.personId), `Online-safety concern ${record.reference}`);
        return { conversationId: ref.conversation!.id, activityId, serviceUrl: ref.serviceUrl };
      }
      case 'activityFeed': {
        // No narrative: the reference and the category's name only.
        await this.directory.notifyActivity(message.personId, {
          activityType: record.escalationLevel > 0 ? 'concernEscalated' : 'urgentConcern',
          preview: `Urgent online-safety concern ${record.reference}`,
          reference: record.reference,
        });
        return undefined;
      }
      case 'updateRecipientCard': {
        const delivered = (await this.cases.outboxFor(record.schoolId, record.reference))
          .filter((m) => m.kind === 'notifyRecipient' && m.personId === message.personId && m.status === 'sent' && m.activityId)
          .sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? ''))
          .pop();
        // Not delivered yet: when it is, it is drawn from the case as it is then.
        if (!delivered) return undefined;
        const ref = await this.reach(message.personId, record.tenantId);
        const where = { ...ref, serviceUrl: delivered.serviceUrl ?? ref.serviceUrl, conversation: { ...ref.conversation!, id: delivered.conversationId! } };
        await this.channel.updateCard(where, delivered.activityId!, caseAlertCard(this.setup, record, message.personId));
        return undefined;
      }
      case 'tellReporter': {
        const ref = await this.reach(record.reporter.id, record.tenantId);
        if (record.receipt) {
          const where = { ...ref, serviceUrl: record.receipt.serviceUrl ?? ref.serviceUrl, conversation: { ...ref.conversation!, id: record.receipt.conversationId } };
          await this.channel.updateCard(where, record.receipt.activityId, receiptCard(this.setup, record));
        }
        const when = record.acknowledgedAt ? formatTime(record.acknowledgedAt, this.setup.timeZone) : '';
        const activityId = await this.channel.sendText(ref, `Your concern ${record.reference} was acknowledged by ${record.acknowledgedBy?.displayName ?? 'the DSL'} at ${when}.`);
        return { conversationId: ref.conversation!.id, activityId, serviceUrl: ref.serviceUrl };
      }
    }
  }

  /** Sends a short text straight away, outside the outbox (used when storage itself is down). */
  async sendNow(personId: string, tenantId: string, text: string): Promise<void> {
    const ref = await this.reach(personId, tenantId);
    await this.channel.sendText(ref, text);
  }

  /** The person's 1:1 conversation: stored, or made by installing the app for them (Graph). */
  async reach(personId: string, tenantId: string): Promise<ConversationRef> {
    const tenant = tenantId || this.settings.tenantId;
    const stored = await this.conversations.get(tenant, personId).catch(() => undefined);
    if (stored?.conversation?.id) return stored;
    const chatId = await this.directory.installBotFor(personId);
    let ref: ConversationRef;
    if (chatId) {
      ref = {
        channelId: 'msteams',
        serviceUrl: this.settings.serviceUrl,
        conversation: { id: chatId, conversationType: 'personal', tenantId: tenant, isGroup: false, name: '' },
        bot: { id: this.channel.appId ? `28:${this.channel.appId}` : 'bot', name: '' },
        user: { id: personId, name: '', aadObjectId: personId },
      };
    } else {
      ref = await this.channel.createPersonalConversation(this.settings.serviceUrl, tenant, personId);
    }
    await this.conversations.save(tenant, personId, ref).catch(() => undefined);
    return ref;
  }
}

/** Honour Retry-After on 429; back off on 5xx and network errors (capped at ten minutes). */
export function retryDelaySeconds(err: unknown, attempts: number): number {
  if (err instanceof ChannelError && err.retryAfterSeconds !== undefined) return Math.max(1, Math.min(err.retryAfterSeconds, 600));
  return Math.min(2 ** Math.min(attempts, 10), 600);
}
