/**
 * The filtering and monitoring log (PRODUCT.md §7; policy §7.3.1: "all changes to the filtering policy
 * are logged and recorded"), in the `FilteringLog` table, PartitionKey = schoolId:
 *
 * - `entry|<id>`: one entry (a filtering change, a check, the annual review), only ever created. The id
 *   is time-ordered, so the log is one range read in the order it was written.
 * - `corrected|<id>`: written in the same transaction as the correction of entry <id>, and only once:
 *   two people correcting the same entry at once make one correction, and the other is told.
 * - `below|<vendor>|<alert id>`: a monitoring alert below the school's risk threshold, logged (once,
 *   however often it is sent) and counted, not made a case. Vendor, id, level and time only: no names.
 *
 * The store stores: what an entry may say and who may write it is decided in core/filteringLog.ts and
 * checked at the edge (tab/api/routes/filtering.ts).
 */
import type { TransactionAction } from '@azure/data-tables';
import { randomBytes } from 'node:crypto';
import type { EntryDetails, LogEntry } from '../core/filteringLog';
import { isStatus, json, prefixFilter, readOrUndefined, type Tables } from './tables';

const entryKey = (id: string) => `entry|${id}`;
const correctedKey = (id: string) => `corrected|${id}`;
const belowKey = (key: string) => `below|${key}`;

/** Time-ordered and safe in a URL: `20261123T100000123Z-1a2b3c4d`. */
function newEntryId(at: Date): string {
  return `${at.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
}

export const ENTRY_ID_PATTERN = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

export interface BelowThresholdAlert {
  key: string;
  vendor: string;
  alertId: string;
  risk: number;
  vendorRisk: string;
  threshold: number;
  occurredAt: string;
  via: 'endpoint' | 'csv';
}

function toEntry(e: Record<string, unknown>): LogEntry {
  const s = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return {
    id: s('rowKey').slice('entry|'.length),
    details: json<EntryDetails>(e.details, { kind: 'check', on: '', checkedBy: '', whatWasTested: '', result: 'working', followUp: '' }),
    recordedAt: s('recordedAt'),
    recordedBy: { id: s('recordedById'), name: s('recordedByName') },
    corrects: s('corrects') || undefined,
    correctionReason: s('correctionReason') || undefined,
  };
}

export class FilteringLogStore {
  constructor(private readonly tables: Tables) {}

  async entries(schoolId: string): Promise<LogEntry[]> {
    const out: LogEntry[] = [];
    for await (const e of this.tables.FilteringLog.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(schoolId, 'entry|') } })) out.push(toEntry(e));
    return out;
  }

  async entry(schoolId: string, id: string): Promise<LogEntry | undefined> {
    const e = await readOrUndefined(() => this.tables.FilteringLog.getEntity<Record<string, unknown>>(schoolId, entryKey(id)));
    return e && toEntry(e);
  }

  /**
   * Appends an entry; a correction also marks the entry it corrects, in the same transaction, so an
   * entry is corrected once (the next correction corrects the correction). 'alreadyCorrected' when
   * someone else did it first: nothing is written then.
   */
  async append(schoolId: string, entry: { details: EntryDetails; recordedBy: { id: string; name: string }; corrects?: string; correctionReason?: string }, at: Date): Promise<LogEntry | 'alreadyCorrected'> {
    const id = newEntryId(at);
    const recordedAt = at.toISOString();
    const actions: TransactionAction[] = [
      [
        'create',
        {
          partitionKey: schoolId,
          rowKey: entryKey(id),
          kind: entry.details.kind,
          details: JSON.stringify(entry.details),
          recordedAt,
          recordedById: entry.recordedBy.id,
          recordedByName: entry.recordedBy.name,
          corrects: entry.corrects ?? '',
          correctionReason: entry.correctionReason ?? '',
        },
      ],
    ];
    if (entry.corrects) actions.push(['create', { partitionKey: schoolId, rowKey: correctedKey(entry.corrects), by: id, at: recordedAt }]);
    try {
      await this.tables.FilteringLog.submitTransaction(actions);
    } catch (err) {
      if (entry.corrects && isStatus(err, 409)) return 'alreadyCorrected';
      throw err;
    }
    return { id, details: entry.details, recordedAt, recordedBy: entry.recordedBy, corrects: entry.corrects, correctionReason: entry.correctionReason };
  }

  /** Whether an entry has been corrected already (the page offers "correct" on the latest version only). */
  async isCorrected(schoolId: string, id: string): Promise<boolean> {
    return !!(await readOrUndefined(() => this.tables.FilteringLog.getEntity(schoolId, correctedKey(id))));
  }

  /** Logs an alert below the threshold once, however often it is sent. */
  async recordBelowThreshold(schoolId: string, alert: BelowThresholdAlert, at: Date): Promise<'recorded' | 'alreadyRecorded'> {
    try {
      await this.tables.FilteringLog.createEntity({ partitionKey: schoolId, rowKey: belowKey(alert.key), ...alert, receivedAt: at.toISOString() });
      return 'recorded';
    } catch (err) {
      if (isStatus(err, 409)) return 'alreadyRecorded';
      throw err;
    }
  }

  /** The alerts logged below the threshold: vendor, level and when, for counting. */
  async belowThreshold(schoolId: string): Promise<{ vendor: string; risk: number; occurredAt: string; receivedAt: string }[]> {
    const out: { vendor: string; risk: number; occurredAt: string; receivedAt: string }[] = [];
    const iter = this.tables.FilteringLog.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(schoolId, 'below|'), select: ['vendor', 'risk', 'occurredAt', 'receivedAt'] } });
    for await (const e of iter) out.push({ vendor: String(e.vendor ?? ''), risk: Number(e.risk ?? 0), occurredAt: String(e.occurredAt ?? ''), receivedAt: String(e.receivedAt ?? '') });
    return out;
  }
}
