/**
 * The tab's settings, from the environment (each is described in the README). Teams SSO needs the
 * tab's Entra app: its client id and/or its Application ID URI (the token's audience).
 */
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
}

export class TabSettingsError extends Error {}

const DEFAULT_JWKS = 'https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys';

export function readTabSettings(env: NodeJS.ProcessEnv = process.env): TabSettings {
  const clientId = env.TAB_SSO_CLIENT_ID?.trim();
  const appIdUri = env.TAB_SSO_APP_ID_URI?.trim();
  const audiences = [appIdUri, clientId].filter((a): a is string => !!a);
  const num = (name: string, fallback: number, min: number, max: number): number => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new TabSettingsError(`${name} must be a number from ${min} to ${max}, not "${v}"`);
    return n;
  };
  return {
    sso: audiences.length ? { audiences, jwksUrl: env.TAB_SSO_JWKS_URL?.trim() || DEFAULT_JWKS } : undefined,
    staffSyncMinutes: num('TAB_STAFF_SYNC_MINUTES', 360, 1, 10080),
    remindersPerSecond: num('TAB_REMINDERS_PER_SECOND', 4, 0.1, 20),
  };
}
