/**
 * The Teams SSO token check: nothing leaves the tab's API before the token's signature (the tenant's
 * published keys), issuer, audience, scope, expiry and tenant have all been checked (PRODUCT.md §4,
 * STYLE.md "a tab server that accepts a token without validating..."). The one place that knows jose.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

export interface SsoIdentity {
  /** The Entra object id: the identity everywhere in the product. */
  id: string;
  name: string;
  tenantId: string;
}

export class SsoTokenError extends Error {}

export const REQUIRED_SCOPE = 'access_as_user';

export function createSsoVerifier(opts: { audiences: string[]; jwksUrl: string; tenantId: string }): (token: string) => Promise<SsoIdentity> {
  const jwks = createRemoteJWKSet(new URL(opts.jwksUrl.replace('{tenant}', encodeURIComponent(opts.tenantId))), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  // Teams gives v2 tokens; a tab app registered for v1 tokens gets the sts.windows.net issuer.
  const issuers = [`https://login.microsoftonline.com/${opts.tenantId}/v2.0`, `https://sts.windows.net/${opts.tenantId}/`];
  return async (token: string) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, { issuer: issuers, audience: opts.audiences, algorithms: ['RS256'], clockTolerance: 60, requiredClaims: ['exp', 'tid', 'oid'] }));
    } catch (err) {
      if (err instanceof errors.JOSEError || err instanceof TypeError) throw new SsoTokenError(`token refused: ${(err as Error).message}`);
      throw err;
    }
    if (payload.tid !== opts.tenantId) throw new SsoTokenError('token refused: another tenant');
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(REQUIRED_SCOPE)) throw new SsoTokenError(`token refused: scope ${REQUIRED_SCOPE} missing`);
    if (typeof payload.oid !== 'string' || !payload.oid) throw new SsoTokenError('token refused: no object id');
    const name = typeof payload.name === 'string' ? payload.name : typeof payload.preferred_username === 'string' ? payload.preferred_username : '';
    return { id: payload.oid, name, tenantId: payload.tid as string };
  };
}
