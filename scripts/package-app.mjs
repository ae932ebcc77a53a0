#!/usr/bin/env node
/**
 * Builds the Teams app package: the zip a Teams admin uploads to the organisation's app catalog.
 *
 *   npm run package -- [--env-file env/.env.dev] [--manifest manifest/manifest.json] [--out build/appPackage.zip]
 *
 * 1. Reads the manifest template and fills every ${{NAME}} from the environment (or --env-file; a
 *    variable already set in the environment wins). Every missing one is named, then it stops.
 * 2. Checks the result against Microsoft's schema for its manifestVersion, offline, with the schemas
 *    that ship in @microsoft/app-manifest. An invalid manifest stops it with the schema's messages.
 * 3. Checks the two icons Teams requires (colour 192x192, outline 32x32 white on transparent).
 * 4. Writes the zip: manifest.json, color.png and outline.png at its root.
 * Exit code 0 when the zip was written, 1 otherwise.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What each placeholder is, for the message when one is missing. */
const MEANING = {
  TEAMS_APP_ID: 'the Teams app id: a GUID you generate once and keep for every update',
  APP_VERSION: 'the app version (semver); raise it for every update you upload',
  BOT_ID: "the bot's Microsoft App ID: the managed identity's client id (Bicep output BOT_ID)",
  BOT_DOMAIN: "the server's host name, without https:// (Bicep output BOT_DOMAIN)",
  AAD_APP_CLIENT_ID: "the client id of the Entra app registration for single sign-on (the tab's SSO app)",
  DEVELOPER_NAME: "the school's name as publisher (32 characters at most)",
  DEVELOPER_WEBSITE_URL: "the school's website (https://...)",
  PRIVACY_URL: "the school's privacy notice (https://...)",
  TERMS_URL: "the terms of use, for example the staff AUP (https://...)",
};

class PackageError extends Error {
  constructor(message, details = []) {
    super(message);
    this.details = details;
  }
}

function parseArgs(argv) {
  const args = { manifest: path.join(root, 'manifest', 'manifest.json'), out: path.join(root, 'build', 'appPackage.zip'), envFile: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new PackageError(`${a} needs a value`);
      return v;
    };
    if (a === '--manifest') args.manifest = path.resolve(value());
    else if (a === '--out') args.out = path.resolve(value());
    else if (a === '--env-file') args.envFile = path.resolve(value());
    else if (a === '--help' || a === '-h') args.help = true;
    else throw new PackageError(`Unknown option ${a} (try --help)`);
  }
  return args;
}

/** KEY=VALUE lines, # comments, optional quotes: the format of Teams Toolkit's env/ files. */
export function readEnvFile(file) {
  if (!existsSync(file)) throw new PackageError(`The env file ${file} does not exist`);
  const vars = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    vars[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function fillTemplate(text, env) {
  const names = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
  const missing = names.filter((n) => !env[n]);
  if (missing.length) {
    throw new PackageError(
      'These settings are required for the app package and missing:',
      missing.map((n) => `${n}${MEANING[n] ? `: ${MEANING[n]}` : ''}`),
    );
  }
  if (env.BOT_DOMAIN && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(env.BOT_DOMAIN)) {
    throw new PackageError(`BOT_DOMAIN must be a host name such as school-safety.azurewebsites.net, without https:// or a path, not "${env.BOT_DOMAIN}"`);
  }
  // Values are placed inside JSON strings, so they are escaped as JSON.
  return text.replace(PLACEHOLDER, (_, n) => JSON.stringify(String(env[n])).slice(1, -1));
}

/** The schema for the manifest's $schema, from the copies in @microsoft/app-manifest: never the network. */
function localSchema(manifest) {
  const url = manifest.$schema;
  const m = typeof url === 'string' && /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?(json-schemas\/teams\/[^/]+\/MicrosoftTeams\.schema\.json)$/i.exec(url);
  const pkgDir = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = m && path.join(pkgDir, 'build', m[1]);
  if (!file || !existsSync(file)) {
    const teams = path.join(pkgDir, 'build', 'json-schemas', 'teams');
    throw new PackageError(
      `The manifest's $schema (${url}) is not one that can be checked offline. Use a Teams schema URL with one of these versions: ` +
        (existsSync(teams) ? readdirSync(teams).filter((v) => /^v1\.(19|[2-9]\d)$/.test(v)).sort().join(', ') : '(none found)'),
    );
  }
  // The same clean-up @microsoft/app-manifest applies to the schema text before parsing it.
  return JSON.parse(readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b'));
}

function loadAppManifest() {
  try {
    return require('@microsoft/app-manifest');
  } catch (err) {
    // It loads an ES module with require(), which Node.js does by default from 20.19 (and 22.12).
    if (err?.code === 'ERR_REQUIRE_ESM') throw new PackageError(`Checking the manifest needs Node.js 20.19 or later; this is ${process.version}.`);
    throw err;
  }
}

async function validateManifest(manifest) {
  const { AppManifestUtils } = loadAppManifest();
  const schema = localSchema(manifest);
  const errors = await AppManifestUtils.validateAgainstSchema(manifest, schema);
  if (errors.length) throw new PackageError(`The manifest does not match the schema for manifest version ${manifest.manifestVersion}:`, errors);
  // What the schema allows but Teams refuses.
  const problems = [];
  const dev = manifest.developer ?? {};
  for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
    if (typeof dev[key] === 'string' && !dev[key].startsWith('https://')) problems.push(`/developer/${key} must start with https://`);
  }
  for (const [i, tab] of (manifest.staticTabs ?? []).entries()) {
    if (tab.contentUrl && !tab.contentUrl.startsWith('https://')) problems.push(`/staticTabs/${i}/contentUrl must start with https://`);
  }
  if (problems.length) throw new PackageError('The manifest is not one Teams accepts:', problems);
}

/** Width, height, colour type and RGBA pixels of a non-interlaced 8-bit PNG (what icons are). */
export function readPng(buf) {
  if (buf.length < 33 || buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG file');
  let off = 8;
  let width = 0, height = 0, depth = 0, colourType = 0, interlace = 0;
  const idat = [];
  let palette, trns;
  while (off + 8 <= buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8];
      colourType = data[9];
      interlace = data[12];
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colourType];
  if (depth !== 8 || interlace !== 0 || !channels) return { width, height, colourType, pixels: undefined };
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rows = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? rows[y * stride + x - channels] : 0;
      const b = y > 0 ? rows[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const pred = [0, a, b, (a + b) >> 1, Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c][filter];
      rows[y * stride + x] = (line[x] + pred) & 0xff;
    }
  }
  const pixels = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = rows.subarray(i * channels, (i + 1) * channels);
    const rgba =
      colourType === 6 ? [s[0], s[1], s[2], s[3]]
      : colourType === 4 ? [s[0], s[0], s[0], s[1]]
      : colourType === 2 ? [s[0], s[1], s[2], 255]
      : colourType === 0 ? [s[0], s[0], s[0], 255]
      : [palette[s[0] * 3], palette[s[0] * 3 + 1], palette[s[0] * 3 + 2], trns && s[0] < trns.length ? trns[s[0]] : 255];
    pixels.set(rgba, i * 4);
  }
  return { width, height, colourType, pixels };
}

function checkIcons(manifest, dir) {
  const problems = [];
  const files = {};
  const want = { color: 192, outline: 32 };
  for (const [kind, size] of Object.entries(want)) {
    const rel = manifest.icons?.[kind];
    const file = path.resolve(dir, rel);
    if (path.dirname(rel) !== '.') problems.push(`icons.${kind} must name a file beside the manifest, not "${rel}"`);
    if (!existsSync(file)) {
      problems.push(`icons.${kind}: ${file} does not exist`);
      continue;
    }
    const buf = readFileSync(file);
    let png;
    try {
      png = readPng(buf);
    } catch (err) {
      problems.push(`icons.${kind}: ${rel} is ${err.message}`);
      continue;
    }
    if (png.width !== size || png.height !== size) problems.push(`icons.${kind}: ${rel} is ${png.width}x${png.height}; Teams requires ${size}x${size}`);
    if (kind === 'outline' && png.pixels) {
      let bad = 0;
      for (let i = 0; i < png.pixels.length; i += 4) {
        const [r, g, b, a] = png.pixels.subarray(i, i + 4);
        if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) bad++;
      }
      if (bad) problems.push(`icons.outline: ${rel} has ${bad} pixels that are neither white nor fully transparent; Teams requires white on transparent`);
    }
    files[rel] = buf;
  }
  if (problems.length) throw new PackageError('The icons are not the ones Teams requires:', problems);
  return files;
}

export async function buildPackage({ manifest: manifestPath, out, envFile }, env = process.env) {
  const vars = { ...(envFile ? readEnvFile(envFile) : {}), ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')) };
  if (!vars.APP_VERSION) vars.APP_VERSION = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  if (!existsSync(manifestPath)) throw new PackageError(`The manifest template ${manifestPath} does not exist`);
  const text = fillTemplate(readFileSync(manifestPath, 'utf8'), vars);
  let manifest;
  try {
    manifest = JSON.parse(text);
  } catch (err) {
    throw new PackageError(`The manifest template ${manifestPath} is not valid JSON: ${err.message}`);
  }
  await validateManifest(manifest);
  const icons = checkIcons(manifest, path.dirname(manifestPath));
  const { zipSync, strToU8 } = require('fflate');
  // A fixed timestamp: the same inputs give the same zip.
  const mtime = new Date('2026-01-01T00:00:00');
  const entries = { 'manifest.json': [strToU8(JSON.stringify(manifest, null, 2) + '\n'), { mtime }] };
  for (const [name, buf] of Object.entries(icons)) entries[name] = [new Uint8Array(buf), { mtime, level: 0 }];
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, zipSync(entries, { level: 9 }));
  return { out, manifest };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0].replace(/^#!.*\n\/\*\*\n?/, '').replace(/^ \* ?/gm, ''));
    return;
  }
  const { out, manifest } = await buildPackage(args);
  const shown = path.relative(process.cwd(), out);
  console.log(`Wrote ${shown.startsWith('..') ? out : shown}: Teams app ${manifest.id}, version ${manifest.version}, bot ${manifest.bots?.[0]?.botId}, host ${manifest.validDomains?.[0]}.`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    if (err instanceof PackageError) {
      console.error(err.message);
      for (const d of err.details) console.error(`  - ${d}`);
    } else {
      console.error('The app package could not be built:', err?.stack ?? err);
    }
    process.exit(1);
  });
}
