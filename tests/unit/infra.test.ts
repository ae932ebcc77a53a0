/**
 * infra/main.bicep cannot be compiled here (no Bicep CLI), so this checks what can be checked from its
 * text: every parameter is used, the Toolkit's files agree with it, its tables are the server's, and
 * the app settings it gives App Service are exactly what the server needs to start in production.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSchoolSetup } from '../../config/load';
import { readSettings } from '../../config/settings';
import { TABLE_NAMES } from '../../store/tables';

const root = path.resolve(__dirname, '..', '..');
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

/** Bicep text without // comments (a // inside a '...' string, as in https://, is kept). */
function stripComments(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        if (line[i] === '\\' && quoted) i++;
        else if (line[i] === "'") quoted = !quoted;
        else if (!quoted && line.startsWith('//', i)) return line.slice(0, i).trimEnd();
      }
      return line;
    })
    .join('\n');
}

/** The body of the first `{ ... }` that starts at or after `from` (braces inside strings are not expected). */
function block(text: string, from: number): string {
  const open = text.indexOf('{', from);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced braces');
}

const bicep = stripComments(read('infra/main.bicep'));

const params = [...bicep.matchAll(/^param\s+(\w+)\s+(\w+)(\s*=.*)?$/gm)].map((m) => ({ name: m[1], hasDefault: !!m[3] }));
const outputs = [...bicep.matchAll(/^output\s+(\w+)\s/gm)].map((m) => m[1]);

/** name -> Bicep expression, from the App Service's `appsettings` config resource. */
function appSettings(): Map<string, string> {
  const at = bicep.search(/^resource\s+\w+\s+'Microsoft\.Web\/sites\/config@[^']+'/m);
  expect(at).toBeGreaterThanOrEqual(0);
  const resource = block(bicep, at);
  expect(resource).toMatch(/name:\s*'appsettings'/);
  const props = block(resource, resource.search(/properties:\s*\{/));
  const settings = new Map<string, string>();
  for (const m of props.matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.+?)\s*$/gm)) settings.set(m[1], m[2]);
  return settings;
}

/** Every environment variable the server reads (its settings modules are the only places that read any). */
function serverReads(): Set<string> {
  const files = ['config/settings.ts'];
  const names = new Set<string>();
  for (const f of files) {
    const text = read(f);
    for (const m of text.matchAll(/\benv\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
    for (const m of text.matchAll(/\bnum\(\s*'([A-Za-z_][A-Za-z0-9_]*)'/g)) names.add(m[1]);
  }
  return names;
}

/** Settings App Service (not the server) reads. */
const PLATFORM_SETTINGS = ['WEBSITE_RUN_FROM_PACKAGE', 'SCM_DO_BUILD_DURING_DEPLOYMENT', 'APPLICATIONINSIGHTS_CONNECTION_STRING', 'ApplicationInsightsAgent_EXTENSION_VERSION'];

/** The values App Service would hold, for the server's settings: Bicep literals as they are, expressions made plausible. */
function plausibleEnv(settings: Map<string, string>): Record<string, string> {
  const clientId = '3c1d5b7e-9f0a-4b2c-8d4e-6f7a8b9c0d1e';
  const plausible: Record<string, string> = {
    'identity.properties.clientId': clientId,
    'tenant().tenantId': '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d',
    'storage.properties.primaryEndpoints.table': 'https://stschoolsafety1234567890.table.core.windows.net/',
    schoolConfigPath: '/home/site/wwwroot/school.json',
    teamsAppCatalogId: 'f6e5d4c3-b2a1-4098-8765-43210fedcba9',
    tabSsoClientId: 'c2d4e6f8-0a1b-4c3d-9e5f-7a8b9c0d1e2f',
  };
  const env: Record<string, string> = {};
  for (const [name, expr] of settings) {
    if (PLATFORM_SETTINGS.includes(name)) continue;
    const literal = /^'([^'$]*)'$/.exec(expr);
    if (literal) env[name] = literal[1];
    else if (expr in plausible) env[name] = plausible[expr];
    else if (/^'api:\/\/\$\{web\.properties\.defaultHostName\}\/\$\{tabSsoClientId\}'$/.test(expr)) env[name] = `api://school-safety-abc123.azurewebsites.net/${plausible.tabSsoClientId}`;
    // What App Service leaves in the variable while the secret is not in the vault yet.
    else if (/^'@Microsoft\.KeyVault\(/.test(expr)) env[name] = expr.slice(1, -1);
    else throw new Error(`no plausible value for ${name} = ${expr}: add one to this test`);
  }
  return env;
}

describe('infra/main.bicep', () => {
  it('uses every parameter it declares', () => {
    expect(params.length).toBeGreaterThan(3);
    // Without decorators and the declarations themselves, each name must still appear.
    const body = bicep.replace(/^@.*$/gm, '').replace(/^param\s.*$/gm, '');
    const unused = params.filter((p) => !new RegExp(`\\b${p.name}\\b`).test(body)).map((p) => p.name);
    expect(unused).toEqual([]);
  });

  it('agrees with the Toolkit\'s parameter file: every parameter without a default is given, and nothing else', () => {
    const file = JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, unknown> };
    const given = Object.keys(file.parameters);
    expect(given.filter((g) => !params.some((p) => p.name === g))).toEqual([]);
    expect(params.filter((p) => !p.hasDefault && !given.includes(p.name)).map((p) => p.name)).toEqual([]);
  });

  it('creates the server\'s tables', () => {
    const m = /^var tableNames = \[([^\]]*)\]/m.exec(bicep);
    expect(m).not.toBeNull();
    const names = [...m![1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
    expect(names.sort()).toEqual([...TABLE_NAMES].sort());
  });

  it('reaches storage through the managed identity only, and the bot is a single-tenant managed-identity bot', () => {
    expect(bicep).toMatch(/allowSharedKeyAccess:\s*false/);
    expect(bicep).toMatch(/'Microsoft\.ManagedIdentity\/userAssignedIdentities@/);
    expect(bicep).toMatch(/msaAppType:\s*'UserAssignedMSI'/);
    expect(bicep).toMatch(/msaAppId:\s*identity\.properties\.clientId/);
    expect(bicep).toMatch(/msaAppTenantId:\s*tenant\(\)\.tenantId/);
    expect(bicep).toMatch(/endpoint:\s*'https:\/\/\$\{web\.properties\.defaultHostName\}\/api\/messages'/);
    expect(bicep).toMatch(/channelName:\s*'MsTeamsChannel'/);
    expect(bicep).toMatch(/enableRbacAuthorization:\s*true/);
    expect(bicep).toMatch(/'Microsoft\.Insights\/components@/);
  });

  it('runs the server as `npm run bundle` lays it out: the newest Node LTS on Linux, node app/main.js, the setup file at school.json', () => {
    // Node 20 reached its end of life in April 2026; 24 is the newest LTS App Service offers.
    expect(bicep).toMatch(/linuxFxVersion:\s*'NODE\|24-lts'/);
    expect(bicep).toMatch(/appCommandLine:\s*'node app\/main\.js'/);
    expect(existsSync(path.join(root, 'app', 'main.ts'))).toBe(true);
    expect(bicep).toMatch(/healthCheckPath:\s*'\/healthz'/);
    expect(bicep).toMatch(/param schoolConfigPath string = '\/home\/site\/wwwroot\/school\.json'/);
    expect(read('scripts/bundle-server.mjs')).toContain("path.join(out, 'school.json')");
  });

  it('sets only app settings that the server or App Service reads', () => {
    const reads = serverReads();
    const unknown = [...appSettings().keys()].filter((n) => !reads.has(n) && !PLATFORM_SETTINGS.includes(n));
    expect(unknown).toEqual([]);
  });

  it('gives the server exactly the production settings: MicrosoftAppType=UserAssignedMSI with the identity as bot and for Graph and storage', () => {
    const settings = appSettings();
    const serverSettings = [...settings.keys()].filter((n) => !PLATFORM_SETTINGS.includes(n)).sort();
    expect(serverSettings).toEqual(
      ['AZURE_CLIENT_ID', 'MicrosoftAppId', 'MicrosoftAppTenantId', 'MicrosoftAppType', 'MONITORING_SECRET', 'NODE_ENV', 'SCHOOL_CONFIG', 'TABLES_ENDPOINT', 'TAB_SSO_APP_ID_URI', 'TAB_SSO_CLIENT_ID', 'TEAMS_APP_CATALOG_ID'].sort(),
    );
    // The monitoring system's secret is a Key Vault reference that App Service resolves, never a value.
    expect(settings.get('MONITORING_SECRET')).toBe("'@Microsoft.KeyVault(VaultName=${vault.name};SecretName=monitoring-secret)'");
    expect(settings.get('NODE_ENV')).toBe("'production'");
    expect(settings.get('MicrosoftAppType')).toBe("'UserAssignedMSI'");
    expect(settings.get('MicrosoftAppId')).toBe('identity.properties.clientId');
    expect(settings.get('AZURE_CLIENT_ID')).toBe('identity.properties.clientId');
    expect(settings.get('TABLES_ENDPOINT')).toBe('storage.properties.primaryEndpoints.table');
    // No secrets in app settings: no password, no client secret, no connection string with a key.
    for (const secret of ['MicrosoftAppPassword', 'AZURE_CLIENT_SECRET', 'TABLES_CONNECTION_STRING']) expect(settings.has(secret)).toBe(false);
  });

  it('lets the server start in production with those settings, and each required one, removed, is named', () => {
    const env = plausibleEnv(appSettings());
    const settings = readSettings(env);
    expect(settings.localMode).toBe(false);
    expect(settings.bot).toMatchObject({ appType: 'UserAssignedMSI', appId: env.MicrosoftAppId, tenantId: env.MicrosoftAppTenantId });
    expect(settings.tables).toMatchObject({ endpoint: env.TABLES_ENDPOINT, managedIdentityClientId: env.AZURE_CLIENT_ID, connectionString: undefined });
    expect(settings.directory.kind).toBe('graph');
    expect(settings.schoolConfigPath).toBe(env.SCHOOL_CONFIG);
    expect(settings.teamsAppCatalogId).toBe(env.TEAMS_APP_CATALOG_ID);

    const refusedWithout: string[] = [];
    for (const name of Object.keys(env)) {
      const { [name]: _removed, ...rest } = env;
      let message: string | undefined;
      try {
        readSettings(rest);
      } catch (err) {
        message = (err as Error).message;
      }
      if (message === undefined) continue;
      refusedWithout.push(name);
      // Without MicrosoftAppType the bot would be SingleTenant, which needs a password: that is what is named.
      expect(message).toContain(name === 'MicrosoftAppType' ? 'MicrosoftAppPassword' : name);
    }
    expect(refusedWithout).toEqual(expect.arrayContaining(['MicrosoftAppId', 'MicrosoftAppTenantId', 'MicrosoftAppType', 'TABLES_ENDPOINT', 'SCHOOL_CONFIG', 'TEAMS_APP_CATALOG_ID']));
  });
});

describe('Teams Toolkit files', () => {
  const envFile = read('env/.env.dev');
  const defined = new Set([...envFile.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]));

  it('env/.env.dev defines every ${{NAME}} the manifest, the Toolkit and the parameter files use', () => {
    const used = new Set<string>();
    for (const f of ['manifest/manifest.json', 'infra/main.parameters.json', 'infra/entra-app.json', 'teamsapp.yml']) {
      for (const m of read(f).matchAll(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) used.add(m[1]);
    }
    expect([...used].filter((n) => !defined.has(n))).toEqual([]);
  });

  it('env/.env.dev has a line for every output of the Bicep template (the Toolkit writes them there)', () => {
    expect(outputs).toEqual(expect.arrayContaining(['BOT_ID', 'BOT_DOMAIN', 'BOT_AZURE_APP_SERVICE_RESOURCE_ID']));
    expect(outputs.filter((o) => !defined.has(o))).toEqual([]);
  });

  it('env/.env.dev commits no secret', () => {
    expect(envFile).not.toMatch(/^\w*(SECRET|PASSWORD|ACCOUNT_?KEY|API_?KEY)\w*=/im);
    expect(envFile).not.toMatch(/AccountKey=/i);
  });

  it('teamsapp.yml deploys the template and folders that exist', () => {
    const yml = read('teamsapp.yml');
    for (const m of yml.matchAll(/(?:path|parameters|manifestPath):\s*\.\/(\S+)/g)) expect(existsSync(path.join(root, m[1]))).toBe(true);
    expect(yml).toContain('artifactFolder: ./build/server');
    expect(yml).toMatch(/publishedAppId: TEAMS_APP_CATALOG_ID/);
  });
});

describe('npm run bundle (what App Service runs)', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'server-bundle-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const bundle = (args: string[]) =>
    spawnSync('npm', ['run', '--silent', 'bundle', '--', '--skip-install', '--skip-tab-build', '--no-zip', ...args], { cwd: root, encoding: 'utf8', timeout: 180_000 });

  it('the example setup file in the deployment guide passes the server\'s schema', () => {
    expect(() => parseSchoolSetup(JSON.parse(read('docs/school.example.json')))).not.toThrow();
  });

  it('compiles the server beside the files it reads at run time, with the school\'s setup file at school.json', () => {
    const out = path.join(tmp, 'server');
    const r = bundle(['--school', path.join(root, 'docs', 'school.example.json'), '--out', out]);
    expect({ status: r.status, stderr: r.status ? r.stderr : '' }).toEqual({ status: 0, stderr: '' });
    expect(existsSync(path.join(out, 'app', 'main.js'))).toBe(true);
    expect(readFileSync(path.join(out, 'school.json'), 'utf8')).toBe(read('docs/school.example.json'));
    for (const card of readdirSync(path.join(root, 'delivery', 'cards'))) expect(existsSync(path.join(out, 'delivery', 'cards', card))).toBe(true);
    expect(existsSync(path.join(out, 'tab', 'dist', 'index.html')) || existsSync(path.join(out, 'tab', 'public', 'index.html'))).toBe(true);
    expect(existsSync(path.join(out, 'tests'))).toBe(false);
  }, 180_000);

  it('stops on a setup file the server would refuse, naming the field, or one without the tenant', () => {
    const wrong = path.join(tmp, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ ...JSON.parse(read('docs/school.example.json')), referencePrefix: 'st michaels' }));
    const r1 = bundle(['--school', wrong, '--out', path.join(tmp, 'wrong')]);
    expect(r1.status).toBe(1);
    expect(r1.stderr).toContain('referencePrefix: two to six capital letters');

    const noTenant = path.join(tmp, 'no-tenant.json');
    const { tenantId: _t, ...rest } = JSON.parse(read('docs/school.example.json'));
    writeFileSync(noTenant, JSON.stringify(rest));
    const r2 = bundle(['--school', noTenant, '--out', path.join(tmp, 'no-tenant')]);
    expect(r2.status).toBe(1);
    expect(r2.stderr).toContain('has no tenantId');
  }, 360_000);
});

describe('the Entra scripts (run against a stand-in for the Azure CLI)', () => {
  let tmp: string;
  let calls: string;
  /** A fake `az` that logs each call as JSON and answers the few questions the scripts ask. */
  const FAKE_AZ = `#!/usr/bin/env node
const fs = require('fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.AZ_CALLS, JSON.stringify(args) + '\\n');
const arg = (n) => args[args.indexOf(n) + 1];
const q = arg('--query') || '';
const state = JSON.parse(process.env.AZ_STATE || '{}');
if (args[0] === 'ad' && args[2] === 'show' && arg('--id') === '00000003-0000-0000-c000-000000000000') {
  if (q === 'id') console.log('graph-sp');
  else { const m = /value=='([^']+)'/.exec(q); console.log(m && m[1] !== 'No.Such.Permission' ? 'role-' + m[1] : ''); }
} else if (args[0] === 'ad' && args[2] === 'show') console.log('principal-of-' + arg('--id'));
else if (args[0] === 'rest' && arg('--method') === 'GET' && arg('--url').endsWith('/appRoleAssignments')) {
  const m = /appRoleId=='([^']+)'/.exec(q); console.log((state.granted || []).includes(m[1]) ? '1' : '0');
} else if (args[0] === 'rest' && arg('--method') === 'GET') console.log(state.scopeId || '');
`;

  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'fake-az-'));
    writeFileSync(path.join(tmp, 'az'), FAKE_AZ);
    chmodSync(path.join(tmp, 'az'), 0o755);
    calls = path.join(tmp, 'calls.jsonl');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function runScript(script: string, args: string[], state: object = {}) {
    rmSync(calls, { force: true });
    const r = spawnSync('bash', [path.join(root, 'infra', script), ...args], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${tmp}${path.delimiter}${process.env.PATH}`, AZ_CALLS: calls, AZ_STATE: JSON.stringify(state) },
    });
    const log = existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]) : [];
    return { ...r, log };
  }
  const argOf = (call: string[], name: string) => call[call.indexOf(name) + 1];

  it('grant-graph-permissions.sh assigns each missing Graph application role once, to the named service principal', () => {
    const r = runScript('grant-graph-permissions.sh', ['client-1', 'GroupMember.Read.All', 'User.Read.All'], { granted: ['role-User.Read.All'] });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('GroupMember.Read.All: granted');
    expect(r.stdout).toContain('User.Read.All: already granted');
    const posts = r.log.filter((c) => c[0] === 'rest' && argOf(c, '--method') === 'POST');
    expect(posts).toHaveLength(1);
    expect(argOf(posts[0], '--url')).toBe('https://graph.microsoft.com/v1.0/servicePrincipals/principal-of-client-1/appRoleAssignments');
    expect(JSON.parse(argOf(posts[0], '--body'))).toEqual({ principalId: 'principal-of-client-1', resourceId: 'graph-sp', appRoleId: 'role-GroupMember.Read.All' });
  });

  it('grant-graph-permissions.sh stops on a permission Graph does not have', () => {
    const r = runScript('grant-graph-permissions.sh', ['client-1', 'No.Such.Permission']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('No.Such.Permission: Microsoft Graph has no application permission of that name');
  });

  it('configure-sso.sh sets the Application ID URI, the access_as_user scope and the two Teams clients', () => {
    const r = runScript('configure-sso.sh', ['c2d4e6f8-0a1b-4c3d-9e5f-7a8b9c0d1e2f', 'school-safety-abc123.azurewebsites.net']);
    expect(r.status).toBe(0);
    const patches = r.log.filter((c) => c[0] === 'rest' && argOf(c, '--method') === 'PATCH').map((c) => JSON.parse(argOf(c, '--body')));
    expect(patches).toHaveLength(2);
    expect(patches[0].identifierUris).toEqual(['api://school-safety-abc123.azurewebsites.net/c2d4e6f8-0a1b-4c3d-9e5f-7a8b9c0d1e2f']);
    const scope = patches[1].api.oauth2PermissionScopes[0];
    expect(scope).toMatchObject({ value: 'access_as_user', type: 'User', isEnabled: true });
    expect(scope.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(patches[1].api.preAuthorizedApplications).toEqual([
      { appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', delegatedPermissionIds: [scope.id] },
      { appId: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', delegatedPermissionIds: [scope.id] },
    ]);
    // The manifest's webApplicationInfo.resource and the server's TAB_SSO_APP_ID_URI use the same form.
    expect(read('manifest/manifest.json')).toContain('"resource": "api://${{BOT_DOMAIN}}/${{AAD_APP_CLIENT_ID}}"');
  });

  it('configure-sso.sh keeps the scope id it finds, and refuses a URL for the host', () => {
    const again = runScript('configure-sso.sh', ['c2d4e6f8-0a1b-4c3d-9e5f-7a8b9c0d1e2f', 'school-safety-abc123.azurewebsites.net'], { scopeId: '11111111-2222-4333-8444-555555555555' });
    expect(again.status).toBe(0);
    const body = JSON.parse(argOf(again.log.filter((c) => argOf(c, '--method') === 'PATCH')[0], '--body'));
    expect(body.api.oauth2PermissionScopes[0].id).toBe('11111111-2222-4333-8444-555555555555');

    const url = runScript('configure-sso.sh', ['c2d4e6f8-0a1b-4c3d-9e5f-7a8b9c0d1e2f', 'https://school-safety-abc123.azurewebsites.net/']);
    expect(url.status).toBe(1);
    expect(url.log).toEqual([]);
  });
});
