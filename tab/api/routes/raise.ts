/**
 * "Raise a concern" (PRODUCT.md §1, §8): the concern form as a page, for staff who prefer one, and "My
 * concerns", the reporter's own list. The page sends the fields the chat's card sends, to the same
 * path (cases/raise.ts): the same checks, one case per form however often it is sent, the same receipt
 * (core/receipt.ts), which also reaches the reporter's chat with the bot. "My concerns" shows what the
 * receipt shows and no more: never the DSL's actions.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { searchLearners } from '../../../cases/learners';
import { ALREADY_RECEIVED, raiseConcern, spooledNotice, staffList } from '../../../cases/raise';
import { DEVICES, LIMITS, LOCATIONS } from '../../../core/concern';
import { receiptOf, reporterConcernOf } from '../../../core/receipt';
import { todayIn } from '../../../core/time';
import type { Services } from '../../../runtime/services';
import { callerOf } from '../caller';
import { parse, problem, requirePage } from '../http';
import type { LearnerMatch, MyConcernsView, RaiseFormView, RaiseResultView } from '../view';

/** A form's fields, each read and checked by readConcernSubmission (which names every problem). */
const formBody = z.record(z.string().max(64), z.unknown());

export function raiseRoutes(s: Services): Router {
  const router = express.Router();
  const { schoolId } = s.setup;
  router.use('/raise', requirePage('raise'));

  router.get('/raise', async (_req, res) => {
    const view: RaiseFormView = {
      schoolName: s.setup.name,
      today: todayIn(s.setup.timeZone, s.clock()),
      yearGroups: s.setup.phases.flatMap((p) => p.yearGroups.map((y) => ({ value: y, title: `${y} (${p.name})` }))),
      locations: Object.entries(LOCATIONS).map(([value, title]) => ({ value, title })),
      devices: Object.entries(DEVICES).map(([value, title]) => ({ value, title })),
      staff: (await staffList(s)).map((p) => ({ id: p.id, displayName: p.displayName })),
      limits: { whatHappened: LIMITS.whatHappened, actionsTaken: LIMITS.actionsTaken, learnerName: LIMITS.learnerName, url: LIMITS.url },
    };
    res.setHeader('cache-control', 'no-store');
    res.json(view);
  });

  /** Learners on the roster by name, as the chat's typeahead finds them: names and year groups only. */
  router.get('/raise/learners', async (req, res) => {
    const q = parse(z.object({ q: z.string().max(80).default('') }), req.query, res);
    if (!q) return;
    const found = q.q.trim() ? await searchLearners(s, q.q, 15) : [];
    res.json({ learners: found.map((l): LearnerMatch => ({ id: l.id, name: l.name, yearGroup: l.yearGroup })) });
  });

  router.post('/raise', async (req, res) => {
    const body = parse(formBody, req.body, res);
    if (!body) return;
    const caller = callerOf(res);
    const outcome = await raiseConcern(s, { id: caller.id, name: caller.name, tenantId: s.setup.tenantId ?? '' }, body, {});
    let view: RaiseResultView;
    switch (outcome.kind) {
      case 'invalid':
        return problem(res, 400, 'Please check the form: nothing has been sent.', outcome.errors);
      case 'stored':
        view = { outcome: 'stored', receipt: receiptOf(outcome.record, s.setup.timeZone), note: outcome.created ? '' : ALREADY_RECEIVED };
        return void res.status(outcome.created ? 201 : 200).json(view);
      case 'spooled':
        view = { outcome: 'spooled', ...spooledNotice(outcome.immediateDanger) };
        return void res.status(202).json(view);
    }
  });

  router.get('/raise/mine', async (_req, res) => {
    const caller = callerOf(res);
    const references = await s.stores.newCases.referencesOf(schoolId, caller.id);
    const records = await Promise.all(references.map((r) => s.stores.cases.getCase(schoolId, r)));
    const view: MyConcernsView = {
      // Only the caller's own, as the submission keys say; and of each, what the receipt says.
      concerns: records
        .filter((c): c is NonNullable<typeof c> => !!c && c.reporter.id === caller.id)
        .map(reporterConcernOf)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    };
    // A read of cases, if only of what their receipts say: audited like every other (one row for the list).
    await s.stores.audit.append(schoolId, { reference: `reporter|${caller.id}`, action: 'own concerns read', byId: caller.id, byName: caller.name, via: 'tab', detail: `${view.concerns.length} concerns` }, s.clock());
    res.setHeader('cache-control', 'no-store');
    res.json(view);
  });

  return router;
}
