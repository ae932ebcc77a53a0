/**
 * Staff come from the all-staff group in Graph (paged, transitive: directory/graphDirectory.ts), and
 * learners from the tenant's education data (School Data Sync) where it has it, otherwise from CSV;
 * kept in step on a schedule, when the register is opened after the interval, and on demand. One sync
 * at a time per instance; when Graph cannot be reached nobody is removed.
 */
import { yearGroupOfGrade } from '../../core/phases';
import { DirectoryUnavailableError } from '../../directory/directory';
import type { Services } from '../../runtime/services';

export interface SyncResult {
  /** What was read: the tenant's Microsoft 365, or the demo school's directory (local runs). */
  source: 'microsoft365' | 'demo';
  added: number;
  left: number;
  stale: boolean;
  /** Learners from School Data Sync: how many were added and left, or why they were not read. */
  learners: { added: number; left: number } | { unavailable: string };
}

export class StaffSync {
  private inFlight?: Promise<SyncResult>;
  private timer?: NodeJS.Timeout;
  private readonly minutes: number;

  constructor(private readonly s: Services) {
    this.minutes = s.settings.tab.staffSyncMinutes;
  }

  /** A timer that does not keep the process alive. */
  start(): void {
    this.timer = setInterval(() => void this.now().catch((err: Error) => this.s.log.warn('staff sync failed', { error: err.message })), this.minutes * 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight?.catch(() => undefined);
  }

  now(): Promise<SyncResult> {
    this.inFlight ??= this.run().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Before the register is read: wait for the first sync ever; refresh an old one in the background. */
  async ensureFresh(): Promise<void> {
    const last = await this.s.stores.aup.lastStaffSync(this.s.setup.schoolId);
    if (!last) {
      await this.now();
      return;
    }
    if (this.s.clock().getTime() - Date.parse(last) > this.minutes * 60_000) {
      void this.now().catch((err: Error) => this.s.log.warn('staff sync failed', { error: err.message }));
    }
  }

  private async run(): Promise<SyncResult> {
    const { members, stale } = await this.s.roles.resolve(['allStaff']);
    const staff = members.allStaff ?? [];
    const store = this.s.stores.aup;
    const at = this.s.clock().toISOString();
    const result = await store.syncStaff(this.s.setup.schoolId, staff, at, { removeLeavers: !stale && staff.length > 0, wholeGroup: true });
    const learners = await this.syncLearners(at);
    this.s.log.info('people synced', { ...result, stale, learnersAdded: 'added' in learners ? learners.added : undefined });
    return { source: this.s.directory.source, ...result, stale, learners };
  }

  private async syncLearners(at: string): Promise<SyncResult['learners']> {
    let learners;
    try {
      learners = await this.s.directory.learners();
    } catch (err) {
      if (err instanceof DirectoryUnavailableError) return { unavailable: 'Microsoft Graph could not be reached; learners were left as they were.' };
      throw err;
    }
    if (!learners) {
      return { unavailable: this.s.directory.source === 'demo' ? 'The demo directory has no learners: import them by CSV.' : 'The tenant has no education data (School Data Sync): import learners by CSV.' };
    }
    const people = learners.map((l) => ({ id: l.id, displayName: l.displayName, yearGroup: yearGroupOfGrade(this.s.setup.phases, l.grade) }));
    return this.s.stores.aup.syncFromGraph(this.s.setup.schoolId, 'learner', people, at, { removeLeavers: people.length > 0, wholeGroup: true });
  }
}
