/** What every route of the tab's API shares: one shape for problems, one schema check per input. */
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { canSeePage, PAGES, type TabPageId } from '../../core/tabPages';
import { isoDay } from '../../core/time';
import { isKeySafe } from '../../store/tables';
import { callerOf, type Caller } from './caller';

export function problem(res: Response, status: number, error: string, details?: string[]): void {
  res.status(status).json({ error, ...(details ? { details } : {}) });
}

/** A day sent to the API: exactly YYYY-MM-DD, and one the calendar has (not 2026-02-30 or 0000-00-00). */
export const day = z.string().refine((v) => isoDay(v) !== undefined, 'must be a real date, as YYYY-MM-DD');

/** An id sent in a body that names something stored (a person, a record): one storage can key. */
export const storedId = z.string().refine(isKeySafe, 'is not an id: ids have no / \\ # ? | or control characters, and are whole text');

/**
 * The value if it matches the schema; otherwise a 400 naming each problem, and undefined. `name` is what
 * the value is to the caller ('body', or a path parameter's name): problems are named by it.
 */
export function parse<T>(schema: z.ZodType<T>, value: unknown, res: Response, name = 'body'): T | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  problem(res, 400, 'Some of what was sent is not right.', r.error.issues.map((i) => `${i.path.join('.') || name}: ${i.message}`));
  return undefined;
}

/** A page's routes answer only those who may see the page (core/tabPages.ts), whatever the page shows. */
export function requirePage(page: TabPageId) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (canSeePage(page, callerOf(res).roles)) return next();
    problem(res, 403, `The ${PAGES[page].title} page is not open to you.`);
  };
}

/** Only those who keep the page's records (office staff, Headteacher, OSL) may change them. */
export function keeperOnly(res: Response, what = 'the register'): Caller | undefined {
  const caller = callerOf(res);
  if (caller.access === 'keep') return caller;
  problem(res, 403, `Only the school office can change ${what}.`);
  return undefined;
}

/** Sends a body with the content type and no caching; compressed when the browser accepts it. */
export function sendEncoded(req: Request, res: Response, body: { json: Buffer; gzip: Buffer }): void {
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('vary', 'accept-encoding');
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.setHeader('content-encoding', 'gzip');
    res.end(body.gzip);
  } else res.end(body.json);
}
