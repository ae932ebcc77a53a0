/**
 * Staff training records (PRODUCT.md §5; policy §5.3): the `Training` table, one partition per school.
 *
 * A record's RowKey is `r|<person>|<course>|<id>`, where the id is drawn from the person, the course and
 * the day it was first recorded as done: recording the same completion again (a re-import of the same
 * file, a session recorded twice) finds the same row and changes nothing. One person's records are one
 * range. A correction changes the row in place and keeps what it replaced in the row's history (with
 * who, when and why); a record entered in error is withdrawn, not deleted: nothing is ever lost.
 * `meta|stamp` is rewritten after every write, so the whole-school matrix can be kept in memory
 * (store/partitionCache.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import type { TrainingRecord } from '../core/training';
import { PartitionCache, type CachedRows } from './partitionCache';
import { isKeySafe, isStatus, json, keyPart, prefixFilter, readOrUndefined, type Entity, type Tables } from './tables';

export type RecordSource = 'tab' | 'csv' | 'self' | 'teams';
/** confirmed counts; pending waits for the office (a self-report); rejected and withdrawn never count. */
export type RecordState = 'confirmed' | 'pending' | 'rejected' | 'withdrawn';

/** What a record says about the training itself (what a correction may change). */
export interface RecordDetails {
  completedOn: string;
  provider?: string;
  hours?: number;
  /** A link or a certificate number: never an uploaded file. */
  evidence?: string;
}

export interface HistoryEntry {
  at: string;
  byId: string;
  byName: string;
  /** "corrected", "confirmed", "rejected", "withdrawn" */
  what: string;
  reason?: string;
  /** The values this change replaced. */
  before: Partial<RecordDetails> & { state?: RecordState };
}

export interface StoredTrainingRecord extends RecordDetails {
  /** The RowKey without its `r|`: stable for the record's life. */
  key: string;
  personId: string;
  personName: string;
  courseId: string;
  source: RecordSource;
  state: RecordState;
  recordedById: string;
  recordedByName: string;
  recordedAt: string;
  history: HistoryEntry[];
  etag: string;
}

export type NewTrainingRecord = Omit<StoredTrainingRecord, 'key' | 'history' | 'etag'>;

const STAMP = 'meta|stamp';
const MAX_HISTORY = 50;
const MAX_TRANSACTION_ACTIONS = 100;
const PARALLEL_TRANSACTIONS = 4;

/** The same person, course and day always give the same key. */
export function recordKey(personId: string, courseId: string, completedOn: string): string {
  const id = createHash('sha256').update(`${personId}|${courseId}|${completedOn}`).digest('hex').slice(0, 16);
  return `${personId}|${courseId}|${id}`;
}

function toRecord(e: Record<string, unknown>): StoredTrainingRecord {
  const s = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  const hours = Number(e.hours);
  return {
    key: s('rowKey').slice(2),
    personId: s('personId'),
    personName: s('personName'),
    courseId: s('courseId'),
    completedOn: s('completedOn'),
    provider: s('provider') || undefined,
    hours: e.hours !== undefined && e.hours !== '' && Number.isFinite(hours) ? hours : undefined,
    evidence: s('evidence') || undefined,
    source: (s('source') || 'tab') as RecordSource,
    state: (s('state') || 'confirmed') as RecordState,
    recordedById: s('recordedById'),
    recordedByName: s('recordedByName'),
    recordedAt: s('recordedAt'),
    history: json<HistoryEntry[]>(e.history, []),
    etag: s('etag'),
  };
}

function toEntity(schoolId: string, r: Omit<StoredTrainingRecord, 'etag'>): Entity {
  return {
    partitionKey: schoolId,
    rowKey: `r|${r.key}`,
    personId: r.personId,
    personName: r.personName,
    courseId: r.courseId,
    completedOn: r.completedOn,
    provider: r.provider ?? '',
    hours: r.hours ?? '',
    evidence: r.evidence ?? '',
    source: r.source,
    state: r.state,
    recordedById: r.recordedById,
    recordedByName: r.recordedByName,
    recordedAt: r.recordedAt,
    history: JSON.stringify(r.history.slice(-MAX_HISTORY)),
  };
}

/** What the rules count (core/training.ts): confirmed records, and pending ones shown as awaiting confirmation. */
export function forRules(records: Iterable<StoredTrainingRecord>): TrainingRecord[] {
  const out: TrainingRecord[] = [];
  for (const r of records) {
    if (r.state === 'confirmed') out.push({ personId: r.personId, courseId: r.courseId, completedOn: r.completedOn });
    else if (r.state === 'pending') out.push({ personId: r.personId, courseId: r.courseId, completedOn: r.completedOn, pendingConfirmation: true });
  }
  return out;
}

export type AddOutcome = 'created' | 'alreadyRecorded';

export class TrainingStore {
  private readonly cache: PartitionCache<StoredTrainingRecord>;
  private readonly details: PartitionCache<{ startedOn?: string; staffCode?: string }>;

  constructor(private readonly tables: Tables) {
    const stamp = (schoolId: string) => this.stamp(schoolId);
    this.cache = new PartitionCache(() => this.tables.Training, { prefix: 'r|', map: toRecord, stamp });
    this.details = new PartitionCache(() => this.tables.Training, { prefix: 'p|', map: (e) => ({ startedOn: (e.startedOn as string) || undefined, staffCode: (e.staffCode as string) || undefined }), stamp });
  }

  /** Every record of the school (kept in memory while nothing changes). */
  all(schoolId: string): Promise<CachedRows<StoredTrainingRecord>> {
    return this.cache.read(schoolId);
  }

  async ofPerson(schoolId: string, personId: string): Promise<StoredTrainingRecord[]> {
    const out: StoredTrainingRecord[] = [];
    if (!isKeySafe(personId)) return out;
    for await (const e of this.tables.Training.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(schoolId, `r|${personId}|`) } })) out.push(toRecord(e));
    return out;
  }

  async get(schoolId: string, key: string): Promise<StoredTrainingRecord | undefined> {
    // A record's key is person|course|id, each part a key part.
    if (!key.split('|').every(isKeySafe)) return undefined;
    const e = await readOrUndefined(() => this.tables.Training.getEntity<Record<string, unknown>>(schoolId, `r|${key}`));
    return e && toRecord(e);
  }

  /**
   * Adds records, each once: a completion already recorded (same person, course and day) is left as it
   * is. Written in transactions of 100; `onBatch` is told how many are done (an import's progress).
   */
  async add(schoolId: string, records: NewTrainingRecord[], onBatch?: (done: number) => void): Promise<AddOutcome[]> {
    // Checked before the first transaction: an import never stops part way on an id storage refuses.
    for (const r of records) {
      keyPart(r.personId, `the person id "${r.personId.slice(0, 64)}"`);
      keyPart(r.courseId, `the course id "${r.courseId.slice(0, 64)}"`);
    }
    const { rows } = await this.cache.read(schoolId);
    const outcomes: AddOutcome[] = [];
    const fresh: { index: number; entity: Entity }[] = [];
    const keys = new Set<string>();
    // "Already recorded" is by what the records say now (a corrected date counts as corrected), not by
    // the key they were first written under. Withdrawn and rejected ones count too: re-importing last
    // term's file must not bring back a record the office withdrew.
    const content = (r: { personId: string; courseId: string; completedOn: string }) => `${r.personId}|${r.courseId}|${r.completedOn}`;
    const held = new Set([...rows.values()].map(content));
    records.forEach((r, index) => {
      if (held.has(content(r))) {
        outcomes[index] = 'alreadyRecorded';
        return;
      }
      held.add(content(r));
      // The first free key for this person, course and day (the first may be kept by a record whose date
      // was corrected since): the same on every instance, so two at once still write one.
      let key = recordKey(r.personId, r.courseId, r.completedOn);
      for (let n = 2; rows.has(`r|${key}`) || keys.has(key); n++) key = recordKey(r.personId, r.courseId, `${r.completedOn}#${n}`);
      keys.add(key);
      outcomes[index] = 'created';
      fresh.push({ index, entity: toEntity(schoolId, { ...r, key, history: [] }) });
    });
    let done = records.length - fresh.length;
    const batches: (typeof fresh)[] = [];
    for (let i = 0; i < fresh.length; i += MAX_TRANSACTION_ACTIONS) batches.push(fresh.slice(i, i + MAX_TRANSACTION_ACTIONS));
    const write = async (batch: typeof fresh) => {
      try {
        await this.tables.Training.submitTransaction(batch.map((f): TransactionAction => ['create', f.entity]));
      } catch (err) {
        if (!isStatus(err, 409)) throw err;
        // Another instance (or a moment ago, this one) recorded some of them: one by one.
        for (const f of batch) {
          try {
            await this.tables.Training.createEntity(f.entity);
          } catch (e) {
            if (!isStatus(e, 409)) throw e;
            outcomes[f.index] = 'alreadyRecorded';
          }
        }
      }
      done += batch.length;
      onBatch?.(done);
    };
    try {
      // A few transactions at once: each is atomic; together they make a large import quick.
      for (let i = 0; i < batches.length; i += PARALLEL_TRANSACTIONS) await Promise.all(batches.slice(i, i + PARALLEL_TRANSACTIONS).map(write));
    } finally {
      // Even when it stops part way, what was written is seen by the next read.
      if (fresh.length > 0) await this.touch(schoolId);
    }
    return outcomes;
  }

  /**
   * Changes a record (a correction of its details, or its state), keeping what it replaced in its
   * history. Guarded by the record's ETag: a change made meanwhile is not overwritten (412 → 'conflict').
   */
  async change(
    schoolId: string,
    record: StoredTrainingRecord,
    change: { details?: Partial<RecordDetails>; state?: RecordState },
    by: { id: string; name: string; at: string; what: string; reason?: string },
  ): Promise<StoredTrainingRecord | 'conflict'> {
    const before: HistoryEntry['before'] = {};
    for (const k of Object.keys(change.details ?? {}) as (keyof RecordDetails)[]) {
      if (change.details![k] !== record[k]) (before as Record<string, unknown>)[k] = record[k] ?? null;
    }
    if (change.state && change.state !== record.state) before.state = record.state;
    const entry: HistoryEntry = { at: by.at, byId: by.id, byName: by.name, what: by.what, ...(by.reason ? { reason: by.reason } : {}), before };
    const next = { ...record, ...change.details, state: change.state ?? record.state, history: [...record.history, entry] };
    try {
      const r = await this.tables.Training.updateEntity(toEntity(schoolId, next), 'Replace', { etag: record.etag });
      await this.touch(schoolId);
      return { ...next, etag: r.etag ?? '' };
    } catch (err) {
      if (isStatus(err, 412)) return 'conflict';
      throw err;
    }
  }

  /** Start dates and staff codes of people the register does not hold (governors who are not staff). */
  async personDetails(schoolId: string, knownStamp?: string): Promise<Map<string, { startedOn?: string; staffCode?: string }>> {
    const { rows } = await this.details.read(schoolId, knownStamp);
    return new Map([...rows].map(([key, details]) => [key.slice(2), details]));
  }

  /** Every record and the people's details, as of one read of the stamp (one request, not two, when unchanged). */
  async recordsAndDetails(schoolId: string): Promise<{ records: CachedRows<StoredTrainingRecord>; details: Map<string, { startedOn?: string; staffCode?: string }> }> {
    const stamp = (await this.stamp(schoolId)) ?? '';
    const [records, details] = await Promise.all([this.cache.read(schoolId, stamp), this.personDetails(schoolId, stamp)]);
    return { records, details };
  }

  async setPersonDetails(schoolId: string, personId: string, details: { startedOn?: string | null; staffCode?: string | null }): Promise<void> {
    const row: Entity = { partitionKey: schoolId, rowKey: `p|${keyPart(personId, 'the person id')}` };
    if (details.startedOn !== undefined) row.startedOn = details.startedOn ?? '';
    if (details.staffCode !== undefined) row.staffCode = details.staffCode ?? '';
    await this.tables.Training.upsertEntity(row, 'Merge');
    await this.touch(schoolId);
  }

  private async stamp(schoolId: string): Promise<string | undefined> {
    return (await readOrUndefined(() => this.tables.Training.getEntity<{ stamp: string }>(schoolId, STAMP)))?.stamp;
  }

  private async touch(schoolId: string): Promise<void> {
    await this.tables.Training.upsertEntity({ partitionKey: schoolId, rowKey: STAMP, stamp: `${Date.now()}-${randomBytes(6).toString('hex')}` }, 'Replace');
  }
}
