/**
 * Append-only audit of every read and change of a case (PRODUCT.md "What done means"). Rows are only
 * ever created: nothing in the product updates or deletes them.
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

  async forCase(schoolId: string, reference: string): Promise<(AuditEntry & { at: string })[]> {
    const out: (AuditEntry & { at: string })[] = [];
    const iter = this.tables.Audit.listEntities<AuditEntry & { at: string }>({
      queryOptions: { filter: prefixFilter(schoolId, `${reference}|`) },
    });
    for await (const e of iter) out.push({ reference: e.reference, action: e.action, byId: e.byId, byName: e.byName, via: e.via, detail: e.detail, at: e.at });
    return out;
  }
}
