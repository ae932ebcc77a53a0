/**
 * The tab's API (/api/tab): the public start routes, then the sign-in check (caller.ts), then one
 * route file per page (routes/), each page's routes refusing anyone who may not see the page
 * (core/tabPages.ts). Its background work (the staff sync, reminder runs) starts and stops with the
 * server. Concerns are never reachable from here.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { TRAINING_STATUS_TITLES } from '../../core/training';
import { aupSignCard, trainingReminderCard, type DueCourse } from '../../delivery/cards';
import { tabLink } from '../../delivery/deepLinks';
import type { Services } from '../../runtime/services';
import { authenticate } from './caller';
import { problem } from './http';
import { Reminders, type ReminderCards } from './reminders';
import { casesRoutes } from './routes/cases';
import { filteringRoutes } from './routes/filtering';
import { myRecordsRoutes } from './routes/myRecords';
import { registerRoutes } from './routes/register';
import { publicRoutes, sessionRoutes } from './routes/session';
import { trainingRoutes } from './routes/training';
import { StaffSync } from './staffSync';
import { TrainingView } from './trainingView';

/** The largest body the tab accepts (a CSV import of a whole school). */
export const MAX_TAB_BODY = '6mb';

export interface TabApi {
  router: Router;
  start(): void;
  stop(): Promise<void>;
}

export function createTabApi(s: Services): TabApi {
  const staffSync = new StaffSync(s);
  const training = new TrainingView(s, staffSync);
  const reminderCards: ReminderCards = async (subject) => {
    if (subject.kind === 'aup') {
      const doc = await s.stores.aup.getVersion(s.setup.schoolId, subject.id, subject.version);
      const drawn = doc && { card: aupSignCard(s.setup, doc), summary: `Please read and agree: ${doc.title}` };
      return drawn && (() => drawn);
    }
    // Training: each person's own due courses, as the matrix has them when the run starts.
    const { view } = await training.matrix();
    const link = tabLink({ teamsAppCatalogId: s.settings.teamsAppCatalogId, localMode: s.settings.localMode, port: s.settings.port }, 'records');
    const rows = new Map(view.rows.map((r) => [r.person.id, r]));
    const shown = view.courses.map((c, i) => ({ c, i })).filter(({ c }) => subject.id === 'all' || c.id === subject.id);
    return (personId) => {
      const row = rows.get(personId);
      const items: DueCourse[] = row
        ? shown.flatMap(({ c, i }) => {
            const cell = row.cells[i];
            if (cell.status === 'overdue') return [{ title: c.title, state: `Overdue since ${longDate(cell.dueOn)}` }];
            if (cell.status === 'dueSoon') return [{ title: c.title, state: `Due by ${longDate(cell.dueOn)}` }];
            if (cell.status === 'never') return [{ title: c.title, state: TRAINING_STATUS_TITLES.never }];
            return [];
          })
        : [];
      return items.length ? { card: trainingReminderCard(s.setup, items, link), summary: `Training due: ${items.map((x) => x.title).join(', ')}` } : undefined;
    };
  };
  const reminders = new Reminders(s, reminderCards);

  const router = express.Router();
  router.use(express.json({ limit: MAX_TAB_BODY }));
  router.use(publicRoutes(s));
  router.use(authenticate(s));
  router.use(sessionRoutes());
  router.use(casesRoutes(s));
  router.use(registerRoutes(s, { staffSync, reminders }));
  router.use(trainingRoutes(s, { view: training, reminders }));
  router.use(filteringRoutes(s));
  router.use(myRecordsRoutes(s, { training }));
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

/** "30 Sep 2026" */
function longDate(day: string | undefined): string {
  return day ? new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }) : '';
}
