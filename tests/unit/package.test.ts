/**
 * `npm run package` (scripts/package-app.mjs): the Teams app package built from manifest/ and the
 * environment, checked offline against Microsoft's manifest schema; an invalid manifest fails it.
 */
import { TAB_PAGES } from '../../core/tabPages';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';

const root = path.resolve(__dirname, '..', '..');

const SETTINGS = {
  TEAMS_APP_ID: '6f0c3a52-8d0e-4d33-9a57-2b1c1e0a7b10',
  APP_VERSION: '1.2.3',
  BOT_ID: '0b6e5c4d-1f2a-4b3c-8d9e-0a1b2c3d4e5f',
  BOT_DOMAIN: 'stmichaels-safety-abc123.azurewebsites.net',
  AAD_APP_CLIENT_ID: 'c2d4e6f8-0a1b-4c3d-9e5f-7a8b9c0d1e2f',
  DEVELOPER_NAME: "St Michael's Preparatory School",
  DEVELOPER_WEBSITE_URL: 'https://www.stmichaels.example',
  PRIVACY_URL: 'https://www.stmichaels.example/privacy',
  TERMS_URL: 'https://www.stmichaels.example/aup',
};
type Settings = Partial<Record<keyof typeof SETTINGS, string>>;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'app-package-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `npm run package` with exactly the given settings (none leak in from the developer's shell). */
function runPackage(args: string[], settings: Settings) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(SETTINGS)) delete env[name];
  const r = spawnSync('npm', ['run', '--silent', 'package', '--', ...args], {
    cwd: root,
    env: { ...env, ...settings },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Width, height and colour type from a PNG's IHDR chunk. */
function pngHeader(buf: Uint8Array) {
  const b = Buffer.from(buf);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(b.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), colourType: b[25] };
}

describe('npm run package', () => {
  it('builds the zip Teams accepts: manifest.json and the two icons, filled from the environment', () => {
    const out = path.join(tmp, 'ok', 'appPackage.zip');
    const r = runPackage(['--out', out], SETTINGS);
    expect(r.stderr).not.toMatch(/must|required|not valid/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(SETTINGS.TEAMS_APP_ID);

    const files = unzipSync(readFileSync(out));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const text = Buffer.from(files['manifest.json']).toString('utf8');
    expect(text).not.toContain('${{');
    const m = JSON.parse(text);

    expect(Number(m.manifestVersion.split('.')[1])).toBeGreaterThanOrEqual(19);
    expect(m.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${m.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(m.id).toBe(SETTINGS.TEAMS_APP_ID);
    expect(m.version).toBe('1.2.3');
    expect(m.developer.name).toBe(SETTINGS.DEVELOPER_NAME);
    expect(m.developer.privacyUrl).toBe(SETTINGS.PRIVACY_URL);

    // The bot: personal scope only, never files (images are refused in the chat, PRODUCT.md §1).
    expect(m.bots).toHaveLength(1);
    expect(m.bots[0]).toMatchObject({ botId: SETTINGS.BOT_ID, scopes: ['personal'], supportsFiles: false });

    // "Report as a concern" on any message (PRODUCT.md §8): the bot's action command, its dialog fetched from the bot.
    expect(m.composeExtensions).toEqual([
      expect.objectContaining({ botId: SETTINGS.BOT_ID, commands: [expect.objectContaining({ id: 'reportConcern', type: 'action', title: 'Report as a concern', context: ['message'], fetchTask: true })] }),
    ]);

    // Personal tabs: the bot chat and the pages the server serves at /tab/ ("Raise a concern" is a page).
    expect(m.staticTabs.find((t: { entityId: string }) => t.entityId === 'conversations')).toMatchObject({ name: 'Chat', scopes: ['personal'] });
    expect(m.staticTabs.find((t: { entityId: string }) => t.entityId === 'raise')).toMatchObject({ name: 'Raise a concern' });
    const pages = m.staticTabs.filter((t: { contentUrl?: string }) => t.contentUrl);
    expect(pages.length).toBeGreaterThan(0);
    for (const tab of pages) {
      expect(tab.contentUrl.startsWith(`https://${SETTINGS.BOT_DOMAIN}/tab/`)).toBe(true);
      expect(tab.scopes).toEqual(['personal']);
      // Each is a page of the tab, opened by its entityId (and by deep links with a subEntityId).
      expect(TAB_PAGES).toContain(tab.entityId);
      expect(new URL(tab.contentUrl).searchParams.get('page')).toBe(tab.entityId);
    }
    expect(new Set(m.staticTabs.map((t: { entityId: string }) => t.entityId)).size).toBe(m.staticTabs.length);
    // Every page has its tab: a card's deep link names the page's entityId (delivery/deepLinks.ts).
    expect(pages.map((t: { entityId: string }) => t.entityId).sort()).toEqual([...TAB_PAGES].sort());

    // SSO, valid domains, activity feed, resource-specific consent.
    expect(m.webApplicationInfo).toEqual({ id: SETTINGS.AAD_APP_CLIENT_ID, resource: `api://${SETTINGS.BOT_DOMAIN}/${SETTINGS.AAD_APP_CLIENT_ID}` });
    expect(m.validDomains).toEqual([SETTINGS.BOT_DOMAIN]);
    expect(m.activities.activityTypes.map((a: { type: string }) => a.type)).toEqual(['urgentConcern', 'concernEscalated']);
    expect(m.activities.activityTypes[0].templateText).toBe('{actor} raised an urgent online-safety concern');
    expect(m.authorization.permissions.resourceSpecific).toEqual([{ name: 'TeamsActivity.Send.User', type: 'Application' }]);

    // The icons, at the sizes Teams requires, are the committed ones.
    expect(m.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(pngHeader(files['color.png'])).toMatchObject({ width: 192, height: 192 });
    expect(pngHeader(files['outline.png'])).toEqual({ width: 32, height: 32, colourType: 6 });
    expect(Buffer.from(files['color.png'])).toEqual(readFileSync(path.join(root, 'manifest', 'color.png')));
    expect(Buffer.from(files['outline.png'])).toEqual(readFileSync(path.join(root, 'manifest', 'outline.png')));
  });

  it('writes a manifest that Microsoft\'s schema accepts (checked again here, independently)', () => {
    const out = path.join(tmp, 'again', 'appPackage.zip');
    expect(runPackage(['--out', out], SETTINGS).status).toBe(0);
    const manifestFile = path.join(tmp, 'again', 'manifest.json');
    writeFileSync(manifestFile, unzipSync(readFileSync(out))['manifest.json']);
    // In a plain Node.js process: @microsoft/app-manifest loads an ES module, which jest's require cannot.
    const check = `
      const fs = require('fs'), path = require('path');
      const { AppManifestUtils } = require('@microsoft/app-manifest');
      const m = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'));
      const dir = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
      const schema = JSON.parse(fs.readFileSync(path.join(dir, 'build/json-schemas/teams/v' + m.manifestVersion + '/MicrosoftTeams.schema.json'), 'utf8'));
      AppManifestUtils.validateAgainstSchema(m, schema).then((errors) => console.log(JSON.stringify(errors)));`;
    const r = spawnSync(process.execPath, ['-e', check, manifestFile], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect({ status: r.status, stderr: r.status ? r.stderr : '' }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('reads the settings from an env file (Teams Toolkit\'s env/ format) when the environment lacks them', () => {
    const envFile = path.join(tmp, '.env.test');
    writeFileSync(envFile, ['# a comment', ...Object.entries(SETTINGS).map(([k, v]) => `${k}="${v}"`), ''].join('\n'));
    const out = path.join(tmp, 'envfile', 'appPackage.zip');
    const r = runPackage(['--env-file', envFile, '--out', out], {});
    expect(r.status).toBe(0);
    const m = JSON.parse(Buffer.from(unzipSync(readFileSync(out))['manifest.json']).toString('utf8'));
    expect(m.developer.name).toBe(SETTINGS.DEVELOPER_NAME);
    expect(m.bots[0].botId).toBe(SETTINGS.BOT_ID);
  });

  it('names every missing setting and writes nothing', () => {
    const out = path.join(tmp, 'missing', 'appPackage.zip');
    const { BOT_ID: _bot, BOT_DOMAIN: _domain, PRIVACY_URL: _privacy, ...rest } = SETTINGS;
    const r = runPackage(['--out', out], rest);
    expect(r.status).toBe(1);
    for (const name of ['BOT_ID', 'BOT_DOMAIN', 'PRIVACY_URL']) expect(r.stderr).toMatch(new RegExp(`^  - ${name}: `, 'm'));
    expect(r.stderr).not.toMatch(/- TEAMS_APP_ID/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a host name given as a URL', () => {
    const r = runPackage(['--out', path.join(tmp, 'url', 'appPackage.zip')], { ...SETTINGS, BOT_DOMAIN: 'https://stmichaels.example/' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('BOT_DOMAIN must be a host name');
  });

  it('fails an invalid manifest with the schema\'s messages and writes nothing', () => {
    const out = path.join(tmp, 'invalid', 'appPackage.zip');
    const r = runPackage(['--manifest', path.join(root, 'tests', 'fixtures', 'manifest-invalid', 'manifest.json'), '--out', out], SETTINGS);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('does not match the schema for manifest version 1.24');
    expect(r.stderr).toContain('/accentColor must match pattern "^#[0-9a-fA-F]{6}$"');
    expect(r.stderr).toContain('/bots/0/scopes/1 must be equal to one of the allowed values');
    expect(existsSync(out)).toBe(false);
  });
});

describe('the committed icons', () => {
  it('are PNGs of the sizes Teams requires: colour 192x192, outline 32x32 with transparency', () => {
    expect(pngHeader(readFileSync(path.join(root, 'manifest', 'color.png')))).toMatchObject({ width: 192, height: 192 });
    expect(pngHeader(readFileSync(path.join(root, 'manifest', 'outline.png')))).toEqual({ width: 32, height: 32, colourType: 6 });
  });
});
