/**
 * Starting the tab: what the page needs before anyone signs in (no data), the demo people local mode
 * offers, and who is signed in with the pages they see.
 */
import express, { type Router } from 'express';
import { pagesFor } from '../../../core/tabPages';
import type { Services } from '../../../runtime/services';
import { callerOf, demoPeopleAllowed, localPeople } from '../caller';
import { problem } from '../http';
import type { MeView, TabConfig } from '../view';

/** Before sign-in: mounted ahead of the sign-in check. */
export function publicRoutes(s: Services): Router {
  const router = express.Router();
  router.get('/config', (_req, res) => {
    const config: TabConfig = { schoolName: s.setup.name, localMode: demoPeopleAllowed(s), ssoConfigured: !!s.settings.tab.sso && !!s.setup.tenantId };
    res.json(config);
  });

  /** Local mode only: the demo people a developer may act as. */
  router.get('/local/people', async (_req, res) => {
    if (!demoPeopleAllowed(s)) return problem(res, 404, 'Not found.');
    res.json({ people: await localPeople(s) });
  });
  return router;
}

/** After sign-in. */
export function sessionRoutes(): Router {
  const router = express.Router();
  router.get('/me', (_req, res) => {
    const c = callerOf(res);
    const me: MeView = { id: c.id, name: c.name, access: c.access, roles: c.roles, pages: pagesFor(c.roles) };
    res.json(me);
  });
  return router;
}
