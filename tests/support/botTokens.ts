/**
 * A local stand-in for the Bot Framework's token signing: an OpenID metadata document and key set
 * served over HTTP, and tokens signed the way the Bot Connector signs the requests it sends a bot.
 */
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from "jose";
import { startStub, type StubServer } from './http';

export const BOT_ISSUER = 'https://api.botframework.com';

export interface TokenIssuer extends StubServer {
  metadataUrl: string;
  sign(claims: Record<string, unknown>, opts?: { expiresInSeconds?: number; key?: 'trusted' | 'rogue'; kid?: string }): Promise<string>;
}

export async function startTokenIssuer(): Promise<TokenIssuer> {
  const trusted = await generateKeyPair('RS256', { extractable: true });
  const rogue = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(trusted.publicKey)), kid: 'trusted-key', use: 'sig', alg: 'RS256' };
  let base = '';
  const server = await startStub((req) => {
    if (req.path === '/v1/.well-known/openidconfiguration') {
      return { status: 200, body: { issuer: BOT_ISSUER, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] } };
    }
    if (req.path === '/v1/.well-known/keys') return { status: 200, body: { keys: [{ ...jwk, endorsements: ['msteams'] }] } };
    return { status: 404 };
  });
  base = server.url;
  return {
    ...server,
    metadataUrl: `${server.url}/v1/.well-known/openidconfiguration`,
    async sign(claims, opts = {}) {
      const key: KeyLike = opts.key === 'rogue' ? rogue.privateKey : trusted.privateKey;
      const now = Math.floor(Date.now() / 1000);
      const exp = now + (opts.expiresInSeconds ?? 3600);
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'trusted-key', typ: 'JWT' })
        .setIssuer((claims.iss as string) ?? BOT_ISSUER)
        .setIssuedAt(now - 600)
        .setNotBefore(now - 600)
        .setExpirationTime(exp)
        .sign(key);
    },
  };
}
