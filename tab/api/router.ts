/**
 * The tab's API (/api/tab): the public start routes, then the sign-in check (caller.ts), then one
 * route file per page (routes/), each page's routes refusing anyone who may not see the page
 * (core/tabPages.ts). Its background work (the staff sync, reminder runs) starts and stops with the
 * server. Concerns are never reachable from here.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { aupSignCard } from '../../delivery/cards';
import type { Services } from '../../runtime/services';
import { authenticate } from './caller';
import { problem } from './http';
import { Reminders, type ReminderCard } from './reminders';
import { myRecordsRoutes } from './routes/myRecords';
import { registerRoutes } from './routes/register';
import { publicRoutes, sessionRoutes } from './routes/session';
import { StaffSync } from './staffSync';

/** The largest body the tab accepts (a CSV import of a whole school). */
export const MAX_TAB_BODY = '6mb';

export interface TabApi {
  router: Router;
  start(): void;
  stop(): Promise<void>;
}

export function createTabApi(s: Services): TabApi {
  const staffSync = new StaffSync(s);
  const reminderCard: ReminderCard = async (subject) => {
    if (subject.kind !== 'aup') return undefined;
    const doc = await s.stores.aup.getVersion(s.setup.schoolId, subject.id, subject.version);
    return doc && { card: aupSignCard(s.setup, doc), summary: `Please read and agree: ${doc.title}` };
  };
  const reminders = new Reminders(s, reminderCard);

  const router = express.Router();
  router.use(express.json({ limit: MAX_TAB_BODY }));
  router.use(publicRoutes(s));
  router.use(authenticate(s));
  router.use(sessionRoutes());
  router.use(registerRoutes(s, { staffSync, reminders }));
  router.use(myRecordsRoutes(s));
  router.use((_req: Request, res: Response) => problem(res, 404, 'Not found.'));
  router.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.parse.failed') return problem(res, 400, 'The body is not valid JSON.');
    if (err.type === 'entity.too.large') return problem(res, 413, `The body is larger than the tab accepts (${MAX_TAB_BODY.replace('mb', ' MB')}).`);
    s.log.error('tab request failed', { error: err.message });
    problem(res, 500, 'Something went wrong; nothing was changed. Please try again.');
  });

  return {
    router,
    start: () => {
      staffSync.start();
      reminders.start();
    },
    stop: async () => {
      await Promise.all([reminders.stop(), staffSync.stop()]);
    },
  };
}
