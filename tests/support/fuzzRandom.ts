/**
 * The fuzzer's randomness: a seeded generator (the same seed gives the same inputs, case by case) and
 * the malformed values every edge is fed: odd strings, wrong types, deep nesting, prototype keys.
 */

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  /** One of the entries, each as likely as its weight. */
  weighted<T>(entries: readonly (readonly [number, T])[]): T {
    let r = this.next() * entries.reduce((n, [w]) => n + w, 0);
    for (const [w, v] of entries) if ((r -= w) < 0) return v;
    return entries[entries.length - 1][1];
  }
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}

/** A seed for one case of one edge, so that any case can be made again on its own (FNV-1a). */
export function seedFor(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Strings that have broken parsers, key builders, templates and spreadsheets elsewhere. */
export const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\u202egnp.exe',
  '\u200f\u200e\u200b',
  '\u0001'.repeat(64),
  '\ufeff',
  'e\u0301'.repeat(300),
  '👩‍👩‍👧‍👦'.repeat(20),
  'ＳＭＰ－２０２６－０００１',
  '%00',
  '%ZZ',
  '%2F..%2F',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "'; DROP TABLE Cases; --",
  "PartitionKey eq 'x' or true",
  '${whatHappened}',
  "${if(true, 'a', 'b')}",
  '${$root.setup}',
  '{{constructor.constructor("x")()}}',
  "=cmd|' /C calc'!A0",
  '@SUM(1+1)',
  '+1',
  '-1',
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'null',
  'undefined',
  'NaN',
  'true',
  '0',
  '-0',
  '1e309',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'javascript:alert(1)',
  'http://',
  'https://x',
  '\r\n',
  '\t',
  '"',
  "'",
  '\\',
  '|',
  '#',
  '?',
  '/',
];

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', 'toJSON'];

/** Marks a value that `toJson` replaces with nesting too deep to build as an object. */
const DEEP = /"@@deep:(\d+):(arr|obj)@@"/g;

/**
 * U+2028 and U+2029 are left out of what the fuzz sends: Azurite 3.35 fails a transaction (batch)
 * holding an entity with either (a 500 with no body; a plain insert of the same entity works), and in
 * fuzz runs it was then left refusing every later transaction ("Transaction Overlap!"), which turned
 * the rest of the run into noise. That is the emulator's fault; the run also checks for it
 * (emulatorWorks in fuzzWorld.ts) and goes on with fresh storage should another input break it.
 */
const EMULATOR_BREAKERS = /[\u2028\u2029]/g;

/** A string of random code points, lone surrogates, controls and right-to-left marks among them. */
export function oddText(rng: Rng, max = 40): string {
  return randomText(rng, max).replace(EMULATOR_BREAKERS, '\u2027');
}

function randomText(rng: Rng, max: number): string {
  const n = rng.int(max + 1);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += rng.weighted<() => string>([
      [6, () => String.fromCharCode(0x20 + rng.int(0x5f))],
      [2, () => String.fromCharCode(rng.int(0x20))],
      [2, () => String.fromCharCode(0xd800 + rng.int(0x800))],
      [1, () => rng.pick(['\u202e', '\u202d', '\u200f', '\u2066', '\u2069', '\ufeff', '\u00a0', '\u0085'])],
      [2, () => String.fromCodePoint(0x80 + rng.int(0x110000 - 0x80))],
    ])();
  }
  return s;
}

/** A long string of one of a few shapes, around the sizes the product has limits at. */
export function longText(rng: Rng): string {
  const size = rng.pick([121, 201, 301, 501, 2001, 4001, 8001, 20_000, 33_000, 70_000]);
  return rng.weighted<() => string>([
    [3, () => 'x'.repeat(size)],
    [1, () => 'é'.repeat(size)],
    [1, () => '😀'.repeat(Math.ceil(size / 2))],
    [1, () => 'QUJD'.repeat(Math.ceil(size / 4))], // a base64 run: read as an image
    [1, () => '\u0001'.repeat(size)],
  ])();
}

export function oddString(rng: Rng): string {
  return rng.weighted<() => string>([
    [5, () => rng.pick(ODD_STRINGS)],
    [3, () => oddText(rng)],
    [1, () => longText(rng)],
  ])();
}

/** An object whose keys are the prototype's own names (as JSON.parse makes them: own properties). */
export function protoObject(rng: Rng): Record<string, unknown> {
  const keys = rng.shuffle(PROTO_KEYS).slice(0, 1 + rng.int(3));
  return JSON.parse(`{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(rng.pick<unknown>([{ polluted: 'yes' }, 'x', 1, null, [], { prototype: { polluted: 'yes' } }]))}`).join(',')}}`);
}

/** Nesting this deep, expanded by `toJson` (building it as an object would overflow our own stack). */
export function deep(rng: Rng): string {
  return `@@deep:${rng.pick([64, 1000, 10_000, 40_000])}:${rng.pick(['arr', 'obj'])}@@`;
}

/** Any JSON value of the wrong kind: the fuzzer's usual replacement for a field. */
export function oddValue(rng: Rng, depth = 0): unknown {
  return rng.weighted<() => unknown>([
    [2, () => null],
    [1, () => rng.pick([true, false])],
    [2, () => rng.pick([0, -1, 1, 1.5, -0.5, 1e308, -1e308, 2 ** 53 + 2, 999_999_999])],
    [6, () => oddString(rng)],
    [1, () => []],
    [1, () => ({})],
    [2, () => (depth > 2 ? 'x' : Array.from({ length: 1 + rng.int(3) }, () => oddValue(rng, depth + 1)))],
    [2, () => (depth > 2 ? 'x' : Object.fromEntries(Array.from({ length: 1 + rng.int(3) }, () => [oddKey(rng), oddValue(rng, depth + 1)])))],
    [2, () => protoObject(rng)],
    [1, () => deep(rng)],
    [1, () => Array.from({ length: rng.pick([1000, 20_000]) }, () => 0)],
  ])();
}

export function oddKey(rng: Rng): string {
  return rng.weighted<() => string>([
    [3, () => rng.pick(PROTO_KEYS)],
    [3, () => oddText(rng, 12)],
    [1, () => rng.pick(['msteams', 'type', 'id', 'reference', 'data', 'value', '$ne', '$where'])],
  ])();
}

/**
 * Sets a field as JSON.parse would (an own property), even when its name is `__proto__`: assigning
 * would change the object's prototype instead, and the field would never reach the server.
 */
export function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Copies every own field of `source` onto `target` with `put`. */
export function putAll(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(source)) put(target, k, v);
}

/** A copy of a plain object with one to three fields deleted, added or given a value of the wrong kind. */
export function mutateObject(rng: Rng, base: Record<string, unknown>, fieldValues: Record<string, (rng: Rng) => unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  const n = 1 + rng.int(3);
  for (let i = 0; i < n; i++) {
    const keys = Object.keys(out);
    const op = keys.length ? rng.weighted([[3, 'replace'], [2, 'delete'], [2, 'add'], [3, 'special']] as const) : 'add';
    const key = keys.length ? rng.pick(keys) : 'x';
    if (op === 'delete') delete out[key];
    else if (op === 'add') putAll(out, rng.chance(0.4) ? protoObject(rng) : { [oddKey(rng)]: oddValue(rng) });
    else put(out, key, op === 'special' && Object.hasOwn(fieldValues, key) ? fieldValues[key](rng) : oddValue(rng));
  }
  return out;
}

/** JSON text of a value, with the deep-nesting markers expanded. */
export function toJson(value: unknown): string {
  return JSON.stringify(value).replace(DEEP, (_m, n: string, kind: string) => {
    const depth = Number(n);
    return kind === 'arr' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  });
}

/** Dates as people mistype them and as calendars do not have them. */
export const ODD_DATES: readonly string[] = [
  '2026-02-30', '2026-02-29', '2024-02-29', '2026-13-01', '2026-00-10', '2026-10-00', '0000-00-00', '2026-2-3', '26-10-01', '2026/10/01', '01/10/2026',
  '31/02/2026', '29/02/2025', '1/1/1', '2099-01-01', '9999-12-31', '1900-01-01', '2026-10-01T00:00:00Z', ' 2026-10-01', '2026-10-01 ', '2026-1O-01', '+02026-10-01', '',
];
