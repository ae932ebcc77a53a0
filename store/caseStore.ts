/**
 * Cases in the school's partition of the `Cases` table (see tables.ts for why one partition): reading
 * them, and changing one in one ETag-guarded transaction with its escalation deadline, its chronology
 * lines and the messages it owes. New cases and their references are written by newCaseStore.ts.
 * The store stores: what changes is decided in core/caseDecisions.ts.
 */
import type { TransactionAction } from '@azure/data-tables';
import { randomBytes } from 'node:crypto';
import type { CardLocation, CaseChange, CaseRecord, CaseStatus, Closure, NextStep, Refusal } from '../core/case';
import type { Concern } from '../core/concern';
import type { PhaseId } from '../core/phases';
import type { Recipient } from '../core/routing';
import { caseFacts } from '../core/trends';
import { auditEntity, type AuditEntry } from './auditStore';
import { factColumns } from './caseFactsStore';
import { chronologyEntity } from './chronologyStore';
import { outboxEntity, toOutboxMessage, type OutboxMessage } from './outboxStore';
import { odata } from '@azure/data-tables';
import { etagsOf, isStatus, json, largestProperty, MAX_PROPERTY_CHARS, prefixFilter, readOrUndefined, type Entity, type Tables } from './tables';

/** Azure Tables refuses an entity over 1 MiB; Azurite does not, so we check ours. */
export const MAX_ENTITY_BYTES = 1024 * 1024 - 4096;

export class EntityTooLargeError extends Error {}

export type StoredCase = CaseRecord & { etag: string };

export const caseKey = (reference: string) => `case|${reference}`;
export const dueKeyFor = (deadline: string, reference: string) => `due|${deadline}|${reference}`;

/**
 * The journal of changes: a `chg|<time>|<reference>` row written in the transaction of every case
 * created or changed, so that the case list learns what changed since it last looked with one small
 * range read, however many cases the school has (pruned after two days). A transaction that creates
 * several cases writes one row naming them all (`reference`: references separated by spaces).
 */
export function journalEntity(schoolId: string, references: string | string[], at: string): Entity {
  const list = typeof references === 'string' ? [references] : references;
  return { partitionKey: schoolId, rowKey: `chg|${at}|${list[0]}|${randomBytes(3).toString('hex')}`, reference: list.join(' ') };
}

/** Next steps by their day, to find the overdue ones: `next|<YYYY-MM-DD>|<reference>`. */
const nextKey = (step: NextStep, reference: string) => `next|${step.dueOn}|${reference}`;

/** A case routed without Microsoft Graph: `stale|<reference>` until it is routed again. */
export function staleEntity(schoolId: string, reference: string): Entity {
  return { partitionKey: schoolId, rowKey: `stale|${reference}`, reference };
}

export function dueEntity(schoolId: string, reference: string, deadline: string, level: number): Entity {
  return { partitionKey: schoolId, rowKey: dueKeyFor(deadline, reference), reference, level };
}

/**
 * The case as one entity. Refused (EntityTooLargeError) when a property would pass Azure Tables' 64 KiB
 * or the entity its 1 MiB: text within the form's character limits can still grow once JSON-escaped
 * (control characters become six), and Azurite would not say.
 */
export function toCaseEntity(c: CaseRecord): Entity {
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
    missedDeadlineAt: c.missedDeadlineAt ?? '',
    closure: c.closure ? JSON.stringify(c.closure) : '',
    retentionReviewOn: c.retentionReviewOn ?? '',
    formerRecipients: c.formerRecipients?.length ? JSON.stringify(c.formerRecipients) : '',
    nextStep: c.nextStep ? JSON.stringify(c.nextStep) : '',
    // What the trends read, and nothing else (store/caseFactsStore.ts): no names, no free text.
    ...factColumns(caseFacts(c)),
  };
  const largest = largestProperty(entity);
  if (largest.chars > MAX_PROPERTY_CHARS) throw new EntityTooLargeError(`case property ${largest.name} would be ${largest.chars} characters`);
  const bytes = Buffer.byteLength(JSON.stringify(entity), 'utf16le');
  if (bytes > MAX_ENTITY_BYTES) throw new EntityTooLargeError(`case entity would be ${bytes} bytes`);
  return entity;
}

function fromCaseEntity(e: Record<string, unknown>): StoredCase {
  const s = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return {
    schoolId: String(e.partitionKey),
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
    missedDeadlineAt: s('missedDeadlineAt') || undefined,
    closure: s('closure') ? json<Closure | undefined>(e.closure, undefined) : undefined,
    retentionReviewOn: s('retentionReviewOn') || undefined,
    formerRecipients: s('formerRecipients') ? json<Recipient[]>(e.formerRecipients, []) : undefined,
    nextStep: s('nextStep') ? json<NextStep | undefined>(e.nextStep, undefined) : undefined,
    etag: s('etag'),
  };
}

/** The index rows a change adds or removes: its next step. */
function indexChanges(schoolId: string, before: CaseRecord, after: CaseRecord): TransactionAction[] {
  const actions: TransactionAction[] = [];
  const oldNext = before.nextStep && !before.nextStep.remindedOn ? nextKey(before.nextStep, before.reference) : undefined;
  const newNext = after.nextStep && !after.nextStep.remindedOn && after.status !== 'closed' ? nextKey(after.nextStep, after.reference) : undefined;
  if (oldNext && oldNext !== newNext) actions.push(['delete', { partitionKey: schoolId, rowKey: oldNext }]);
  if (newNext && newNext !== oldNext) actions.push(['upsert', { partitionKey: schoolId, rowKey: newNext, reference: after.reference }, 'Replace']);
  return actions;
}

export type ChangeResult<R extends string> =
  | { outcome: 'changed'; record: StoredCase; outbox: OutboxMessage[] }
  | { outcome: 'refused'; reason: R; record: StoredCase }
  | { outcome: 'notFound' };

/** A row of the escalation index: a deadline, and the case it belongs to. */
export interface DueEscalation {
  schoolId: string;
  rowKey: string;
  reference: string;
  level: number;
  etag: string;
}

/** How far back the case list re-reads the journal each time (writes from other instances, their clocks a little apart). */
const JOURNAL_OVERLAP_MS = 30_000;

export class CaseStore {
  /** Every case of each school, kept in step through the journal (see journalEntity). */
  private readonly everyCase = new Map<string, { cases: Map<string, StoredCase>; cursor: number }>();

  /**
   * @param leaseSeconds messages a change writes start claimed by this instance for this long (it sends
   * them at once); the sweep of any instance takes them only after that.
   */
  constructor(private readonly tables: Tables, private readonly leaseSeconds = 60) {}

  /**
   * Every case of the school, for the case list: read whole once, then brought up to date by the
   * journal of changes since (one small range read, and one read per case changed).
   */
  async allCases(schoolId: string): Promise<ReadonlyMap<string, StoredCase>> {
    const started = Date.now();
    let known = this.everyCase.get(schoolId);
    if (!known) {
      const cases = new Map((await this.listCases(schoolId)).map((c) => [c.reference, c]));
      known = { cases, cursor: started };
      this.everyCase.set(schoolId, known);
      return cases;
    }
    const since = new Date(known.cursor - JOURNAL_OVERLAP_MS).toISOString();
    const changed = await this.changedSince(schoolId, since);
    const fresh = await Promise.all([...changed].map((ref) => this.getCase(schoolId, ref)));
    for (const c of fresh) if (c) known.cases.set(c.reference, c);
    known.cursor = started;
    return known.cases;
  }

  async getCase(schoolId: string, reference: string): Promise<StoredCase | undefined> {
    const e = await readOrUndefined(() => this.tables.Cases.getEntity<Record<string, unknown>>(schoolId, caseKey(reference)));
    return e && fromCaseEntity(e);
  }

  /** Every case of the school: one range query in its partition. */
  async listCases(schoolId: string): Promise<StoredCase[]> {
    const out: StoredCase[] = [];
    for await (const e of this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(schoolId, 'case|') } })) out.push(fromCaseEntity(e));
    return out;
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
    decide: (record: StoredCase) => CaseChange | Refusal<R>,
    /** The change's audit row, written in the same transaction (a change is never stored without it). */
    audit?: (record: StoredCase, change: CaseChange) => Omit<AuditEntry, 'reference'>,
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
      if (record.directoryStale && updated.directoryStale === false) actions.push(['delete', { partitionKey: schoolId, rowKey: `stale|${reference}` }]);
      actions.push(...indexChanges(schoolId, record, updated));
      const at = new Date().toISOString();
      actions.push(['create', journalEntity(schoolId, reference, at)]);
      const entity = toCaseEntity(updated);
      actions.unshift(['update', entity, 'Replace', { etag: record.etag }]);
      for (const entry of change.chronology ?? []) actions.push(['create', chronologyEntity(schoolId, reference, entry)]);
      const claimUntil = new Date(Date.parse(change.outbox?.[0]?.at ?? new Date().toISOString()) + this.leaseSeconds * 1000).toISOString();
      const rows = (change.outbox ?? []).map((o) => outboxEntity(schoolId, reference, o, claimUntil));
      actions.push(...rows.map((row): TransactionAction => ['create', row]));
      if (audit) actions.push(['create', auditEntity(schoolId, { ...audit(record, change), reference }, at)]);
      try {
        const result = await this.tables.Cases.submitTransaction(actions);
        const etags = etagsOf(actions, result);
        return {
          outcome: 'changed',
          record: { ...updated, etag: etags.get(entity.rowKey as string) ?? '' },
          outbox: rows.map((row) => ({ ...toOutboxMessage({ ...row, etag: etags.get(row.rowKey as string) ?? '' }), claimed: true })),
        };
      } catch (err) {
        // Someone changed the case meanwhile: decide again on what is stored now.
        if (isStatus(err, 409, 412, 404) && attempt < 9) continue;
        throw err;
      }
    }
    throw new Error('could not change the case after 10 attempts');
  }

  /** The school's earliest pending acknowledgement deadline (the escalation index is in deadline order). */
  async earliestDeadline(schoolId: string): Promise<string | undefined> {
    const pages = this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(schoolId, 'due|'), select: ['RowKey'] } }).byPage({ maxPageSize: 1 });
    for await (const page of pages) {
      const first = page[0];
      return first ? String(first.rowKey).split('|')[1] : undefined;
    }
    return undefined;
  }

  /** The index rows of next steps due before `today` and not reminded yet. */
  async overdueNextSteps(schoolId: string, today: string): Promise<{ reference: string; rowKey: string }[]> {
    const out: { reference: string; rowKey: string }[] = [];
    const iter = this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge 'next|' and RowKey lt ${`next|${today}`}`, select: ['RowKey', 'reference'] } });
    for await (const e of iter) out.push({ reference: String(e.reference), rowKey: String(e.rowKey) });
    return out;
  }

  /** Removes an index row that no longer points at anything to do (a next step done or replaced meanwhile). */
  async removeIndexRow(schoolId: string, rowKey: string): Promise<void> {
    await this.tables.Cases.deleteEntity(schoolId, rowKey).catch((err) => {
      if (!isStatus(err, 404)) throw err;
    });
  }

  /** The references of cases changed since `since` (ISO), from the journal. */
  async changedSince(schoolId: string, since: string): Promise<Set<string>> {
    const out = new Set<string>();
    const iter = this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge ${`chg|${since}`} and RowKey lt 'chg|~'`, select: ['reference'] } });
    for await (const e of iter) for (const reference of String(e.reference).split(' ')) if (reference) out.add(reference);
    return out;
  }

  /** Journal rows older than `before` (ISO) are deleted: the case list only ever asks about the last moments. */
  async pruneJournal(schoolId: string, before: string): Promise<number> {
    const keys: string[] = [];
    const iter = this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge 'chg|' and RowKey lt ${`chg|${before}`}`, select: ['RowKey'] } });
    for await (const e of iter) keys.push(String(e.rowKey));
    for (let i = 0; i < keys.length; i += 100) {
      await this.tables.Cases.submitTransaction(keys.slice(i, i + 100).map((rowKey): TransactionAction => ['delete', { partitionKey: schoolId, rowKey }]));
    }
    return keys.length;
  }

  /** The references of the school's cases routed without Microsoft Graph, waiting to be routed again. */
  async staleCases(schoolId: string): Promise<string[]> {
    const out: string[] = [];
    for await (const e of this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(schoolId, 'stale|'), select: ['reference'] } })) out.push(String(e.reference));
    return out;
  }

  /**
   * The school's escalation index rows whose deadline has passed: a range of its own partition, so the
   * cost is the same whether the tables hold one school or five hundred.
   */
  async dueEscalations(schoolId: string, now: string, limit = 200): Promise<DueEscalation[]> {
    const out: DueEscalation[] = [];
    const iter = this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge 'due|' and RowKey le ${`due|${now}`}` } });
    for await (const e of iter) {
      out.push({ schoolId: String(e.partitionKey), rowKey: String(e.rowKey), reference: String(e.reference), level: Number(e.level ?? 0), etag: String(e.etag) });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Deletes an escalation index row that no longer matches its case (only if unchanged since read). */
  async removeDue(due: DueEscalation): Promise<void> {
    try {
      await this.tables.Cases.deleteEntity(due.schoolId, due.rowKey, { etag: due.etag });
    } catch (err) {
      if (!isStatus(err, 404, 412)) throw err;
    }
  }
}
