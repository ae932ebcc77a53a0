/**
 * Who holds each role now: asks the directory (Graph), keeps the answer for a short while so a burst of
 * concerns does not hammer Graph, and writes it down so that when Graph cannot be reached the last
 * successful lookup is used and the case says so (PRODUCT.md §2).
 */
import type { Role, RoleMembers } from '../core/roles';
import { DirectoryUnavailableError, type Directory } from './directory';
import type { DirectorySnapshotStore } from '../store/directoryStore';

export const ROUTING_ROLES: Role[] = ['dslPrep', 'dslPrePrep', 'deputyDsl', 'onlineSafetyLead', 'headteacher', 'chairOfGovernors', 'technicalStaff'];

export class RoleResolver {
  private readonly cache = new Map<Role, { at: number; members: RoleMembers[Role] }>();

  constructor(
    private readonly directory: Directory,
    private readonly snapshots: DirectorySnapshotStore,
    private readonly schoolId: string,
    private readonly cacheSeconds: number,
  ) {}

  async resolve(roles: Role[]): Promise<{ members: RoleMembers; stale: boolean }> {
    const now = Date.now();
    const members: RoleMembers = {};
    const missing: Role[] = [];
    for (const role of roles) {
      const hit = this.cache.get(role);
      if (hit && now - hit.at < this.cacheSeconds * 1000) members[role] = hit.members;
      else missing.push(role);
    }
    if (missing.length === 0) return { members, stale: false };
    try {
      const fresh = await this.directory.membersOf(missing);
      for (const role of missing) this.cache.set(role, { at: now, members: fresh[role] ?? [] });
      // Best effort: the lookup is good even if storage cannot keep a copy of it right now.
      await this.snapshots.save(this.schoolId, fresh).catch(() => undefined);
      return { members: { ...members, ...fresh }, stale: false };
    } catch (err) {
      if (!(err instanceof DirectoryUnavailableError)) throw err;
      const last = await this.snapshots.load(this.schoolId, missing);
      return { members: { ...members, ...last }, stale: true };
    }
  }
}
