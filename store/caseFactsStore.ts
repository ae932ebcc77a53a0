/**
 * The few facts of each case the trends and the governors' report count (core/trends.ts), read fast:
 * every case entity carries them in one small column of its own, `facts` (written with the case by
 * caseStore.toCaseEntity), so the school's cases are one range query of its partition that reads only
 * that column, never the concern's text, the learners' names or the chronology.
 *
 * Kept in memory per school and brought up to date, as the case list is, by the journal of changes
 * (caseStore.journalEntity): one small range read per request, and one read of the `facts` column of
 * each case changed since. Measured (bench/trends.ts): the whole read of 4,000 cases takes Azurite
 * about 150 to 250 ms on a small two-core machine; the journal read a few milliseconds.
 */
import { caseFacts, type CaseFacts } from '../core/trends';
import type { CaseStore } from './caseStore';
import { json, prefixFilter, readOrUndefined, type Tables } from './tables';

/** The column written beside every case: no names, no free text. */
export function factColumns(f: CaseFacts): { facts: string } {
  return { facts: JSON.stringify(f) };
}

const SELECT = ['RowKey', 'facts'];
const CASE_PREFIX = 'case|';
/** How far back each journal read looks again (writes from other instances, their clocks a little apart). */
const OVERLAP_MS = 30_000;
/** Older than this, the memory is read afresh: the journal is pruned after two days (cases/caseDuties.ts). */
const REREAD_AFTER_MS = 12 * 3600_000;

export class CaseFactsStore {
  private readonly known = new Map<string, { facts: Map<string, CaseFacts>; cursor: number }>();

  constructor(private readonly tables: Tables, private readonly cases: Pick<CaseStore, 'getCase' | 'changedSince'>) {}

  /** The facts of every case of the school raised from `fromIso` (included) to `toIso` (excluded). */
  async raisedBetween(schoolId: string, fromIso: string, toIso: string): Promise<CaseFacts[]> {
    const out: CaseFacts[] = [];
    for (const f of (await this.all(schoolId)).values()) if (f.createdAt >= fromIso && f.createdAt < toIso) out.push(f);
    return out;
  }

  private async all(schoolId: string): Promise<ReadonlyMap<string, CaseFacts>> {
    const started = Date.now();
    const known = this.known.get(schoolId);
    if (!known || started - known.cursor > REREAD_AFTER_MS) {
      const facts = await this.readAll(schoolId);
      this.known.set(schoolId, { facts, cursor: started });
      return facts;
    }
    const changed = await this.cases.changedSince(schoolId, new Date(known.cursor - OVERLAP_MS).toISOString());
    const fresh = await Promise.all([...changed].map(async (reference) => [reference, await this.readOne(schoolId, reference)] as const));
    for (const [reference, f] of fresh) if (f) known.facts.set(reference, f);
    known.cursor = started;
    return known.facts;
  }

  /** One range query of the partition's cases, the `facts` column only. */
  private async readAll(schoolId: string): Promise<Map<string, CaseFacts>> {
    const out = new Map<string, CaseFacts>();
    const older: string[] = [];
    for await (const e of this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(schoolId, CASE_PREFIX), select: SELECT } })) {
      const reference = String(e.rowKey).slice(CASE_PREFIX.length);
      const f = json<CaseFacts | undefined>(e.facts, undefined);
      if (f) out.set(reference, f);
      else older.push(reference);
    }
    // Stored before the column existed: read whole, once (the case gains the column when it next changes).
    for (let i = 0; i < older.length; i += 16) {
      for (const c of await Promise.all(older.slice(i, i + 16).map((reference) => this.cases.getCase(schoolId, reference)))) if (c) out.set(c.reference, caseFacts(c));
    }
    return out;
  }

  private async readOne(schoolId: string, reference: string): Promise<CaseFacts | undefined> {
    const e = await readOrUndefined(() => this.tables.Cases.getEntity<Record<string, unknown>>(schoolId, `${CASE_PREFIX}${reference}`, { queryOptions: { select: SELECT } }));
    if (!e) return undefined;
    const f = json<CaseFacts | undefined>(e.facts, undefined);
    if (f) return f;
    const c = await this.cases.getCase(schoolId, reference);
    return c && caseFacts(c);
  }
}
