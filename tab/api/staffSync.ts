/**
 * Staff come from the all-staff group in Graph (paged, transitive: directory/graphDirectory.ts), kept
 * in step on a schedule, when the register is opened after the interval, and on demand. One sync at a
 * time per instance; when Graph cannot be reached nobody is removed.
 */
import type { Services } from '../../bot/services';
import { aupStoreOf } from '../../store/aupStore';

export class StaffSync {
  private inFlight?: Promise<{ added: number; left: number; stale: boolean }>;

  constructor(private readonly s: Services, private readonly minutes: number) {}

  /** A timer that does not keep the process alive. */
  schedule(): void {
    setInterval(() => void this.now().catch((err: Error) => this.s.log.warn('staff sync failed', { error: err.message })), this.minutes * 60_000).unref();
  }

  now(): Promise<{ added: number; left: number; stale: boolean }> {
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

  private async run(): Promise<{ added: number; left: number; stale: boolean }> {
    const { members, stale } = await this.s.roles.resolve(['allStaff']);
    const staff = members.allStaff ?? [];
    const result = await aupStoreOf(this.s.tables).syncStaff(this.s.setup.schoolId, staff, this.s.clock().toISOString(), { removeLeavers: !stale && staff.length > 0, wholeGroup: true });
    this.s.log.info('staff synced', { ...result, stale });
    return { ...result, stale };
  }
}
