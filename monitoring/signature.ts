/**
 * Is this alert really from the school's monitoring system? A forged alert would open a safeguarding
 * case about a child, so the endpoint (wired elsewhere) accepts a body only when one of these says yes.
 * Two ways, because senders differ in what they can do:
 *
 *  1. HMAC (preferred). The sender computes HMAC-SHA256 with the shared secret (`MONITORING_SECRET`) and
 *     sends `X-Monitoring-Signature: sha256=<64 lowercase or uppercase hex digits>`. With the optional
 *     `X-Monitoring-Timestamp: <Unix seconds>`, what is signed is `<timestamp>.<raw body>`, and a
 *     signature older than the replay window (5 minutes unless set), or as far in the future, is refused:
 *     a captured request cannot be sent again later. Without the timestamp, the raw body alone is signed.
 *  2. Bearer key, for senders that can set a header but not sign: `Authorization: Bearer <secret>`.
 *
 * Both compare in constant time, over digests of equal length, so neither the secret's length nor how
 * much of a guess was right shows in the time taken. Nothing throws: a refusal comes back with a reason
 * for the audit, and the reason never repeats the secret or what the sender presented.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-monitoring-signature';
export const TIMESTAMP_HEADER = 'x-monitoring-timestamp';
export const DEFAULT_REPLAY_MINUTES = 5;
/** A shorter secret can be guessed; `openssl rand -hex 32` makes a good one. */
export const MIN_SECRET_LENGTH = 32;

export type SenderRefusal =
  | 'notConfigured'
  | 'missingSignature'
  | 'malformedSignature'
  | 'malformedTimestamp'
  | 'staleTimestamp'
  | 'futureTimestamp'
  | 'wrongSignature'
  | 'missingBearer'
  | 'malformedBearer'
  | 'wrongBearer';

export type SenderCheck = { ok: true; method: 'hmac' | 'bearer'; signedAt?: string } | { ok: false; reason: SenderRefusal; detail: string };

const refuse = (reason: SenderRefusal, detail: string): SenderCheck => ({ ok: false, reason, detail });

const notConfigured = (secret: string | undefined) =>
  !secret || secret.length < MIN_SECRET_LENGTH ? refuse('notConfigured', `MONITORING_SECRET is not set or is shorter than ${MIN_SECRET_LENGTH} characters`) : undefined;

/** What the sender signs: `<timestamp>.<body>` with a timestamp, the body alone without. */
function signedBytes(rawBody: Buffer | string, timestamp: string | undefined): Buffer {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return timestamp === undefined ? body : Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), body]);
}

/** The header value a sender would send; for the school's integration, its tests, and ours. */
export function signBody(rawBody: Buffer | string, secret: string, timestamp?: string): string {
  return `sha256=${createHmac('sha256', secret).update(signedBytes(rawBody, timestamp)).digest('hex')}`;
}

export interface SignatureInput {
  /** The body exactly as received, before any JSON parsing: one changed byte must fail. */
  rawBody: Buffer | string;
  signatureHeader: string | undefined;
  timestampHeader?: string | undefined;
  secret: string | undefined;
  now: Date;
  replayMinutes?: number;
  /** Refuse a request that carries no timestamp (the school can require replay protection). */
  requireTimestamp?: boolean;
}

export function checkSignature(input: SignatureInput): SenderCheck {
  const unset = notConfigured(input.secret);
  if (unset) return unset;
  const header = input.signatureHeader?.trim();
  if (!header) return refuse('missingSignature', `no ${SIGNATURE_HEADER} header`);
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header);
  if (!m) return refuse('malformedSignature', `${SIGNATURE_HEADER} is not sha256=<64 hex digits>`);

  const stamp = input.timestampHeader?.trim() || undefined;
  let signedAt: string | undefined;
  if (stamp === undefined) {
    if (input.requireTimestamp) return refuse('malformedTimestamp', `no ${TIMESTAMP_HEADER} header, and this school requires one`);
  } else {
    if (!/^\d{1,12}$/.test(stamp)) return refuse('malformedTimestamp', `${TIMESTAMP_HEADER} is not whole seconds since 1970`);
    const ageSeconds = input.now.getTime() / 1000 - Number(stamp);
    const window = (input.replayMinutes ?? DEFAULT_REPLAY_MINUTES) * 60;
    if (ageSeconds > window) return refuse('staleTimestamp', `signed ${Math.round(ageSeconds / 60)} minutes ago; the window is ${window / 60} minutes`);
    if (-ageSeconds > window) return refuse('futureTimestamp', `signed ${Math.round(-ageSeconds / 60)} minutes in the future; check the sender's clock`);
    signedAt = new Date(Number(stamp) * 1000).toISOString();
  }

  const expected = createHmac('sha256', input.secret!).update(signedBytes(input.rawBody, stamp)).digest();
  const given = Buffer.from(m[1], 'hex');
  if (!timingSafeEqual(expected, given)) return refuse('wrongSignature', 'the signature does not match the body and the shared secret');
  return signedAt ? { ok: true, method: 'hmac', signedAt } : { ok: true, method: 'hmac' };
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function checkBearer(authorizationHeader: string | undefined, secret: string | undefined): SenderCheck {
  const unset = notConfigured(secret);
  if (unset) return unset;
  const header = authorizationHeader?.trim();
  if (!header) return refuse('missingBearer', 'no Authorization header');
  const m = /^Bearer\s+(\S{1,1024})$/i.exec(header);
  if (!m) return refuse('malformedBearer', 'Authorization is not "Bearer <key>"');
  // Digests first: equal lengths whatever was sent, so the comparison cannot leak the key's length.
  if (!timingSafeEqual(digest(m[1]), digest(secret!))) return refuse('wrongBearer', 'the key does not match');
  return { ok: true, method: 'bearer' };
}
