/**
 * Everything the server reads from its environment, in one place: the only module that reads
 * process.env (each setting is described in the README). Secrets come only from here, never from the
 * school's setup file.
 */
import path from 'node:path';
import { ClientAssertionCredential, ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { AZURITE_CONNECTION_STRING, type TablesSettings } from '../store/tables';

/** The demo school, used when SCHOOL_CONFIG is not set (local runs only; production requires it). */
export const DEMO_SCHOOL_PATH = path.join(__dirname, 'demo-school.json');

/** The bot's Entra app, as the Bot Framework knows it. */
export interface BotCredentials {
  appId: string;
  password?: string;
  appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  tenantId?: string;
}

/** The tab's settings: Teams SSO, and the pace of its background work. */
export interface TabSettings {
  sso?: {
    /** Accepted audiences: the Application ID URI (api://…/<client id>) and the client id itself. */
    audiences: string[];
    /** Where the tenant's signing keys are published; `{tenant}` is replaced by the school's tenant id. */
    jwksUrl: string;
  };
  /** How often staff are re-read from the all-staff group (minutes). */
  staffSyncMinutes: number;
  /** Reminder cards sent per second (Teams throttles a bot that sends faster). */
  remindersPerSecond: number;
  /** A reminder run whose heartbeat is older than this is carried on by another instance. */
  remindersStaleSeconds: number;
  /** How often each instance looks for such runs. */
  remindersResumeSeconds: number;
}

/** The monitoring system's endpoint, POST /api/monitoring/alerts (monitoring/endpoint.ts). */
export interface MonitoringSettings {
  /**
   * The shared secret the sender signs with or presents (MONITORING_SECRET; on Azure, a Key Vault
   * reference that App Service resolves). Unset, short or unresolved: every alert is refused (401).
   */
  secret?: string;
  /** Why the secret is not usable, said once at start (never the secret itself). */
  secretProblem?: string;
  /** Refuse signed requests that carry no timestamp (replay protection required). */
  requireTimestamp: boolean;
  /** How old (or how far ahead) a signed timestamp may be. */
  replayMinutes: number;
}

export interface Settings {
  port: number;
  host: string;
  /** No bot credentials: listen on loopback only, accept unauthenticated local traffic. */
  localMode: boolean;
  /** NODE_ENV=production: every setting production needs is required. */
  production: boolean;
  /** The school's setup file (SCHOOL_CONFIG), or the demo school. */
  schoolConfigPath: string;
  bot?: BotCredentials;
  botOpenIdMetadataUrl?: string;
  botTokenIssuer?: string;
  tables: TablesSettings;
  directory: { kind: 'demo' } | { kind: 'graph'; credential: TokenCredential; baseUrl?: string; notifyCredential?: TokenCredential };
  /** Which identity sends activity-feed notifications (see notificationIdentity). */
  notifyIdentity: NotificationIdentity;
  teamsAppCatalogId?: string;
  serviceUrl: string;
  directoryCacheSeconds: number;
  outboxSweepSeconds: number;
  outboxLeaseSeconds: number;
  escalationSweepSeconds: number;
  /** How often overdue next steps and transfer receipts are looked for (cases/caseDuties.ts). */
  caseDutiesSweepSeconds: number;
  /** Where concerns wait on disk while storage is unreachable. */
  spoolDir: string;
  quiet: boolean;
  tab: TabSettings;
  monitoring: MonitoringSettings;
  /**
   * Tests only: multiplies Teams' per-conversation limits that bursts of alert cards are paced to
   * (delivery/pace.ts), so that a test of 500 alerts does not take Teams' four minutes.
   */
  teamsPaceScale: number;
  /** Every outbound call gives up after a bound, so a hung peer never holds the server (ms). */
  timeouts: {
    /** One call to the Bot Connector. */
    connectorMs: number;
    /** One call to Microsoft Graph. */
    graphMs: number;
    /** Storing a submitted concern: past this it is kept in the spool, and the reporter answered in time. */
    submitMs: number;
  };
}

export class SettingsError extends Error {}

/**
 * Teams accepts activity-feed notifications only from the Entra app named in the manifest's
 * webApplicationInfo (the tab's sign-in app), not from the bot's managed identity. With that app's
 * client id known, the server signs in as it: with its client secret if one is given, otherwise
 * without a secret, through a federated credential that trusts the managed identity.
 */
export type NotificationIdentity = { kind: 'main' } | { kind: 'clientSecret'; clientId: string } | { kind: 'federated'; clientId: string };

export function notificationIdentity(env: NodeJS.ProcessEnv): NotificationIdentity {
  const clientId = env.NOTIFY_CLIENT_ID || env.TAB_SSO_CLIENT_ID;
  if (!clientId) return { kind: 'main' };
  return env.NOTIFY_CLIENT_SECRET ? { kind: 'clientSecret', clientId } : { kind: 'federated', clientId };
}

function notificationCredential(env: NodeJS.ProcessEnv, identity: NotificationIdentity): TokenCredential | undefined {
  if (identity.kind === 'main') return undefined;
  const tenant = env.MicrosoftAppTenantId || env.AZURE_TENANT_ID;
  if (!tenant) throw new SettingsError('MicrosoftAppTenantId (or AZURE_TENANT_ID) is required to send activity-feed notifications as the sign-in app');
  if (identity.kind === 'clientSecret') return new ClientSecretCredential(tenant, identity.clientId, env.NOTIFY_CLIENT_SECRET!);
  const managed = new ManagedIdentityCredential(env.AZURE_CLIENT_ID ? { clientId: env.AZURE_CLIENT_ID } : {});
  return new ClientAssertionCredential(tenant, identity.clientId, async () => (await managed.getToken('api://AzureADTokenExchange/.default')).token);
}

const num = (v: string | undefined, fallback: number, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number => {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new SettingsError(`${name} must be a number${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : ''}, not "${v}"`);
  return n;
};

const DEFAULT_JWKS = 'https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys';

function readTabSettings(env: NodeJS.ProcessEnv): TabSettings {
  const clientId = env.TAB_SSO_CLIENT_ID?.trim();
  const appIdUri = env.TAB_SSO_APP_ID_URI?.trim();
  const audiences = [appIdUri, clientId].filter((a): a is string => !!a);
  return {
    sso: audiences.length ? { audiences, jwksUrl: env.TAB_SSO_JWKS_URL?.trim() || DEFAULT_JWKS } : undefined,
    staffSyncMinutes: num(env.TAB_STAFF_SYNC_MINUTES, 360, 'TAB_STAFF_SYNC_MINUTES', 1, 10080),
    remindersPerSecond: num(env.TAB_REMINDERS_PER_SECOND, 4, 'TAB_REMINDERS_PER_SECOND', 0.1, 20),
    remindersStaleSeconds: num(env.TAB_REMINDERS_STALE_SECONDS, 60, 'TAB_REMINDERS_STALE_SECONDS', 1, 86400),
    remindersResumeSeconds: num(env.TAB_REMINDERS_RESUME_SECONDS, 20, 'TAB_REMINDERS_RESUME_SECONDS', 0.05, 86400),
  };
}

/** The shortest secret accepted (monitoring/signature.ts): `openssl rand -hex 32` makes one. */
const MIN_MONITORING_SECRET = 32;

function readMonitoringSettings(env: NodeJS.ProcessEnv): MonitoringSettings {
  const raw = env.MONITORING_SECRET?.trim() || undefined;
  let secretProblem: string | undefined;
  // App Service leaves the reference itself in the variable when it cannot read the vault.
  if (raw && /^@Microsoft\.KeyVault\(/i.test(raw)) secretProblem = 'MONITORING_SECRET is a Key Vault reference App Service could not resolve: until the secret is in the vault (docs/monitoring.md) and readable by the identity, monitoring alerts are refused';
  else if (raw && raw.length < MIN_MONITORING_SECRET) secretProblem = `MONITORING_SECRET is shorter than ${MIN_MONITORING_SECRET} characters: monitoring alerts are refused`;
  const requireTimestamp = env.MONITORING_REQUIRE_TIMESTAMP?.trim() || 'false';
  if (requireTimestamp !== 'true' && requireTimestamp !== 'false') throw new SettingsError(`MONITORING_REQUIRE_TIMESTAMP must be true or false, not "${requireTimestamp}"`);
  return {
    secret: raw && !secretProblem ? raw : undefined,
    secretProblem,
    requireTimestamp: requireTimestamp === 'true',
    replayMinutes: num(env.MONITORING_REPLAY_MINUTES, 5, 'MONITORING_REPLAY_MINUTES', 1, 60),
  };
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const appId = env.MicrosoftAppId?.trim();
  const appType = (env.MicrosoftAppType?.trim() || 'SingleTenant') as BotCredentials['appType'];
  if (!['SingleTenant', 'MultiTenant', 'UserAssignedMSI'].includes(appType)) {
    throw new SettingsError(`MicrosoftAppType must be SingleTenant, MultiTenant or UserAssignedMSI, not "${appType}"`);
  }
  const bot: BotCredentials | undefined = appId
    ? { appId, password: env.MicrosoftAppPassword, appType, tenantId: env.MicrosoftAppTenantId }
    : undefined;

  const production = env.NODE_ENV === 'production';
  const missing: string[] = [];
  if (production) {
    if (!appId) missing.push('MicrosoftAppId');
    if (appType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) missing.push('MicrosoftAppPassword');
    if (appType !== 'MultiTenant' && !env.MicrosoftAppTenantId) missing.push('MicrosoftAppTenantId');
    if (!env.TABLES_CONNECTION_STRING && !env.TABLES_ENDPOINT) missing.push('TABLES_ENDPOINT (or TABLES_CONNECTION_STRING)');
    if (!env.SCHOOL_CONFIG) missing.push('SCHOOL_CONFIG');
    if (!env.TEAMS_APP_CATALOG_ID) missing.push('TEAMS_APP_CATALOG_ID');
  }
  if (missing.length) throw new SettingsError(`In production these settings are required and missing: ${missing.join(', ')}`);

  const directoryKind = env.DIRECTORY?.trim() || (bot ? 'graph' : 'demo');
  if (directoryKind !== 'graph' && directoryKind !== 'demo') throw new SettingsError(`DIRECTORY must be graph or demo, not "${directoryKind}"`);
  if (production && directoryKind === 'demo') throw new SettingsError('DIRECTORY=demo is for local runs only');
  let directory: Settings['directory'] = { kind: 'demo' };
  const notifyIdentity = directoryKind === 'graph' ? notificationIdentity(env) : ({ kind: 'main' } as const);
  if (directoryKind === 'graph') {
    const credential: TokenCredential = env.AZURE_CLIENT_SECRET
      ? new ClientSecretCredential(req(env, 'AZURE_TENANT_ID'), req(env, 'AZURE_CLIENT_ID'), env.AZURE_CLIENT_SECRET)
      : new ManagedIdentityCredential(env.AZURE_CLIENT_ID ? { clientId: env.AZURE_CLIENT_ID } : {});
    directory = { kind: 'graph', credential, baseUrl: env.GRAPH_BASE_URL || undefined, notifyCredential: notificationCredential(env, notifyIdentity) };
  }

  return {
    port: num(env.PORT, 3978, 'PORT'),
    host: bot ? env.HOST || '0.0.0.0' : '127.0.0.1',
    localMode: !bot,
    production,
    schoolConfigPath: env.SCHOOL_CONFIG || DEMO_SCHOOL_PATH,
    bot,
    botOpenIdMetadataUrl: env.BOT_OPENID_METADATA_URL || undefined,
    botTokenIssuer: env.BOT_TOKEN_ISSUER || undefined,
    tables: {
      connectionString: env.TABLES_CONNECTION_STRING || (env.TABLES_ENDPOINT ? undefined : AZURITE_CONNECTION_STRING),
      endpoint: env.TABLES_ENDPOINT || undefined,
      managedIdentityClientId: env.AZURE_CLIENT_ID || undefined,
      prefix: env.TABLES_PREFIX || '',
      requestTimeoutMs: num(env.STORAGE_REQUEST_TIMEOUT_MS, 4000, 'STORAGE_REQUEST_TIMEOUT_MS', 100, 120_000),
    },
    directory,
    notifyIdentity,
    teamsAppCatalogId: env.TEAMS_APP_CATALOG_ID || undefined,
    serviceUrl: env.BOT_SERVICE_URL || 'https://smba.trafficmanager.net/teams/',
    directoryCacheSeconds: num(env.DIRECTORY_CACHE_SECONDS, 60, 'DIRECTORY_CACHE_SECONDS'),
    outboxSweepSeconds: num(env.OUTBOX_SWEEP_SECONDS, 15, 'OUTBOX_SWEEP_SECONDS'),
    outboxLeaseSeconds: num(env.OUTBOX_LEASE_SECONDS, 60, 'OUTBOX_LEASE_SECONDS'),
    spoolDir: env.SPOOL_DIR || '.localdata/spool',
    escalationSweepSeconds: num(env.ESCALATION_SWEEP_SECONDS, 20, 'ESCALATION_SWEEP_SECONDS'),
    caseDutiesSweepSeconds: num(env.CASE_DUTIES_SWEEP_SECONDS, 300, 'CASE_DUTIES_SWEEP_SECONDS'),
    quiet: env.LOG_QUIET === 'true',
    tab: readTabSettings(env),
    monitoring: readMonitoringSettings(env),
    teamsPaceScale: num(env.TEAMS_PACE_SCALE, 1, 'TEAMS_PACE_SCALE', 1, 1000),
    timeouts: {
      connectorMs: num(env.BOT_CONNECTOR_TIMEOUT_MS, 10_000, 'BOT_CONNECTOR_TIMEOUT_MS', 100, 120_000),
      graphMs: num(env.GRAPH_TIMEOUT_MS, 5000, 'GRAPH_TIMEOUT_MS', 100, 120_000),
      submitMs: num(env.SUBMIT_DEADLINE_MS, 8000, 'SUBMIT_DEADLINE_MS', 500, 60_000),
    },
  };
}

function req(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v) throw new SettingsError(`${name} is required when AZURE_CLIENT_SECRET is set`);
  return v;
}
