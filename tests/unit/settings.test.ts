import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSchoolSetup, SchoolSetupError } from '../../config/load';
import { notificationIdentity, readSettings } from '../../config/settings';

describe('who sends activity-feed notifications', () => {
  it('the bot\'s own identity when no sign-in app is configured', () => {
    expect(notificationIdentity({})).toEqual({ kind: 'main' });
  });
  it('the tab\'s sign-in app, without a secret, through a federated credential on the managed identity', () => {
    expect(notificationIdentity({ TAB_SSO_CLIENT_ID: 'sso-app' })).toEqual({ kind: 'federated', clientId: 'sso-app' });
  });
  it('NOTIFY_CLIENT_ID overrides, and a secret makes it a client-secret sign-in', () => {
    expect(notificationIdentity({ TAB_SSO_CLIENT_ID: 'sso-app', NOTIFY_CLIENT_ID: 'other', NOTIFY_CLIENT_SECRET: 's' })).toEqual({ kind: 'clientSecret', clientId: 'other' });
  });
  it('the settings carry a separate credential for notifications, and need the tenant for it', () => {
    const s = readSettings({ DIRECTORY: 'graph', TAB_SSO_CLIENT_ID: 'sso-app', MicrosoftAppTenantId: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa' });
    expect(s.directory.kind === 'graph' && s.directory.notifyCredential?.constructor.name).toBe('ClientAssertionCredential');
    expect(() => readSettings({ DIRECTORY: 'graph', TAB_SSO_CLIENT_ID: 'sso-app' })).toThrow(/MicrosoftAppTenantId/);
    const demo = readSettings({ TAB_SSO_CLIENT_ID: 'sso-app' });
    expect(demo.notifyIdentity).toEqual({ kind: 'main' });
  });
});

describe('the setup\'s time zone and terms', () => {
  const demo = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'config', 'demo-school.json'), 'utf8')) as Record<string, unknown>;
  const setupWith = (fields: Record<string, unknown>) => () => parseSchoolSetup({ ...structuredClone(demo), ...fields });

  it('an IANA time zone name is accepted', () => {
    for (const timeZone of ['Europe/London', 'UTC', 'America/Argentina/Buenos_Aires']) expect(setupWith({ timeZone })().timeZone).toBe(timeZone);
    expect(setupWith({ timeZone: undefined })().timeZone).toBe('Europe/London');
  });

  it('an offset, a made-up or a padded name is refused, naming the field', () => {
    for (const timeZone of ['GMT+1', '+01:00', 'Mars/Olympus_Mons', 'Local', 'Europe/London ', '', '\u0000']) {
      expect(setupWith({ timeZone })).toThrow(SchoolSetupError);
      expect(setupWith({ timeZone })).toThrow(/timeZone: must be an IANA time zone name/);
    }
  });

  it('a term on a day the calendar does not have is refused, naming the field', () => {
    expect(setupWith({ terms: [{ name: 'Spring', start: '2026-01-05', end: '2026-02-30' }] })).toThrow(/terms\.0\.end: must be a real date/);
    expect(setupWith({ terms: [{ name: 'Spring', start: '2026-01-05', end: '2026-03-27' }] })().terms).toHaveLength(1);
  });
});

describe('the monitoring system\'s secret (MONITORING_SECRET)', () => {
  const good = 'a'.repeat(64);
  it('a secret of 32 characters or more is used; none means every alert is refused, quietly', () => {
    expect(readSettings({ MONITORING_SECRET: good }).monitoring).toEqual({ secret: good, requireTimestamp: false, replayMinutes: 5, secretProblem: undefined });
    expect(readSettings({}).monitoring).toMatchObject({ secret: undefined, secretProblem: undefined });
  });
  it('a short secret, or a Key Vault reference App Service could not resolve, is not used, and the reason is said once at start (never the value)', () => {
    const short = readSettings({ MONITORING_SECRET: 'short-secret' }).monitoring;
    expect(short).toMatchObject({ secret: undefined, secretProblem: expect.stringContaining('shorter than 32') });
    expect(short.secretProblem).not.toContain('short-secret');
    const ref = readSettings({ MONITORING_SECRET: '@Microsoft.KeyVault(VaultName=kv1;SecretName=monitoring-secret)' }).monitoring;
    expect(ref).toMatchObject({ secret: undefined, secretProblem: expect.stringContaining('Key Vault reference') });
  });
  it('replay protection can be required, and its window set; nonsense is refused by name', () => {
    expect(readSettings({ MONITORING_REQUIRE_TIMESTAMP: 'true', MONITORING_REPLAY_MINUTES: '2' }).monitoring).toMatchObject({ requireTimestamp: true, replayMinutes: 2 });
    expect(() => readSettings({ MONITORING_REQUIRE_TIMESTAMP: 'yes' })).toThrow(/MONITORING_REQUIRE_TIMESTAMP/);
    expect(() => readSettings({ MONITORING_REPLAY_MINUTES: '600' })).toThrow(/MONITORING_REPLAY_MINUTES/);
  });
});
