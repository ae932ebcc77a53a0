/**
 * Edge 4 of the fuzz: the school's setup file. config/demo-school.json mutated (wrong types, missing and
 * extra fields, wrong GUIDs, training rules that cannot be met, huge arrays) must be accepted by
 * `parseSchoolSetup` or refused with a SchoolSetupError naming the problem: never another exception.
 * Files that are not JSON at all go through `loadSchoolSetup`. An accepted setup must also be usable
 * (its time zone is one the clock can show).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadSchoolSetup, parseSchoolSetup, SchoolSetupError } from '../../config/load';
import { DEFAULT_COURSES } from '../../config/training';
import { todayIn } from '../../core/time';
import { oddKey, oddText, oddValue, put, toJson, type Rng } from './fuzzRandom';

export const DEMO_SETUP = path.join(__dirname, '..', '..', 'config', 'demo-school.json');

export interface SetupOutcome {
  label: string;
  /** accepted; refused with a SchoolSetupError; any other exception; accepted but unusable. */
  result: 'accepted' | 'refused' | 'exception' | 'unusable';
  message?: string;
  ms: number;
  /** The setup as given (JSON text, or the file's text), to reproduce the case. */
  input: string;
}

type Json = Record<string, unknown>;
type Path = (string | number)[];

function nodes(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.slice(0, 20).forEach((v, i) => nodes(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) nodes(v, [...at, k], out);
  return out;
}

function parentOf(root: Json, p: Path): Record<string | number, unknown> | undefined {
  let node: unknown = root;
  for (const k of p.slice(0, -1)) node = (node as Record<string | number, unknown>)?.[k];
  return node && typeof node === 'object' ? (node as Record<string | number, unknown>) : undefined;
}

const BAD_GUIDS = ['not-a-guid', '11111111-0000-4000-8000-00000000000', '11111111-0000-4000-8000-0000000000001', '{11111111-0000-4000-8000-000000000001}', ' 11111111-0000-4000-8000-000000000001', '11111111000040008000000000000001', 'gggggggg-0000-4000-8000-000000000001', '', '00000000-0000-0000-0000-000000000000'];
const TIME_ZONES = ['Europe/London', 'UTC', 'Mars/Olympus_Mons', 'europe/london', 'GMT+1', 'Etc/GMT+14', '+01:00', 'Europe/London ', 'Local', '\u0000', 'Europe/Kyiv', 'America/Argentina/ComodRivadavia'];

const course = (over: Json): Json => ({ id: 'fuzz-course', title: 'Fuzz course', policy: '§1', audience: 'everyone', renewal: { kind: 'once' }, ...over });

/** Training rules no school could meet, or that make no sense, and some that are fine. */
const TRAINING_RULES: Json[] = [
  { renewal: { kind: 'onceWithinDaysOfStarting', days: -1 } }, { renewal: { kind: 'onceWithinDaysOfStarting', days: 367 } }, { renewal: { kind: 'onceWithinDaysOfStarting', days: 1.5 } }, { renewal: { kind: 'onceWithinDaysOfStarting', days: 1e308 } }, { renewal: { kind: 'onceWithinDaysOfStarting', days: '20' } },
  { renewal: { kind: 'everyMonths', months: 0 } }, { renewal: { kind: 'everyMonths', months: 121 } }, { renewal: { kind: 'everyMonths', months: -1 } }, { renewal: { kind: 'everyMonths', months: 1e9 } }, { renewal: { kind: 'everyMonths', months: 1.5 } },
  { renewal: { kind: 'everyMonths', months: 1 }, dueSoonDays: 28 }, { renewal: { kind: 'everyMonths', months: 1 }, dueSoonDays: 27 }, { renewal: { kind: 'everyMonths', months: 12, firstWithinDaysOfStarting: -5 } }, { renewal: { kind: 'everyMonths', months: 12, firstWithinDaysOfStarting: 1e9 } },
  { renewal: { kind: 'eachAcademicYear', dueBy: '02-30' } }, { renewal: { kind: 'eachAcademicYear', dueBy: '13-01' } }, { renewal: { kind: 'eachAcademicYear', dueBy: '00-00' } }, { renewal: { kind: 'eachAcademicYear', dueBy: '2-3' } }, { renewal: { kind: 'eachAcademicYear', dueBy: '02-29' } }, { renewal: { kind: 'eachAcademicYear', dueBy: 'constructor' } }, { renewal: { kind: 'eachAcademicYear', dueBy: '09-30' }, dueSoonDays: 365 },
  { renewal: { kind: 'yearly' } }, { renewal: {} }, { renewal: null }, { renewal: 'once' }, { renewal: { kind: 'once', days: 3 } }, { renewal: { kind: '__proto__' } },
  { dueSoonDays: -1 }, { dueSoonDays: 1e308 }, { dueSoonDays: 0.5 },
  { alsoSatisfiedBy: ['fuzz-course'] }, { alsoSatisfiedBy: ['nope'] }, { alsoSatisfiedBy: ['prevent', 'prevent'] }, { alsoSatisfiedBy: 'prevent' },
  { confirmedInTeams: true }, { documentId: 'kcsie-part-1' }, { confirmedInTeams: true, documentId: 'Not An Id' }, { confirmedInTeams: 'yes', documentId: 'x' },
  { audience: { roles: [], groups: [] } }, { audience: { roles: ['pope'] } }, { audience: { groups: ['not-a-guid'] } }, { audience: 'nobody' }, { audience: { roles: ['dslPrep'], extra: 1 } }, { audience: {} },
  { id: 'Bad Id' }, { id: '' }, { id: 'prevent' }, { aliases: ['Prevent'] }, { aliases: Array.from({ length: 21 }, (_, i) => `a${i}`) }, { aliases: [''] }, { title: 'Prevent duty training' }, { title: '' }, { title: 'x'.repeat(121) },
];

function mutate(rng: Rng, root: Json): string {
  const op = rng.weighted([[4, 'set'], [3, 'delete'], [2, 'extra'], [2, 'guid'], [5, 'training'], [1, 'huge'], [1, 'timeZone'], [1, 'type']] as const);
  const all = nodes(root).filter((p) => p.length > 0);
  const p = rng.pick(all);
  const parent = parentOf(root, p);
  const key = p[p.length - 1];
  switch (op) {
    case 'set':
      if (parent) put(parent as Json, String(key), oddValue(rng));
      return `set ${p.join('.')}`;
    case 'delete':
      if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
      else if (parent) delete parent[key];
      return `delete ${p.join('.')}`;
    case 'extra': {
      const objects = nodes(root).filter((q) => { const v = q.length ? parentOf(root, q)?.[q[q.length - 1]] : root; return v && typeof v === 'object' && !Array.isArray(v); });
      const q = rng.pick(objects);
      const target = (q.length ? parentOf(root, q)![q[q.length - 1]] : root) as Json;
      put(target, oddKey(rng), oddValue(rng));
      return `extra field in ${q.join('.') || '(top level)'}`;
    }
    case 'guid': {
      const groups = (root.groups && typeof root.groups === 'object' ? root.groups : (root.groups = {})) as Json;
      const field = rng.pick(['dslPrep', 'allStaff', 'officeStaff', 'governors', 'technicalStaff', 'nobody']);
      if (rng.chance(0.3)) root.tenantId = rng.pick(BAD_GUIDS);
      else groups[field] = rng.pick(BAD_GUIDS);
      return `wrong GUID`;
    }
    case 'training':
      return trainingMutation(rng, root);
    case 'huge':
      return hugeMutation(rng, root);
    case 'timeZone':
      root.timeZone = rng.pick(TIME_ZONES);
      return `timeZone ${JSON.stringify(root.timeZone)}`;
    case 'type': {
      const field = rng.pick(['schoolId', 'name', 'referencePrefix', 'phases', 'groups', 'acknowledgement', 'retention', 'training', 'demoDirectory', 'demoRegister']);
      root[field] = rng.pick<unknown>([1, '1', true, null, [], {}, [root[field]], JSON.stringify(root[field] ?? null)]);
      return `type of ${field}`;
    }
  }
}

/** The training section replaced: rules that cannot be met among the demo school's courses, or junk. */
function trainingMutation(rng: Rng, root: Json): string {
  const rules = Array.from({ length: 1 + rng.int(2) }, () => course(structuredClone(rng.pick(TRAINING_RULES))));
  const base = rng.chance(0.6) ? structuredClone(DEFAULT_COURSES) : [];
  if (rng.chance(0.2)) rules.push(course({ id: 'fuzz-course-2', alsoSatisfiedBy: ['fuzz-course'] }), course({ alsoSatisfiedBy: ['fuzz-course-2'] }));
  root.training = rng.weighted<() => unknown>([
    [8, () => ({ courses: [...base, ...rules] })],
    [1, () => ({ academicYearStarts: rng.pick(['02-29', '13-01', '', 'constructor', 9, '09-01', '9-1']), courses: base })],
    [1, () => ({ courses: rng.pick<unknown>([null, {}, 'prevent', [null], [[]]]) })],
    [1, () => oddValue(rng)],
  ])();
  return `training ${JSON.stringify(rules[0]).slice(0, 120)}`;
}

/** An array far longer than any school's. */
function hugeMutation(rng: Rng, root: Json): string {
  const n = rng.pick([1000, 10_000, 100_000]);
  const where = rng.pick(['yearGroups', 'demoDirectory', 'learners', 'courses', 'aliases'] as const);
  if (where === 'yearGroups') root.phases = [{ id: 'prep', name: 'Prep', yearGroups: Array.from({ length: n }, (_, i) => `Year ${i}`) }];
  if (where === 'demoDirectory') root.demoDirectory = Array.from({ length: n }, (_, i) => ({ id: `p${i}`, displayName: `P ${i}`, roles: ['allStaff'] }));
  if (where === 'learners') root.demoRegister = { documents: [], learners: Array.from({ length: n }, (_, i) => ({ id: `L${i}`, name: `L ${i}`, yearGroup: 'Year 3' })) };
  if (where === 'courses') root.training = { courses: Array.from({ length: Math.min(n, 5000) }, (_, i) => course({ id: `c${i}`, title: `Course ${i}`, renewal: { kind: 'everyMonths', months: 1 + (i % 120) }, dueSoonDays: 1 })) };
  if (where === 'aliases') root.training = { courses: [course({ aliases: Array.from({ length: n }, (_, i) => `alias ${i}`) })] };
  return `huge ${where} (${n})`;
}

/** Text of a file that is not a setup at all, or not JSON. */
function brokenFile(rng: Rng, valid: string): { text: string | Buffer; label: string } {
  return rng.weighted<() => { text: string | Buffer; label: string }>([
    [2, () => ({ text: `\ufeff${valid}`, label: 'file with a byte-order mark' })],
    [2, () => ({ text: valid.slice(0, rng.int(valid.length)), label: 'truncated file' })],
    [1, () => ({ text: valid.replace(/}\s*$/, ',}'), label: 'trailing comma' })],
    [1, () => ({ text: `// the school\n${valid}`, label: 'comment' })],
    [1, () => ({ text: '', label: 'empty file' })],
    [1, () => ({ text: Buffer.from(valid, 'utf16le'), label: 'UTF-16 file' })],
    [1, () => ({ text: oddText(rng, 300), label: 'not JSON' })],
    [1, () => ({ text: valid, label: 'valid file' })],
  ])();
}

export function setupCase(rng: Rng, demoText: string, tmpDir: string): SetupOutcome {
  const start = performance.now();
  let label: string;
  let input: string;
  let run: () => ReturnType<typeof parseSchoolSetup>;
  if (rng.chance(0.1)) {
    const file = path.join(tmpDir, 'school.json');
    const broken = brokenFile(rng, demoText);
    label = broken.label;
    input = typeof broken.text === 'string' ? broken.text : `(UTF-16) ${demoText}`;
    writeFileSync(file, broken.text);
    const target = rng.chance(0.1) ? rng.pick([tmpDir, path.join(tmpDir, 'missing.json')]) : file;
    if (target !== file) label = target === tmpDir ? 'a folder, not a file' : 'no such file';
    run = () => loadSchoolSetup(target);
  } else {
    const root = JSON.parse(demoText) as Json;
    label = Array.from({ length: 1 + rng.int(3) }, () => mutate(rng, root)).join('; ');
    input = toJson(root);
    run = () => parseSchoolSetup(JSON.parse(input));
  }
  try {
    const setup = run();
    try {
      todayIn(setup.timeZone, new Date());
    } catch (err) {
      return { label, result: 'unusable', message: `accepted, but ${(err as Error).name}: ${(err as Error).message}`, ms: performance.now() - start, input };
    }
    return { label, result: 'accepted', ms: performance.now() - start, input };
  } catch (err) {
    const ok = err instanceof SchoolSetupError && err.message.length > 0;
    return { label, result: ok ? 'refused' : 'exception', message: `${(err as Error)?.name}: ${String((err as Error)?.message ?? err).slice(0, 400)}`, ms: performance.now() - start, input };
  }
}
