/** Builds the server: the school's setup, the stores, the directory, the bot and the HTTP routes. */
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { loadSchoolSetup } from '../config/load';
import type { SchoolSetup } from '../config/schema';
import { DemoDirectory } from '../directory/demoDirectory';
import type { Directory } from '../directory/directory';
import { GraphDirectory } from '../directory/graphDirectory';
import { AuditStore } from '../store/auditStore';
import { CaseStore } from '../store/caseStore';
import { ConversationStore } from '../store/conversationStore';
import { DirectorySnapshotStore } from '../store/directoryStore';
import { openTables } from '../store/tables';
import { createTabApi } from '../tab/api/tabApi';
import { SafeguardingBot } from './bot';
import { TeamsChannel } from './channel';
import { jsonLog, type Log } from './log';
import { Spool } from '../store/spool';
import { drainSpool } from './concernIntake';
import { Escalator } from './escalator';
import { Outbox } from './outbox';
import { Periodic } from './periodic';
import { RoleResolver } from './roleResolver';
import type { Services } from './services';
import type { Settings } from './settings';

export interface App {
  http: express.Express;
  services: Services;
  outbox: Outbox;
  escalator: Escalator;
  listen(): Promise<Server>;
  close(): Promise<void>;
}

/** Largest request body accepted on /api/messages: well above any real card submit. */
const MAX_BODY = '256kb';

export async function createApp(settings: Settings, opts: { setup?: SchoolSetup; log?: Log; clock?: () => Date } = {}): Promise<App> {
  const log = opts.log ?? jsonLog(undefined, settings.quiet);
  const setup = opts.setup ?? loadSchoolSetup(settings.schoolConfigPath);
  const tables = await openTables(settings.tables);
  const directory: Directory =
    settings.directory.kind === 'graph'
      ? new GraphDirectory({ credential: settings.directory.credential, notifyCredential: settings.directory.notifyCredential, baseUrl: settings.directory.baseUrl, groups: setup.groups, teamsAppCatalogId: settings.teamsAppCatalogId })
      : new DemoDirectory(setup.demoDirectory ?? []);
  const channel = new TeamsChannel({ credentials: settings.bot, openIdMetadataUrl: settings.botOpenIdMetadataUrl, tokenIssuer: settings.botTokenIssuer });
  const cases = new CaseStore(tables, settings.outboxLeaseSeconds);
  const conversations = new ConversationStore(tables);
  const clock = opts.clock ?? (() => new Date());
  const outbox = new Outbox(
    setup,
    cases,
    conversations,
    channel,
    directory,
    { serviceUrl: settings.serviceUrl, tenantId: setup.tenantId ?? '', leaseSeconds: settings.outboxLeaseSeconds, sweepSeconds: settings.outboxSweepSeconds },
    log,
    clock,
  );
  const services: Services = {
    setup,
    settings,
    tables,
    channel,
    directory,
    cases,
    conversations,
    audit: new AuditStore(tables),
    spool: new Spool(settings.spoolDir),
    roles: new RoleResolver(directory, new DirectorySnapshotStore(tables), setup.schoolId, settings.directoryCacheSeconds),
    outbox,
    log,
    clock,
  };
  const bot = new SafeguardingBot(services);
  const escalator = new Escalator(setup, cases, services.audit, services.roles, outbox, log, settings.escalationSweepSeconds, clock);

  const http = express();
  http.disable('x-powered-by');
  http.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', school: setup.schoolId, localMode: settings.localMode });
  });
  http.post('/api/messages', express.json({ limit: MAX_BODY }), async (req: Request, res: Response) => {
    const body = req.body as { type?: unknown } | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.type !== 'string') {
      res.status(400).json({ error: 'The body must be a Bot Framework activity (a JSON object with a "type").' });
      return;
    }
    try {
      await channel.process(req, res, (ctx) => bot.onTurn(ctx));
    } catch (err) {
      log.error('request failed', { error: (err as Error).message });
      if (!res.headersSent) res.status(500).json({ error: 'internal error' });
    }
  });
  const tabApi = createTabApi(services);
  http.use('/api/tab', tabApi);
  http.use('/tab', express.static(path.join(__dirname, '..', 'tab', existsSync(path.join(__dirname, '..', 'tab', 'dist', 'index.html')) ? 'dist' : 'public')));
  http.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.parse.failed') return void res.status(400).json({ error: 'The body is not valid JSON.' });
    if (err.type === 'entity.too.large') return void res.status(413).json({ error: `The body is larger than ${MAX_BODY}.` });
    log.error('request failed', { error: err.message });
    res.status(err.status && err.status < 500 ? err.status : 500).json({ error: err.status && err.status < 500 ? err.message : 'internal error' });
  });

  let server: Server | undefined;
  const spoolDrain = new Periodic(() => drainSpool(services), settings.outboxSweepSeconds);
  return {
    http,
    services,
    outbox,
    escalator,
    listen: () =>
      new Promise((resolve, reject) => {
        const s = http.listen(settings.port, settings.host, () => {
          server = s;
          outbox.start();
          escalator.start();
          spoolDrain.start();
          resolve(s);
        });
        s.on('error', reject);
      }),
    close: async () => {
      await spoolDrain.stop();
      await tabApi.close();
      await escalator.stop();
      await outbox.stop();
      if (server) await new Promise<void>((r) => server!.close(() => r()));
    },
  };
}
