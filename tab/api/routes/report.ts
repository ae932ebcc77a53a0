/**
 * The governors' report's API (PRODUCT.md §7; policy §3 "the named governor for safeguarding will
 * report on a regular basis to the governing body on online safety practice and incidents, including
 * outcomes"): for a term of the school's setup, the anonymised report as the page shows it, as a PDF
 * and as CSV, all three from the same suppressed report (core/report.ts). No names in any of them.
 * Every read and download is audited.
 */
import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { currentTerm, type Term } from '../../../core/report';
import { todayIn } from '../../../core/time';
import type { Services } from '../../../runtime/services';
import { callerOf } from '../caller';
import { governorsReport, type ReportParts } from '../governorsReport';
import { parse, problem, requirePage } from '../http';
import { reportCsv, reportPdf } from '../reportPdf';
import type { GovernorsReportView } from '../view';

/** Audited under this reference. */
export const REPORT_AUDIT = 'governors-report';

/** A term is named by its first day (unique in a school's calendar). */
const termQuery = z.strictObject({ term: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a term, by its first day (YYYY-MM-DD)').optional() });

export function reportRoutes(s: Services, parts: ReportParts): Router {
  const router = express.Router();
  const { schoolId } = s.setup;
  const terms = () => [...s.setup.terms].sort((a, b) => a.start.localeCompare(b.start));

  router.use(['/report', '/report.pdf', '/report.csv'], requirePage('report'));

  /** The term asked for (default: the latest that has started, else the first), or the 4xx answer sent. */
  function termAsked(query: unknown, res: Response): Term | undefined {
    const q = parse(termQuery, query, res);
    if (!q) return undefined;
    const all = terms();
    const term = q.term ? all.find((t) => t.start === q.term) : (currentTerm(all, todayIn(s.setup.timeZone, s.clock())) ?? all[0]);
    if (!term) return void problem(res, 404, all.length ? `The school's setup has no term starting on ${q.term}.` : 'The school\'s setup names no terms yet (terms in the setup file).');
    return term;
  }

  async function report(term: Term, res: Response, action: string) {
    const caller = callerOf(res);
    const [built] = await Promise.all([
      governorsReport(s, parts, { id: caller.id, roles: caller.roles }, term),
      s.stores.audit.append(schoolId, { reference: REPORT_AUDIT, action, byId: caller.id, byName: caller.name, via: 'tab', detail: `${term.name} (${term.start} to ${term.end})` }, s.clock()),
    ]);
    res.setHeader('cache-control', 'no-store');
    return built;
  }

  router.get('/report', async (req, res) => {
    const list = terms().map((t) => ({ id: t.start, name: t.name, start: t.start, end: t.end }));
    if (list.length === 0 && !req.query.term) return void res.setHeader('cache-control', 'no-store').json({ terms: [] } satisfies GovernorsReportView);
    const term = termAsked(req.query, res);
    if (!term) return;
    const view: GovernorsReportView = { terms: list, report: { ...(await report(term, res, 'governors\' report read')), termId: term.start } };
    res.json(view);
  });

  router.get('/report.pdf', async (req, res) => {
    const term = termAsked(req.query, res);
    if (!term) return;
    const pdf = await reportPdf(await report(term, res, 'governors\' report downloaded (PDF)'));
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `attachment; filename="governors-report-${term.start}.pdf"`);
    res.end(pdf);
  });

  router.get('/report.csv', async (req, res) => {
    const term = termAsked(req.query, res);
    if (!term) return;
    const csv = reportCsv(await report(term, res, 'governors\' report downloaded (CSV)'));
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="governors-report-${term.start}.csv"`);
    res.send(csv);
  });

  return router;
}
