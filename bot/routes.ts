/**
 * The bot's HTTP entry: POST /api/messages, where Teams (through the Bot Connector) sends activities.
 * The body is checked for shape and size before the channel checks its Bot Framework token.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { TeamsChannel } from '../delivery/channel';
import type { Services } from '../runtime/services';
import { createBot } from './bot';

/** Largest request body accepted on /api/messages: well above any real card submit. */
export const MAX_ACTIVITY_BODY = '256kb';

export function botRoutes(s: Services, channel: TeamsChannel): Router {
  const bot = createBot(s);
  const router = express.Router();
  router.post('/api/messages', express.json({ limit: MAX_ACTIVITY_BODY }), async (req: Request, res: Response) => {
    const body = req.body as { type?: unknown } | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.type !== 'string') {
      res.status(400).json({ error: 'The body must be a Bot Framework activity (a JSON object with a "type").' });
      return;
    }
    try {
      await channel.process(req, res, bot);
    } catch (err) {
      s.log.error('activity failed', { error: (err as Error).message });
      if (!res.headersSent) res.status(500).json({ error: 'internal error' });
    }
  });
  router.use('/api/messages', (err: Error & { type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.parse.failed') return void res.status(400).json({ error: 'The body is not valid JSON.' });
    if (err.type === 'entity.too.large') return void res.status(413).json({ error: `The body is larger than ${MAX_ACTIVITY_BODY}.` });
    next(err);
  });
  return router;
}
