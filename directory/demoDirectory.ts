/** The demo school's fictional people, for local runs without a Microsoft 365 tenant. */
import type { DemoPerson } from '../config/schema';
import type { Role, RoleMembers } from '../core/roles';
import type { Directory } from './directory';

export class DemoDirectory implements Directory {
  readonly source = 'demo' as const;
  constructor(private readonly people: DemoPerson[]) {}

  async membersOf(roles: Role[]): Promise<RoleMembers> {
    const out: RoleMembers = {};
    for (const role of roles) {
      out[role] = this.people.filter((p) => p.roles.includes(role)).map(({ id, displayName, email }) => ({ id, displayName, ...(email ? { email } : {}) }));
    }
    return out;
  }

  async installBotFor(): Promise<string | undefined> {
    return undefined;
  }

  async notifyActivity(): Promise<boolean> {
    return false;
  }

  async learners(): Promise<undefined> {
    return undefined;
  }
}
