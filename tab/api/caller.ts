/**
 * Who is calling the tab's API, and what they may see. In Teams: the SSO token (checked in
 * ssoToken.ts). In local mode only (no bot credentials, loopback only): a demo person named by the
 * `x-demo-user` header, who must be in the directory. Roles always come from the directory (Graph).
 */
import type { NextFunction, Request, Response } from 'express';
import { registerAccess, type RegisterAccess } from '../../core/aup';
import { ROLES, type Role } from '../../core/roles';
import type { Services } from '../../runtime/services';
import { createSsoVerifier, SsoTokenError, type SsoIdentity } from './ssoToken';

export const DEMO_USER_HEADER = 'x-demo-user';

export interface Caller {
  id: string;
  name: string;
  via: 'sso' | 'local';
  roles: Role[];
  access: RegisterAccess;
}

export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}

/** Everyone the local-mode picker offers: the directory's people (the demo school, or the test stub). */
export async function localPeople(s: Services): Promise<{ id: string; displayName: string; roles: Role[] }[]> {
  const { members } = await s.roles.resolve([...ROLES]);
  const byId = new Map<string, { id: string; displayName: string; roles: Role[] }>();
  for (const role of ROLES) {
    for (const p of members[role] ?? []) {
      const entry = byId.get(p.id) ?? { id: p.id, displayName: p.displayName, roles: [] };
      entry.roles.push(role);
      byId.set(p.id, entry);
    }
  }
  return [...byId.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The demo header is honoured only in local mode (no bot credentials, loopback only) and without tab SSO settings. */
export function demoPeopleAllowed(s: Services): boolean {
  return s.settings.localMode && !s.settings.tab.sso;
}

export function authenticate(s: Services) {
  const tab = s.settings.tab;
  const tenantId = s.setup.tenantId;
  const verify = tab.sso && tenantId ? createSsoVerifier({ audiences: tab.sso.audiences, jwksUrl: tab.sso.jwksUrl, tenantId }) : undefined;
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const demoUser = req.headers[DEMO_USER_HEADER];
    let identity: SsoIdentity | { id: string; name: string };
    let via: Caller['via'] = 'sso';
    if (/^Bearer\s+\S/i.test(header)) {
      if (!verify) return void res.status(503).json({ error: 'Teams sign-in is not set up on this server (TAB_SSO_CLIENT_ID and the school\'s tenantId).' });
      try {
        identity = await verify(header.replace(/^Bearer\s+/i, '').trim());
      } catch (err) {
        if (!(err instanceof SsoTokenError)) throw err;
        s.log.warn('tab token refused', { reason: err.message });
        return void res.status(401).json({ error: 'Your Teams sign-in could not be checked. Please reopen the tab.' });
      }
    } else if (demoUser !== undefined) {
      // Never with real credentials: local mode is off whenever the bot (or the tab) has credentials.
      if (!demoPeopleAllowed(s)) return void res.status(401).json({ error: 'A Teams sign-in is required.' });
      const id = String(demoUser);
      const person = (await localPeople(s)).find((p) => p.id === id);
      if (!person) return void res.status(401).json({ error: 'That demo person is not in the directory.' });
      identity = { id: person.id, name: person.displayName };
      via = 'local';
    } else {
      return void res.status(401).json({ error: 'A Teams sign-in is required.' });
    }
    // Every role the person holds: pages and access follow from them (core/tabPages.ts, core/aup.ts).
    const { members } = await s.roles.resolve([...ROLES]);
    const roles = ROLES.filter((r) => (members[r] ?? []).some((p) => p.id === identity.id));
    const name = identity.name || Object.values(members).flat().find((p) => p?.id === identity.id)?.displayName || '';
    const caller: Caller = { id: identity.id, name, via, roles, access: registerAccess(roles) };
    res.locals.caller = caller;
    next();
  };
}
