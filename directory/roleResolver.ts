/**
 * Who holds each role now: asks the directory (Graph), keeps the answer for a short while so a burst of
 * concerns does not hammer Graph, and writes it down so that when Graph cannot be reached the last
 * successful lookup is used and the case says so (PRODUCT.md §2).
 *
 * When Graph has just failed, the next lookups do not wait out its timeouts again: for a short while
 * they answer at once from the last lookup (in storage, or in this instance's memory when storage is
 * down too), and one lookup at a time tries Graph in the background. A lookup never throws because a
 * service is down: it answers with what it knows, marked stale.
 */
import type { Role, RoleMembers } from '../core/roles';
import type { DirectorySnapshotStore } from '../store/directoryStore';
import { DirectoryUnavailableError, type Directory } from './directory';

export const ROUTING_ROLES: Role[] = ['dslPrep', 'dslPrePrep', 'deputyDsl', 'onlineSafetyLead', 'headteacher', 'chairOfGovernors', 'technicalStaff'];

/** After Graph fails, how long lookups answer from the last lookup without asking it again. */
const GRAPH_REST_MS = 30_000;

export interface Lookup {
  members: RoleMembers;
  /** Not from Graph just now: from the last successful lookup (or nothing, when there never was one). */
  stale: boolean;
}

export class RoleResolver {
  private readonly cache = new Map<Role, { at: number; members: RoleMembers[Role] }>();
  private graphDownUntil = 0;
  private probe?: Promise<unknown>;

  constructor(
    private readonly directory: Directory,
    private readonly snapshots: DirectorySnapshotStore,
    private readonly schoolId: string,
    private readonly cacheSeconds: number,
  ) {}

  /** Whether Graph answered the last time it was asked (the re-routing of stale cases waits for it). */
  get reachable(): boolean {
    return Date.now() >= this.graphDownUntil;
  }

  async resolve(roles: Role[]): Promise<Lookup> {
    const now = Date.now();
    const members: RoleMembers = {};
    const missing: Role[] = [];
    for (const role of roles) {
      const hit = this.cache.get(role);
      if (hit && now - hit.at < this.cacheSeconds * 1000) members[role] = hit.members;
      else missing.push(role);
    }
    if (missing.length === 0) return { members, stale: false };
    if (now < this.graphDownUntil) {
      // Graph failed moments ago: answer now from what we know, and let one lookup try it meanwhile.
      this.probe ??= this.ask(missing).catch(() => undefined).finally(() => (this.probe = undefined));
      return { members: { ...members, ...(await this.lastKnown(missing)) }, stale: true };
    }
    try {
      return { members: { ...members, ...(await this.ask(missing)) }, stale: false };
    } catch (err) {
      if (!(err instanceof DirectoryUnavailableError)) throw err;
      return { members: { ...members, ...(await this.lastKnown(missing)) }, stale: true };
    }
  }

  /** Asks Graph now, whatever the cache or a recent failure says (re-routing must know it answers). */
  async fresh(roles: Role[]): Promise<Lookup> {
    try {
      return { members: await this.ask(roles), stale: false };
    } catch (err) {
      if (!(err instanceof DirectoryUnavailableError)) throw err;
      return { members: await this.lastKnown(roles), stale: true };
    }
  }

  private async ask(roles: Role[]): Promise<RoleMembers> {
    try {
      const fresh = await this.directory.membersOf(roles);
      const at = Date.now();
      for (const role of roles) this.cache.set(role, { at, members: fresh[role] ?? [] });
      this.graphDownUntil = 0;
      // Best effort: the lookup is good even if storage cannot keep a copy of it right now.
      await this.snapshots.save(this.schoolId, fresh).catch(() => undefined);
      return fresh;
    } catch (err) {
      if (err instanceof DirectoryUnavailableError) this.graphDownUntil = Date.now() + GRAPH_REST_MS;
      throw err;
    }
  }

  /** The last successful lookup: from storage, else from this instance's memory (however old), else nothing. */
  private async lastKnown(roles: Role[]): Promise<RoleMembers> {
    const stored = await this.snapshots.load(this.schoolId, roles).catch(() => ({}) as RoleMembers);
    const out: RoleMembers = {};
    for (const role of roles) {
      const known = stored[role] ?? this.cache.get(role)?.members;
      if (known) out[role] = known;
    }
    return out;
  }
}
