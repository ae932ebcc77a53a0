/**
 * Child-protection file transfers (KCSIE: when a child leaves, their child-protection file goes to the
 * new school within 5 school days, separately from the main pupil file, securely, with a receipt):
 * `xfer|<learner>|<id>` rows in the school's partition of `Cases`, and while no receipt has come,
 * `xferdue|<receipt due day>|<learner>|<id>` so the overdue ones are found with one range read.
 */
import { randomBytes } from 'node:crypto';
import type { TransactionAction } from '@azure/data-tables';
import { odata } from '@azure/data-tables';
import { isKeySafe, isStatus, json, prefixFilter, readOrUndefined, type Entity, type Tables } from './tables';

export const TRANSFER_METHODS = ['secure electronic transfer (e.g. CPOMS to CPOMS)', 'secure email', 'by hand, signed for', 'recorded delivery'] as const;
export type TransferMethod = (typeof TRANSFER_METHODS)[number];

export interface Transfer {
  id: string;
  learnerId: string;
  learnerName: string;
  destinationSchool: string;
  /** The DSL (or contact) at the new school it went to. */
  destinationContact?: string;
  method: TransferMethod;
  /** YYYY-MM-DD */
  sentOn: string;
  sentBy: { id: string; name: string };
  recordedAt: string;
  /** The day the receipt is due: 5 school days after the child left (or after sending). */
  receiptDueOn: string;
  receipt?: { receivedOn: string; confirmedBy: string; recordedBy: { id: string; name: string }; recordedAt: string };
  /** The day it was flagged as overdue and the DSL told (once). */
  flaggedOn?: string;
  etag: string;
}

const key = (learnerId: string, id: string) => `xfer|${learnerId}|${id}`;
const dueKey = (t: Pick<Transfer, 'receiptDueOn' | 'learnerId' | 'id'>) => `xferdue|${t.receiptDueOn}|${t.learnerId}|${t.id}`;

function toTransfer(e: Record<string, unknown>): Transfer {
  const s = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return {
    id: s('id'),
    learnerId: s('learnerId'),
    learnerName: s('learnerName'),
    destinationSchool: s('destinationSchool'),
    destinationContact: s('destinationContact') || undefined,
    method: s('method') as TransferMethod,
    sentOn: s('sentOn'),
    sentBy: json(e.sentBy, { id: '', name: '' }),
    recordedAt: s('recordedAt'),
    receiptDueOn: s('receiptDueOn'),
    receipt: s('receipt') ? json<Transfer['receipt']>(e.receipt, undefined) : undefined,
    flaggedOn: s('flaggedOn') || undefined,
    etag: s('etag'),
  };
}

function toEntity(schoolId: string, t: Omit<Transfer, 'etag'>): Entity {
  return {
    partitionKey: schoolId,
    rowKey: key(t.learnerId, t.id),
    id: t.id,
    learnerId: t.learnerId,
    learnerName: t.learnerName,
    destinationSchool: t.destinationSchool,
    destinationContact: t.destinationContact ?? '',
    method: t.method,
    sentOn: t.sentOn,
    sentBy: JSON.stringify(t.sentBy),
    recordedAt: t.recordedAt,
    receiptDueOn: t.receiptDueOn,
    receipt: t.receipt ? JSON.stringify(t.receipt) : '',
    flaggedOn: t.flaggedOn ?? '',
  };
}

export class TransferStore {
  constructor(private readonly tables: Tables) {}

  async ofLearner(schoolId: string, learnerId: string): Promise<Transfer[]> {
    const out: Transfer[] = [];
    if (!isKeySafe(learnerId)) return out;
    for await (const e of this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: prefixFilter(schoolId, `xfer|${learnerId}|`) } })) out.push(toTransfer(e));
    return out.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  }

  async get(schoolId: string, learnerId: string, id: string): Promise<Transfer | undefined> {
    if (!isKeySafe(learnerId) || !isKeySafe(id)) return undefined;
    const e = await readOrUndefined(() => this.tables.Cases.getEntity<Record<string, unknown>>(schoolId, key(learnerId, id)));
    return e && toTransfer(e);
  }

  /** Records a transfer sent, with its receipt-due index row, in one transaction. */
  async record(schoolId: string, t: Omit<Transfer, 'id' | 'etag'>): Promise<Transfer> {
    const transfer = { ...t, id: `${Date.now().toString(36)}${randomBytes(3).toString('hex')}` };
    await this.tables.Cases.submitTransaction([
      ['create', toEntity(schoolId, transfer)],
      ['create', { partitionKey: schoolId, rowKey: dueKey(transfer), learnerId: transfer.learnerId, id: transfer.id }],
    ]);
    return (await this.get(schoolId, transfer.learnerId, transfer.id))!;
  }

  /**
   * Changes a transfer (its receipt, its flag), guarded by its ETag; the receipt-due row goes once a
   * receipt is recorded. 'conflict' when it changed meanwhile.
   */
  async change(schoolId: string, t: Transfer, change: Partial<Pick<Transfer, 'receipt' | 'flaggedOn'>>): Promise<Transfer | 'conflict'> {
    const next = { ...t, ...change };
    const actions: TransactionAction[] = [['update', toEntity(schoolId, next), 'Replace', { etag: t.etag }]];
    if (!t.receipt && next.receipt) actions.push(['delete', { partitionKey: schoolId, rowKey: dueKey(t) }]);
    try {
      await this.tables.Cases.submitTransaction(actions);
    } catch (err) {
      if (isStatus(err, 412, 404)) return 'conflict';
      throw err;
    }
    return (await this.get(schoolId, t.learnerId, t.id))!;
  }

  /** Transfers whose receipt was due before `today` and has not come. */
  async overdue(schoolId: string, today: string): Promise<{ learnerId: string; id: string }[]> {
    const out: { learnerId: string; id: string }[] = [];
    const iter = this.tables.Cases.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${schoolId} and RowKey ge 'xferdue|' and RowKey lt ${`xferdue|${today}`}`, select: ['learnerId', 'id'] } });
    for await (const e of iter) out.push({ learnerId: String(e.learnerId), id: String(e.id) });
    return out;
  }
}
