/**
 * The seams the code is built on (STYLE.md "The shape"), checked so they stay true: bot/ and tab/ never
 * import each other; each SDK is imported in one place; one module reads the environment; core/ imports
 * no SDK, storage or HTTP; every card verb has a handler and every handler a card.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { VERBS } from '../../bot/bot';
import { TEMPLATE_NAMES } from '../../delivery/cards';

const root = path.join(__dirname, '..', '..');
const PRODUCT = ['app', 'bot', 'cases', 'config', 'core', 'delivery', 'directory', 'monitoring', 'runtime', 'store', 'tab/api', 'tab/web'];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|tsx)$/.test(name)) out.push(rel);
  }
  return out;
}

const files = PRODUCT.flatMap(sources);
const importsOf = (file: string) => [...readFileSync(path.join(root, file), 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'|require\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
/** The folder (from the repository root) a relative import lands in. */
const target = (file: string, spec: string) => (spec.startsWith('.') ? path.relative(root, path.resolve(root, path.dirname(file), spec)) : spec);
const importers = (test: (spec: string, file: string) => boolean) => files.filter((f) => importsOf(f).some((spec) => test(target(f, spec), f)));

describe('the seams between the parts', () => {
  it('nothing in bot/ imports tab/, and nothing in tab/ imports bot/', () => {
    expect(importers((t, f) => f.startsWith('bot/') && t.startsWith('tab/'))).toEqual([]);
    expect(importers((t, f) => f.startsWith('tab/') && t.startsWith('bot/'))).toEqual([]);
  });

  it('only the composition root imports both (app/server.ts)', () => {
    expect(importers((t, f) => t.startsWith('app/') && !f.startsWith('app/'))).toEqual([]);
    expect(importers((t, f) => !f.startsWith('app/') && /^(bot|tab\/api)\/(routes|router)$/.test(t))).toEqual([]);
  });

  it('each SDK is imported in one place', () => {
    expect(importers((t) => t === 'botbuilder' || t.startsWith('botframework-'))).toEqual(['delivery/channel.ts']);
    expect(importers((t) => t === '@azure/data-tables').every((f) => f.startsWith('store/'))).toBe(true);
    expect(importers((t) => t.startsWith('@microsoft/microsoft-graph-client'))).toEqual(['directory/graphDirectory.ts']);
    expect(importers((t) => t === '@microsoft/teams-js')).toEqual(['tab/web/host.ts']);
  });

  it('one module reads the environment', () => {
    expect(files.filter((f) => /process\.env/.test(readFileSync(path.join(root, f), 'utf8')))).toEqual(['config/settings.ts']);
  });

  it('core/ is pure: it imports only core/ and nothing with I/O', () => {
    expect(importers((t, f) => f.startsWith('core/') && !t.startsWith('core/'))).toEqual([]);
  });

  it('the tab\'s page imports only core/, the API\'s view types and its own files', () => {
    const allowed = (t: string) => t.startsWith('tab/web/') || t.startsWith('core/') || t === 'tab/api/view' || /^(react|react-dom|@fluentui|@microsoft\/teams-js)(\/|$)/.test(t);
    expect(importers((t, f) => f.startsWith('tab/web/') && !allowed(t))).toEqual([]);
  });

  it('the tab\'s page reaches nothing of the API but its view types (tab/api/view.ts)', () => {
    expect(importers((t, f) => f.startsWith('tab/web/') && t.startsWith('tab/api') && t !== 'tab/api/view')).toEqual([]);
  });
});

describe('card verbs', () => {
  const verbsInCards = new Set<string>();
  for (const name of TEMPLATE_NAMES) {
    const text = readFileSync(path.join(root, 'delivery', 'cards', `${name}.json`), 'utf8');
    for (const m of text.matchAll(/"verb":\s*"([^"]+)"/g)) verbsInCards.add(m[1]);
  }
  const handled = new Set(VERBS.map((v) => v.verb));

  it('every verb in the card templates has a handler', () => {
    expect([...verbsInCards].filter((v) => !handled.has(v))).toEqual([]);
  });

  it('every handler has a card that sends its verb', () => {
    expect([...handled].filter((v) => !verbsInCards.has(v))).toEqual([]);
  });

  it('every template in the cards folder is one the code knows', () => {
    expect(readdirSync(path.join(root, 'delivery', 'cards')).map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...TEMPLATE_NAMES].sort());
  });
});
