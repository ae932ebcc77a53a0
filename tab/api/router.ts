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
import { requestProblem } from '../../runtime/requestProblems';
import type { Services } from '../../runtime/services';
import { UnsafeKeyError } from '../../store/tables';
import { authenticate } from './caller';
import { problem } from './http';
import { Reminders, type ReminderCards } from './reminders';
import { casesRoutes } from './routes/cases';
import { filteringRoutes } from './routes/filtering';
import { myRecordsRoutes } from './routes/myRecords';
import { registerRoutes } from './routes/register';
import { reportRoutes } from './routes/report';
import { raiseRoutes } from './routes/raise';
import { publicRoutes, sessionRoutes } from './routes/session';
import { trainingRoutes } from './routes/training';
import { trendsRoutes } from './routes/trends';
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
      const drawn = doc && { card: aupSignCard(s.setup, doc, { recordsLink: s.outbox.link('records') }), summary: `Please read and agree: ${doc.title}` };
      return drawn && (() => drawn);
    }
    // Training: each person's own due courses, as the matrix has them when the run starts.
    const { view } = await training.matrix();
    const link = s.outbox.link('records');
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
  router.use(trendsRoutes(s));
  router.use(reportRoutes(s, { training, staffSync }));
  router.use(filteringRoutes(s));
  router.use(myRecordsRoutes(s, { training }));
  router.use(raiseRoutes(s));
  router.use((_req: Request, res: Response) => problem(res, 404, 'Not found.'));
  router.use((err: Error, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    // Refused by Express or the JSON parser (bad percent-encoding, a body it cannot read): the caller's mistake.
    const refused = requestProblem(err, { maxBody: MAX_TAB_BODY });
    if (refused) {
      s.log.warn('tab request refused', { status: refused.status, kind: refused.kind });
      return problem(res, refused.status, refused.message);
    }
    // An id that cannot be a storage key reached a store's write (store/tables.ts keyPart): nothing was written.
    if (err instanceof UnsafeKeyError) return problem(res, 400, `Some of what was sent is not right: ${err.message}.`);
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
