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
