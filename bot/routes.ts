/**
 * The bot's HTTP entry: POST /api/messages, where Teams (through the Bot Connector) sends activities.
 * The body is checked for size here and for shape by the channel (delivery/activityShape.ts), both
 * before the channel checks its Bot Framework token.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { ReplyNotDelivered, type TeamsChannel } from '../delivery/channel';
import { requestProblem } from '../runtime/requestProblems';
import type { Services } from '../runtime/services';
import { createBot } from './bot';

/** Largest request body accepted on /api/messages: well above any real card submit. */
export const MAX_ACTIVITY_BODY = '256kb';

export function botRoutes(s: Services, channel: TeamsChannel): Router {
  const bot = createBot(s);
  const router = express.Router();
  router.post('/api/messages', express.json({ limit: MAX_ACTIVITY_BODY }), async (req: Request, res: Response) => {
    try {
      await channel.process(req, res, bot);
    } catch (err) {
      if (res.headersSent) return void s.log.error('activity failed after its answer', { error: (err as Error).message });
      if (err instanceof ReplyNotDelivered) {
        // Teams' own service is at fault, not this server: what the activity changed is kept (a concern
        // is stored before any reply is sent); only the answer in the chat is missing.
        s.log.warn('reply not delivered', { status: err.status, error: err.message.slice(0, 200) });
        res.status(502).json({ error: 'The answer could not be sent back to Teams: the Bot Connector could not be reached or refused it. Please try again in a minute.' });
        return;
      }
      s.log.error('activity failed', { error: (err as Error).message });
      res.status(500).json({ error: 'internal error' });
    }
  });
  router.use('/api/messages', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const problem = res.headersSent ? undefined : requestProblem(err, { maxBody: MAX_ACTIVITY_BODY });
    if (!problem) return next(err);
    s.log.warn('activity refused', { status: problem.status, kind: problem.kind });
    res.status(problem.status).json({ error: problem.message });
  });
  return router;
}
