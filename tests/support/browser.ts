/**
 * Chromium for the browser tests and the register benchmark, driven by playwright-core (which downloads no
 * browser). Which Chromium:
 *   1. CHROMIUM_PATH, if set;
 *   2. else Debian's /usr/bin/chromium, if installed (optional: nothing to unpack);
 *   3. else the Chromium shipped inside the npm package @sparticuz/chromium (a devDependency, pinned exactly),
 *      unpacked once into `<tmpdir>/sparticuz-chromium-<version>/` and reused by later runs.
 * So `npm ci && npm test` needs nothing installed by hand.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

/** Headless, and no calls out: this machine's network is closed (and tests should not depend on one). */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const SPARTICUZ_MAIN = require.resolve('@sparticuz/chromium'); // <package>/build/cjs/index.cjs
const SPARTICUZ_VERSION: string = JSON.parse(readFileSync(path.join(SPARTICUZ_MAIN, '..', '..', '..', 'package.json'), 'utf8')).version;
/**
 * Its own folder per version: the package reuses whatever it finds in its unpack folder, and another
 * version's files there (libEGL.so, libGLESv2.so) make it crash at start (SIGTRAP, "eglGetProcAddress not found").
 */
const SPARTICUZ_DIR = path.join(tmpdir(), `sparticuz-chromium-${SPARTICUZ_VERSION}`);

/** The browser launchChromium() starts. */
export const CHROMIUM = process.env.CHROMIUM_PATH || (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : path.join(SPARTICUZ_DIR, 'chromium'));

export async function launchChromium(): Promise<Browser> {
  if (CHROMIUM !== path.join(SPARTICUZ_DIR, 'chromium')) return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  await unpackSparticuz();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: sparticuzArgs(),
    // Text renders with the machine's fonts and, failing those, the package's Open Sans.
    env: { ...process.env, FONTCONFIG_FILE: path.join(SPARTICUZ_DIR, 'fonts.conf') },
  });
}

/**
 * The package's recommended flags, less those that break Playwright or change what a page may do:
 * --single-process (the browser dies when a test closes its page's context), --disable-features and
 * --enable-features (Chromium keeps only the last of each: Playwright's own lists would be lost), the
 * web-security switches (the tests should see what a real browser allows), and its --headless='shell'
 * (ours says headless).
 */
function sparticuzArgs(): string[] {
  const drop = /^--(single-process|headless|disable-features|enable-features|disable-web-security|allow-running-insecure-content|disable-site-isolation-trials)(=|$)/;
  return [...new Set([...sparticuz.args.filter((a) => !drop.test(a)), ...FLAGS])];
}

const UNPACKED = ['chromium', 'libEGL.so', 'libGLESv2.so', 'fonts.conf'];

/**
 * Unpacks the package's Chromium into SPARTICUZ_DIR unless it is there (about 2 to 6 s, once). The package
 * unpacks into os.tmpdir(), so a child process does it with TMPDIR set to a private staging folder (this
 * process's own tmpdir() is left alone), which is then renamed into place: concurrent runs never see half a folder.
 */
async function unpackSparticuz(): Promise<void> {
  if (UNPACKED.every((f) => existsSync(path.join(SPARTICUZ_DIR, f)))) return;
  const parent = path.dirname(SPARTICUZ_DIR);
  const base = path.basename(SPARTICUZ_DIR);
  // Leftovers: the staging folders of runs that died, and a folder that lost files (to a temp-dir cleaner).
  for (const name of readdirSync(parent)) {
    const pid = Number(name.startsWith(`${base}.partial-`) && name.slice(`${base}.partial-`.length));
    if (pid && !alive(pid)) rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  if (existsSync(SPARTICUZ_DIR)) rmSync(SPARTICUZ_DIR, { recursive: true, force: true });

  const staging = `${SPARTICUZ_DIR}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await promisify(execFile)(process.execPath, ['-e', `require(${JSON.stringify(SPARTICUZ_MAIN)}).executablePath().catch((e) => { console.error(e); process.exit(1); })`], {
      env: { ...process.env, TMPDIR: staging },
    });
    writeFileSync(
      path.join(staging, 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        '<fontconfig>',
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
        `  <dir>${path.join(SPARTICUZ_DIR, 'fonts')}</dir>`,
        `  <cachedir>${path.join(SPARTICUZ_DIR, 'fonts-cache')}</cachedir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    );
    renameSync(staging, SPARTICUZ_DIR);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    // Another process put it in place first.
    if (UNPACKED.every((f) => existsSync(path.join(SPARTICUZ_DIR, f)))) return;
    throw err;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
