/**
 * A case's chronology (PRODUCT.md §3: append-only): rows `chron|<reference>|<time>|<seq>` in the school's
 * `Cases` partition, created in the same transaction as the change they record (store/caseStore.ts) and
 * never updated. The first two lines (received, routed) are drawn from the case itself, which is
 * written once with them: a new case costs no chronology rows.
 */
import type { CaseRecord, ChronologyEntry } from '../core/case';
import { ROLE_TITLES } from '../core/roles';
import { json, prefixFilter, type Entity, type Tables } from './tables';

let sequence = 0;
/** Time-ordered; the sequence and a random tail keep two lines written in the same millisecond apart. */
const chronologyKey = (reference: string, at: string) => `chron|${reference}|${at}|${String(++sequence % 1e6).padStart(6, '0')}${Math.random().toString(36).slice(2, 6)}`;

/** Summaries are one line; the detail is bounded so a line never comes near a property's 64 KiB. */
export function chronologyEntity(schoolId: string, reference: string, entry: ChronologyEntry): Entity {
  return {
    partitionKey: schoolId,
    rowKey: chronologyKey(reference, entry.at),
    reference,
    at: entry.at,
    kind: entry.kind,
    byId: entry.by?.id ?? '',
    byName: entry.by?.displayName ?? '',
    summary: entry.summary.slice(0, 1000),
    detail: entry.detail ? JSON.stringify(entry.detail).slice(0, 30000) : '',
  };
}

/** The lines every case starts with, from the case as it was stored. */
function firstLines(record: CaseRecord): ChronologyEntry[] {
  const first = record.routedTo ?? record.recipients;
  return [
    { at: record.createdAt, kind: 'received', by: record.reporter, summary: `Concern received from ${record.reporter.displayName}${record.concern.immediateDanger ? ' (immediate danger)' : ''}` },
    {
      at: record.createdAt,
      kind: 'routed',
      summary: `Sent to ${first.map((x) => `${x.displayName} (${ROLE_TITLES[x.role]})`).join(', ') || 'nobody: no one holds the roles'}`,
      detail: { reasons: record.routeReasons, recipients: first },
    },
  ];
}

/** How many cases' chronologies an instance keeps in memory (a few MB at most). */
const CACHED_CASES = 5_000;

export class ChronologyStore {
  /**
   * Chronologies read, by case and the case's ETag when read. Chronology rows are only ever written in
   * the transaction that also changes the case (store/caseStore.ts changeCase), so a case whose ETag is
   * unchanged has an unchanged chronology: the copy in memory is the answer, with no read at all.
   */
  private readonly cache = new Map<string, { etag: string; lines: ChronologyEntry[] }>();

  constructor(private readonly tables: Tables) {}

  /** The case's whole chronology, oldest first. */
  async of(record: CaseRecord & { etag?: string }): Promise<ChronologyEntry[]> {
    const key = `${record.schoolId}|${record.reference}`;
    const known = record.etag ? this.cache.get(key) : undefined;
    if (known && known.etag === record.etag) return [...known.lines];
    const out = await this.read(record);
    if (record.etag) {
      this.cache.delete(key);
      this.cache.set(key, { etag: record.etag, lines: out });
      if (this.cache.size > CACHED_CASES) this.cache.delete(this.cache.keys().next().value as string);
    }
    return [...out];
  }

  private async read(record: CaseRecord): Promise<ChronologyEntry[]> {
    const out = firstLines(record);
    const iter = this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(record.schoolId, `chron|${record.reference}|`) } });
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
}
