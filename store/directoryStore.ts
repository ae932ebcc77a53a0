/** The last successful lookup of each role group, for when Graph cannot be reached (PRODUCT.md §2). */
import type { Person, Role, RoleMembers } from '../core/roles';
import { json, readOrUndefined, type Tables } from './tables';

export class DirectorySnapshotStore {
  constructor(private readonly tables: Tables) {}

  async save(schoolId: string, members: RoleMembers): Promise<void> {
    const at = new Date().toISOString();
    await Promise.all(
      Object.entries(members).map(([role, people]) =>
        this.tables.Directory.upsertEntity({ partitionKey: schoolId, rowKey: role, members: JSON.stringify(people), lookedUpAt: at }, 'Replace'),
      ),
    );
  }

  async load(schoolId: string, roles: Role[]): Promise<RoleMembers> {
    const out: RoleMembers = {};
    await Promise.all(
      roles.map(async (role) => {
        const e = await readOrUndefined(() => this.tables.Directory.getEntity<{ members: string }>(schoolId, role));
        if (e) out[role] = json<Person[]>(e.members, []);
      }),
    );
    return out;
  }
}
