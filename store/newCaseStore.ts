/**
 * New cases: the reference (`SMP-2026-0042`, from the year's counter), the submission key that makes a
 * double submit harmless, the case, its first deadline and one outbox row per message owed, all in one
 * transaction in the school's partition, so a case is never stored without the messages that tell
 * people about it, nor the reverse.
 *
 * Group commit: submissions for one school that arrive while a write is under way are written together
 * in the next transaction (one counter update for all of them), so fifty reporters at once make a
 * handful of transactions, not fifty racing for the counter. The counter's ETag still guards against
 * other server instances.
 */
import type { TransactionAction } from '@azure/data-tables';
import type { CaseRecord } from '../core/case';
import { formatReference } from '../core/concern';
import { dueEntity, journalEntity, staleEntity, toCaseEntity, type CaseStore, type StoredCase } from './caseStore';
import { auditEntity, type AuditEntry } from './auditStore';
import { outboxEntity, toOutboxMessage, type OutboxMessage } from './outboxStore';
import { etagsOf, isStatus, isUnreachable, prefixFilter, readOrUndefined, type Tables } from './tables';

export interface NewCase {
  schoolId: string;
  referencePrefix: string;
  year: number;
  /** Idempotency: one case per (reporter, form), however often the form is submitted. */
  formId: string;
  build: (reference: string) => CaseRecord;
  /** The outbox rows start claimed by this instance until then (it sends them at once). */
  claimUntil?: string;
  /** The audit row of the case's creation, written in the same transaction. */
  audit?: (record: CaseRecord) => Omit<AuditEntry, 'reference'>;
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

const MAX_TRANSACTION_ACTIONS = 100;
/** A transaction's body may not pass 4 MiB. */
const MAX_TRANSACTION_BYTES = 3 * 1024 * 1024;

const submissionKey = (reporterId: string, formId: string) => `submission|${reporterId}|${formId}`;

/** The rows a case takes in a transaction, at most: case, submission key, due row, audit row, stale row, the reporter's receipt; per recipient a card and a feed notification. */
function actionsFor(record: CaseRecord): number {
  return 6 + 2 * record.recipients.length;
}

/** The rows a transaction takes besides its cases': the counter and the journal row. */
const BATCH_ACTIONS = 2;

/** Splits the waiting cases into transactions: one year each, within the action and size limits. */
function batches(groups: { item: PendingCase; record: CaseRecord; bytes: number }[][]): { item: PendingCase; record: CaseRecord; bytes: number }[][][] {
  const out: (typeof groups)[] = [];
  let current: typeof groups = [];
  let actions = BATCH_ACTIONS;
  let bytes = 0;
  for (const group of groups) {
    const { item, record, bytes: size } = group[0];
    const cost = actionsFor(record);
    const sameYear = current.length === 0 || current[0][0].item.input.year === item.input.year;
    if (current.length > 0 && (!sameYear || actions + cost > MAX_TRANSACTION_ACTIONS || bytes + size > MAX_TRANSACTION_BYTES)) {
      out.push(current);
      current = [];
      actions = BATCH_ACTIONS;
      bytes = 0;
    }
    current.push(group);
    actions += cost;
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

/** Serialises writes to one school's counter inside this process; the ETag guards across processes. */
class PartitionQueue {
  private tails = new Map<string, Promise<unknown>>();
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}

/** A refusal of one entity (not an outage): in a batch, the others should still be written. */
function isPerEntityError(err: unknown): boolean {
  return !isUnreachable(err) && isStatus(err, 400, 404, 409, 412, 413);
}

export class NewCaseStore {
  private readonly queue = new PartitionQueue();
  private readonly pending = new Map<string, PendingCase[]>();
  /** The counter as this instance last wrote it; its ETag proves nobody has moved it since. */
  private readonly counters = new Map<string, { next: number; etag?: string }>();

  constructor(private readonly tables: Tables, private readonly cases: CaseStore) {}

  /**
   * Stores a new case with its reference, its submission key and one outbox message per recipient, in
   * one transaction. A second submission of the same form returns the first case. A case too large to
   * store is refused alone (EntityTooLargeError), never failing the others written with it.
   */
  create(input: NewCase, reporterId: string): Promise<CreatedCase> {
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
    const byKey = new Map<string, { item: PendingCase; record: CaseRecord; bytes: number }[]>();
    for (const item of items) {
      let sized: { item: PendingCase; record: CaseRecord; bytes: number };
      try {
        // Checked before batching: one oversized case must not fail its neighbours' transaction.
        const record = item.input.build(formatReference(item.input.referencePrefix, item.input.year, 0));
        sized = { item, record, bytes: Buffer.byteLength(JSON.stringify(toCaseEntity(record)), 'utf16le') };
      } catch (err) {
        item.reject(err);
        continue;
      }
      const key = submissionKey(item.reporterId, item.input.formId);
      byKey.set(key, [...(byKey.get(key) ?? []), sized]);
    }
    const settle = (group: { item: PendingCase }[], result: Promise<CreatedCase>) =>
      result.then(
        (r) => group.forEach((g, i) => g.item.resolve(i === 0 ? r : { ...r, created: false, outbox: [] })),
        (err) => group.forEach((g) => g.item.reject(err)),
      );
    for (const batch of batches([...byKey.values()])) {
      try {
        const results = await this.writeBatch(schoolId, batch.map((g) => g[0].item));
        batch.forEach((group, i) => void settle(group, Promise.resolve(results[i])));
      } catch (err) {
        if (!isPerEntityError(err)) {
          batch.forEach((group) => void settle(group, Promise.reject(err)));
          continue;
        }
        // One of them was refused (a form another instance stored meanwhile, a row storage would not
        // take): write them one by one, so that only that one answers with its own outcome.
        for (const group of batch) await settle(group, this.writeOne(schoolId, group[0].item));
      }
    }
  }

  private async writeOne(schoolId: string, item: PendingCase): Promise<CreatedCase> {
    const existing = await this.existingFor(schoolId, item.reporterId, item.input.formId);
    if (existing) return { record: existing, created: false, outbox: [] };
    return (await this.writeBatch(schoolId, [item]))[0];
  }

  /**
   * The references of every concern a person raised, whatever it was raised with: their submission
   * keys, one range of the school's partition ("My concerns").
   */
  async referencesOf(schoolId: string, reporterId: string): Promise<string[]> {
    const out: string[] = [];
    const rows = this.tables.Cases.listEntities<{ reference: string }>({ queryOptions: { filter: prefixFilter(schoolId, `submission|${reporterId}|`), select: ['reference'] } });
    for await (const e of rows) out.push(String(e.reference));
    return out;
  }

  /** The reference of the case a (reporter, form) already made, if any: one read, for retries that need no routing. */
  async referenceFor(schoolId: string, reporterId: string, formId: string): Promise<string | undefined> {
    const e = await readOrUndefined(() => this.tables.Cases.getEntity<{ reference: string }>(schoolId, submissionKey(reporterId, formId)));
    return e?.reference;
  }

  /** Every form id a reporter's cases were made from (the monitoring system's: its alerts' keys), in one range read. */
  async formsOf(schoolId: string, reporterId: string): Promise<Set<string>> {
    const prefix = submissionKey(reporterId, '');
    const out = new Set<string>();
    for await (const e of this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(schoolId, prefix), select: ['RowKey'] } })) out.add(String(e.rowKey).slice(prefix.length));
    return out;
  }

  private async existingFor(schoolId: string, reporterId: string, formId: string): Promise<StoredCase | undefined> {
    const e = await readOrUndefined(() => this.tables.Cases.getEntity<{ reference: string }>(schoolId, submissionKey(reporterId, formId)));
    return e ? this.cases.getCase(schoolId, e.reference) : undefined;
  }

  /** One transaction: the counter moves on by the batch's size, and each case gets its rows. */
  private async writeBatch(schoolId: string, items: PendingCase[]): Promise<CreatedCase[]> {
    const year = items[0].input.year;
    const counterKey = `counter|${year}`;
    const cacheKey = `${schoolId}|${counterKey}`;
    for (let attempt = 0; attempt < 20; attempt++) {
      let counter = this.counters.get(cacheKey);
      if (!counter) {
        const e = await readOrUndefined(() => this.tables.Cases.getEntity<{ next: number }>(schoolId, counterKey));
        counter = e ? { next: Number(e.next), etag: e.etag } : { next: 1 };
      }
      const counterEntity = { partitionKey: schoolId, rowKey: counterKey, next: counter.next + items.length };
      const actions: TransactionAction[] = [counter.etag ? ['update', counterEntity, 'Replace', { etag: counter.etag }] : ['create', counterEntity]];
      const built = items.map((item, i) => {
        const reference = formatReference(item.input.referencePrefix, year, counter.next + i);
        const record = item.input.build(reference);
        const claimUntil = item.input.claimUntil ?? record.createdAt;
        const rows = [
          ...record.recipients.map((r) => outboxEntity(schoolId, reference, { kind: 'notifyRecipient', personId: r.id }, claimUntil)),
          // Urgent cases also raise a Teams activity-feed notification (PRODUCT.md §2).
          ...(record.urgent ? record.recipients.map((r) => outboxEntity(schoolId, reference, { kind: 'activityFeed', personId: r.id }, claimUntil)) : []),
          // Raised outside the chat (no receipt card there to update): the receipt goes to the reporter's chat,
          // unless the reporter is the school's monitoring system, which has no chat.
          ...(record.receipt || record.concern.monitoring ? [] : [outboxEntity(schoolId, reference, { kind: 'sendReceipt', personId: record.reporter.id }, claimUntil)]),
        ];
        const due = record.deadline ? dueEntity(schoolId, reference, record.deadline, record.escalationLevel) : undefined;
        if (due) record.dueKey = due.rowKey as string;
        actions.push(
          ['create', toCaseEntity(record)],
          ...(due ? [['create', due] as TransactionAction] : []),
          ['create', { partitionKey: schoolId, rowKey: submissionKey(item.reporterId, item.input.formId), reference, createdAt: record.createdAt }],
          ...rows.map((row): TransactionAction => ['create', row]),
          ...(item.input.audit ? [['create', auditEntity(schoolId, { ...item.input.audit(record), reference }, record.createdAt)] as TransactionAction] : []),
          // Routed without Graph: listed, so that it is routed again when Graph answers (cases/reroute.ts).
          ...(record.directoryStale ? [['create', staleEntity(schoolId, reference)] as TransactionAction] : []),
        );
        return { record, rows };
      });
      // One journal row for the batch; now, not when raised: a concern stored after an outage must still reach the case list.
      actions.push(['create', journalEntity(schoolId, built.map((b) => b.record.reference), new Date().toISOString())]);
      if (actions.length > MAX_TRANSACTION_ACTIONS) throw new Error('too many recipients for one transaction');
      try {
        const result = await this.tables.Cases.submitTransaction(actions);
        const etags = etagsOf(actions, result);
        const counterEtag = etags.get(counterKey);
        if (counterEtag) this.counters.set(cacheKey, { next: counterEntity.next, etag: counterEtag });
        return built.map(({ record, rows }) => ({
          record,
          created: true,
          outbox: rows.map((row) => ({ ...toOutboxMessage({ ...row, etag: etags.get(row.rowKey as string) ?? '' }), claimed: !!items[0].input.claimUntil })),
        }));
      } catch (err) {
        this.counters.delete(cacheKey);
        // Another instance moved the counter on: read it again.
        if (isStatus(err, 412) || (isStatus(err, 409) && !counter.etag)) continue;
        throw err;
      }
    }
    throw new Error('could not allocate case references after 20 attempts');
  }
}
