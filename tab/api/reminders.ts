/**
 * "Remind everyone unsigned" (PRODUCT.md §4): the current version's card, sent through the bot to each
 * member of staff who has not signed it, paced under Teams' limits for proactive messages, with the
 * progress written to storage so the tab (on any instance) can show it. Each person to remind has a
 * row; a run that stops (a restart, an instance gone) is carried on by another instance from its
 * heartbeat, for the people not yet reminded.
 */
import { randomBytes } from 'node:crypto';
import { ChannelError } from '../../bot/channel';
import { retryDelaySeconds } from '../../bot/outbox';
import { aupSignCard } from '../../bot/handlers/signAup';
import type { Services } from '../../bot/services';
import type { RegisterPerson } from '../../core/aup';
import { aupStoreOf, type DocumentVersion } from '../../store/aupStore';
import type { TransactionAction } from '@azure/data-tables';
import { Periodic } from '../../bot/periodic';
import { isStatus } from '../../store/tables';
import type { ReminderProgress } from './view';

const jobKey = (id: string) => `reminder|${id}`;

/** One row per person to remind, beside the job's row: what a resumed run still has to send. */
const personKey = (id: string, personId: string) => `reminder|${id}|p|${personId}`;
/** A run whose heartbeat is older than TAB_REMINDERS_STALE_SECONDS (60) is taken over by another instance. */

interface Job {
  progress: ReminderProgress;
  byId: string;
  heartbeatAt: string;
  etag: string;
}

export class Reminders {
  private readonly running = new Set<string>();
  private readonly resumer: Periodic;
  private readonly staleMs = Number(process.env.TAB_REMINDERS_STALE_SECONDS ?? 60) * 1000;
  private stopped = false;

  constructor(private readonly s: Services, private readonly perSecond: number) {
    this.resumer = new Periodic(
      () => this.resumeStale().catch((err: Error) => (this.s.log.warn('reminder resume check failed', { error: err.message }), 0)),
      Number(process.env.TAB_REMINDERS_RESUME_SECONDS ?? 20),
    );
  }

  /** Looks for runs left unfinished (a restart, or an instance that stopped) and carries them on. */
  startResuming(): void {
    this.resumer.start(true);
  }

  /** The server is stopping: runs stop between two people; another instance carries them on. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.resumer.stop();
  }

  private get table() {
    return this.s.tables.AupDocuments;
  }

  private async job(id: string): Promise<Job | undefined> {
    try {
      const e = await this.table.getEntity<Record<string, unknown>>(this.s.setup.schoolId, jobKey(id));
      return {
        progress: {
          id,
          documentId: String(e.documentId),
          version: Number(e.version),
          total: Number(e.total),
          sent: Number(e.sent),
          failed: Number(e.failed),
          status: e.status === 'done' ? 'done' : 'running',
          startedAt: String(e.startedAt),
          finishedAt: (e.finishedAt as string) || undefined,
        },
        byId: String(e.byId ?? ''),
        heartbeatAt: String(e.heartbeatAt ?? e.startedAt),
        etag: String(e.etag),
      };
    } catch (err) {
      if (isStatus(err, 404, 400)) return undefined;
      throw err;
    }
  }

  async progress(id: string): Promise<ReminderProgress | undefined> {
    return (await this.job(id))?.progress;
  }

  /** Writes the job and one row per person, then sends in the background; answers with the first progress. */
  async start(doc: DocumentVersion, people: RegisterPerson[], byId: string): Promise<ReminderProgress | 'alreadyRunning'> {
    if (this.running.has(doc.documentId)) return 'alreadyRunning';
    const id = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const now = this.s.clock().toISOString();
    const progress: ReminderProgress = { id, documentId: doc.documentId, version: doc.version, total: people.length, sent: 0, failed: 0, status: 'running', startedAt: now };
    const schoolId = this.s.setup.schoolId;
    for (let i = 0; i < people.length; i += 100) {
      await this.table.submitTransaction(people.slice(i, i + 100).map((p): TransactionAction => ['upsert', { partitionKey: schoolId, rowKey: personKey(id, p.id), personId: p.id, state: 'pending' }, 'Replace']));
    }
    await this.table.upsertEntity({ partitionKey: schoolId, rowKey: jobKey(id), ...progress, finishedAt: '', byId, heartbeatAt: now }, 'Replace');
    const job = await this.job(id);
    this.running.add(doc.documentId);
    void this.run(doc, job!).finally(() => this.running.delete(doc.documentId));
    return progress;
  }

  /** Saves progress and the heartbeat; false when another instance has taken the run over. */
  private async beat(job: Job): Promise<boolean> {
    const heartbeatAt = this.s.clock().toISOString();
    try {
      const r = await this.table.updateEntity({ partitionKey: this.s.setup.schoolId, rowKey: jobKey(job.progress.id), ...job.progress, finishedAt: job.progress.finishedAt ?? '', byId: job.byId, heartbeatAt }, 'Replace', { etag: job.etag });
      job.etag = r.etag ?? job.etag;
      job.heartbeatAt = heartbeatAt;
      return true;
    } catch (err) {
      if (isStatus(err, 412)) return false;
      throw err;
    }
  }

  private async pendingPeople(id: string): Promise<{ personId: string; etag: string }[]> {
    const prefix = `reminder|${id}|p|`;
    const out: { personId: string; etag: string }[] = [];
    const iter = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${this.s.setup.schoolId.replace(/'/g, "''")}' and RowKey ge '${prefix}' and RowKey lt '${prefix}~' and state eq 'pending'` },
    });
    for await (const e of iter) out.push({ personId: String(e.personId), etag: String(e.etag) });
    return out;
  }

  private async run(doc: DocumentVersion, job: Job): Promise<void> {
    const gapMs = 1000 / this.perSecond;
    const schoolId = this.s.setup.schoolId;
    let lastBeat = Date.now();
    for (const pending of await this.pendingPeople(job.progress.id)) {
      if (this.stopped) return;
      const started = Date.now();
      // Mark the person done before sending (ETag-guarded): a run that dies mid-send leaves at most
      // this one person without their card, never anyone with two.
      try {
        await this.table.updateEntity({ partitionKey: schoolId, rowKey: personKey(job.progress.id, pending.personId), state: 'sending' }, 'Merge', { etag: pending.etag });
      } catch (err) {
        if (isStatus(err, 412, 404)) continue;
        throw err;
      }
      let state = 'sent';
      try {
        await this.sendWithRetry(pending.personId, doc);
        job.progress.sent++;
      } catch (err) {
        state = 'failed';
        job.progress.failed++;
        this.s.log.warn('aup reminder not delivered', { documentId: doc.documentId, error: (err as Error).message });
      }
      await this.table.updateEntity({ partitionKey: schoolId, rowKey: personKey(job.progress.id, pending.personId), state }, 'Merge').catch(() => undefined);
      if (Date.now() - lastBeat > 1000) {
        if (!(await this.beat(job).catch(() => true))) return;
        lastBeat = Date.now();
      }
      const wait = gapMs - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    job.progress.status = 'done';
    job.progress.finishedAt = this.s.clock().toISOString();
    await this.beat(job).catch((err: Error) => this.s.log.warn('reminder progress not saved', { error: err.message }));
    this.s.log.info('aup reminders sent', { documentId: doc.documentId, sent: job.progress.sent, failed: job.progress.failed });
  }

  /** Runs whose heartbeat stopped: take each over (ETag on the job row) and send to whoever is left. */
  private async resumeStale(): Promise<number> {
    const schoolId = this.s.setup.schoolId;
    const now = this.s.clock().getTime();
    let resumed = 0;
    const iter = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `PartitionKey eq '${schoolId.replace(/'/g, "''")}' and RowKey ge 'reminder|' and RowKey lt 'reminder|~' and status eq 'running'` },
    });
    const stale: string[] = [];
    for await (const e of iter) {
      if (String(e.rowKey).includes('|p|')) continue;
      if (now - Date.parse(String(e.heartbeatAt ?? e.startedAt)) > this.staleMs) stale.push(String(e.rowKey).slice('reminder|'.length));
    }
    for (const id of stale) {
      const job = await this.job(id);
      if (!job || job.progress.status !== 'running' || this.running.has(job.progress.documentId)) continue;
      if (!(await this.beat(job))) continue; // another instance took it first
      const doc = await aupStoreOf(this.s.tables).getVersion(schoolId, job.progress.documentId, job.progress.version);
      if (!doc) continue;
      this.s.log.info('aup reminders resumed', { documentId: doc.documentId });
      resumed++;
      this.running.add(doc.documentId);
      void this.run(doc, job).finally(() => this.running.delete(doc.documentId));
    }
    return resumed;
  }

  private async sendWithRetry(personId: string, doc: DocumentVersion): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const ref = await this.s.outbox.reach(personId, this.s.setup.tenantId ?? '');
        await this.s.channel.sendCard(ref, aupSignCard(this.s.setup, doc), `Please read and agree: ${doc.title}`);
        return;
      } catch (err) {
        const throttled = err instanceof ChannelError && (err.status === 429 || (err.status ?? 0) >= 500);
        if (!throttled || attempt >= 3) throw err;
        const seconds = Math.min(retryDelaySeconds(err, attempt), 60);
        await new Promise((r) => setTimeout(r, seconds * 1000));
      }
    }
  }
}
