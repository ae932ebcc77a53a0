/**
 * Append-only audit of every read and change of a case (PRODUCT.md "What done means"). Rows are only
 * ever created: nothing in the product updates or deletes them.
 *
 * Two places, one record: reads, refusals and the registers' entries go to the `Audit` table; the audit
 * row of a change to a case is written in the same transaction as the change itself, in the case's own
 * partition of `Cases` (`audit|<reference>|…`, see auditEntity), so a change is never stored without
 * its audit row. `forCase` reads both, in time order.
 */
import { randomBytes } from 'node:crypto';
import { GroupCommit } from './groupCommit';
import { prefixFilter, type Tables } from './tables';

export interface AuditEntry {
  reference: string;
  action: string;
  byId: string;
  byName?: string;
  via: 'bot' | 'tab' | 'system';
  detail?: string;
}

/** The audit row of a case change, written by the case store inside the change's transaction. */
export function auditEntity(schoolId: string, entry: AuditEntry, at: string) {
  return {
    partitionKey: schoolId,
    rowKey: `audit|${entry.reference}|${at}|${randomBytes(4).toString('hex')}`,
    at,
    ...entry,
    byName: entry.byName ?? '',
    detail: entry.detail ?? '',
  };
}

export class AuditStore {
  private readonly writes: GroupCommit;

  constructor(private readonly tables: Tables) {
    this.writes = new GroupCommit(() => this.tables.Audit);
  }

  /** Appends one row; resolves once it is stored (rows appended at the same moment share a write). */
  append(schoolId: string, entry: AuditEntry, at = new Date()): Promise<void> {
    return this.writes.add(schoolId, [
      'create',
      {
        partitionKey: schoolId,
        rowKey: `${entry.reference}|${at.toISOString()}|${randomBytes(4).toString('hex')}`,
        at: at.toISOString(),
        ...entry,
        byName: entry.byName ?? '',
        detail: entry.detail ?? '',
      },
    ]);
  }

  /** Every audit row of a case (or of a register: its reference), oldest first. */
  async forCase(schoolId: string, reference: string): Promise<(AuditEntry & { at: string })[]> {
    const out: (AuditEntry & { at: string; key: string })[] = [];
    const read = async (table: 'Audit' | 'Cases', prefix: string) => {
      for await (const e of this.tables[table].listEntities<AuditEntry & { at: string }>({ queryOptions: { filter: prefixFilter(schoolId, prefix) } })) {
        out.push({ reference: e.reference, action: e.action, byId: e.byId, byName: e.byName, via: e.via, detail: e.detail, at: e.at, key: String(e.rowKey).replace(/^audit\|/, '') });
      }
    };
    await Promise.all([read('Audit', `${reference}|`), read('Cases', `audit|${reference}|`)]);
    return out.sort((a, b) => a.key.localeCompare(b.key)).map(({ key: _key, ...e }) => e);
  }
}
