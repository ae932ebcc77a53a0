/**
 * Reminder runs ("remind everyone unsigned", "remind everyone due"): a job row and one row per person to
 * remind, in the school's partition of `AupDocuments` (`reminder|<id>` and `reminder|<id>|p|<person>`).
 * The job row carries the progress and a heartbeat (ETag-guarded, so one instance sends at a time);
 * the person rows say who is still owed a card, so a run that stops is carried on by another instance
 * for the people not yet reminded, and nobody gets two.
 */
import type { TransactionAction } from '@azure/data-tables';
import { isKeySafe, isStatus, json, keyPart, prefixFilter, readOrUndefined, type Tables } from './tables';

/** What is being reminded about: an AUP document's version, or a training course. */
export interface ReminderSubject {
  kind: 'aup' | 'training';
  /** The document or course id. */
  id: string;
  /** The document's version (AUP); 0 for courses. */
  version: number;
}

export interface ReminderRun {
  id: string;
  subject: ReminderSubject;
  total: number;
  sent: number;
  failed: number;
  status: 'running' | 'done';
  startedAt: string;
  finishedAt?: string;
  byId: string;
  heartbeatAt: string;
  /** People due who cannot be reached in Teams (no Microsoft 365 account): someone must tell them. */
  notInTeams: string[];
  etag: string;
}

export type ReminderState = 'pending' | 'sending' | 'sent' | 'failed';

const jobKey = (id: string) => `reminder|${id}`;
const personKey = (id: string, personId: string) => `reminder|${id}|p|${personId}`;

function toRun(e: Record<string, unknown>): ReminderRun {
  const s = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return {
    id: s('rowKey').slice('reminder|'.length),
    // Runs written before reminders had kinds were all AUP reminders.
    subject: { kind: s('subjectKind') === 'training' ? 'training' : 'aup', id: s('subjectId') || s('documentId'), version: Number(e.version ?? 0) },
    total: Number(e.total ?? 0),
    sent: Number(e.sent ?? 0),
    failed: Number(e.failed ?? 0),
    status: e.status === 'done' ? 'done' : 'running',
    startedAt: s('startedAt'),
    finishedAt: s('finishedAt') || undefined,
    byId: s('byId'),
    heartbeatAt: s('heartbeatAt') || s('startedAt'),
    notInTeams: s('notInTeams') ? json<string[]>(e.notInTeams, []) : [],
    etag: s('etag'),
  };
}

function jobEntity(schoolId: string, run: Omit<ReminderRun, 'etag'>) {
  return {
    partitionKey: schoolId,
    rowKey: jobKey(run.id),
    subjectKind: run.subject.kind,
    subjectId: run.subject.id,
    // The page and older rows read the document id here.
    documentId: run.subject.kind === 'aup' ? run.subject.id : '',
    version: run.subject.version,
    total: run.total,
    sent: run.sent,
    failed: run.failed,
    status: run.status,
    startedAt: run.startedAt,
    notInTeams: JSON.stringify(run.notInTeams.slice(0, 200)),
    finishedAt: run.finishedAt ?? '',
    byId: run.byId,
    heartbeatAt: run.heartbeatAt,
  };
}

export class ReminderStore {
  constructor(private readonly tables: Tables) {}

  private get table() {
    return this.tables.AupDocuments;
  }

  async get(schoolId: string, id: string): Promise<ReminderRun | undefined> {
    if (!isKeySafe(id)) return undefined;
    const e = await readOrUndefined(() => this.table.getEntity<Record<string, unknown>>(schoolId, jobKey(id)));
    return e && toRun(e);
  }

  /** Writes one row per person, then the job (so a job is never seen without its people). */
  async create(schoolId: string, run: Omit<ReminderRun, 'etag'>, personIds: string[]): Promise<ReminderRun> {
    keyPart(run.id, 'the reminder run id');
    for (const personId of personIds) keyPart(personId, `the person id "${personId.slice(0, 64)}"`);
    for (let i = 0; i < personIds.length; i += 100) {
      await this.table.submitTransaction(
        personIds.slice(i, i + 100).map((personId): TransactionAction => ['upsert', { partitionKey: schoolId, rowKey: personKey(run.id, personId), personId, state: 'pending' }, 'Replace']),
      );
    }
    const r = await this.table.upsertEntity(jobEntity(schoolId, run), 'Replace');
    return { ...run, etag: r.etag ?? '' };
  }

  /** Saves progress and the heartbeat; false when another instance has taken the run over since. */
  async beat(schoolId: string, run: ReminderRun, at: string): Promise<boolean> {
    try {
      const r = await this.table.updateEntity(jobEntity(schoolId, { ...run, heartbeatAt: at }), 'Replace', { etag: run.etag });
      run.etag = r.etag ?? run.etag;
      run.heartbeatAt = at;
      return true;
    } catch (err) {
      if (isStatus(err, 412)) return false;
      throw err;
    }
  }

  /** The people this run still owes a card. */
  async pending(schoolId: string, id: string): Promise<{ personId: string; etag: string }[]> {
    const out: { personId: string; etag: string }[] = [];
    if (!isKeySafe(id)) return out;
    const iter = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: `${prefixFilter(schoolId, `reminder|${id}|p|`)} and state eq 'pending'` } });
    for await (const e of iter) out.push({ personId: String(e.personId), etag: String(e.etag) });
    return out;
  }

  /**
   * Takes one person before their card is sent (ETag-guarded): a run that dies mid-send leaves at most
   * this one person without their card, never anyone with two. False when someone else took them.
   */
  async take(schoolId: string, id: string, person: { personId: string; etag: string }): Promise<boolean> {
    try {
      await this.table.updateEntity({ partitionKey: schoolId, rowKey: personKey(id, person.personId), state: 'sending' }, 'Merge', { etag: person.etag });
      return true;
    } catch (err) {
      if (isStatus(err, 412, 404)) return false;
      throw err;
    }
  }

  async settle(schoolId: string, id: string, personId: string, state: 'sent' | 'failed'): Promise<void> {
    await this.table.updateEntity({ partitionKey: schoolId, rowKey: personKey(id, personId), state }, 'Merge');
  }

  /** Runs still marked running (some may have stopped: their heartbeat tells). */
  async running(schoolId: string): Promise<ReminderRun[]> {
    const out: ReminderRun[] = [];
    const iter = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: `${prefixFilter(schoolId, 'reminder|')} and status eq 'running'` } });
    for await (const e of iter) if (!String(e.rowKey).includes('|p|')) out.push(toRun(e));
    return out;
  }
}

