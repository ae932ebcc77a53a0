/**
 * The outbox: one row per message the bot owes someone (a case's card, an update of it, a word to the
 * reporter, a feed notification), in the school's `Cases` partition so that it is written in the same
 * transaction as the change that owes it (store/caseStore.ts). Delivery (delivery/outbox.ts) claims a
 * row (ETag-guarded, so two instances never send the same message), sends, and marks it sent.
 */
import type { CardLocation, OutboxIntent, OutboxKind } from '../core/case';
import { GroupCommit } from './groupCommit';
import { odata } from '@azure/data-tables';
import { isStatus, prefixFilter, readOrUndefined, type Entity, type Tables } from './tables';

export interface OutboxMessage {
  schoolId: string;
  rowKey: string;
  reference: string;
  kind: OutboxKind;
  personId: string;
  status: 'pending' | 'sent';
  attempts: number;
  nextAttemptAt: string;
  sentAt?: string;
  conversationId?: string;
  activityId?: string;
  serviceUrl?: string;
  lastError?: string;
  etag: string;
  /** Written already claimed by this instance, which sends it now. */
  claimed?: boolean;
}

const outboxKey = (reference: string, kind: OutboxKind, personId: string, suffix = '') => `outbox|${reference}|${kind}|${personId}${suffix}`;

/** A new outbox row; `notBefore` is when any instance's sweep may take it (the sender holds it until then). */
export function outboxEntity(schoolId: string, reference: string, intent: Pick<OutboxIntent, 'kind' | 'personId'> & { suffix?: string }, notBefore: string): Entity {
  return {
    partitionKey: schoolId,
    rowKey: outboxKey(reference, intent.kind, intent.personId, intent.suffix),
    reference,
    kind: intent.kind,
    personId: intent.personId,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: notBefore,
  };
}

export function toOutboxMessage(e: Record<string, unknown>): OutboxMessage {
  const s = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return {
    schoolId: String(e.partitionKey),
    rowKey: String(e.rowKey),
    reference: s('reference'),
    kind: s('kind') as OutboxKind,
    personId: s('personId'),
    status: e.status === 'sent' ? 'sent' : 'pending',
    attempts: Number(e.attempts ?? 0),
    nextAttemptAt: s('nextAttemptAt'),
    sentAt: s('sentAt') || undefined,
    conversationId: s('conversationId') || undefined,
    activityId: s('activityId') || undefined,
    serviceUrl: s('serviceUrl') || undefined,
    lastError: s('lastError') || undefined,
    etag: s('etag'),
  };
}

export class OutboxStore {
  /** Messages sent at the same moment are marked in one write (see GroupCommit). */
  private readonly sentMarks: GroupCommit;

  constructor(private readonly tables: Tables) {
    this.sentMarks = new GroupCommit(() => this.tables.Cases);
  }

  async forCase(schoolId: string, reference: string): Promise<OutboxMessage[]> {
    const out: OutboxMessage[] = [];
    for await (const e of this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(schoolId, `outbox|${reference}|`) } })) out.push(toOutboxMessage(e));
    return out;
  }

  /**
   * The school's messages owed and due now (after a restart, or a failed attempt): its own partition
   * only, so the cost does not grow with the other schools in the tables.
   */
  async due(schoolId: string, now: string, limit = 200): Promise<OutboxMessage[]> {
    const out: OutboxMessage[] = [];
    const iter = this.tables.Cases.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `${prefixFilter(schoolId, 'outbox|')} and ${odata`status eq 'pending' and nextAttemptAt le ${now}`}` },
    });
    for await (const e of iter) {
      out.push(toOutboxMessage(e));
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * Takes a message for this instance for `leaseSeconds`; undefined when another instance holds it or it
   * was sent. The ETag makes the claim exclusive.
   */
  async claim(message: OutboxMessage, now: Date, leaseSeconds: number, opts: { held?: boolean } = {}): Promise<OutboxMessage | undefined> {
    const until = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
    if (!message.etag || message.etag === '*') {
      // Never claim unconditionally: read the row as it is now and claim that.
      const current = await readOrUndefined(() => this.tables.Cases.getEntity<Record<string, unknown>>(message.schoolId, message.rowKey));
      if (!current) return undefined;
      const row = toOutboxMessage(current);
      // A row held for this instance is not due yet, by design: it is ours unless someone claimed it since.
      const taken = opts.held ? row.attempts > message.attempts : row.nextAttemptAt > now.toISOString();
      if (row.status !== 'pending' || taken) return undefined;
      message = row;
    }
    try {
      const r = await this.tables.Cases.updateEntity(
        { partitionKey: message.schoolId, rowKey: message.rowKey, nextAttemptAt: until, attempts: message.attempts + 1 },
        'Merge',
        { etag: message.etag },
      );
      return { ...message, nextAttemptAt: until, attempts: message.attempts + 1, etag: r.etag ?? message.etag };
    } catch (err) {
      if (isStatus(err, 412, 404)) return undefined;
      throw err;
    }
  }

  async markSent(message: OutboxMessage, at: string, location?: CardLocation): Promise<void> {
    await this.sentMarks.add(message.schoolId, [
      'update',
      { partitionKey: message.schoolId, rowKey: message.rowKey, status: 'sent', sentAt: at, conversationId: location?.conversationId ?? '', activityId: location?.activityId ?? '', serviceUrl: location?.serviceUrl ?? '', lastError: '' },
      'Merge',
    ]);
  }

  async markFailed(message: OutboxMessage, retryAt: string, error: string): Promise<void> {
    await this.tables.Cases.updateEntity({ partitionKey: message.schoolId, rowKey: message.rowKey, nextAttemptAt: retryAt, lastError: error.slice(0, 500) }, 'Merge');
  }
}
