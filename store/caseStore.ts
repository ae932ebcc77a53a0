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
import { ROLE_TITLES } from '../core/roles';
import type { Recipient } from '../core/routing';
import { decideAcknowledgement } from '../core/acknowledgement';
import { GroupCommit } from './groupCommit';
import { isStatus, json, type Entity, type Tables } from './tables';

export interface CardLocation {
  conversationId: string;
  activityId: string;
  /** The connector the card was sent through: an update must go back the same way. */
  serviceUrl?: string;
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
  status: CaseStatus;
  acknowledgedBy?: Person;
  acknowledgedAt?: string;
  /** Where the reporter's receipt card is, so it can show the acknowledgement. */
  receipt?: CardLocation;
  /** When the current recipients must acknowledge by; escalation fires after it (PRODUCT.md §3). */
  deadline?: string;
  /** 0 = first recipients; each escalation step adds one (core/escalation.ts). */
  escalationLevel: number;
  /** Who the concern was first sent to (recipients change with escalation and reassignment). */
  routedTo?: Recipient[];
  /** The row in the escalation index for the current deadline, if one is pending. */
  dueKey?: string;
  closure?: Closure;
  retentionReviewOn?: string;
}

export type CaseStatus = 'open' | 'acknowledged' | 'closed';

export interface Closure {
  decision: string;
  reason: string;
  outcome: string;
  lessonsLearnt: string;
  closedBy: Person;
  closedAt: string;
}

/** One line of a case's chronology: append-only, never updated. */
export interface ChronologyEntry {
  at: string;
  kind: 'received' | 'routed' | 'delivered' | 'acknowledged' | 'escalated' | 'reassigned' | 'action' | 'closed' | 'reopened';
  by?: Person;
  summary: string;
  detail?: Record<string, unknown>;
}

export type OutboxKind = 'notifyRecipient' | 'updateRecipientCard' | 'tellReporter' | 'activityFeed';

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
    const cost = 3 + 2 * item.input.recipientCount; // case, submission key, due row; per recipient a card and a feed notification
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

export const dueKeyFor = (deadline: string, reference: string) => `due|${deadline}|${reference}`;
let chronSeq = 0;
const chronKey = (reference: string, at: string) => `chron|${reference}|${at}|${String(++chronSeq % 1e6).padStart(6, '0')}${Math.random().toString(36).slice(2, 6)}`;

export function chronologyEntity(schoolId: string, reference: string, entry: ChronologyEntry): Entity {
  return {
    partitionKey: schoolId,
    rowKey: chronKey(reference, entry.at),
    reference,
    at: entry.at,
    kind: entry.kind,
    byId: entry.by?.id ?? '',
    byName: entry.by?.displayName ?? '',
    summary: entry.summary.slice(0, 1000),
    detail: entry.detail ? JSON.stringify(entry.detail).slice(0, 30000) : '',
  };
}

function dueEntity(schoolId: string, reference: string, deadline: string, level: number): Entity {
  return { partitionKey: schoolId, rowKey: dueKeyFor(deadline, reference), reference, level };
}

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
    routedTo: JSON.stringify(c.routedTo ?? c.recipients),
    routeReasons: JSON.stringify(c.routeReasons),
    directoryStale: c.directoryStale,
    status: c.status,
    acknowledgedById: c.acknowledgedBy?.id ?? '',
    acknowledgedByName: c.acknowledgedBy?.displayName ?? '',
    acknowledgedAt: c.acknowledgedAt ?? '',
    receipt: c.receipt ? JSON.stringify(c.receipt) : '',
    deadline: c.deadline ?? '',
    dueKey: c.dueKey ?? '',
    escalationLevel: c.escalationLevel,
    closure: c.closure ? JSON.stringify(c.closure) : '',
    retentionReviewOn: c.retentionReviewOn ?? '',
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
    routedTo: json<Recipient[] | undefined>(e.routedTo, undefined),
    routeReasons: json<string[]>(e.routeReasons, []),
    directoryStale: e.directoryStale === true,
    status: (['open', 'acknowledged', 'closed'].includes(s('status')) ? s('status') : 'open') as CaseStatus,
    acknowledgedBy: s('acknowledgedById') ? { id: s('acknowledgedById'), displayName: s('acknowledgedByName') } : undefined,
    acknowledgedAt: s('acknowledgedAt') || undefined,
    receipt: s('receipt') ? json<CardLocation | undefined>(e.receipt, undefined) : undefined,
    deadline: s('deadline') || undefined,
    dueKey: s('dueKey') || undefined,
    escalationLevel: Number(e.escalationLevel ?? 0),
    closure: s('closure') ? json<Closure | undefined>(e.closure, undefined) : undefined,
    retentionReviewOn: s('retentionReviewOn') || undefined,
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
    serviceUrl: (e.serviceUrl as string) || undefined,
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

export interface CaseChange {
  update: Partial<CaseRecord>;
  /** A new acknowledgement deadline (ISO), null to clear it, undefined to leave it. */
  deadline?: string | null;
  chronology?: ChronologyEntry[];
  outbox?: { kind: OutboxKind; personId: string; at: string; suffix: string }[];
}

export type ChangeResult<R extends string> =
  | { outcome: 'changed'; record: CaseRecord & { etag: string }; outbox: OutboxMessage[] }
  | { outcome: 'refused'; reason: R; record: CaseRecord }
  | { outcome: 'notFound' };

export interface DueEscalation {
  schoolId: string;
  rowKey: string;
  reference: string;
  level: number;
  etag: string;
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
  /**
   * @param leaseSeconds messages a change writes start claimed by this instance for this long (it sends
   * them at once); the sweep of any instance takes them only after that.
   */
  private readonly sentMarks: GroupCommit;

  constructor(private readonly tables: Tables, private readonly leaseSeconds = 60) {
    this.sentMarks = new GroupCommit(() => this.tables.Cases);
  }

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
        const claimUntil = item.input.claimUntil ?? record.createdAt;
        const rows = [
          ...record.recipients.map((r) => outboxEntity(schoolId, reference, 'notifyRecipient', r.id, claimUntil)),
          // Urgent cases also raise a Teams activity-feed notification (PRODUCT.md §2).
          ...(record.urgent ? record.recipients.map((r) => outboxEntity(schoolId, reference, 'activityFeed', r.id, claimUntil)) : []),
        ];
        const due = record.deadline ? dueEntity(schoolId, reference, record.deadline, record.escalationLevel) : undefined;
        if (due) record.dueKey = due.rowKey as string;
        actions.push(
          ['create', toCaseEntity(record)],
          ...(due ? [['create', due] as TransactionAction] : []),
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
          outbox: rows.map((row) => ({ ...fromOutboxEntity({ ...row, etag: etags.get(row.rowKey as string) ?? '' }), claimed: !!items[0].input.claimUntil })),
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
   * Changes one case in one transaction: the case (guarded by its ETag), the escalation index, the
   * chronology and the messages owed. `decide` sees the stored case and either refuses or describes the
   * change; on a concurrent change it is asked again with the new state, so two presses at the same
   * moment give exactly one change.
   */
  async changeCase<R extends string>(
    schoolId: string,
    reference: string,
    decide: (record: CaseRecord & { etag: string }) => CaseChange | { refused: R },
    extra: (record: CaseRecord) => TransactionAction[] = () => [],
  ): Promise<ChangeResult<R>> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const record = await this.getCase(schoolId, reference);
      if (!record) return { outcome: 'notFound' };
      const change = decide(record);
      if ('refused' in change) return { outcome: 'refused', reason: change.refused, record };
      const updated: CaseRecord = { ...record, ...change.update };
      const actions: TransactionAction[] = [];
      if (change.deadline !== undefined) {
        const nextKey = change.deadline ? dueKeyFor(change.deadline, reference) : undefined;
        updated.deadline = change.deadline ?? undefined;
        updated.dueKey = nextKey;
        // An entity may appear once in a transaction: the same deadline again is one upsert.
        if (record.dueKey && record.dueKey !== nextKey) actions.push(['delete', { partitionKey: schoolId, rowKey: record.dueKey }]);
        if (change.deadline) actions.push(['upsert', dueEntity(schoolId, reference, change.deadline, updated.escalationLevel), 'Replace']);
      }
      const entity = toCaseEntity(updated);
      actions.unshift(['update', entity, 'Replace', { etag: record.etag }]);
      actions.push(...extra(record));
      for (const entry of change.chronology ?? []) actions.push(['create', chronologyEntity(schoolId, reference, entry)]);
      const claimUntil = new Date(Date.parse(change.outbox?.[0]?.at ?? new Date().toISOString()) + this.leaseSeconds * 1000).toISOString();
      const rows = (change.outbox ?? []).map((o) => outboxEntity(schoolId, reference, o.kind, o.personId, claimUntil, o.suffix));
      actions.push(...rows.map((row): TransactionAction => ['create', row]));
      try {
        const result = await this.cases.submitTransaction(actions);
        const etags = new Map(result.subResponses.map((r) => [r.rowKey, r.etag]));
        return {
          outcome: 'changed',
          record: { ...updated, etag: etags.get(entity.rowKey as string) ?? '' },
          outbox: rows.map((row) => ({ ...fromOutboxEntity({ ...row, etag: etags.get(row.rowKey as string) ?? '' }), claimed: true })),
        };
      } catch (err) {
        if (isStatus(err, 409, 412, 404)) {
          if (attempt === 9) throw err;
          continue;
        }
        throw err;
      }
    }
    throw new Error('could not change the case after 10 attempts');
  }

  /**
   * Records one acknowledgement. Decided against the stored case; the ETag makes two presses at the
   * same moment give exactly one acknowledgement.
   */
  async acknowledge(schoolId: string, reference: string, personId: string, at: string): Promise<AcknowledgeResult> {
    const r = await this.changeCase<'notARecipient' | 'alreadyAcknowledged'>(schoolId, reference, (record) => {
      const decision = decideAcknowledgement({ recipientIds: record.recipients.map((x) => x.id), acknowledgedById: record.acknowledgedBy?.id }, personId);
      if (decision.outcome !== 'acknowledge') return { refused: decision.outcome };
      // The name shown on every card is the one stored with the case's recipients.
      const me = record.recipients.find((x) => x.id === personId)!;
      const person: Person = { id: me.id, displayName: me.displayName };
      return {
        update: { status: record.status === 'closed' ? 'closed' : 'acknowledged', acknowledgedBy: person, acknowledgedAt: at },
        deadline: null,
        chronology: [{ at, kind: 'acknowledged', by: person, summary: `Acknowledged by ${person.displayName}` }],
        outbox: [
          ...record.recipients.map((x) => ({ kind: 'updateRecipientCard' as const, personId: x.id, at, suffix: '|ack' })),
          { kind: 'tellReporter' as const, personId: record.reporter.id, at, suffix: '|ack' },
        ],
      };
    });
    if (r.outcome === 'notFound') return r;
    if (r.outcome === 'refused') return { outcome: r.reason, record: r.record };
    return { outcome: 'acknowledged', record: r.record, outbox: r.outbox };
  }

  /**
   * The case's chronology: its first two lines (received, routed) are read from the case itself, which
   * is written once with them; the rest are append-only rows.
   */
  async chronology(schoolId: string, reference: string, known?: CaseRecord): Promise<ChronologyEntry[]> {
    const record = known ?? (await this.getCase(schoolId, reference));
    if (!record) return [];
    const first = record.routedTo ?? record.recipients;
    const out: ChronologyEntry[] = [
      { at: record.createdAt, kind: 'received', by: record.reporter, summary: `Concern received from ${record.reporter.displayName}${record.concern.immediateDanger ? ' (immediate danger)' : ''}` },
      {
        at: record.createdAt,
        kind: 'routed',
        summary: `Sent to ${first.map((x) => `${x.displayName} (${ROLE_TITLES[x.role]})`).join(', ') || 'nobody: no one holds the roles'}`,
        detail: { reasons: record.routeReasons, recipients: first },
      },
    ];
    const prefix = `chron|${reference}|`;
    const iter = this.cases.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${schoolId.replace(/'/g, "''")}' and RowKey ge '${prefix}' and RowKey lt '${prefix}~'` },
    });
    for await (const e of iter) {
      out.push({
        at: String(e.at),
        kind: e.kind as ChronologyEntry['kind'],
        by: e.byId ? { id: String(e.byId), displayName: String(e.byName ?? '') } : undefined,
        summary: String(e.summary ?? ''),
        detail: e.detail ? json<Record<string, unknown> | undefined>(e.detail, undefined) : undefined,
      });
    }
    return out;
  }

  /** Deletes an escalation index row that no longer matches its case (only if unchanged since read). */
  async removeDue(due: DueEscalation): Promise<void> {
    try {
      await this.cases.deleteEntity(due.schoolId, due.rowKey, { etag: due.etag });
    } catch (err) {
      if (!isStatus(err, 404, 412)) throw err;
    }
  }

  async appendChronology(schoolId: string, reference: string, entry: ChronologyEntry): Promise<void> {
    await this.cases.createEntity(chronologyEntity(schoolId, reference, entry));
  }

  /** Escalation index rows whose deadline has passed, across schools. */
  async dueEscalations(now: string, limit = 200): Promise<DueEscalation[]> {
    const out: DueEscalation[] = [];
    const iter = this.cases.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `RowKey ge 'due|' and RowKey le 'due|${now}'` },
    });
    for await (const e of iter) {
      out.push({ schoolId: String(e.partitionKey), rowKey: String(e.rowKey), reference: String(e.reference), level: Number(e.level ?? 0), etag: String(e.etag) });
      if (out.length >= limit) break;
    }
    return out;
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
    if (!message.etag || message.etag === '*') {
      // Never claim unconditionally: read the row as it is now and claim that.
      try {
        const current = fromOutboxEntity(await this.cases.getEntity<Record<string, unknown>>(message.schoolId, message.rowKey));
        if (current.status !== 'pending' || current.nextAttemptAt > now.toISOString()) return undefined;
        message = current;
      } catch (err) {
        if (isStatus(err, 404)) return undefined;
        throw err;
      }
    }
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

  /** Messages sent at the same moment are marked in one write (see GroupCommit). */
  async markSent(message: OutboxMessage, at: string, location?: CardLocation): Promise<void> {
    await this.sentMarks.add(message.schoolId, [
      'update',
      { partitionKey: message.schoolId, rowKey: message.rowKey, status: 'sent', sentAt: at, conversationId: location?.conversationId ?? '', activityId: location?.activityId ?? '', serviceUrl: location?.serviceUrl ?? '', lastError: '' },
      'Merge',
    ]);
  }

  async markFailed(message: OutboxMessage, retryAt: string, error: string): Promise<void> {
    await this.cases.updateEntity(
      { partitionKey: message.schoolId, rowKey: message.rowKey, nextAttemptAt: retryAt, lastError: error.slice(0, 500) },
      'Merge',
    );
  }
}

export const newFormId = (): string => randomUUID();
