/**
 * With bot credentials set, /api/messages refuses requests without a valid Bot Framework token.
 * Tokens here are signed by a local key set published the way the Bot Framework publishes its own.
 */
import { readSettings } from '../../config/settings';
import { startTokenIssuer, type TokenIssuer } from '../support/botTokens';
import { PEOPLE } from '../support/people';
import { startWorld, type World } from '../support/world';

const APP_ID = '5f0c7a52-3f7e-4f0e-9c1a-6a0e2f7b1c11';
let w: World;
let issuer: TokenIssuer;

beforeAll(async () => {
  issuer = await startTokenIssuer();
  w = await startWorld({
    env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-used-in-this-test', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa', HOST: '127.0.0.1', BOT_OPENID_METADATA_URL: issuer.metadataUrl },
  });
});
afterAll(async () => {
  await w.stop();
  await issuer.close();
});

const chooseCategory = () => w.activity(PEOPLE.reporter, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'chooseCategory', data: { category: 'other' } } } });
const claims = () => ({ aud: APP_ID, serviceurl: w.connector.url, appid: 'botframework-connector' });

describe('the Bot Framework token', () => {
  it('a request without a token is refused', async () => {
    expect((await w.post(chooseCategory())).status).toBe(401);
  });

  it('a token signed with a key the Bot Framework does not publish is refused', async () => {
    const token = await issuer.sign(claims(), { key: 'rogue' });
    expect((await w.post(chooseCategory(), { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('an expired token is refused', async () => {
    const token = await issuer.sign(claims(), { expiresInSeconds: -3600 });
    expect((await w.post(chooseCategory(), { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('a token for another bot (audience) is refused', async () => {
    const token = await issuer.sign({ ...claims(), aud: 'another-bot' });
    expect((await w.post(chooseCategory(), { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('a token from another issuer is refused', async () => {
    const token = await issuer.sign({ ...claims(), iss: 'https://evil.example' });
    expect((await w.post(chooseCategory(), { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('garbage in the header is refused', async () => {
    expect((await w.post(chooseCategory(), { authorization: 'Bearer not.a.token' })).status).toBe(401);
  });

  it('a valid token is accepted', async () => {
    const token = await issuer.sign(claims());
    const r = await w.post(chooseCategory(), { authorization: `Bearer ${token}` });
    expect(r.text.slice(0, 300)).not.toMatch(/rror/);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).type).toBe('application/vnd.microsoft.card.adaptive');
  });
});

describe('local mode', () => {
  it('without bot credentials the server listens on loopback only, whatever HOST says', () => {
    const s = readSettings({ HOST: '0.0.0.0' });
    expect(s.localMode).toBe(true);
    expect(s.host).toBe('127.0.0.1');
  });

  it('in production, missing settings are named and the server refuses to start', () => {
    expect(() => readSettings({ NODE_ENV: 'production', MicrosoftAppId: APP_ID })).toThrow(/MicrosoftAppPassword.*MicrosoftAppTenantId.*TABLES_ENDPOINT.*SCHOOL_CONFIG.*TEAMS_APP_CATALOG_ID/);
  });
});
