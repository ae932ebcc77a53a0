/**
 * The shape of an activity as the Bot Connector sends it to /api/messages, checked before botbuilder
 * sees it (delivery/channel.ts): botbuilder takes the fields on trust and fails deep inside (a `from.id`
 * that is an object, `attachments` that are not a list, a conversation id it cannot put in a URL), which
 * would be a 500. Only the fields the bot or botbuilder read are checked; anything else Teams adds
 * passes through untouched. A field sent as null counts as absent.
 */
import { z } from 'zod';

/** Deeper than any real activity (a card's data is a few levels): a body nested past this is refused. */
const MAX_DEPTH = 32;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Teams' ids ("29:1a2b…", "a:1xyz…", "19:…@thread.v2", "28:<app id>") are visible ASCII: the connector
 * puts them in URLs and headers, where a lone surrogate or a character outside Latin-1 cannot go.
 */
const teamsId = z.string().min(1, 'is empty').max(1024).regex(/^[\x21-\x7e]+$/, 'must be an id of visible ASCII characters');
const entraId = z.string().regex(GUID, 'must be an Entra object id (a GUID)');
const tenantId = z.string().regex(GUID, 'must be a tenant id (a GUID)');
const text = (max: number) => z.string().max(max);

const account = z.looseObject({
  id: teamsId,
  name: text(1024).optional(),
  aadObjectId: entraId.optional(),
  role: text(64).optional(),
});

const httpUrl = z
  .string()
  .max(2048)
  .refine((u) => {
    try {
      return ['http:', 'https:'].includes(new URL(u).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) address');

const activitySchema = z.looseObject({
  type: z.string().min(1, 'is empty').max(64),
  // The reply goes to .../activities/<id>: it is part of a URL.
  id: teamsId.optional(),
  name: text(256).optional(),
  text: z.string().optional(),
  textFormat: text(64).optional(),
  locale: text(64).optional(),
  timestamp: text(64).optional(),
  localTimestamp: text(64).optional(),
  localTimezone: text(128).optional(),
  // Where the answer goes, from whom and to whom: every activity the Bot Connector sends has them.
  serviceUrl: httpUrl,
  channelId: text(64).optional(),
  replyToId: teamsId.optional(),
  action: text(64).optional(),
  from: account,
  recipient: account,
  conversation: z
    .looseObject({
      id: teamsId,
      conversationType: text(64).optional(),
      tenantId: tenantId.optional(),
      isGroup: z.boolean().optional(),
      name: text(1024).optional(),
    }),
  channelData: z.looseObject({ tenant: z.looseObject({ id: tenantId }).optional() }).optional(),
  attachments: z.array(z.looseObject({ contentType: text(256), name: text(1024).optional() })).optional(),
  membersAdded: z.array(account).optional(),
  membersRemoved: z.array(account).optional(),
  entities: z.array(z.record(z.string(), z.unknown())).optional(),
  relatesTo: z.record(z.string(), z.unknown()).optional(),
});

/** The activity with its null fields left out, or what is wrong with it (each problem names its field). */
export type ActivityCheck = { ok: true; activity: Record<string, unknown> } | { ok: false; error: string; problems: string[] };

export function checkActivity(body: unknown): ActivityCheck {
  if (!body || typeof body !== 'object' || Array.isArray(body) || typeof (body as { type?: unknown }).type !== 'string') {
    return { ok: false, error: 'The body must be a Bot Framework activity (a JSON object with a "type").', problems: [] };
  }
  if (deeperThan(body, MAX_DEPTH)) return { ok: false, error: `The activity is nested more than ${MAX_DEPTH} levels deep; no activity Teams sends is.`, problems: [] };
  const present = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
  const r = activitySchema.safeParse(present);
  if (r.success) return { ok: true, activity: present };
  return {
    ok: false,
    error: 'The activity has fields of the wrong shape; nothing was done.',
    problems: r.error.issues.slice(0, 10).map((i) => `${i.path.map(String).join('.') || 'activity'}: ${i.message}`),
  };
}

/** Whether a JSON value nests deeper than `limit` (walked without recursion: the value may be very deep). */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) if (child && typeof child === 'object') stack.push({ v: child, depth: depth + 1 });
  }
  return false;
}
