/**
 * The composition root: the one module that builds the services (settings, storage, directory, clock,
 * log, delivery) and mounts the bot (/api/messages), the tab (/tab, /api/tab) and the monitoring
 * system's endpoint (/api/monitoring/alerts). Nothing below it builds anything; bot/ and tab/ never
 * import each other.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { botRoutes } from '../bot/routes';
import { CaseDuties } from '../cases/caseDuties';
import { Escalator } from '../cases/escalator';
import { Rerouter } from '../cases/reroute';
import { drainSpool, type PendingConcern } from '../cases/intake';
import { loadSchoolSetup } from '../config/load';
import type { SchoolSetup } from '../config/schema';
import { SettingsError, type Settings } from '../config/settings';
import { TeamsChannel } from '../delivery/channel';
import { Outbox } from '../delivery/outbox';
import { DemoDirectory } from '../directory/demoDirectory';
import type { Directory } from '../directory/directory';
import { GraphDirectory } from '../directory/graphDirectory';
import { monitoringRoutes } from '../monitoring/endpoint';
import { RoleResolver } from '../directory/roleResolver';
import { jsonLog, type Log } from '../runtime/log';
import { Periodic } from '../runtime/periodic';
import { requestProblem } from '../runtime/requestProblems';
import { Deadlines, type Services, type Stores } from '../runtime/services';
import { AuditStore } from '../store/auditStore';
import { AupStore } from '../store/aupStore';
import { CaseFactsStore } from '../store/caseFactsStore';
import { CaseStore } from '../store/caseStore';
import { ChronologyStore } from '../store/chronologyStore';
import { ConversationStore } from '../store/conversationStore';
import { DirectorySnapshotStore } from '../store/directoryStore';
import { FilteringLogStore } from '../store/filteringLogStore';
import { NewCaseStore } from '../store/newCaseStore';
import { OutboxStore } from '../store/outboxStore';
import { ReminderStore } from '../store/reminderStore';
import { Spool } from '../store/spool';
import { openTables } from '../store/tables';
import { TrainingStore } from '../store/trainingStore';
import { TransferStore } from '../store/transferStore';
import { createTabApi } from '../tab/api/router';
import { seedDemoRegister, seedDemoTraining } from './demoSchool';

export interface App {
  http: express.Express;
  services: Services;
  escalator: Escalator;
  duties: CaseDuties;
  rerouter: Rerouter;
  listen(): Promise<Server>;
  close(): Promise<void>;
}

/** Where the built tab is (tab/dist), next to this folder in the repository and in the bundle alike. */
function tabFolder(): string {
  const tab = path.join(__dirname, '..', 'tab');
  return path.join(tab, existsSync(path.join(tab, 'dist', 'index.html')) ? 'dist' : 'public');
}

export async function createApp(settings: Settings, opts: { setup?: SchoolSetup; log?: Log; clock?: () => Date } = {}): Promise<App> {
  const log = opts.log ?? jsonLog(undefined, settings.quiet);
  const setup = opts.setup ?? loadSchoolSetup(settings.schoolConfigPath);
  // In production the tenant is the one filter on who the bot answers: a setup without it is refused.
  if (settings.production && !setup.tenantId) throw new SettingsError(`In production the school's setup (${settings.schoolConfigPath}) must name its tenantId: activities from any other tenant are refused by it.`);
  const clock = opts.clock ?? (() => new Date());
  const tables = await openTables(settings.tables);
  const cases = new CaseStore(tables, settings.outboxLeaseSeconds);
  const stores: Stores = {
    cases,
    caseFacts: new CaseFactsStore(tables, cases),
    newCases: new NewCaseStore(tables, cases),
    chronology: new ChronologyStore(tables),
    outbox: new OutboxStore(tables),
    conversations: new ConversationStore(tables),
    audit: new AuditStore(tables),
    aup: new AupStore(tables),
    reminders: new ReminderStore(tables),
    training: new TrainingStore(tables),
    transfers: new TransferStore(tables),
    filteringLog: new FilteringLogStore(tables),
  };
  const directory: Directory =
    settings.directory.kind === 'graph'
      ? new GraphDirectory({ credential: settings.directory.credential, notifyCredential: settings.directory.notifyCredential, baseUrl: settings.directory.baseUrl, groups: setup.groups, teamsAppCatalogId: settings.teamsAppCatalogId, timeoutMs: settings.timeouts.graphMs })
      : new DemoDirectory(setup.demoDirectory ?? []);
  const channel = new TeamsChannel({ credentials: settings.bot, openIdMetadataUrl: settings.botOpenIdMetadataUrl, tokenIssuer: settings.botTokenIssuer, timeoutMs: settings.timeouts.connectorMs }, log);
  const outbox = new Outbox(
    setup,
    stores,
    channel,
    directory,
    { serviceUrl: settings.serviceUrl, tenantId: setup.tenantId ?? '', leaseSeconds: settings.outboxLeaseSeconds, sweepSeconds: settings.outboxSweepSeconds, links: { teamsAppCatalogId: settings.teamsAppCatalogId, localMode: settings.localMode, port: settings.port }, paceScale: settings.teamsPaceScale },
    log,
    clock,
  );
  const services: Services = {
    setup,
    settings,
    stores,
    directory,
    roles: new RoleResolver(directory, new DirectorySnapshotStore(tables), setup.schoolId, settings.directoryCacheSeconds),
    outbox,
    spool: new Spool<PendingConcern>(settings.spoolDir, undefined, (file, reason) => log.error('a waiting concern could not be read: moved to quarantine, someone must look at it', { file, reason: reason.slice(0, 200) })),
    log,
    clock,
    deadlines: new Deadlines(),
  };
  const escalator = new Escalator(services);
  const duties = new CaseDuties(services, settings.caseDutiesSweepSeconds);
  const rerouter = new Rerouter(services, settings.outboxSweepSeconds);
  const spoolDrain = new Periodic(() => drainSpool(services), settings.outboxSweepSeconds, log, 'spool drain');
  const tab = createTabApi(services);

  const http = express();
  http.disable('x-powered-by');
  http.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', school: setup.schoolId, localMode: settings.localMode });
  });
  http.use(botRoutes(services, channel));
  http.use(monitoringRoutes(services));
  http.use('/api/tab', tab.router);
  http.use('/tab', express.static(tabFolder()));
  http.use((err: Error, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    // A request Express refused (bad percent-encoding, a body it cannot read) is the caller's mistake.
    const problem = requestProblem(err);
    if (problem) {
      log.warn('request refused', { status: problem.status, kind: problem.kind });
      return void res.status(problem.status).json({ error: problem.message });
    }
    log.error('request failed', { error: err.message });
    res.status(500).json({ error: 'internal error' });
  });

  // Local mode: an empty demo register gets its AUPs and learners (a storage hiccup must not stop the start).
  await seedDemoRegister(services).catch((err: Error) => log.warn('demo register not seeded', { error: err.message }));
  await seedDemoTraining(services).catch((err: Error) => log.warn('demo training not seeded', { error: err.message }));

  let server: Server | undefined;
  return {
    http,
    services,
    escalator,
    rerouter,
    duties,
    listen: () =>
      new Promise((resolve, reject) => {
        const s = http.listen(settings.port, settings.host, () => {
          server = s;
          outbox.start();
          escalator.start();
          spoolDrain.start();
          rerouter.start();
          duties.start();
          tab.start();
          resolve(s);
        });
        s.on('error', reject);
      }),
    close: async () => {
      await Promise.all([spoolDrain.stop(), rerouter.stop(), tab.stop(), escalator.stop(), duties.stop()]);
      await outbox.stop();
      if (server) {
        server.closeIdleConnections();
        await new Promise<void>((r) => server!.close(() => r()));
      }
    },
  };
}
