/**
 * The AUP register tab's API, end to end (PRODUCT.md §4): the real server with bot credentials (so
 * local mode is off), real Azurite, the Graph and Bot Connector stubs, and Teams SSO tokens signed by a
 * local key set served as Entra ID serves its own.
 */
import { createHash } from 'node:crypto';
import { startTokenIssuer, type TokenIssuer } from '../support/botTokens';
import { cardProblems, textOf } from '../support/cards';
import { PEOPLE, type TestPerson } from '../support/people';
import { startTabTokenIssuer, TAB_CLIENT_ID, type TabTokenIssuer } from '../support/tabTokens';
import { TENANT, startWorld, type World } from '../support/world';
import { MAX_DOCUMENT_TEXT_CHARS } from '../../store/aupStore';

const BOT_APP_ID = '5f0c7a52-3f7e-4f0e-9c1a-6a0e2f7b1c11';
const { office, teacher, dslPrep, head } = PEOPLE;

let w: World;
let bot: TokenIssuer;
let tab: TabTokenIssuer;
const cards: unknown[] = [];

beforeAll(async () => {
  bot = await startTokenIssuer();
  tab = await startTabTokenIssuer();
  w = await startWorld({
    env: { ...tab.env, TAB_REMINDERS_PER_SECOND: '20', MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: 'not-used', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT, HOST: '127.0.0.1', BOT_OPENID_METADATA_URL: bot.metadataUrl },
  });
});
afterAll(async () => {
  await w.stop();
  await Promise.all([bot.close(), tab.close()]);
  const problems = [...cards, ...w.cards].flatMap((c) => cardProblems(c));
  expect(problems).toEqual([]);
});

async function call(token: string | undefined, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${w.url}/api/tab${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* CSV or NDJSON */
  }
  return { status: res.status, body, text, headers: res.headers };
}
const as = async (p: TestPerson) => tab.sign(p);

/** What Teams sends when someone presses a card button, with the Bot Framework's token. */
async function press(person: TestPerson, verb: string, data: Record<string, unknown>) {
  const token = await bot.sign({ aud: BOT_APP_ID, serviceurl: w.connector.url, appid: 'botframework-connector' });
  const r = await w.post(w.activity(person, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data } } }), { authorization: `Bearer ${token}` });
  const body = r.text ? JSON.parse(r.text) : undefined;
  if (body?.type === 'application/vnd.microsoft.card.adaptive') cards.push(body.value);
  return { status: r.status, body };
}

let docCounter = 0;
async function publish(fields: Record<string, unknown> = {}) {
  const documentId = (fields.documentId as string) ?? `staff-aup-${++docCounter}`;
  const r = await call(await as(office), '/documents', { method: 'POST', body: { documentId, kind: 'staff', title: `Staff AUP ${docCounter}`, text: 'I will use the school\'s IT safely.', ...fields } });
  expect(r.status).toBe(201);
  return r.body as { documentId: string; version: number; sha256: string };
}

async function registerAs(p: TestPerson) {
  const r = await call(await as(p), '/register');
  expect(r.status).toBe(200);
  return r.body as { access: string; documents: { id: string; version: number }[]; rows: { person: { id: string; displayName: string; kind: string; yearGroup?: string }; cells: ({ status: string; signedVersion?: number; channel?: string } | null)[] }[] };
}

function cellOf(reg: Awaited<ReturnType<typeof registerAs>>, personId: string, documentId: string) {
  const row = reg.rows.find((r) => r.person.id === personId);
  const i = reg.documents.findIndex((d) => d.id === documentId);
  return row ? row.cells[i] : undefined;
}

describe('the Teams SSO token check: nothing leaves before it', () => {
  it('a request without a token is refused', async () => {
    expect((await call(undefined, '/register')).status).toBe(401);
  });

  it('a valid token for office staff is accepted', async () => {
    const r = await call(await as(office), '/me');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: office.id, access: 'keep' });
  });

  it('a token for another app (audience) is refused', async () => {
    expect((await call(await tab.sign(office, { claims: { aud: 'api://elsewhere/other-app' } }), '/register')).status).toBe(401);
  });

  it('the client id as audience is accepted (Teams may send either)', async () => {
    expect((await call(await tab.sign(office, { claims: { aud: TAB_CLIENT_ID } }), '/me')).status).toBe(200);
  });

  it('a token from another issuer is refused', async () => {
    expect((await call(await tab.sign(office, { issuer: 'https://login.evil.example/v2.0' }), '/register')).status).toBe(401);
  });

  it('a v1 token (sts.windows.net issuer) of the school\'s tenant is accepted', async () => {
    expect((await call(await tab.sign(office, { issuer: `https://sts.windows.net/${TENANT}/` }), '/me')).status).toBe(200);
  });

  it('an expired token is refused', async () => {
    expect((await call(await tab.sign(office, { expiresInSeconds: -600 }), '/register')).status).toBe(401);
  });

  it('an unsigned token (alg none) is refused', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: `api://localhost/${TAB_CLIENT_ID}`, tid: TENANT, oid: office.id, scp: 'access_as_user', exp: now + 600, iat: now })}.`;
    expect((await call(unsigned, '/register')).status).toBe(401);
  });

  it('a token signed with a key the tenant does not publish is refused', async () => {
    expect((await call(await tab.sign(office, { key: 'rogue' }), '/register')).status).toBe(401);
  });

  it('a token from another tenant is refused', async () => {
    const other = 'bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb';
    expect((await call(await tab.sign(office, { claims: { tid: other }, issuer: `https://login.microsoftonline.com/${other}/v2.0` }), '/register')).status).toBe(401);
    expect((await call(await tab.sign(office, { claims: { tid: other } }), '/register')).status).toBe(401);
  });

  it('a token without the access_as_user scope is refused', async () => {
    expect((await call(await tab.sign(office, { claims: { scp: 'User.Read' } }), '/register')).status).toBe(401);
  });

  it('garbage in the header is refused', async () => {
    expect((await call('not.a.token', '/register')).status).toBe(401);
  });

  it('the local-mode demo header is refused when the server has real credentials', async () => {
    expect((await call(undefined, '/register', { headers: { 'x-demo-user': office.id } })).status).toBe(401);
    expect((await call(undefined, '/local/people')).status).toBe(404);
    expect((await call(undefined, '/config')).body).toMatchObject({ localMode: false, ssoConfigured: true });
  });
});

describe('who may see what', () => {
  beforeAll(async () => {
    await publish({ documentId: 'roles-aup' });
  });

  it('office staff see the whole register, with every member of staff from the all-staff group', async () => {
    const reg = await registerAs(office);
    expect(reg.access).toBe('keep');
    const ids = reg.rows.map((r) => r.person.id);
    for (const p of Object.values(PEOPLE).filter((p) => p.roles.includes('allStaff'))) expect(ids).toContain(p.id);
  });

  it('a member of staff sees only their own records: the register page and its routes are not open to them', async () => {
    const token = await as(teacher);
    expect((await call(token, '/me')).body).toMatchObject({ access: 'own', pages: ['records', 'raise'] });
    for (const path of ['/register', '/register.csv', '/documents/roles-aup/versions']) expect((await call(token, path)).status).toBe(403);
    const mine = await call(token, '/my-records');
    expect(mine.status).toBe(200);
    expect(mine.body.name).toBe(teacher.displayName);
    expect(mine.body.documents.map((d: any) => [d.document.id, d.cell.status])).toContainEqual(['roles-aup', 'never']);
    expect(JSON.stringify(mine.body)).not.toContain(office.displayName);
    // The text of what they are asked to sign, and of nothing else.
    expect((await call(token, '/my-records/documents/roles-aup')).body).toMatchObject({ documentId: 'roles-aup', version: 1 });
  });

  it('each role sees the pages it may, and the server answers only those', async () => {
    expect((await call(await as(office), '/me')).body.pages).toEqual(['register', 'training', 'records', 'raise']);
    expect((await call(await as(dslPrep), '/me')).body.pages).toEqual(['cases', 'register', 'training', 'trends', 'report', 'filtering', 'records', 'raise']);
    expect((await call(await as(PEOPLE.tech), '/me')).body.pages).toEqual(['filtering', 'records', 'raise']);
    expect((await call(await as(PEOPLE.tech), '/register')).status).toBe(403);
  });

  it('a DSL may read the whole register but not change it', async () => {
    const reg = await registerAs(dslPrep);
    expect(reg.access).toBe('view');
    expect(reg.rows.length).toBeGreaterThan(1);
    const r = await call(await as(dslPrep), '/documents', { method: 'POST', body: { documentId: 'x', kind: 'staff', title: 'x', text: 'x' } });
    expect(r.status).toBe(403);
  });

  it('a member of staff cannot record signatures, import people or send reminders', async () => {
    const token = await as(teacher);
    expect((await call(token, '/signatures', { method: 'POST', body: { personId: teacher.id, documentId: 'roles-aup', signedOn: '2026-01-05' } })).status).toBe(403);
    expect((await call(token, '/people/import/check', { method: 'POST', body: { csv: 'kind,id,name\n' } })).status).toBe(403);
    expect((await call(token, '/reminders', { method: 'POST', body: { documentId: 'roles-aup' } })).status).toBe(403);
  });

  it('cases are not reachable from the register\'s side of the tab: office staff get no Cases page, and no route of the register names a case', async () => {
    const token = await as(office);
    for (const path of ['/cases', '/cases/SMP-2026-0001', '/cases/retention', '/learners?q=a']) expect((await call(token, path)).status).toBe(403);
    expect((await call(await as(head), '/concerns')).status).toBe(404);
    const reg = await call(await as(head), '/register');
    expect(reg.text).not.toMatch(/concern|case\|/i);
  });

  it('every read of the register is audited', async () => {
    await registerAs(office);
    const entries = await w.app.services.stores.audit.forCase(w.setup.schoolId, 'aup-register');
    expect(entries.some((e) => e.byId === office.id && e.action === 'register read' && e.via === 'tab')).toBe(true);
  });
});

describe('signing in Teams', () => {
  it('the card\'s "I have read and agree" records person, document, version, hash, time and channel, once', async () => {
    const doc = await publish({ documentId: 'staff-aup', text: 'Staff AUP text, version one.' });
    expect(doc.sha256).toBe(createHash('sha256').update('Staff AUP text, version one.').digest('hex'));
    const first = await press(teacher, 'signAup', { documentId: 'staff-aup', version: 1 });
    expect(first.status).toBe(200);
    expect(textOf(first.body.value)).toMatch(/You agreed to version 1/);
    // A retry and a double press: still one signature.
    const [again, third] = await Promise.all([press(teacher, 'signAup', { documentId: 'staff-aup', version: 1 }), press(teacher, 'signAup', { documentId: 'staff-aup', version: 1 })]);
    expect(again.status).toBe(200);
    expect(third.status).toBe(200);
    const stored = await w.tables.AupSignatures.listEntities({ queryOptions: { filter: `PartitionKey eq '${w.setup.schoolId}'` } });
    const mine: any[] = [];
    for await (const e of stored) if (e.personId === teacher.id && e.documentId === 'staff-aup') mine.push(e);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ version: 1, sha256: doc.sha256, channel: 'teams', personName: teacher.displayName });
    expect(cellOf(await registerAs(office), teacher.id, 'staff-aup')).toMatchObject({ status: 'current', signedVersion: 1, channel: 'teams' });
  });

  it('who signs comes from Teams, never from the card', async () => {
    await publish({ documentId: 'identity-aup' });
    await press(dslPrep, 'signAup', { documentId: 'identity-aup', version: 1, personId: teacher.id });
    const reg = await registerAs(office);
    expect(cellOf(reg, dslPrep.id, 'identity-aup')?.status).toBe('current');
    expect(cellOf(reg, teacher.id, 'identity-aup')?.status).toBe('never');
  });

  it('a new version makes everyone "signed an older version" until they sign again; an old card cannot sign it', async () => {
    await publish({ documentId: 'annual-aup', text: 'Version one.' });
    await press(teacher, 'signAup', { documentId: 'annual-aup', version: 1 });
    const v2 = await publish({ documentId: 'annual-aup', text: 'Version two, after the annual review.' });
    expect(v2.version).toBe(2);
    expect(cellOf(await registerAs(office), teacher.id, 'annual-aup')).toMatchObject({ status: 'older', signedVersion: 1 });
    const old = await press(teacher, 'signAup', { documentId: 'annual-aup', version: 1 });
    expect(textOf(old.body.value)).toMatch(/newer version \(2\)/);
    expect(JSON.stringify(old.body.value)).toContain('"version":2');
    expect(cellOf(await registerAs(office), teacher.id, 'annual-aup')?.status).toBe('older');
    await press(teacher, 'signAup', { documentId: 'annual-aup', version: 2 });
    expect(cellOf(await registerAs(office), teacher.id, 'annual-aup')).toMatchObject({ status: 'current', signedVersion: 2 });
  });

  it('a card naming no real document changes nothing', async () => {
    expect((await press(teacher, 'signAup', { documentId: 'no-such-aup', version: 1 })).status).toBe(404);
    expect((await press(teacher, 'signAup', { documentId: '../x', version: 'one' })).status).toBe(400);
  });
});

describe('learners from the tenant\'s education data', () => {
  it('are read from School Data Sync across pages, with their year groups, and kept in step', async () => {
    const learner = (n: number, grade?: string) => ({ id: `00000000-0000-4000-b000-${String(n).padStart(12, '0')}`, displayName: `Learner ${n}`, grade });
    w.graph.education = true;
    w.graph.pageSize = 2;
    w.graph.learners = [learner(1, '4'), learner(2, 'R'), learner(3, 'Year 8'), learner(4, '12'), learner(5)];
    const sync = await call(await as(office), '/people/sync', { method: 'POST' });
    expect(sync.status).toBe(200);
    expect(sync.body.learners).toEqual({ added: 5, left: 0 });
    const reg = await registerAs(office);
    const year = (n: number) => reg.rows.find((r) => r.person.id === learner(n).id)?.person;
    expect([1, 2, 3, 4, 5].map((n) => [year(n)?.kind, year(n)?.yearGroup])).toEqual([
      ['learner', 'Year 4'],
      ['learner', 'Reception'],
      ['learner', 'Year 8'],
      ['learner', undefined],
      ['learner', undefined],
    ]);
    // A learner who leaves School Data Sync leaves the register; staff are not touched.
    w.graph.learners = w.graph.learners.slice(1);
    const again = await call(await as(office), '/people/sync', { method: 'POST' });
    expect(again.body.learners).toEqual({ added: 0, left: 1 });
    const after = await registerAs(office);
    expect(after.rows.some((r) => r.person.id === learner(1).id)).toBe(false);
    expect(after.rows.some((r) => r.person.id === office.id)).toBe(true);
  });

  it('a tenant without education data says so, and learners come from CSV', async () => {
    w.graph.education = false;
    const sync = await call(await as(office), '/people/sync', { method: 'POST' });
    expect(sync.body.learners.unavailable).toMatch(/no education data.*CSV/);
    w.graph.pageSize = 100;
  });
});

describe('people from CSV, paper signatures, documents', () => {
  const csv = [
    'Kind,ID,Forename,Surname,Year group,Tags',
    'learner,A001,Amy,Adams,Year 3,',
    'pupil,A002,Ben,Brown,Y4,',
    'learner,A003,Cat,Cole,Year 12,',
    'learner,,Dan,Dyer,Year 5,',
    'alien,A005,Eve,Evans,Year 5,',
    'learner,A001,Amy,Again,Year 3,',
    'parent,P001,Pat,Adams,,',
    'visitor,V001,Vic,Vance,,',
    'learner,A009,Gus,Green,,',
  ].join('\r\n');

  it('checks every row first and reports each bad row by number, with what is wrong', async () => {
    const r = await call(await as(office), '/people/import/check', { method: 'POST', body: { csv } });
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(9);
    expect(r.body.good).toBe(4);
    const bad = Object.fromEntries(r.body.bad.map((b: { row: number; problems: string[] }) => [b.row, b.problems.join('; ')]));
    expect(Object.keys(bad).map(Number)).toEqual([4, 5, 6, 7, 10]);
    expect(bad[4]).toMatch(/year group "Year 12" is not one of the school's/);
    expect(bad[5]).toMatch(/id is missing/);
    expect(bad[6]).toMatch(/kind must be one of/);
    expect(bad[7]).toMatch(/already on row 2/);
    expect(bad[10]).toMatch(/year group is missing/);
    // Nothing is imported by the check.
    expect((await registerAs(office)).rows.some((r) => r.person.displayName === 'Amy Adams')).toBe(false);
  });

  it('imports the good rows only after confirmation, with progress', async () => {
    const r = await call(await as(office), '/people/import', { method: 'POST', body: { csv } });
    expect(r.status).toBe(200);
    const lines = r.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ stage: 'checked', good: 4, bad: 5 });
    expect(lines.some((l) => l.stage === 'importing')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ stage: 'done', imported: 4, refused: 5 });
    const reg = await registerAs(office);
    const names = reg.rows.map((r) => r.person.displayName);
    expect(names).toEqual(expect.arrayContaining(['Amy Adams', 'Ben Brown', 'Pat Adams', 'Vic Vance']));
    expect(reg.rows.find((r) => r.person.displayName === 'Ben Brown')?.person.yearGroup).toBe('Year 4');
    expect(names).not.toContain('Cat Cole');
  });

  it('a file without the needed columns is refused as a whole', async () => {
    const r = await call(await as(office), '/people/import/check', { method: 'POST', body: { csv: 'name,email\nA,b@c\n' } });
    expect(r.body.fileProblem).toMatch(/missing: kind, id/);
  });

  it('office staff record a learner\'s paper signature with the date signed', async () => {
    const learnerDoc = await publish({ documentId: 'learner-aup-ks2', kind: 'learner', title: 'Learner AUP (Years 3 to 8)', appliesTo: { kinds: ['learner'], yearGroups: ['Year 3', 'Year 4', 'Year 5', 'Year 6', 'Year 7', 'Year 8'] } });
    const reg = await registerAs(office);
    const amy = reg.rows.find((r) => r.person.displayName === 'Amy Adams')!.person;
    expect(cellOf(reg, amy.id, learnerDoc.documentId)?.status).toBe('never');
    // Staff are not asked to sign the learner AUP.
    expect(cellOf(reg, teacher.id, learnerDoc.documentId)).toBeNull();
    const r = await call(await as(office), '/signatures', { method: 'POST', body: { personId: amy.id, documentId: learnerDoc.documentId, signedOn: '2026-01-05' } });
    expect(r.status).toBe(201);
    expect(r.body.signature).toMatchObject({ channel: 'paper', signedOn: '2026-01-05', recordedById: office.id });
    expect(cellOf(await registerAs(office), amy.id, learnerDoc.documentId)).toMatchObject({ status: 'current', channel: 'paper' });
    const again = await call(await as(office), '/signatures', { method: 'POST', body: { personId: amy.id, documentId: learnerDoc.documentId, signedOn: '2026-01-05' } });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    const future = await call(await as(office), '/signatures', { method: 'POST', body: { personId: amy.id, documentId: learnerDoc.documentId, signedOn: '2999-01-01' } });
    expect(future.status).toBe(400);
  });

  it('the export is a CSV of the filtered rows, safe to open in a spreadsheet', async () => {
    await call(await as(office), '/people', { method: 'POST', body: { kind: 'visitor', displayName: '=HYPERLINK("http://evil")', externalId: 'V666' } });
    const r = await call(await as(office), '/register.csv?kind=visitor&sort=name');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = r.text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^Name,Role,Year group,/);
    expect(lines).toHaveLength(3);
    expect(r.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(r.text).not.toContain('Amy Adams');
  });

  it('a document text above what storage holds is refused with a clear message', async () => {
    const r = await call(await as(office), '/documents', { method: 'POST', body: { documentId: 'huge-aup', kind: 'staff', title: 'Huge', text: 'x'.repeat(MAX_DOCUMENT_TEXT_CHARS + 1) } });
    expect(r.status).toBe(413);
    expect(r.body.error).toMatch(/publish it as a link/);
  });

  it('a long document text is kept whole across several properties, and its hash is of the whole text', async () => {
    const text = 'é'.repeat(100_000);
    const doc = await publish({ documentId: 'long-aup', text });
    const r = await call(await as(office), `/documents/long-aup/versions/${doc.version}`);
    expect(r.body.text).toBe(text);
    expect(r.body.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    // A member of staff reads what they are asked to sign from "My records".
    expect((await call(await as(teacher), '/my-records/documents/long-aup')).body.text).toBe(text);
  });
});

describe('requests, ids and dates the API cannot take: a 4xx with a message, never a server error', () => {
  const errorLines = () => w.logs.filter((l) => l.level === 'error').length;

  it('a request Express or the JSON parser refuses is answered with its 4xx and says why', async () => {
    const errors = errorLines();
    const token = await as(office);
    const badParam = await call(token, '/my-records/documents/%');
    expect(badParam.status).toBe(400);
    expect(badParam.body.error).toMatch(/percent-encoding/);
    expect((await call(token, '/people/%E0%A4%A/tags', { method: 'PUT', body: { tags: ['x'] } })).status).toBe(400);
    const raw = (path: string, headers: Record<string, string>) => call(token, path, { method: 'POST', body: { names: 'Chris Evans' }, headers });
    const charset = await raw('/training/sessions/match', { 'content-type': 'application/json; charset=nope' });
    expect(charset.status).toBe(415);
    expect(charset.body.error).toMatch(/UTF-8/);
    const notGzip = await raw('/training/sessions/match', { 'content-encoding': 'gzip' });
    expect(notGzip.status).toBe(400);
    expect(notGzip.body.error).toMatch(/could not be decompressed/);
    const unknownEncoding = await raw('/training/sessions/match', { 'content-encoding': 'x-unknown' });
    expect(unknownEncoding.status).toBe(415);
    expect(unknownEncoding.body.error).toMatch(/Content-Encoding/);
    expect(errorLines()).toBe(errors);
  });

  it('a version asked for with both its document id and its version wrong is answered once, naming the path parameter', async () => {
    const printed = jest.spyOn(console, 'error');
    try {
      const both = await call(await as(office), '/documents/-0.5/versions/NaN');
      expect(both.status).toBe(400);
      expect(both.body.details).toEqual([expect.stringMatching(/^documentId: /)]);
      const version = await call(await as(office), '/documents/staff-aup-1/versions/NaN');
      expect(version.body.details).toEqual([expect.stringMatching(/^version: /)]);
      // A second answer would be printed by Express after the first was sent.
      await new Promise((r) => setTimeout(r, 50));
      expect(printed.mock.calls.map((c) => String(c[0]))).not.toContainEqual(expect.stringMatching(/ERR_HTTP_HEADERS_SENT|Cannot set headers/));
    } finally {
      printed.mockRestore();
    }
  });

  it('an id that cannot be a storage key is unknown in a path (404) and refused with a message in a body (400)', async () => {
    const errors = errorLines();
    const token = await as(office);
    for (const id of ['a%2Fb', 'a%23b', 'a%3Fb', 'a%5Cb', 'a%01b', 'a%7Cb']) {
      expect({ id, status: (await call(token, `/reminders/${id}`)).status }).toEqual({ id, status: 404 });
      expect({ id, status: (await call(token, `/training/reminders/${id}`)).status }).toEqual({ id, status: 404 });
      expect({ id, status: (await call(token, `/people/${id}/tags`, { method: 'PUT', body: { tags: ['year-5'] } })).status }).toEqual({ id, status: 404 });
      expect({ id, status: (await call(token, `/training/people/${id}`)).status }).toEqual({ id, status: 404 });
    }
    const doc = await publish();
    for (const personId of ['a/b', 'a#b', 'a?b', 'a\\b', 'a\u0001b', 'L\udcb3']) {
      const signature = await call(token, '/signatures', { method: 'POST', body: { personId, documentId: doc.documentId, signedOn: '2026-01-05' } });
      expect(signature.status).toBe(400);
      expect(signature.body.details).toEqual([expect.stringMatching(/^personId: is not an id/)]);
      const record = await call(token, '/training/records', { method: 'POST', body: { personId, courseId: 'prevent', completedOn: '2026-01-05' } });
      expect(record.status).toBe(400);
      expect(record.body.details).toEqual([expect.stringMatching(/^personId: is not an id/)]);
    }
    expect(errorLines()).toBe(errors);
  });

  it('an id with half of a surrogate pair is refused when added by hand, and an import reports its row and imports the others', async () => {
    const errors = errorLines();
    const token = await as(office);
    const added = await call(token, '/people', { method: 'POST', body: { kind: 'visitor', displayName: 'Vera Broken', externalId: 'V\ud800' } });
    expect(added.status).toBe(400);
    expect(added.body.details).toEqual([expect.stringMatching(/^externalId: /)]);
    const csv = 'Kind,ID,Name\r\nvisitor,V\udcb3,Vera Broken\r\nvisitor,V777,Val Whole\r\n';
    const check = await call(token, '/people/import/check', { method: 'POST', body: { csv } });
    expect(check.body).toMatchObject({ total: 2, good: 1, bad: [{ row: 2, problems: [expect.stringMatching(/id has a character an id cannot have/)] }] });
    const imported = await call(token, '/people/import', { method: 'POST', body: { csv } });
    expect(imported.text.trim().split('\n').map((l) => JSON.parse(l)).at(-1)).toMatchObject({ stage: 'done', imported: 1, refused: 1 });
    const names = (await registerAs(office)).rows.map((r) => r.person.displayName);
    expect(names).toContain('Val Whole');
    expect(names).not.toContain('Vera Broken');
    expect(errorLines()).toBe(errors);
  });

  it('a paper signature on a day the calendar does not have is refused, naming the field', async () => {
    const doc = await publish();
    for (const signedOn of ['2026-02-30', '0000-00-00', '2026-13-01', '2026-2-3']) {
      const r = await call(await as(office), '/signatures', { method: 'POST', body: { personId: teacher.id, documentId: doc.documentId, signedOn } });
      expect({ signedOn, status: r.status, details: r.body.details }).toEqual({ signedOn, status: 400, details: ['signedOn: must be a real date, as YYYY-MM-DD'] });
    }
  });
});

/**
 * Local mode (no bot credentials, loopback only): the demo header stands in for Teams sign-in, and the
 * bot can reach people through the connector stub, so reminders are sent end to end.
 */
describe('local mode', () => {
  let local: World;
  beforeAll(async () => {
    local = await startWorld({ env: { TAB_REMINDERS_PER_SECOND: '20' } });
  });
  afterAll(async () => {
    await local.stop();
    expect(local.cards.flatMap((c) => cardProblems(c))).toEqual([]);
  });
  const demo = async (p: TestPerson, path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${local.url}/api/tab${path}`, {
      method: init.method ?? 'GET',
      headers: { 'x-demo-user': p.id, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const pressLocal = async (person: TestPerson, data: Record<string, unknown>) => local.invoke(person, 'signAup', data);

  it('is off when the tab has SSO settings, even without bot credentials', async () => {
    const withSso = await startWorld({ env: { ...tab.env, MicrosoftAppTenantId: TENANT } });
    try {
      expect((await (await fetch(`${withSso.url}/api/tab/config`)).json()).localMode).toBe(false);
      const r = await fetch(`${withSso.url}/api/tab/me`, { headers: { 'x-demo-user': office.id } });
      expect(r.status).toBe(401);
    } finally {
      await withSso.stop();
    }
  });

  it('offers the directory\'s people to act as, and accepts one of them only', async () => {
    const people = (await (await fetch(`${local.url}/api/tab/local/people`)).json()) as { people: { id: string }[] };
    expect(people.people.map((p) => p.id)).toContain(office.id);
    expect((await demo(office, '/me')).body).toMatchObject({ id: office.id, access: 'keep' });
    expect((await demo({ id: 'ffffffff-0000-4000-8000-000000000000', displayName: 'Nobody', roles: [] }, '/me')).status).toBe(401);
  });

  it('"remind everyone unsigned" sends the card to each unsigned member of staff, paced, with progress', async () => {
    expect((await demo(office, '/documents', { method: 'POST', body: { documentId: 'remind-aup', kind: 'staff', title: 'Staff AUP', link: 'https://school.example/aup.pdf' } })).status).toBe(201);
    await pressLocal(teacher, { documentId: 'remind-aup', version: 1 });
    const before = local.connector.sent.length;
    const r = await demo(office, '/reminders', { method: 'POST', body: { documentId: 'remind-aup' } });
    expect(r.status).toBe(202);
    const staff = Object.values(PEOPLE).filter((p) => p.roles.includes('allStaff'));
    expect(r.body.total).toBe(staff.length - 1);
    expect((await demo(office, '/reminders', { method: 'POST', body: { documentId: 'remind-aup' } })).status).toBe(409);
    let progress = r.body;
    for (let i = 0; i < 100 && progress.status !== 'done'; i++) {
      await new Promise((res) => setTimeout(res, 100));
      progress = (await demo(office, `/reminders/${r.body.id}`)).body;
    }
    expect(progress).toMatchObject({ status: 'done', sent: staff.length - 1, failed: 0 });
    const sent = local.connector.sent.slice(before).filter((s) => JSON.stringify(s.activity).includes('signAup'));
    expect(sent).toHaveLength(staff.length - 1);
    expect(sent.some((s) => s.conversationId.includes(teacher.id))).toBe(false);
    // Paced: 20 a second at most (TAB_REMINDERS_PER_SECOND=20 here). Counted from the second card: the
    // first one's arrival also waits for reaching the person (a Graph install), which shifts it later.
    expect(sent.at(-1)!.at - sent[1].at).toBeGreaterThanOrEqual(((sent.length - 2) * 1000) / 20 - 20);
    const card = sent[0].activity.attachments[0].content;
    local.cards.push(card);
    expect(JSON.stringify(card)).toContain('https://school.example/aup.pdf');
    // Pressing the reminder card signs.
    await pressLocal(dslPrep, sent.find((s) => s.conversationId.includes(dslPrep.id))!.activity.attachments[0].content.actions.at(-1).data);
    const reg = await demo(office, '/register');
    const i = reg.body.documents.findIndex((d: { id: string }) => d.id === 'remind-aup');
    expect(reg.body.rows.find((row: any) => row.person.id === dslPrep.id).cells[i].status).toBe('current');
  });
});

describe('a reminder run that stops part way', () => {
  it('is carried on by another instance, and nobody gets the card twice', async () => {
    const first = await startWorld({ env: { TAB_REMINDERS_PER_SECOND: '4', TAB_REMINDERS_STALE_SECONDS: '1', TAB_REMINDERS_RESUME_SECONDS: '0.3' } });
    try {
      const demo = (path: string, body?: unknown) =>
        fetch(`${first.url}/api/tab${path}`, { method: body ? 'POST' : 'GET', headers: { 'x-demo-user': office.id, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
      expect((await demo('/documents', { documentId: 'resume-aup', kind: 'staff', title: 'Staff AUP', link: 'https://school.example/aup.pdf' })).status).toBe(201);
      const started = await demo('/reminders', { documentId: 'resume-aup' });
      expect(started.status).toBe(202);
      const total = started.body.total as number;
      const cards = () => first.connector.sent.filter((x) => JSON.stringify(x.activity).includes('resume-aup'));
      await first.connector.waitFor(() => cards().length >= 2);
      await first.app.close(); // this instance stops part way through the run
      const sentBefore = cards().length;
      expect(sentBefore).toBeLessThan(total);
      await first.anotherInstance(); // another instance finds the stale run and carries it on
      await first.connector.waitFor(() => cards().length >= total, 20000);
      await new Promise((r) => setTimeout(r, 800));
      const people = cards().map((x) => x.conversationId);
      expect(people).toHaveLength(total);
      expect(new Set(people).size).toBe(total);
    } finally {
      await first.stop();
    }
  });
});

