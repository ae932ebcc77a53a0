/**
 * A school's rows of one table (one partition, optionally one key range) kept in this instance's
 * memory, for the registers that show a whole school at once (the AUP register, the training matrix).
 *
 * Every write to those rows also rewrites a small stamp row (any instance's write); a read checks the
 * stamp first. Unchanged: the rows in memory are the answer, one small read. Changed: only rows
 * written since the last read are fetched (by their Timestamp, which the storage service sets, with a few
 * seconds' overlap for writes still being committed when the last read was made) and merged by key. The registers never delete rows (a withdrawn
 * record is a change of its status), so nothing else can have changed.
 */
import { odata, type TableClient } from '@azure/data-tables';
import { prefixFilter, partitionFilter } from './tables';

export interface CachedRows<T> {
  /** The stamp the rows were read at: a new snapshot object whenever it changes (callers key derived work on it). */
  stamp: string;
  rows: ReadonlyMap<string, T>;
}

const OVERLAP_MS = 5_000;

export class PartitionCache<T> {
  private readonly schools = new Map<string, { snapshot: CachedRows<T>; rows: Map<string, T>; since: string }>();

  constructor(
    private readonly table: () => TableClient,
    private readonly opts: {
      /** Only rows whose RowKey starts with this (the stamp and other rows are left out). */
      prefix?: string;
      /** Properties to read (fewer bytes); the RowKey and Timestamp are always read. */
      select?: string[];
      map: (entity: Record<string, unknown>) => T;
      /** The school's current stamp (undefined when nothing was ever written). */
      stamp: (schoolId: string) => Promise<string | undefined>;
    },
  ) {}

  /** The school's rows as of now; `knownStamp` saves the stamp read when the caller has just read it. */
  async read(schoolId: string, knownStamp?: string): Promise<CachedRows<T>> {
    const stamp = knownStamp ?? (await this.opts.stamp(schoolId)) ?? '';
    const cached = this.schools.get(schoolId);
    if (cached && stamp && cached.snapshot.stamp === stamp) return cached.snapshot;
    const since = cached ? new Date(Date.parse(cached.since) - OVERLAP_MS) : undefined;
    const rows = cached ? cached.rows : new Map<string, T>();
    let latest = cached?.since ?? '';
    const base = this.opts.prefix ? prefixFilter(schoolId, this.opts.prefix) : partitionFilter(schoolId);
    const filter = since ? `${base} and ${odata`Timestamp ge ${since}`}` : base;
    const select = this.opts.select ? [...this.opts.select, 'RowKey', 'Timestamp'] : undefined;
    for await (const e of this.table().listEntities<Record<string, unknown>>({ queryOptions: { filter, select } })) {
      rows.set(String(e.rowKey), this.opts.map(e));
      const timestamp = String(e.timestamp ?? '');
      if (timestamp > latest) latest = timestamp;
    }
    const snapshot: CachedRows<T> = { stamp, rows };
    // Without a stamp nothing is cached: the next read cannot tell whether anything changed.
    if (stamp) this.schools.set(schoolId, { snapshot, rows, since: latest || new Date(0).toISOString() });
    return snapshot;
  }
}
