/**
 * Edge 1 of the fuzz: POST /api/messages as the Bot Connector would call it (with a valid Bot Framework
 * token unless the case is about the token), carrying activities malformed in every field, invokes the
 * bot does not know, and every card verb the bot knows with its data mutated.
 */
import { VERBS } from '../../bot/bot';
import { CLOSURE_DECISIONS, REFERRALS } from '../../core/caseActions';
import { CATEGORIES } from '../../core/categories';
import { REASSIGN_TARGETS } from '../../core/escalation';
import { NOTE_MAX } from '../../delivery/cards';
import type { FuzzFixtures, HttpCase } from './fuzzCase';
import { deep, longText, mutateObject, ODD_DATES, oddKey, oddString, oddText, oddValue, protoObject, put, putAll, toJson, type Rng } from './fuzzRandom';
import { TENANT } from './world';

type Person = { id: string; displayName: string };
type FieldValues = Record<string, (rng: Rng) => unknown>;

const STRANGER: Person = { id: 'ffffffff-0000-4000-8000-00000000ffff', displayName: 'Not On The Staff' };
const ROUTE = 'POST /api/messages';
const VERB_NAMES = VERBS.map((v) => v.verb);

function sender(rng: Rng, fx: FuzzFixtures): Person {
  const p = fx.people;
  return rng.weighted<Person>([[3, p.reporter], [3, p.dslPrep], [2, p.head], [1, p.office], [1, p.teacher], [1, STRANGER]]);
}

function activity(rng: Rng, fx: FuzzFixtures, person: Person, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    id: `fuzz-${rng.int(1e9)}`,
    timestamp: '2026-11-23T10:00:00.000Z',
    serviceUrl: fx.connectorUrl,
    channelId: 'msteams',
    from: { id: `29:${person.id}`, name: person.displayName, aadObjectId: person.id },
    conversation: { id: `a:personal-${person.id}`, conversationType: 'personal', tenantId: TENANT },
    recipient: { id: '28:bot-id', name: 'Online Safety' },
    channelData: { tenant: { id: TENANT } },
    ...fields,
  };
}

const invokeOf = (verb: unknown, data: unknown) => ({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, replyToId: 'card-1' });

/** Notes around the limits the handlers check (NOTE_MAX) and the storage's 64 KiB a property. */
const note = (rng: Rng) => rng.weighted<() => unknown>([[3, () => oddText(rng, 60)], [2, () => 'x'.repeat(rng.pick([NOTE_MAX, NOTE_MAX + 1, 20_000, 70_000]))], [1, () => longText(rng)], [2, () => oddValue(rng)], [1, () => '   ']])();

function references(fx: FuzzFixtures) {
  return (rng: Rng) => rng.pick<unknown>([...fx.references, ...fx.references, 'SMP-2026-9999', 'SMP-2026-0001 ', 'smp-2026-0001', `SMP-2026-${'9'.repeat(300)}`, 'SMP-0000-0000', 'SMP-2026-0001/../0002', 'ABCDEF-2026-0001', 'SMP-2026-0001\u0000', 'SMP-2025-0001', '', 12, null, { $ne: null }, [fx.references[0]]]);
}

/** Each verb's valid data (as its card sends it) and the odd values its fields are tried with. */
function verbData(rng: Rng, fx: FuzzFixtures, verb: string): { data: Record<string, unknown>; fields: FieldValues } {
  const reference = references(fx);
  const ref = String(rng.pick(fx.references));
  switch (verb) {
    case 'chooseCategory':
      return {
        data: { category: rng.pick(CATEGORIES).id, immediateDanger: rng.pick(['yes', 'no']) },
        fields: { category: (r) => r.pick<unknown>([...CATEGORIES.map((c) => c.id), 'constructor', '__proto__', 'x'.repeat(41), 'Cyberbullying', oddString(r)]), immediateDanger: (r) => r.pick<unknown>(['yes', 'no', 'YES', 'yess', 1, true, oddString(r)]) },
      };
    case 'submitConcern':
      return { data: concernForm(rng, fx), fields: formFields(fx) };
    case 'acknowledge':
    case 'openCase':
    case 'hideCase':
      return { data: { reference: ref }, fields: { reference } };
    case 'reassign':
      return { data: { reference: ref, to: rng.pick(REASSIGN_TARGETS) }, fields: { reference, to: (r) => r.pick<unknown>([...REASSIGN_TARGETS, 'headteacher', 'allStaff', 'constructor', 'x'.repeat(41), oddValue(r)]) } };
    case 'recordAction':
      return {
        data: { reference: ref, action: rng.pick(REFERRALS), note: 'Spoke to the parents.' },
        fields: { reference, action: (r) => r.pick<unknown>([...REFERRALS, 'Other', 'x'.repeat(201), 'constructor', oddValue(r)]), note },
      };
    case 'closeCase':
      return {
        data: { reference: ref, decision: rng.pick(CLOSURE_DECISIONS), reason: 'Resolved.', outcome: 'Apology made.', lessonsLearnt: 'none' },
        fields: { reference, decision: (r) => r.pick<unknown>([...CLOSURE_DECISIONS, 'constructor', oddValue(r)]), reason: note, outcome: note, lessonsLearnt: note },
      };
    case 'reopenCase':
      return { data: { reference: ref, reason: 'New information.' }, fields: { reference, reason: note } };
    case 'signAup':
      return {
        data: { documentId: rng.pick(fx.documentIds), version: 1 },
        fields: {
          documentId: (r) => r.pick<unknown>([...fx.documentIds, 'nope', 'A', '-x', 'x'.repeat(65), 'staff-aup/../x', oddValue(r)]),
          version: (r) => r.pick<unknown>([1, 2, '1', '01', ' 1 ', '1e3', '0x1', 0, -1, 1.5, 999_999, 1_000_000, 1e308, true, [1], [], {}, '', null]),
        },
      };
    default:
      return { data: {}, fields: {} };
  }
}

function concernForm(rng: Rng, fx: FuzzFixtures): Record<string, unknown> {
  const category = rng.pick(CATEGORIES);
  return {
    formId: rng.chance(0.5) ? rng.pick(fx.formIds) : `${rng.int(1e8).toString(16).padStart(8, '0')}-0000-4000-8000-${rng.int(1e12).toString(16).padStart(12, '0')}`,
    category: category.id,
    learnerName1: 'Learner A',
    learnerYear1: rng.pick(['Year 1', 'Year 5', 'unknown']),
    whatHappened: 'A description of what happened.',
    happenedOn: '2026-11-20',
    location: 'onSite',
    device: 'schoolDevice',
    immediateDanger: 'no',
    ...(category.staff !== 'none' ? { staffInvolvedId: fx.people.teacher.id } : {}),
    ...(category.asksUrl ? { url: 'https://example.org/page' } : {}),
  };
}

function formFields(fx: FuzzFixtures): FieldValues {
  const text = (r: Rng) => r.weighted<() => unknown>([[3, () => oddString(r)], [2, () => longText(r)], [2, () => oddValue(r)]])();
  return {
    formId: (r) => r.pick<unknown>([...fx.formIds, 'not-a-form', '00000000-0000-0000-0000-000000000000', 'g'.repeat(36), 'x'.repeat(65), oddValue(r)]),
    category: (r) => r.pick<unknown>([...CATEGORIES.map((c) => c.id), 'constructor', 'hasOwnProperty', 'notACategory', oddValue(r)]),
    learnerName1: text,
    learnerName2: text,
    learnerName3: text,
    learnerYear1: (r) => r.pick<unknown>(['Year 4', 'Reception', 'unknown', 'Year 42', 'year 4', '__proto__', 'constructor', '', oddValue(r)]),
    learnerYear3: (r) => r.pick<unknown>(['Nursery', 'Year 8', 'Year 9', oddValue(r)]),
    whatHappened: text,
    actionsTaken: text,
    happenedOn: (r) => r.pick<unknown>([...ODD_DATES, oddValue(r)]),
    happenedAt: (r) => r.pick<unknown>(['09:00', '24:00', '23:59:60', '9:00', '12:00:00', '12:00:00.000', '25:61', oddValue(r)]),
    location: (r) => r.pick<unknown>(['onSite', 'offSite', 'unknown', 'constructor', 'toString', oddValue(r)]),
    device: (r) => r.pick<unknown>(['schoolDevice', 'personalDevice', 'none', 'unknown', '__proto__', oddValue(r)]),
    url: (r) => r.pick<unknown>(['https://example.org', 'javascript:alert(1)', 'http://', 'file:///etc/passwd', `https://x.example/${'a'.repeat(3000)}`, 'http://[::1', oddValue(r)]),
    immediateDanger: (r) => r.pick<unknown>(['yes', 'no', 'YES', 'maybe', true, 1, oddValue(r)]),
    staffInvolvedId: (r) => r.pick<unknown>([fx.people.teacher.id, fx.people.head.id, fx.people.reporter.id, STRANGER.id, 'constructor', '', oddValue(r)]),
  };
}

const ODD_TYPES = ['', 'Message', 'message ', 'typing', 'event', 'messageReaction', 'messageUpdate', 'messageDelete', 'endOfConversation', 'invokeResponse', 'trace', 'handoff', 'command', 'delay', 'suggestion', 'contactRelationUpdate', 'deleteUserData', '__proto__', 'constructor', 'toString'];
const ODD_INVOKES = ['', 'adaptivecard/action', 'adaptiveCard/action ', 'composeExtension/query', 'composeExtension/submitAction', 'task/fetch', 'task/submit', 'signin/verifyState', 'signin/tokenExchange', 'fileConsent/invoke', 'actionableMessage/executeAction', 'config/fetch', 'tab/fetch', 'healthCheck', 'constructor', '__proto__'];
const FIELDS = ['type', 'from', 'conversation', 'channelData', 'value', 'attachments', 'membersAdded', 'membersRemoved', 'recipient', 'serviceUrl', 'channelId', 'text', 'id', 'timestamp', 'replyToId', 'name', 'entities', 'locale', 'textFormat', 'relatesTo'];
const NESTED: [string, string][] = [['from', 'aadObjectId'], ['from', 'id'], ['from', 'name'], ['conversation', 'id'], ['conversation', 'conversationType'], ['conversation', 'tenantId'], ['recipient', 'id'], ['channelData', 'tenant']];

/** Bodies body-parser and the activity check must refuse with a 4xx. */
function rawBody(rng: Rng, fx: FuzzFixtures, person: Person): { body: string; contentType?: string; extra?: Record<string, string> } {
  const valid = toJson(activity(rng, fx, person, { type: 'message', text: 'hello' }));
  return rng.weighted<() => { body: string; contentType?: string; extra?: Record<string, string> }>([
    [3, () => ({ body: valid.slice(0, rng.int(valid.length)) })],
    [1, () => ({ body: '' })],
    [1, () => ({ body: oddText(rng, 200) })],
    [1, () => ({ body: '<activity type="message"/>' })],
    [1, () => ({ body: '{"type":"message",}' })],
    [1, () => ({ body: `{"type":"message","text":"\\ud800\\x"}` })],
    [1, () => ({ body: valid, contentType: rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/json; charset=latin-1', 'application/json; charset=x-unknown', 'application/jsonx', '']) })],
    [1, () => ({ body: valid, extra: { 'content-encoding': rng.pick(['gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip']) } })],
    [1, () => ({ body: `\ufeff${valid}` })],
    [1, () => ({ body: rng.pick(['[]', '"text"', '1', 'true', 'null', '[{"type":"message"}]', '{"type":1}', '{"type":null}', '{"type":["message"]}', '{"type":{}}', '{}', '{"type":"message"}', '{"type":"invoke"}', '{"type":"conversationUpdate"}']) })],
  ])();
}

/** An activity built by one kind of case, with what it changes about the request. */
interface Built {
  body: Record<string, unknown>;
  label?: string;
  /** An Authorization header the server must refuse ('' for none); a valid token when absent. */
  auth?: string;
  graphDown?: boolean;
}

type Builder = (rng: Rng, fx: FuzzFixtures, person: Person) => Built;

function fieldCase(rng: Rng, fx: FuzzFixtures, person: Person): Built {
  const body = activity(rng, fx, person, rng.pick([{ type: 'message', text: 'hi' }, invokeOf('chooseCategory', { category: 'other' }), { type: 'conversationUpdate', membersAdded: [{ id: '28:bot-id' }] }, { type: 'installationUpdate', action: 'add' }]));
  if (rng.chance(0.5)) {
    const [outer, inner] = rng.pick(NESTED);
    body[outer] = { ...(body[outer] as object), [inner]: oddValue(rng) };
    return { body, label: `${outer}.${inner}` };
  }
  const fields = rng.shuffle(FIELDS).slice(0, 1 + rng.int(3));
  for (const f of fields) {
    if (rng.chance(0.2)) delete body[f];
    else body[f] = f === 'attachments' || f === 'membersAdded' ? rng.pick<unknown>([[null], [1], ['x'], [{}], [{ contentType: 5 }], [{ id: null }], 'x', 5, {}, [protoObject(rng)], oddValue(rng)]) : oddValue(rng);
  }
  return { body, label: `fields ${fields.join(',')}` };
}

function actionCase(rng: Rng, fx: FuzzFixtures, person: Person): Built {
  const inv = invokeOf(rng.pick(VERB_NAMES), {}) as { value: Record<string, unknown> & { action: Record<string, unknown> } };
  const part = rng.pick(['value', 'action', 'type', 'verb', 'data'] as const);
  if (part === 'value') inv.value = oddValue(rng) as never;
  else if (part === 'action') inv.value.action = oddValue(rng) as never;
  else if (part === 'verb') inv.value.action.verb = rng.pick<unknown>(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'x'.repeat(65), '', 'Acknowledge', 'acknowledge ', oddValue(rng)]);
  else inv.value.action[part] = oddValue(rng);
  return { body: activity(rng, fx, person, inv), label: `action ${part}` };
}

/** A card verb the bot knows, its data mutated; `form` is always the concern form. */
function verbCase(form: boolean): Builder {
  return (rng, fx, person) => {
    const verb = form ? 'submitConcern' : rng.pick(VERB_NAMES);
    const { data, fields } = verbData(rng, fx, verb);
    const mutated = form ? formMutation(rng, data, fields) : mutateObject(rng, data, fields);
    return { body: activity(rng, fx, form ? rng.weighted<Person>([[4, fx.people.reporter], [1, person]]) : person, invokeOf(verb, mutated)), label: verb };
  };
}

function messageCase(rng: Rng, fx: FuzzFixtures, person: Person): Built {
  const body = activity(rng, fx, person, rng.weighted<Record<string, unknown>>([
    [2, { type: 'message', text: oddString(rng) }],
    [2, { type: 'message', text: 'hi', attachments: rng.pick<unknown>([[{ contentType: 'image/png', contentUrl: 'https://x/y.png' }], [{ contentType: 'text/html', content: oddString(rng) }], [null], [{ contentType: oddValue(rng) }], 'x', { contentType: 'image/png' }]) }],
    [1, { type: 'message', text: 'hi', entities: oddValue(rng) }],
    [2, { type: 'conversationUpdate', membersAdded: rng.pick<unknown>([[{ id: '28:bot-id' }], [{ id: oddValue(rng) }], [null], [], 'x', Array.from({ length: 1000 }, (_, i) => ({ id: `29:${i}` }))]) }],
  ]));
  return { body, label: `message ${String(body.type)}` };
}

/** The connector (where a reply goes) or Graph (who is staff) cannot be reached. */
function upstreamCase(rng: Rng, fx: FuzzFixtures, person: Person): Built {
  // An unreachable connector costs botbuilder's retries (about 6 s a case): rarely.
  if (rng.chance(0.2)) return { body: activity(rng, fx, person, { type: 'message', text: 'hi', serviceUrl: 'http://127.0.0.1:9/' }), label: 'connector unreachable' };
  const verb = rng.pick(['chooseCategory', 'submitConcern', 'reassign', 'signAup', 'openCase']);
  const data = verb === 'chooseCategory' ? { category: 'staffAllegation', immediateDanger: 'no' } : verbData(rng, fx, verb).data;
  return { body: activity(rng, fx, verb === 'submitConcern' ? fx.people.reporter : person, invokeOf(verb, data)), label: `graph unreachable: ${verb}`, graphDown: true };
}

const BUILDERS: readonly (readonly [number, Builder])[] = [
  [10, fieldCase],
  [3, (rng, fx, person) => ({ body: activity(rng, fx, person, { type: rng.pick(ODD_TYPES), text: 'hi' }), label: 'type' })],
  [3, (rng, fx, person) => ({ body: activity(rng, fx, person, { type: 'invoke', name: rng.chance(0.8) ? rng.pick(ODD_INVOKES) : oddValue(rng), value: rng.chance(0.5) ? {} : oddValue(rng) }), label: 'invoke name' })],
  [5, actionCase],
  [30, verbCase(false)],
  [18, verbCase(true)],
  [6, messageCase],
  [3, (rng, fx, person) => ({ body: activity(rng, fx, person, rng.pick([{ type: 'message', text: 'hi' }, invokeOf('acknowledge', { reference: fx.references[0] })])), auth: rng.pick(fx.badBotAuth), label: 'token' })],
  [2, upstreamCase],
  [2, (rng, fx, person) => ({ body: activity(rng, fx, person, rng.pick<Record<string, unknown>>([{ type: 'message', text: 'x'.repeat(300 * 1024) }, { type: 'message', text: 'hi', from: { id: '29:x', aadObjectId: person.id, name: deep(rng) } }, invokeOf('submitConcern', { nested: deep(rng) }), { type: 'message', text: 'hi', channelData: { tenant: { id: TENANT }, deep: deep(rng) } }])), label: 'huge' })],
];

export async function activityCase(rng: Rng, fx: FuzzFixtures): Promise<HttpCase> {
  const person = sender(rng, fx);
  const request = { method: 'POST', path: '/api/messages' };
  if (rng.chance(3 / 88)) {
    const raw = rawBody(rng, fx, person);
    const contentType: Record<string, string> = raw.contentType === undefined ? { 'content-type': 'application/json' } : raw.contentType ? { 'content-type': raw.contentType } : {};
    return { label: 'raw body', route: ROUTE, request: { ...request, headers: { ...contentType, ...raw.extra, authorization: `Bearer ${await fx.botToken(fx.connectorUrl)}` }, body: raw.body } };
  }
  const { body, label, auth, graphDown } = rng.weighted(BUILDERS)(rng, fx, person);
  if (rng.chance(0.05)) put(body, oddKey(rng), oddValue(rng));
  const authorization = auth ?? `Bearer ${await fx.botToken(typeof body.serviceUrl === 'string' ? body.serviceUrl : fx.connectorUrl)}`;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
  return { label: label ?? 'activity', route: ROUTE, request: { ...request, headers, body: toJson(body), graphDown } };
}

/** A concern form with one to four of its fields given odd values (usually from their own list). */
function formMutation(rng: Rng, data: Record<string, unknown>, fields: FieldValues): Record<string, unknown> {
  const out = { ...data };
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) {
    const key = rng.pick(Object.keys(fields));
    if (rng.chance(0.1)) delete out[key];
    else out[key] = fields[key](rng);
  }
  if (rng.chance(0.15)) putAll(out, rng.chance(0.5) ? protoObject(rng) : { [oddKey(rng)]: oddValue(rng) });
  return out;
}
