/**
 * The Trends page's API (PRODUCT.md §7; policy §3, §4.1, §4.2): the counts of the concerns raised in a
 * period, by category, phase, year group, month and outcome, the time to acknowledge and the
 * escalations, for the safeguarding team, the Headteacher and the governors (core/tabPages.ts). Counts
 * only: the answer holds no name and no free text, and concerns about staff are counted as
 * core/trends.ts `trendsVisibility` says (core/caseAccess.ts). Each read is audited.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { todayIn } from '../../../core/time';
import { aggregateTrends, instantRange, periodChoices, thisAcademicYear, type Period } from '../../../core/trends';
import { addDays, isIsoDay } from '../../../core/training';
import type { Services } from '../../../runtime/services';
import { callerOf } from '../caller';
import { parse, requirePage } from '../http';
import type { TrendsView } from '../view';

/** Audited under this reference. */
export const TRENDS_AUDIT = 'trends';

/** The longest period asked for at once: twenty years is every case a school is likely to hold. */
const MAX_DAYS = 20 * 366;

const day = z.string().refine(isIsoDay, 'a date, as YYYY-MM-DD');
const periodQuery = z
  .strictObject({ from: day.optional(), to: day.optional() })
  .refine((q) => !q.from === !q.to, 'give both from and to, or neither')
  .refine((q) => !q.from || !q.to || q.from <= q.to, 'from is on or before to')
  .refine((q) => !q.from || !q.to || !isIsoDay(q.from) || q.to <= addDays(q.from, MAX_DAYS), 'at most twenty years at once');

export function trendsRoutes(s: Services): Router {
  const router = express.Router();
  const { schoolId } = s.setup;
  const starts = s.setup.training.academicYearStarts;

  router.use('/trends', requirePage('trends'));

  router.get('/trends', async (req, res) => {
    const caller = callerOf(res);
    const query = parse(periodQuery, Object.fromEntries(Object.entries(req.query).filter(([, v]) => v !== '')), res);
    if (!query) return;
    const today = todayIn(s.setup.timeZone, s.clock());
    const period: Period = query.from && query.to ? { from: query.from, to: query.to } : thisAcademicYear(today, starts);
    const { fromIso, toIso } = instantRange(period);
    const [facts] = await Promise.all([
      s.stores.caseFacts.raisedBetween(schoolId, fromIso, toIso),
      s.stores.audit.append(schoolId, { reference: TRENDS_AUDIT, action: 'trends read', byId: caller.id, byName: caller.name, via: 'tab', detail: `${period.from} to ${period.to}` }, s.clock()),
    ]);
    const view: TrendsView = {
      ...aggregateTrends(facts, period, { id: caller.id, roles: caller.roles }, s.setup),
      today,
      choices: periodChoices(today, s.setup.terms, starts),
    };
    res.setHeader('cache-control', 'no-store');
    res.json(view);
  });

  return router;
}
