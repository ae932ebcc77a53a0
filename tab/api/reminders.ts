/**
 * Reminder runs from the tab ("remind everyone unsigned", and later "remind everyone due"): a card to
 * each person, sent through the one delivery path (delivery/outbox.ts sendCardNow), paced under Teams'
 * limits for proactive messages, with the progress in storage so the page (on any instance) can show
 * it. A run that stops (a restart, an instance gone) is carried on by another instance from its
 * heartbeat, for the people not yet reminded (store/reminderStore.ts); nobody gets two.
 */
import { randomBytes } from 'node:crypto';
import type { AdaptiveCard } from '../../delivery/cards';
import { Periodic } from '../../runtime/periodic';
import type { Services } from '../../runtime/services';
import type { ReminderRun, ReminderSubject } from '../../store/reminderStore';

export interface DrawnCard {
  card: AdaptiveCard;
  summary: string;
}

/**
 * What a run sends: prepared once per run from the subject as it is stored (undefined: the subject is
 * gone, nothing is sent), then drawn for each person (undefined: nothing is owed to them any more).
 */
export type ReminderCards = (subject: ReminderSubject) => Promise<((personId: string) => DrawnCard | undefined) | undefined>;

export class Reminders {
  /** Subjects this instance is sending now (kind|id). */
  private readonly running = new Set<string>();
  private readonly resumer: Periodic;
  private stopped = false;

  constructor(private readonly s: Services, private readonly cardsFor: ReminderCards) {
    this.resumer = new Periodic(() => this.resumeStale(), s.settings.tab.remindersResumeSeconds, s.log, 'reminder resume check');
  }

  /** Looks for runs left unfinished (a restart, or an instance that stopped) and carries them on. */
  start(): void {
    this.resumer.start(true);
  }

  /** The server is stopping: runs stop between two people; another instance carries them on. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.resumer.stop();
  }

  get(id: string): Promise<ReminderRun | undefined> {
    return this.s.stores.reminders.get(this.s.setup.schoolId, id);
  }

  /** Writes the run and one row per person, then sends in the background; answers with the first progress. */
  /** Starts a run for `personIds`; `notInTeams` (names) are due but cannot be reached, and the page says so. */
  async begin(subject: ReminderSubject, personIds: string[], byId: string, notInTeams: string[] = []): Promise<ReminderRun | 'alreadyRunning'> {
    const key = `${subject.kind}|${subject.id}`;
    if (this.running.has(key)) return 'alreadyRunning';
    const now = this.s.clock().toISOString();
    const id = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const run = await this.s.stores.reminders.create(
      this.s.setup.schoolId,
      { id, subject, total: personIds.length, sent: 0, failed: 0, status: 'running', startedAt: now, byId, heartbeatAt: now, notInTeams },
      personIds,
    );
    this.launch(run);
    return { ...run };
  }

  private launch(run: ReminderRun): void {
    const key = `${run.subject.kind}|${run.subject.id}`;
    this.running.add(key);
    void this.send(run)
      .catch((err: Error) => this.s.log.warn('reminder run stopped; another instance will carry it on', { id: run.id, error: err.message }))
      .finally(() => this.running.delete(key));
  }

  private async send(run: ReminderRun): Promise<void> {
    const { schoolId } = this.s.setup;
    const store = this.s.stores.reminders;
    const draw = await this.cardsFor(run.subject);
    const gapMs = 1000 / this.s.settings.tab.remindersPerSecond;
    let lastBeat = Date.now();
    for (const person of draw ? await store.pending(schoolId, run.id) : []) {
      if (this.stopped) return;
      const started = Date.now();
      if (!(await store.take(schoolId, run.id, person))) continue;
      let state: 'sent' | 'failed' = 'sent';
      try {
        const drawn = draw!(person.personId);
        if (drawn) await this.s.outbox.sendCardNow(person.personId, drawn.card, drawn.summary);
        run.sent++;
      } catch (err) {
        state = 'failed';
        run.failed++;
        this.s.log.warn('reminder not delivered', { subject: run.subject.id, error: (err as Error).message });
      }
      await store.settle(schoolId, run.id, person.personId, state).catch(() => undefined);
      if (Date.now() - lastBeat > 1000) {
        // Another instance took the run over (this one looked stopped): leave it to them.
        if (!(await store.beat(schoolId, run, this.s.clock().toISOString()).catch(() => true))) return;
        lastBeat = Date.now();
      }
      const wait = gapMs - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    run.status = 'done';
    run.finishedAt = this.s.clock().toISOString();
    await store.beat(schoolId, run, run.finishedAt);
    this.s.log.info('reminders sent', { subject: run.subject.id, sent: run.sent, failed: run.failed });
  }

  /** Runs whose heartbeat stopped: take each over (ETag on the job row) and send to whoever is left. */
  private async resumeStale(): Promise<number> {
    const { schoolId } = this.s.setup;
    const now = this.s.clock().getTime();
    const staleMs = this.s.settings.tab.remindersStaleSeconds * 1000;
    let resumed = 0;
    for (const run of await this.s.stores.reminders.running(schoolId)) {
      if (now - Date.parse(run.heartbeatAt) <= staleMs || this.running.has(`${run.subject.kind}|${run.subject.id}`) || this.stopped) continue;
      if (!(await this.s.stores.reminders.beat(schoolId, run, this.s.clock().toISOString()))) continue; // another instance took it first
      this.s.log.info('reminders resumed', { subject: run.subject.id });
      resumed++;
      this.launch(run);
    }
    return resumed;
  }
}
