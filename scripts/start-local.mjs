#!/usr/bin/env node
/**
 * `npm start`: everything on this machine, no Microsoft 365 tenant, loopback only.
 *
 *   1. Azurite (Azure Tables emulator), data kept in .localdata/azurite (git-ignored);
 *   2. the server in local mode (no bot credentials): the bot, and the tab at /tab/;
 *   3. the Microsoft 365 Agents Playground as Sam Taylor, the reporter (.m365agentsplayground.yml);
 *   4. one more playground window for each person a concern can go to (Priya and Tom, the phase DSLs;
 *      Dan, the Online Safety Lead and deputy; Helen, the Headteacher; Margaret, the Chair), so that
 *      every concern shows somewhere, whoever routing sends it to.
 *
 * The playground has one fixed "current user" per process and its page can only show that user's own
 * chat, hence one window (process) per person. Every window is the same mock tenant, so the bot sees
 * one school. Each window's person is introduced to the bot at start (as Teams does when the app is
 * installed), so the bot reaches each of them in their own window.
 *
 * Settings (environment): PORT (the server, 3978), PLAYGROUND_PORT (the reporter's window, 56150; the
 * others take the next ports), AZURITE_TABLE_PORT (10002), PLAYGROUND_PEOPLE (who gets a window besides
 * the reporter: given names or object ids, separated by commas, or "none"; default
 * "priya,tom,dan,helen,margaret").
 *
 * Ctrl-C or SIGTERM stops everything. If one part stops by itself, the others are stopped and the exit
 * code is 1.
 *
 * Internal: `node scripts/start-local.mjs --playground-child <playground args>` runs the playground in
 * this process with its listening socket pinned to 127.0.0.1 (the playground itself listens on all
 * interfaces, which would let anyone on the network post to the bot as a mock user).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where local data lives (Azurite's tables, the spool, the playground configs): LOCAL_DATA_DIR, else .localdata. */
const DATA = path.resolve(process.env.LOCAL_DATA_DIR || path.join(ROOT, '.localdata'));
const require = createRequire(import.meta.url);
const LOOPBACK = '127.0.0.1';

// ---------------------------------------------------------------------------------------------------
// Child mode: the playground, pinned to loopback.

function runPlaygroundHere(args) {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (...a) {
    // listen(port[, backlog][, callback]) or listen({ port }) without a host: add the loopback host.
    if (typeof a[0] === 'number' || (typeof a[0] === 'string' && /^\d+$/.test(a[0]))) {
      if (typeof a[1] !== 'string') a.splice(1, 0, LOOPBACK);
    } else if (a[0] && typeof a[0] === 'object' && !('path' in a[0]) && !a[0].host) {
      a[0] = { ...a[0], host: LOOPBACK };
    }
    return listen.apply(this, a);
  };
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  process.argv = [process.execPath, cli, ...args];
  require(cli);
}

// ---------------------------------------------------------------------------------------------------
// Parent mode.

const children = [];
let stopping = false;

function port(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number (1-65535), not "${v}"`);
  return n;
}

async function main() {
  const botPort = port('PORT', 3978);
  const playgroundPort = port('PLAYGROUND_PORT', 56150);
  const azuritePort = port('AZURITE_TABLE_PORT', 10002);
  const configFile = path.join(ROOT, '.m365agentsplayground.yml');
  if (!fs.existsSync(configFile)) throw new Error(`${configFile} is missing: the playground needs it for the demo school's people`);
  const doc = parsePlaygroundYaml(fs.readFileSync(configFile, 'utf8'));
  const choices = (process.env.PLAYGROUND_PEOPLE ?? 'priya,tom,dan,helen,margaret').trim().toLowerCase();
  // "off": no chat windows at all (the server, the tab and Azurite only; the tests use it).
  const others = ['none', 'off', ''].includes(choices) ? [] : choices.split(',').map((c) => c.trim()).filter(Boolean).map((c) => pickUser(doc, c));
  const windows = choices === 'off' ? [] : [
    { name: 'playground', port: playgroundPort, user: doc.currentUser, chatId: doc.personalChat.id },
    ...others.map((user, i) => ({ name: `playground-${slugOf(user)}`, port: playgroundPort + 1 + i, user, ...writeWindowConfig(doc, user) })),
  ];
  for (const w of windows) {
    w.connector = `http://${LOOPBACK}:${w.port}/_connector`;
    w.who = w.user.name;
  }

  const ports = [['AZURITE_TABLE_PORT', azuritePort], ['PORT', botPort], ...windows.map((w) => [`a playground window (${w.user.givenName})`, w.port])];
  const seen = new Map();
  for (const [name, p] of ports) {
    if (seen.has(p)) throw new Error(`${name} and ${seen.get(p)} are both ${p}: give each its own port (PLAYGROUND_PORT takes ${windows.length} ports in a row)`);
    seen.set(p, name);
    if (!(await portFree(p))) throw new Error(`port ${p} (${name}) is already in use on ${LOOPBACK}: stop what uses it or set PORT, PLAYGROUND_PORT or AZURITE_TABLE_PORT`);
  }

  const botEndpoint = `http://${LOOPBACK}:${botPort}/api/messages`;
  const tableEndpoint = `http://${LOOPBACK}:${azuritePort}/devstoreaccount1`;
  const tablesConnectionString =
    'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
    'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
    `TableEndpoint=${tableEndpoint};`;

  process.on('SIGINT', () => void stopAll(0, 'SIGINT'));
  process.on('SIGTERM', () => void stopAll(0, 'SIGTERM'));
  process.on('SIGHUP', () => void stopAll(0, 'SIGHUP'));
  // `kill <npm's pid>` ends npm without passing the signal on: do not leave the children running.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stopAll(0, 'parent process gone');
  }, 1000).unref();

  // 1. Azurite.
  const dataDir = path.join(DATA, 'azurite');
  fs.mkdirSync(dataDir, { recursive: true });
  say(`starting Azurite (tables) on ${LOOPBACK}:${azuritePort}, data in ${path.relative(ROOT, dataDir)}/`);
  start('azurite', process.execPath, [
    require.resolve('azurite/dist/src/table/main.js'),
    '--location', dataDir,
    '--tableHost', LOOPBACK,
    '--tablePort', String(azuritePort),
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--silent',
  ], process.env);
  await waitFor('Azurite', () => tcpOpen(azuritePort), 30_000);

  // 2. The bot, in local mode whatever this shell has set.
  say(`starting the bot on ${botEndpoint}`);
  const botEnv = { ...process.env };
  for (const k of ['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId', 'TABLES_ENDPOINT', 'NODE_ENV', 'HOST']) delete botEnv[k];
  Object.assign(botEnv, {
    PORT: String(botPort),
    TABLES_CONNECTION_STRING: tablesConnectionString,
    DIRECTORY: 'demo',
    // Everyone with a window is introduced to the bot below; anyone else (Lucy, the office) is reached
    // with createConversation here, in a window that cannot show them (only their own window could).
    BOT_SERVICE_URL: (windows[1] ?? windows[0])?.connector ?? 'http://127.0.0.1:9/_connector',
    SPOOL_DIR: path.join(DATA, 'spool'),
    NO_PROXY: [process.env.NO_PROXY, LOOPBACK, 'localhost'].filter(Boolean).join(','),
  });
  start('bot', process.execPath, ['--import', 'tsx', path.join(ROOT, 'app', 'main.ts')], botEnv);
  await waitFor('the bot', () => httpOk(`http://${LOOPBACK}:${botPort}/healthz`), 90_000);

  // 3 and 4. The playground windows.
  for (const w of windows) {
    say(`starting the Agents Playground as ${w.who} on ${LOOPBACK}:${w.port}`);
    const env = {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      NO_PROXY: botEnv.NO_PROXY,
      M365_AGENTS_PLAYGROUND_LOGFILE: path.join(ROOT, 'devTools', `m365agentsplayground${w.config ? `-${slugOf(w.user)}` : ''}.log`),
    };
    delete env.M365_AGENTS_PLAYGROUND_SERVICE_URL;
    if (w.config) env.M365_AGENTS_PLAYGROUND_CONFIG_PATH = w.config;
    else delete env.M365_AGENTS_PLAYGROUND_CONFIG_PATH;
    w.log = env.M365_AGENTS_PLAYGROUND_LOGFILE;
    start(w.name, process.execPath, [
      fileURLToPath(import.meta.url), '--playground-child',
      '--app-endpoint', botEndpoint,
      '--channel-id', 'msteams',
      '--port', String(w.port),
      '--service-url', w.connector,
      '--disable-telemetry',
    ], env, w.log);
  }
  for (const w of windows) await waitFor(`the playground (${w.who})`, () => httpOk(`http://${LOOPBACK}:${w.port}/_debug/ping`), 60_000);
  // As Teams does when the app is installed for someone: the bot learns where each person's chat is.
  for (const w of windows) await introduce(botEndpoint, doc, w);

  const line = '-'.repeat(78);
  console.log(`\n${line}`);
  console.log('  Online-safety concerns, running locally (Ctrl-C stops everything)\n');
  for (const w of windows) console.log(`  Chat as ${w.who}:`.padEnd(58) + `http://${LOOPBACK}:${w.port}`);
  console.log('  The tab (register, training, My records; pick a person):'.padEnd(58) + `http://${LOOPBACK}:${botPort}/tab/`);
  console.log('  Bot endpoint:'.padEnd(58) + botEndpoint);
  console.log('  Azurite table endpoint:'.padEnd(58) + tableEndpoint);
  if (windows.length) {
    console.log(`\n  Raise a concern as ${windows[0].who}; it goes to the window of whoever it is routed to`);
    console.log('  (Years 3-8: Priya; Nursery-Year 2: Tom; not known: both; allegations: Helen; about Helen: Margaret).');
    console.log('  Open the windows before raising: the playground keeps no history, so a card sent to a page');
    console.log('  that was not open, or was reloaded, is not shown there.');
  }
  console.log(`  Playground logs: devTools/. Data: ${path.relative(ROOT, DATA) || DATA}/ (delete it to start afresh).`);
  console.log(`${line}\n`);
}

/** The playground person a PLAYGROUND_PEOPLE entry names: a given name, the start of a name, or an object id. */
function pickUser(doc, choice) {
  const everyone = [doc.currentUser, ...doc.users];
  const pick = everyone.find((u) => u.id === choice || u.aadObjectId === choice || u.givenName?.toLowerCase() === choice || u.name.toLowerCase().startsWith(choice));
  if (!pick) throw new Error(`PLAYGROUND_PEOPLE: "${choice}" is none of the playground's people (${doc.users.map((u) => u.givenName.toLowerCase()).join(', ')}, or "none")`);
  if (pick === doc.currentUser) throw new Error(`PLAYGROUND_PEOPLE: "${choice}" is the reporter, who has the first window already`);
  return pick;
}

function slugOf(user) {
  return user.givenName.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** Writes a window's config: the same tenant and people, with the chosen person as current user. */
function writeWindowConfig(doc, pick) {
  const everyone = [doc.currentUser, ...doc.users];
  const others = everyone.filter((u) => u !== pick);
  const slug = slugOf(pick);
  const chatId = `a:local-personal-chat-${slug}`;
  const out = [
    `# Written by scripts/start-local.mjs from .m365agentsplayground.yml at each start: do not edit.`,
    `version: ${q(doc.version)}`,
    `tenantId: ${q(doc.tenantId)}`,
    `bot:`,
    `  id: ${q(doc.bot.id)}`,
    `  name: ${q(doc.bot.name)}`,
    `currentUser:`,
    ...userLines(pick, '  '),
    `users:`,
    ...others.flatMap((u) => userLines(u, '    ').map((l, i) => (i === 0 ? `  - ${l.trimStart()}` : l))),
    `personalChat:`,
    `  id: ${q(chatId)}`,
    `groupChat:`,
    `  id: ${q(doc.groupChat.id)}`,
    `  name: ${q(doc.groupChat.name)}`,
    `team:`,
    `  id: ${q(doc.team.id)}`,
    `  name: ${q(doc.team.name)}`,
    `  aadGroupId: ${q(doc.team.aadGroupId)}`,
    `  channels:`,
    ...doc.team.channels.flatMap((c) => [`    - id: ${q(c.id)}`, `      name: ${q(c.name)}`]),
    '',
  ];
  const dir = path.join(DATA, 'playground');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${slug}.m365agentsplayground.yml`);
  fs.writeFileSync(file, out.join('\n'));
  return { config: file, chatId };
}

/**
 * Tells the bot where a window's person chats with it, as Teams does with an installationUpdate when
 * the app is installed: the bot keeps the conversation reference and reaches them there.
 */
async function introduce(botEndpoint, doc, w) {
  const activity = {
    type: 'installationUpdate',
    action: 'add',
    id: `intro-${Date.now()}-${w.port}`,
    timestamp: new Date().toISOString(),
    serviceUrl: w.connector,
    channelId: 'msteams',
    from: { id: w.user.id, name: w.user.name, aadObjectId: w.user.aadObjectId },
    conversation: { id: w.chatId, conversationType: 'personal', tenantId: doc.tenantId },
    recipient: { id: doc.bot.id, name: doc.bot.name },
    channelData: { tenant: { id: doc.tenantId } },
  };
  const res = await fetch(botEndpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) }).catch((err) => ({ ok: false, status: err.message }));
  if (!res.ok) say(`could not introduce ${w.who} to the bot (${res.status}); their cards may not show in their window`);
}

function userLines(u, indent) {
  return ['id', 'name', 'userPrincipleName', 'aadObjectId', 'givenName', 'surname', 'email'].map((k) => `${indent}${k}: ${q(u[k])}`);
}

function q(v) {
  return JSON.stringify(String(v ?? ''));
}

/**
 * Reads the playground's config file: only the plain block layout that file uses (maps, lists of maps,
 * scalar values; comments). Anything else is an error naming the line.
 */
function parsePlaygroundYaml(text) {
  const root = {};
  const stack = [{ indent: -1, node: root }];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const noComment = raw.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, '');
    if (!noComment.trim()) return;
    const indent = noComment.match(/^ */)[0].length;
    let body = noComment.slice(indent);
    let itemIndent = indent;
    while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
    let parent = stack[stack.length - 1];
    if (body.startsWith('- ')) {
      if (!Array.isArray(parent.node)) throw new Error(`.m365agentsplayground.yml line ${i + 1}: unexpected list item`);
      const item = {};
      parent.node.push(item);
      itemIndent = indent + 2;
      stack.push({ indent, node: item });
      parent = stack[stack.length - 1];
      body = body.slice(2);
    }
    const m = body.match(/^([A-Za-z_][\w-]*):(?:\s+(.*))?$/);
    if (!m || Array.isArray(parent.node)) throw new Error(`.m365agentsplayground.yml line ${i + 1}: not understood ("${raw.trim()}")`);
    const [, key, value] = m;
    if (value === undefined || value === '') {
      const next = lines.slice(i + 1).find((l) => l.trim() && !l.trim().startsWith('#')) ?? '';
      const child = next.trim().startsWith('- ') ? [] : {};
      parent.node[key] = child;
      stack.push({ indent: body === noComment.slice(indent) ? indent : itemIndent, node: child });
    } else {
      parent.node[key] = unquote(value.trim());
    }
  });
  for (const k of ['version', 'tenantId', 'bot', 'currentUser', 'users', 'groupChat', 'team']) {
    if (!root[k]) throw new Error(`.m365agentsplayground.yml has no "${k}"`);
  }
  return root;
}

function unquote(v) {
  if (v.startsWith('"') && v.endsWith('"')) return JSON.parse(v);
  if (v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  return v;
}


// ---------------------------------------------------------------------------------------------------
// Children.

function say(msg) {
  console.log(`[start] ${msg}`);
}

function start(name, cmd, args, env, logFile) {
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const entry = { name, child, logFile, exited: false };
  children.push(entry);
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
      }
    });
    stream.on('end', () => {
      if (buf.trim()) process.stdout.write(`[${name}] ${buf}\n`);
    });
  }
  child.on('error', (err) => {
    console.error(`[start] ${name} could not be started: ${err.message}`);
    void stopAll(1);
  });
  child.on('exit', (code, signal) => {
    entry.exited = true;
    if (stopping) return;
    // A Ctrl-C reaches the children too; give our own SIGINT handler the first word.
    setTimeout(() => {
      if (stopping) return;
      console.error(`[start] ${name} stopped by itself (${signal ? `signal ${signal}` : `exit code ${code}`}); stopping the rest.`);
      if (logFile) tail(logFile);
      void stopAll(1);
    }, 300);
  });
  return entry;
}

function tail(file) {
  try {
    // The playground's own messages (its console is silent when not on a terminal); not its debug chatter.
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('debug ')).slice(-10);
    console.error(`[start] last lines of ${path.relative(ROOT, file)}:\n${lines.map((l) => `    ${l.slice(0, 300)}`).join('\n')}`);
  } catch {
    /* no log */
  }
}

async function stopAll(code, signal) {
  if (stopping) return;
  stopping = true;
  if (signal) say(`${signal}: stopping`);
  const alive = children.filter((c) => !c.exited && c.child.exitCode === null && c.child.signalCode === null);
  // Playgrounds first, then the bot, then Azurite (the bot may still be writing).
  for (const c of [...alive].reverse()) {
    try {
      // Azurite saves its latest writes to disk on SIGINT; on SIGTERM it may quit without them.
      c.child.kill(c.name === 'azurite' ? 'SIGINT' : 'SIGTERM');
    } catch {
      /* already gone */
    }
    await new Promise((resolve) => {
      if (c.child.exitCode !== null || c.child.signalCode !== null) return resolve();
      const t = setTimeout(() => {
        try {
          c.child.kill('SIGKILL');
        } catch {
          /* already gone */
        }
        resolve();
      }, 8000);
      c.child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
  if (children.length) say('stopped');
  process.exit(code);
}

// ---------------------------------------------------------------------------------------------------
// Probes (loopback only).

function portFree(p) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(p, LOOPBACK, () => s.close(() => resolve(true)));
  });
}

function tcpOpen(p) {
  return new Promise((resolve) => {
    const sock = net.connect({ port: p, host: LOOPBACK });
    sock.setTimeout(1000);
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('timeout', () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('error', () => resolve(false));
  });
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

async function waitFor(what, probe, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (!stopping) {
    if (await probe()) return;
    if (Date.now() > until) throw new Error(`${what} did not answer within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
  // Stopping (a child died or Ctrl-C): stopAll exits the process.
  await new Promise(() => {});
}

// ---------------------------------------------------------------------------------------------------

if (process.argv[2] === '--playground-child') {
  runPlaygroundHere(process.argv.slice(3));
} else {
  main().catch((err) => {
    console.error(`npm start: ${err.message}`);
    process.exitCode = 1;
    void stopAll(1);
  });
}
