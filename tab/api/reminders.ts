/**
 * "Remind everyone unsigned" (PRODUCT.md §4): the current version's card, sent through the bot to each
 * member of staff who has not signed it, paced under Teams' limits for proactive messages, with the
 * progress written to storage so the tab (on any instance) can show it.
 */
import { randomBytes } from 'node:crypto';
import { ChannelError } from '../../bot/channel';
import { retryDelaySeconds } from '../../bot/outbox';
import { aupSignCard } from '../../bot/handlers/signAup';
import type { Services } from '../../bot/services';
import type { RegisterPerson } from '../../core/aup';
import type { DocumentVersion } from '../../store/aupStore';
import { isStatus } from '../../store/tables';
import type { ReminderProgress } from './view';

const jobKey = (id: string) => `reminder|${id}`;

export class Reminders {
  private readonly running = new Set<string>();

  constructor(private readonly s: Services, private readonly perSecond: number) {}

  async progress(id: string): Promise<ReminderProgress | undefined> {
    try {
      const e = await this.s.tables.AupDocuments.getEntity<Record<string, unknown>>(this.s.setup.schoolId, jobKey(id));
      return {
        id,
        documentId: String(e.documentId),
        version: Number(e.version),
        total: Number(e.total),
        sent: Number(e.sent),
        failed: Number(e.failed),
        status: e.status === 'done' ? 'done' : 'running',
        startedAt: String(e.startedAt),
        finishedAt: (e.finishedAt as string) || undefined,
      };
    } catch (err) {
      if (isStatus(err, 404, 400)) return undefined;
      throw err;
    }
  }

  /** Starts sending in the background; answers at once with the job's first progress. */
  async start(doc: DocumentVersion, people: RegisterPerson[], byId: string): Promise<ReminderProgress | 'alreadyRunning'> {
    if (this.running.has(doc.documentId)) return 'alreadyRunning';
    const id = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const progress: ReminderProgress = { id, documentId: doc.documentId, version: doc.version, total: people.length, sent: 0, failed: 0, status: 'running', startedAt: this.s.clock().toISOString() };
    await this.save(progress, byId);
    this.running.add(doc.documentId);
    void this.run(doc, people, progress, byId).finally(() => this.running.delete(doc.documentId));
    return progress;
  }

  private async save(p: ReminderProgress, byId: string): Promise<void> {
    await this.s.tables.AupDocuments.upsertEntity({ partitionKey: this.s.setup.schoolId, rowKey: jobKey(p.id), ...p, finishedAt: p.finishedAt ?? '', byId }, 'Replace');
  }

  private async run(doc: DocumentVersion, people: RegisterPerson[], progress: ReminderProgress, byId: string): Promise<void> {
    const gapMs = 1000 / this.perSecond;
    let lastSaved = Date.now();
    for (const person of people) {
      const started = Date.now();
      try {
        await this.sendWithRetry(person, doc);
        progress.sent++;
      } catch (err) {
        progress.failed++;
        this.s.log.warn('aup reminder not delivered', { documentId: doc.documentId, error: (err as Error).message });
      }
      if (Date.now() - lastSaved > 1000) {
        await this.save(progress, byId).catch(() => undefined);
        lastSaved = Date.now();
      }
      const wait = gapMs - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    progress.status = 'done';
    progress.finishedAt = this.s.clock().toISOString();
    await this.save(progress, byId).catch((err: Error) => this.s.log.warn('reminder progress not saved', { error: err.message }));
    this.s.log.info('aup reminders sent', { documentId: doc.documentId, sent: progress.sent, failed: progress.failed });
  }

  private async sendWithRetry(person: RegisterPerson, doc: DocumentVersion): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const ref = await this.s.outbox.reach(person.id, this.s.setup.tenantId ?? '');
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
