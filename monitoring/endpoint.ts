/**
 * POST /api/monitoring/alerts: where the school's monitoring system (Smoothwall Monitor, Senso, Impero;
 * policy §7.3.4), or the technician's integration for it, sends one alert. Mounted by the composition
 * root beside the bot and the tab, and part of neither. docs/monitoring.md is the technician's guide.
 *
 * In order, each refusal a clear answer and never a 5xx for what the sender sent:
 *  1. no signature and no bearer key → 401 before the body is read;
 *  2. a body over MAX_ALERT_BYTES → 413;
 *  3. the signature (HMAC-SHA256 of the exact bytes, with a replay window) or the bearer key checked
 *     against MONITORING_SECRET (monitoring/signature.ts) → 401, with an audit row that names the reason,
 *     the sender's address and the size, never the body, the secret or what was presented;
 *  4. not JSON, not one alert, not a system we know, not the vendor's contract → 400 with every reason;
 *  5. taken in (cases/alertIntake.ts): 202 once the case is stored (its cards follow at Teams' pace),
 *     200 for an alert already received (its first case) or below the school's threshold (logged).
 * Storage down is the server's trouble, not the sender's: 503 with Retry-After, and the same alert sent
 * again makes one case.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { isStorageOutage } from '../cases/intake';
import { takeAlert } from '../cases/alertIntake';
import type { Services } from '../runtime/services';
import { MONITORING_VENDORS, type AlertResult, type MonitoringVendor } from './alert';
import { imperoAlert } from './impero';
import { sensoAlert } from './senso';
import { checkBearer, checkSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, type SenderCheck } from './signature';
import { smoothwallAlert } from './smoothwall';

export const MONITORING_PATH = '/api/monitoring/alerts';
/** One alert is a few kilobytes; room for one that still carries a screenshot (which is then dropped). */
export const MAX_ALERT_BYTES = 1024 * 1024;
/** Names the system when the body does not (`?system=` does the same). */
export const SYSTEM_HEADER = 'x-monitoring-system';
/** Audit rows of the endpoint are under this reference. */
export const MONITORING_AUDIT = 'monitoring';

const ADAPTERS: Record<MonitoringVendor, (body: unknown) => AlertResult> = { smoothwall: smoothwallAlert, senso: sensoAlert, impero: imperoAlert };

/** Each contract's required id field tells whose it is (docs/monitoring.md). */
const ID_FIELDS: Record<string, MonitoringVendor> = { eventId: 'smoothwall', violationId: 'senso', captureId: 'impero' };

type Which = { vendor: MonitoringVendor } | { problem: string };

function whichSystem(s: Services, req: Request, body: Record<string, unknown>): Which {
  const named = (typeof req.query.system === 'string' ? req.query.system : undefined) ?? req.get(SYSTEM_HEADER);
  if (named !== undefined) {
    const v = named.trim().toLowerCase();
    return (MONITORING_VENDORS as readonly string[]).includes(v) ? { vendor: v as MonitoringVendor } : { problem: `the system "${named.slice(0, 40)}" is not one of ${MONITORING_VENDORS.join(', ')}` };
  }
  const found = [...new Set(Object.keys(ID_FIELDS).filter((f) => f in body).map((f) => ID_FIELDS[f]))];
  if (found.length === 1) return { vendor: found[0] };
  const fallback = s.setup.filteringAndMonitoring.monitoringSystem;
  if (found.length === 0 && fallback) return { vendor: fallback };
  return { problem: `say which system sent the alert (?system= or the ${SYSTEM_HEADER} header: ${MONITORING_VENDORS.join(', ')})${found.length > 1 ? `: the body has the id fields of ${found.join(' and ')}` : ''}` };
}

export function monitoringRoutes(s: Services): Router {
  const router = express.Router();
  const { schoolId } = s.setup;
  const settings = s.settings.monitoring;
  if (settings.secretProblem) s.log.warn(settings.secretProblem);

  /** A refused sender: 401, logged and audited with the reason, never with what they sent. */
  const refuse = async (req: Request, res: Response, check: Extract<SenderCheck, { ok: false }>, bytes: number) => {
    const from = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    s.log.warn('monitoring alert refused', { reason: check.reason, from, bytes });
    await s.stores.audit
      .append(schoolId, { reference: MONITORING_AUDIT, action: `alert refused: ${check.reason}`, byId: 'unauthenticated', via: 'system', detail: `${check.detail}; from ${from}; ${bytes} bytes` }, s.clock())
      .catch((err: Error) => s.log.error('a refused monitoring alert could not be audited', { error: err.message }));
    res.status(401).json({ error: 'The alert was refused: it is not signed with, or does not carry, the school\'s monitoring secret.', reason: check.reason });
  };

  router.post(
    MONITORING_PATH,
    async (req: Request, res: Response, next: NextFunction) => {
      // Nothing that could be a credential: refused before a byte of the body is read.
      if (req.get(SIGNATURE_HEADER) === undefined && req.get('authorization') === undefined) {
        const check = { ok: false, reason: settings.secret ? 'missingSignature' : 'notConfigured', detail: settings.secret ? 'no signature or bearer key' : 'MONITORING_SECRET is not set' } as const;
        return void (await refuse(req, res, check, Number(req.get('content-length') ?? 0)));
      }
      next();
    },
    express.raw({ type: () => true, limit: MAX_ALERT_BYTES }),
    async (req: Request, res: Response) => {
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signature = req.get(SIGNATURE_HEADER);
      const check = signature !== undefined
        ? checkSignature({ rawBody: raw, signatureHeader: signature, timestampHeader: req.get(TIMESTAMP_HEADER), secret: settings.secret, now: s.clock(), replayMinutes: settings.replayMinutes, requireTimestamp: settings.requireTimestamp })
        : checkBearer(req.get('authorization'), settings.secret);
      if (!check.ok) return refuse(req, res, check, raw.length);

      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        return void res.status(400).json({ error: 'The body is not valid JSON.', details: [(err as Error).message.slice(0, 200)] });
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        return void res.status(400).json({ error: 'The body must be one alert: a JSON object.', details: [Array.isArray(body) ? 'send one alert per request' : `got ${body === null ? 'null' : typeof body}`] });
      }
      const which = whichSystem(s, req, body as Record<string, unknown>);
      if ('problem' in which) return void res.status(400).json({ error: 'The alert was not accepted.', details: [which.problem] });
      const adapted = ADAPTERS[which.vendor](body);
      if (adapted.droppedImages.length) s.log.info('pictures dropped from a monitoring alert', { vendor: which.vendor, fields: adapted.droppedImages.join(',').slice(0, 300) });
      if (!adapted.ok) return void res.status(400).json({ error: 'The alert was not accepted.', details: adapted.problems });

      try {
        const taken = await takeAlert(s, adapted.alert, { via: 'endpoint', droppedImages: adapted.droppedImages });
        if (taken.outcome === 'created') s.log.info('monitoring alert made a case', { vendor: which.vendor, reference: taken.reference, method: check.method });
        res.status(taken.outcome === 'created' ? 202 : 200).json(taken);
      } catch (err) {
        if (isStorageOutage(err)) {
          s.log.error('monitoring alert not stored: storage unreachable', { vendor: which.vendor });
          res.setHeader('retry-after', '30');
          return void res.status(503).json({ error: 'The alert could not be stored just now. Send it again in a moment: the same alert makes one case.' });
        }
        s.log.error('monitoring alert failed', { vendor: which.vendor, error: (err as Error).message });
        res.status(500).json({ error: 'The alert could not be taken in. Send it again: the same alert makes one case.' });
      }
    },
  );
  router.use(MONITORING_PATH, (err: Error & { type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.too.large') return void res.status(413).json({ error: `An alert must be under ${MAX_ALERT_BYTES / 1024 / 1024} MB. Send the link to the capture, not the picture: pictures are never stored.` });
    // A body that could not be read as sent (a wrong length, an encoding we do not take): the sender's to fix.
    res.status(400).json({ error: 'The body could not be read.', details: [err.message.slice(0, 200)] });
  });
  return router;
}
