/**
 * Staff come from the all-staff group in Graph (paged, transitive: directory/graphDirectory.ts), and
 * learners from the tenant's education data (School Data Sync) where it has it, otherwise from CSV;
 * kept in step on a schedule, when the register is opened after the interval, and on demand. One sync
 * at a time per instance; when Graph cannot be reached nobody is removed.
 */
import type { Services } from '../../bot/services';
import { yearGroupOfGrade } from '../../core/phases';
import { DirectoryUnavailableError } from '../../directory/directory';
import { aupStoreOf } from '../../store/aupStore';

export interface SyncResult {
  added: number;
  left: number;
  stale: boolean;
  /** Learners from School Data Sync: how many were added and left, or why they were not read. */
  learners: { added: number; left: number } | { unavailable: string };
}

export class StaffSync {
  private inFlight?: Promise<SyncResult>;

  constructor(private readonly s: Services, private readonly minutes: number) {}

  /** A timer that does not keep the process alive. */
  schedule(): void {
    setInterval(() => void this.now().catch((err: Error) => this.s.log.warn('staff sync failed', { error: err.message })), this.minutes * 60_000).unref();
  }

  now(): Promise<SyncResult> {
    this.inFlight ??= this.run().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Before the register is read: wait for the first sync ever; refresh an old one in the background. */
  async ensureFresh(): Promise<void> {
    const last = await aupStoreOf(this.s.tables).lastStaffSync(this.s.setup.schoolId);
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
    const store = aupStoreOf(this.s.tables);
    const at = this.s.clock().toISOString();
    const result = await store.syncStaff(this.s.setup.schoolId, staff, at, { removeLeavers: !stale && staff.length > 0, wholeGroup: true });
    const learners = await this.syncLearners(at);
    this.s.log.info('people synced', { ...result, stale, learnersAdded: 'added' in learners ? learners.added : undefined });
    return { ...result, stale, learners };
  }

  private async syncLearners(at: string): Promise<SyncResult['learners']> {
    let learners;
    try {
      learners = await this.s.directory.learners();
    } catch (err) {
      if (err instanceof DirectoryUnavailableError) return { unavailable: 'Microsoft Graph could not be reached; learners were left as they were.' };
      throw err;
    }
    if (!learners) return { unavailable: 'The tenant has no education data (School Data Sync): import learners by CSV.' };
    const people = learners.map((l) => ({ id: l.id, displayName: l.displayName, yearGroup: yearGroupOfGrade(this.s.setup.phases, l.grade) }));
    return aupStoreOf(this.s.tables).syncFromGraph(this.s.setup.schoolId, 'learner', people, at, { removeLeavers: people.length > 0, wholeGroup: true });
  }
}
