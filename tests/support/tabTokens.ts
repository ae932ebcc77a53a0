/**
 * A local stand-in for Entra ID's signing keys for the tab's Teams SSO tokens: a key set served over
 * HTTP as login.microsoftonline.com serves it, and tokens shaped as Teams' getAuthToken() returns them.
 */
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { startStub, type StubServer } from './http';
import { TENANT } from './world';

export const TAB_CLIENT_ID = '7d2f0c1e-5b7a-4c11-9e0f-3a9b8c7d6e51';
export const TAB_APP_ID_URI = `api://localhost/${TAB_CLIENT_ID}`;

export interface TabTokenIssuer extends StubServer {
  jwksUrl: string;
  /** The environment the server needs to check these tokens. */
  env: Record<string, string>;
  sign(person: { id: string; displayName: string }, opts?: { claims?: Record<string, unknown>; key?: 'trusted' | 'rogue'; expiresInSeconds?: number; issuer?: string }): Promise<string>;
}

export async function startTabTokenIssuer(): Promise<TabTokenIssuer> {
  const trusted = await generateKeyPair('RS256', { extractable: true });
  const rogue = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(trusted.publicKey)), kid: 'tab-key', use: 'sig', alg: 'RS256' };
  const server = await startStub((req) => {
    if (req.path === `/${TENANT}/discovery/v2.0/keys`) return { status: 200, body: { keys: [jwk] } };
    return { status: 404 };
  });
  return {
    ...server,
    jwksUrl: `${server.url}/{tenant}/discovery/v2.0/keys`,
    env: { TAB_SSO_CLIENT_ID: TAB_CLIENT_ID, TAB_SSO_APP_ID_URI: TAB_APP_ID_URI, TAB_SSO_JWKS_URL: `${server.url}/{tenant}/discovery/v2.0/keys` },
    async sign(person, opts = {}) {
      const key: KeyLike = opts.key === 'rogue' ? rogue.privateKey : trusted.privateKey;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ aud: TAB_APP_ID_URI, tid: TENANT, oid: person.id, name: person.displayName, scp: 'access_as_user', ver: '2.0', ...opts.claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'tab-key', typ: 'JWT' })
        .setIssuer(opts.issuer ?? `https://login.microsoftonline.com/${TENANT}/v2.0`)
        .setIssuedAt(now - 300)
        .setNotBefore(now - 300)
        .setExpirationTime(now + (opts.expiresInSeconds ?? 3600))
        .sign(key);
    },
  };
}
