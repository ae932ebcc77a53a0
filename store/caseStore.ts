/**
 * Cases, their reference counter, submission keys and the outbox: one partition per school in the
 * `Cases` table (see tables.ts for why), written with ETag-guarded transactions so that concurrent
 * reporters, double presses and several server instances never make two of anything.
 */
import { randomUUID } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import type { Concern } from '../core/concern';
import type { PhaseId } from '../core/phases';
import type { Person } from '../core/roles';
import type { Recipient } from '../core/routing';
import { decideAcknowledgement } from '../core/acknowledgement';
import { isStatus, json, type Entity, type Tables } from './tables';

export interface CardLocation {
  conversationId: string;
  activityId: string;
}

export interface CaseRecord {
  schoolId: string;
  /** The tenant the reporter's Teams is in: where the recipients are reached. */
  tenantId: string;
  reference: string;
  concern: Concern;
  reporter: Person;
  createdAt: string;
  phases: PhaseId[];
  urgent: boolean;
  recipients: Recipient[];
  routeReasons: string[];
  /** Graph could not be reached: recipients come from the last successful lookup. */
  directoryStale: boolean;
  status: 'open' | 'acknowledged';
  acknowledgedBy?: Person;
  acknowledgedAt?: string;
  /** Where the reporter's receipt card is, so it can show the acknowledgement. */
  receipt?: CardLocation;
}

export type OutboxKind = 'notifyRecipient' | 'updateRecipientCard' | 'tellReporter';

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
  lastError?: string;
  etag: string;
  /** Written already claimed by this instance, which sends it now. */
  claimed?: boolean;
}

export interface CreatedCase {
  record: CaseRecord;
  created: boolean;
  outbox: OutboxMessage[];
}

interface PendingCase {
  input: NewCase;
  reporterId: string;
  resolve: (r: CreatedCase) => void;
  reject: (err: unknown) => void;
}

/** Cases per transaction: each takes a case row, a submission key and a row per recipient. */
function batches(groups: PendingCase[][]): PendingCase[][][] {
  const out: PendingCase[][][] = [];
  let current: PendingCase[][] = [];
  let actions = 1;
  let bytes = 0;
  for (const group of groups) {
    const item = group[0];
    const cost = 2 + item.input.recipientCount; // case + submission key + a row per recipient
    const size = 64 * 1024;
    const sameYear = current.length === 0 || current[0][0].input.year === item.input.year;
    if (current.length > 0 && (!sameYear || actions + cost > MAX_TRANSACTION_ACTIONS || bytes + size > 3 * 1024 * 1024)) {
      out.push(current);
      current = [];
      actions = 1;
      bytes = 0;
    }
    current.push(group);
    actions += cost;
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

export interface NewCase {
  schoolId: string;
  referencePrefix: string;
  year: number;
  /** Idempotency: one case per (reporter, form), however often the form is submitted. */
  formId: string;
  build: (reference: string) => CaseRecord;
  /** How many outbox rows the case will have (to size transactions). */
  recipientCount: number;
  /** The outbox rows start claimed by this instance until then (it sends them at once). */
  claimUntil?: string;
}

/** Azure Tables refuses an entity over 1 MiB; Azurite does not, so we check ours. */
export const MAX_ENTITY_BYTES = 1024 * 1024 - 4096;
const MAX_TRANSACTION_ACTIONS = 100;

const caseKey = (reference: string) => `case|${reference}`;
const submissionKey = (reporterId: string, formId: string) => `submission|${reporterId}|${formId}`;
const outboxKey = (reference: string, kind: OutboxKind, personId: string, suffix = '') => `outbox|${reference}|${kind}|${personId}${suffix}`;

export class EntityTooLargeError extends Error {}

function toCaseEntity(c: CaseRecord): Entity {
  const entity: Entity = {
    partitionKey: c.schoolId,
    rowKey: caseKey(c.reference),
    reference: c.reference,
    tenantId: c.tenantId,
    category: c.concern.category,
    concern: JSON.stringify(c.concern),
    reporterId: c.reporter.id,
    reporterName: c.reporter.displayName,
    createdAt: c.createdAt,
    phases: JSON.stringify(c.phases),
    urgent: c.urgent,
    recipients: JSON.stringify(c.recipients),
    recipientIds: c.recipients.map((r) => r.id).join(','),
    routeReasons: JSON.stringify(c.routeReasons),
    directoryStale: c.directoryStale,
    status: c.status,
    acknowledgedById: c.acknowledgedBy?.id ?? '',
    acknowledgedByName: c.acknowledgedBy?.displayName ?? '',
    acknowledgedAt: c.acknowledgedAt ?? '',
    receipt: c.receipt ? JSON.stringify(c.receipt) : '',
  };
  const bytes = Buffer.byteLength(JSON.stringify(entity), 'utf16le');
  if (bytes > MAX_ENTITY_BYTES) throw new EntityTooLargeError(`case entity would be ${bytes} bytes`);
  return entity;
}

function fromCaseEntity(e: Record<string, unknown>): CaseRecord & { etag: string } {
  const s = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return {
    schoolId: e.partitionKey as string,
    reference: s('reference'),
    tenantId: s('tenantId'),
    concern: json<Concern>(e.concern, {} as Concern),
    reporter: { id: s('reporterId'), displayName: s('reporterName') },
    createdAt: s('createdAt'),
    phases: json<PhaseId[]>(e.phases, []),
    urgent: e.urgent === true,
    recipients: json<Recipient[]>(e.recipients, []),
    routeReasons: json<string[]>(e.routeReasons, []),
    directoryStale: e.directoryStale === true,
    status: s('status') === 'acknowledged' ? 'acknowledged' : 'open',
    acknowledgedBy: s('acknowledgedById') ? { id: s('acknowledgedById'), displayName: s('acknowledgedByName') } : undefined,
    acknowledgedAt: s('acknowledgedAt') || undefined,
    receipt: s('receipt') ? json<CardLocation | undefined>(e.receipt, undefined) : undefined,
    etag: (e.etag as string) ?? '',
  };
}

function fromOutboxEntity(e: Record<string, unknown>): OutboxMessage {
  return {
    schoolId: e.partitionKey as string,
    rowKey: e.rowKey as string,
    reference: e.reference as string,
    kind: e.kind as OutboxKind,
    personId: e.personId as string,
    status: e.status === 'sent' ? 'sent' : 'pending',
    attempts: Number(e.attempts ?? 0),
    nextAttemptAt: String(e.nextAttemptAt ?? ''),
    sentAt: (e.sentAt as string) || undefined,
    conversationId: (e.conversationId as string) || undefined,
    activityId: (e.activityId as string) || undefined,
    lastError: (e.lastError as string) || undefined,
    etag: e.etag as string,
  };
}

function outboxEntity(schoolId: string, reference: string, kind: OutboxKind, personId: string, now: string, suffix = ''): Entity {
  return {
    partitionKey: schoolId,
    rowKey: outboxKey(reference, kind, personId, suffix),
    reference,
    kind,
    personId,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
  };
}

/** Serialises writes to one school's counter inside this process; the ETag guards across processes. */
class PartitionQueue {
  private tails = new Map<string, Promise<unknown>>();
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => { if (this.tails.get(key) === tail) this.tails.delete(key); });
    return next;
  }
}

export type AcknowledgeResult =
  | { outcome: 'acknowledged'; record: CaseRecord; outbox: OutboxMessage[] }
  | { outcome: 'alreadyAcknowledged'; record: CaseRecord }
  | { outcome: 'notARecipient'; record: CaseRecord }
  | { outcome: 'notFound' };

export class CaseStore {
  private readonly queue = new PartitionQueue();
  private readonly pending = new Map<string, PendingCase[]>();
  private readonly counters = new Map<string, { next: number; etag?: string }>();
  constructor(private readonly tables: Tables) {}

  private get cases() {
    return this.tables.Cases;
  }

  async getCase(schoolId: string, reference: string): Promise<(CaseRecord & { etag: string }) | undefined> {
    try {
      return fromCaseEntity(await this.cases.getEntity<Record<string, unknown>>(schoolId, caseKey(reference)));
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw err;
    }
  }

  private async referenceForSubmission(schoolId: string, reporterId: string, formId: string): Promise<string | undefined> {
    try {
      const e = await this.cases.getEntity<{ reference: string }>(schoolId, submissionKey(reporterId, formId));
      return e.reference;
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw err;
    }
  }

  /**
   * Stores a new case with its reference, its submission key and one outbox message per recipient, in
   * one transaction. A second submission of the same form returns the first case.
   *
   * Group commit: submissions for one school that arrive while a write is under way are written
   * together in the next transaction (one counter update for all of them), so fifty reporters at
   * once make a handful of transactions, not fifty racing for the counter. The counter's ETag still
   * guards against other server instances.
   */
  createCase(input: NewCase, reporterId: string): Promise<CreatedCase> {
    return new Promise<CreatedCase>((resolve, reject) => {
      const list = this.pending.get(input.schoolId) ?? [];
      list.push({ input, reporterId, resolve, reject });
      this.pending.set(input.schoolId, list);
      if (list.length === 1) void this.queue.run(input.schoolId, () => this.flush(input.schoolId));
    });
  }

  private async flush(schoolId: string): Promise<void> {
    const items = this.pending.get(schoolId) ?? [];
    this.pending.delete(schoolId);
    // The same form submitted twice in one batch: one write, one answer for both.
    const byKey = new Map<string, PendingCase[]>();
    for (const item of items) {
      const key = submissionKey(item.reporterId, item.input.formId);
      byKey.set(key, [...(byKey.get(key) ?? []), item]);
    }
    const groups = [...byKey.values()];
    const settle = (group: PendingCase[], result: Promise<CreatedCase>) =>
      result.then(
        (r) => group.forEach((g, i) => g.resolve(i === 0 ? r : { ...r, created: false, outbox: [] })),
        (err) => group.forEach((g) => g.reject(err)),
      );
    // A retried request whose form is already stored fails the transaction on its submission key
    // (409); the batch is then written one by one, and that one answers with the stored case.
    const fresh = groups;
    for (const batch of batches(fresh)) {
      try {
        const results = await this.writeBatch(schoolId, batch.map((g) => g[0]));
        batch.forEach((group, i) => void settle(group, Promise.resolve(results[i])));
      } catch (err) {
        if (!isStatus(err, 409)) {
          batch.forEach((group) => void settle(group, Promise.reject(err)));
          continue;
        }
        // Another instance stored one of these forms meanwhile: write them one by one.
        for (const group of batch) await settle(group, this.writeOne(schoolId, group[0]));
      }
    }
  }

  private async existingFor(schoolId: string, reporterId: string, formId: string): Promise<(CaseRecord & { etag: string }) | undefined> {
    const reference = await this.referenceForSubmission(schoolId, reporterId, formId);
    return reference ? this.getCase(schoolId, reference) : undefined;
  }

  private async writeOne(schoolId: string, item: PendingCase): Promise<CreatedCase> {
    const existing = await this.existingFor(schoolId, item.reporterId, item.input.formId);
    if (existing) return { record: existing, created: false, outbox: [] };
    return (await this.writeBatch(schoolId, [item]))[0];
  }

  /** One transaction: the counter moves on by the batch's size, and each case gets its rows. */
  private async writeBatch(schoolId: string, items: PendingCase[]): Promise<CreatedCase[]> {
    const year = items[0].input.year;
    for (let attempt = 0; attempt < 20; attempt++) {
      const counterKey = `counter|${year}`;
      // The counter as this instance last wrote it; its ETag proves nobody has moved it since.
      let counter = this.counters.get(`${schoolId}|${counterKey}`);
      if (!counter) {
        try {
          const e = await this.cases.getEntity<{ next: number }>(schoolId, counterKey);
          counter = { next: Number(e.next), etag: e.etag };
        } catch (err) {
          if (!isStatus(err, 404)) throw err;
          counter = { next: 1 };
        }
      }
      const counterEntity = { partitionKey: schoolId, rowKey: counterKey, next: counter.next + items.length };
      const actions: TransactionAction[] = [counter.etag ? ['update', counterEntity, 'Replace', { etag: counter.etag }] : ['create', counterEntity]];
      const built = items.map((item, i) => {
        const reference = `${item.input.referencePrefix}-${year}-${String(counter.next + i).padStart(4, '0')}`;
        const record = item.input.build(reference);
        const rows = record.recipients.map((r) => outboxEntity(schoolId, reference, 'notifyRecipient', r.id, item.input.claimUntil ?? record.createdAt));
        actions.push(
          ['create', toCaseEntity(record)],
          ['create', { partitionKey: schoolId, rowKey: submissionKey(item.reporterId, item.input.formId), reference, createdAt: record.createdAt }],
          ...rows.map((row): TransactionAction => ['create', row]),
        );
        return { record, rows };
      });
      if (actions.length > MAX_TRANSACTION_ACTIONS) throw new Error(`too many recipients for one transaction`);
      try {
        const result = await this.cases.submitTransaction(actions);
        const etags = new Map(result.subResponses.map((r) => [r.rowKey, r.etag]));
        const counterEtag = etags.get(counterKey);
        if (counterEtag) this.counters.set(`${schoolId}|${counterKey}`, { next: counterEntity.next, etag: counterEtag });
        return built.map(({ record, rows }) => ({
          record,
          created: true,
          outbox: rows.map((row) => ({ ...fromOutboxEntity({ ...row, etag: etags.get(row.rowKey as string) ?? '*' }), claimed: !!items[0].input.claimUntil })),
        }));
      } catch (err) {
        this.counters.delete(`${schoolId}|${counterKey}`);
        // Another instance moved the counter on: read it again.
        if (isStatus(err, 412) || (isStatus(err, 409) && !counter.etag)) continue;
        throw err;
      }
    }
    throw new Error('could not allocate case references after 20 attempts');
  }

  async setReceipt(schoolId: string, reference: string, receipt: CardLocation): Promise<void> {
    await this.cases.updateEntity({ partitionKey: schoolId, rowKey: caseKey(reference), receipt: JSON.stringify(receipt) }, 'Merge');
  }

  /**
   * Records one acknowledgement. Decided against the stored case; the ETag makes two presses at the
   * same moment give exactly one acknowledgement.
   */
  async acknowledge(schoolId: string, reference: string, person: Person, at: string): Promise<AcknowledgeResult> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const record = await this.getCase(schoolId, reference);
      if (!record) return { outcome: 'notFound' };
      const decision = decideAcknowledgement(
        { recipientIds: record.recipients.map((r) => r.id), acknowledgedById: record.acknowledgedBy?.id },
        person.id,
      );
      if (decision.outcome !== 'acknowledge') return { outcome: decision.outcome, record };
      const updated: CaseRecord = { ...record, status: 'acknowledged', acknowledgedBy: person, acknowledgedAt: at };
      const rows = [
        ...record.recipients.map((r) => outboxEntity(schoolId, reference, 'updateRecipientCard', r.id, at, '|ack')),
        outboxEntity(schoolId, reference, 'tellReporter', record.reporter.id, at, '|ack'),
      ];
      try {
        const result = await this.cases.submitTransaction([
          ['update', { partitionKey: schoolId, rowKey: caseKey(reference), status: 'acknowledged', acknowledgedById: person.id, acknowledgedByName: person.displayName, acknowledgedAt: at }, 'Merge', { etag: record.etag }],
          ...rows.map((row): TransactionAction => ['create', row]),
        ]);
        const etags = new Map(result.subResponses.map((r) => [r.rowKey, r.etag]));
        return { outcome: 'acknowledged', record: updated, outbox: rows.map((row) => fromOutboxEntity({ ...row, etag: etags.get(row.rowKey as string) ?? '*' })) };
      } catch (err) {
        if (isStatus(err, 409, 412)) continue;
        throw err;
      }
    }
    throw new Error('could not record the acknowledgement after 10 attempts');
  }

  async listCases(schoolId: string): Promise<CaseRecord[]> {
    const out: CaseRecord[] = [];
    const iter = this.cases.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${schoolId.replace(/'/g, "''")}' and RowKey ge 'case|' and RowKey lt 'case|~'` },
    });
    for await (const e of iter) out.push(fromCaseEntity(e));
    return out;
  }

  // --- outbox -------------------------------------------------------------------------------------

  async outboxFor(schoolId: string, reference: string): Promise<OutboxMessage[]> {
    const prefix = `outbox|${reference}|`;
    const out: OutboxMessage[] = [];
    const iter = this.cases.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${schoolId.replace(/'/g, "''")}' and RowKey ge '${prefix}' and RowKey lt '${prefix}~'` },
    });
    for await (const e of iter) out.push(fromOutboxEntity(e));
    return out;
  }

  /** Messages owed and due now, across schools (after a restart, or a failed attempt). */
  async dueOutbox(now: string, limit = 200): Promise<OutboxMessage[]> {
    const out: OutboxMessage[] = [];
    const iter = this.cases.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `RowKey ge 'outbox|' and RowKey lt 'outbox|~' and status eq 'pending' and nextAttemptAt le '${now}'` },
    });
    for await (const e of iter) {
      out.push(fromOutboxEntity(e));
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * Takes a message for this instance for `leaseSeconds`; false when another instance holds it or it
   * was sent. The ETag makes the claim exclusive.
   */
  async claim(message: OutboxMessage, now: Date, leaseSeconds: number): Promise<OutboxMessage | undefined> {
    const until = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
    try {
      const r = await this.cases.updateEntity(
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
    await this.cases.updateEntity(
      { partitionKey: message.schoolId, rowKey: message.rowKey, status: 'sent', sentAt: at, conversationId: location?.conversationId ?? '', activityId: location?.activityId ?? '', lastError: '' },
      'Merge',
    );
  }

  async markFailed(message: OutboxMessage, retryAt: string, error: string): Promise<void> {
    await this.cases.updateEntity(
      { partitionKey: message.schoolId, rowKey: message.rowKey, nextAttemptAt: retryAt, lastError: error.slice(0, 500) },
      'Merge',
    );
  }
}

export const newFormId = (): string => randomUUID();
