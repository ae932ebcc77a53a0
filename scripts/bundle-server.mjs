#!/usr/bin/env node
/**
 * Builds what App Service runs: the compiled server, its production dependencies and the school's
 * setup file, as a folder and a zip for `az webapp deploy` (or Teams Toolkit's zipDeploy).
 *
 *   npm run bundle -- --school <the school's setup file> [--out build/server] [--zip build/server.zip] [--no-zip]
 *                     [--skip-install] [--skip-tab-build]
 *
 * The folder's layout mirrors the repository (app/main.js, delivery/cards/, tab/dist/, ...) with the
 * setup file at school.json: App Service starts it with `node app/main.js` and SCHOOL_CONFIG points
 * at /home/site/wwwroot/school.json (infra/main.bicep). The setup file is checked with the server's
 * own schema first: a wrong file stops here with a message naming each wrong field.
 * Needs the npm registry (for the production dependencies) unless --skip-install. --skip-tab-build
 * takes tab/dist as it is (the tests use it: they build the tab once, before they start).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Files the server reads at run time beside its code (copied as they are, those that exist). */
const ASSETS = ['delivery/cards', 'tab/public', 'tab/dist'];

function fail(message) {
  console.error(message);
  process.exit(1);
}

function parseArgs(argv) {
  const args = { out: path.join(root, 'build', 'server'), zip: path.join(root, 'build', 'server.zip'), install: true, tabBuild: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? fail(`${a} needs a value`);
    if (a === '--school') args.school = path.resolve(value());
    else if (a === '--out') args.out = path.resolve(value());
    else if (a === '--zip') args.zip = path.resolve(value());
    else if (a === '--no-zip') args.zip = undefined;
    else if (a === '--skip-install') args.install = false;
    else if (a === '--skip-tab-build') args.tabBuild = false;
    else fail(`Unknown option ${a}. Usage: npm run bundle -- --school <file> [--out dir] [--zip file | --no-zip] [--skip-install] [--skip-tab-build]`);
  }
  if (!args.school) fail('Name the school\'s setup file: npm run bundle -- --school path/to/school.json (see the README, "The school\'s setup file").');
  if (!existsSync(args.school)) fail(`The school's setup file ${args.school} does not exist.`);
  return args;
}

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: process.platform === 'win32', ...opts });
  if (r.status !== 0) fail(`${cmd} ${cmdArgs.join(' ')} failed (exit code ${r.status ?? r.signal}).`);
}

/** Every regular file under dir (symbolic links, such as node_modules/.bin, are left out). */
function* filesUnder(dir, rel = '') {
  for (const name of readdirSync(path.join(dir, rel))) {
    const relPath = rel ? `${rel}/${name}` : name;
    const st = lstatSync(path.join(dir, relPath));
    if (st.isDirectory()) yield* filesUnder(dir, relPath);
    else if (st.isFile()) yield relPath;
  }
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const out = args.out;
  // The folder is emptied first: only one under build/ or outside the repository.
  const inRepo = !path.relative(root, out).startsWith('..');
  if (inRepo && path.relative(path.join(root, 'build'), out).startsWith('..')) fail(`--out must be under build/ or outside the repository, not ${out}`);
  if (!path.relative(out, root).startsWith('..')) fail(`--out must not contain the repository: ${out}`);
  console.log(`Checking ${args.school}...`);
  // The server's own loader and schema (config/load.ts): the same check the server makes at start.
  const check = spawnSync(
    process.execPath,
    [require.resolve('tsx/cli'), '-e', `const s = require(${JSON.stringify(path.join(root, 'config', 'load.ts'))}).loadSchoolSetup(process.argv[1]); console.log(JSON.stringify({ schoolId: s.schoolId, tenantId: s.tenantId, demo: !!s.demoDirectory }));`, args.school],
    { encoding: 'utf8', cwd: root },
  );
  if (check.status !== 0) fail(check.stderr.replace(/^[\s\S]*?(School setup)/, '$1').split('\n    at ')[0].trim());
  const school = JSON.parse(check.stdout.trim().split('\n').pop());
  // Optional for local runs, needed in a tenant: proactive messages and the tab's sign-in use it.
  if (!school.tenantId) fail(`${args.school} has no tenantId: set it to the school's Entra tenant id (the bot reaches people and the tab checks sign-ins in that tenant).`);
  if (school.demo) console.warn('Warning: the setup file has a demoDirectory; it is ignored in production (people come from Microsoft Graph).');

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  console.log('Compiling the server...');
  run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.server.json'), '--outDir', out]);
  if (args.tabBuild && existsSync(path.join(root, 'tab', 'build.mjs'))) {
    console.log('Building the tab...');
    run(process.execPath, [path.join(root, 'tab', 'build.mjs')]);
  }
  for (const asset of ASSETS) {
    if (existsSync(path.join(root, asset))) cpSync(path.join(root, asset), path.join(out, asset), { recursive: true });
  }

  if (args.install) {
    console.log('Installing the production dependencies...');
    for (const f of ['package.json', 'package-lock.json']) cpSync(path.join(root, f), path.join(out, f));
    run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: out });
  }

  cpSync(args.school, path.join(out, 'school.json'));

  if (args.zip) {
    const { zipSync } = require('fflate');
    const entries = {};
    for (const rel of filesUnder(out)) entries[rel] = readFileSync(path.join(out, rel));
    mkdirSync(path.dirname(args.zip), { recursive: true });
    writeFileSync(args.zip, zipSync(entries, { level: 6 }));
    console.log(`Wrote ${args.zip} (${Object.keys(entries).length} files) for school ${school.schoolId}.`);
  } else {
    console.log(`Wrote ${out} for school ${school.schoolId}.`);
  }
}

main();
