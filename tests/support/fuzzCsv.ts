/**
 * Edge 3 of the fuzz: CSV files for the people import (AUP register) and the training import (the MIS),
 * each checked and imported: random cells, broken quoting, byte-order marks, mixed line ends, huge rows,
 * missing or unknown headers, formula-like cells and days no calendar has.
 */
import { DEFAULT_COURSES } from '../../config/training';
import type { FuzzFixtures, HttpCase } from './fuzzCase';
import { ODD_DATES, oddString, oddText, oddValue, toJson, type Rng } from './fuzzRandom';

const IMPORTS = [
  { path: '/people/import/check', kind: 'people' },
  { path: '/people/import', kind: 'people' },
  { path: '/training/import/check', kind: 'training' },
  { path: '/training/import', kind: 'training' },
] as const;

const PEOPLE_HEADER = ['kind', 'id', 'name', 'year group', 'tags', 'email', 'start date', 'forename', 'surname'];
const TRAINING_HEADER = ['Staff Code', 'Email', 'Surname', 'Forename', 'Course', 'Date Completed', 'Provider', 'Hours', 'Certificate No', 'Name'];
const FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x.example","click")', '+1+1', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1', ' =1'];

type Cell = (rng: Rng, fx: FuzzFixtures) => string;

/** Cells a column usually holds, and odd ones. */
function cellMaker(column: string): Cell {
  const key = column.toLowerCase().replace(/[^a-z]/g, '');
  const emails = (fx: FuzzFixtures) => Object.values(fx.people).map((p) => p.email ?? '');
  const makers: Record<string, Cell> = {
    kind: (r) => r.pick(['learner', 'staff', 'parent', 'visitor', 'pupil', 'Teacher', 'robot', '']),
    id: (r) => r.pick([`L${r.int(40)}`, `T${r.int(5)}`, 'a/b', 'a#b', "'", '__proto__', 'x'.repeat(65), 'L\udcb3', '']),
    staffcode: (r) => r.pick(['T1', 'T2', `X${r.int(9)}`, '', 'a|b']),
    name: (r) => r.pick(['Amira Khan', 'Ben Walker', 'x'.repeat(121), '']),
    forename: (r) => r.pick(['Chris', 'Priya', '']),
    surname: (r) => r.pick(['Evans', 'Shah', '']),
    yeargroup: (r) => r.pick(['Year 3', 'Y4', 'yr 5', '6', 'R', 'Reception', 'Year 42', '']),
    tags: (r) => r.pick(['', 'a;b', 'a;;b', 'a b', Array.from({ length: 11 }, (_, i) => `t${i}`).join(';'), 'x'.repeat(41)]),
    email: (r, fx) => r.pick([...emails(fx), ...emails(fx).map((e) => e.toUpperCase()), 'nobody@school.example', 'not-an-email', '']),
    startdate: (r) => r.pick([...ODD_DATES, '01/09/2020', '2020-09-01']),
    datecompleted: (r) => r.pick([...ODD_DATES, '12/10/2026', '2026-10-01', '01.10.26']),
    course: (r) => r.pick([...DEFAULT_COURSES.flatMap((c) => [c.id, c.title, ...c.aliases]), 'Juggling', 'PREVENT', ' prevent ', '']),
    provider: (r) => r.pick(['Home Office', 'KCC, Education Safeguarding', 'x'.repeat(121), '']),
    hours: (r) => r.pick(['1.5', '1,5', '-1', '1e3', '1001', 'NaN', 'Infinity', '0x10', '', ' 2 ']),
    certificateno: (r) => r.pick(['PREV-001', 'https://x.example/c', 'javascript:x', 'data:image/png;base64,iVBOR', 'x'.repeat(301), '']),
  };
  return makers[key] ?? ((r) => oddText(r, 10));
}

/** One cell as a spreadsheet would write it, or broken in one of the ways files are broken. */
function quote(rng: Rng, value: string): string {
  return rng.weighted<() => string>([
    [12, () => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)],
    [2, () => `"${value.replace(/"/g, '""')}"`],
    [1, () => `"${value}`],
    [1, () => `${value}"`],
    [1, () => `a"${value}"b`],
    [1, () => ` "${value}"`],
    [1, () => `"${value}""`],
  ])();
}

function header(rng: Rng, kind: 'people' | 'training'): string[] {
  const base = rng.chance(0.85) ? (kind === 'people' ? PEOPLE_HEADER : TRAINING_HEADER) : rng.pick([PEOPLE_HEADER, TRAINING_HEADER]);
  let cols = rng.shuffle(base).slice(0, rng.chance(0.7) ? base.length : 1 + rng.int(base.length));
  if (rng.chance(0.2)) cols = cols.map((c) => rng.pick([c.toUpperCase(), ` ${c} `, c.replace(/ /g, ''), c.replace(/ /g, '_'), c]));
  if (rng.chance(0.1)) cols.push(rng.pick(cols));
  if (rng.chance(0.1)) cols.push(oddText(rng, 8));
  return cols;
}

function csvText(rng: Rng, fx: FuzzFixtures, kind: 'people' | 'training'): { text: string; label: string } {
  const cols = header(rng, kind);
  const labels: string[] = [];
  const rowCount = rng.weighted([[3, 0], [5, 1], [8, 3], [4, 20], [2, 300], [0.3, 20_001]] as const);
  const rows: string[][] = [];
  if (rowCount > 300 || !rng.chance(0.08)) rows.push(cols);
  else labels.push('no header');
  for (let i = 0; i < rowCount; i++) {
    const row = cols.map((c) => {
      if (rowCount > 300) return cellMaker(c)(rng, fx);
      return rng.weighted<() => string>([
        [14, () => cellMaker(c)(rng, fx)],
        [1, () => rng.pick(FORMULAS)],
        [1, () => oddString(rng)],
        [1, () => ''],
      ])();
    });
    if (rng.chance(0.05)) row.push(...Array.from({ length: rowCount > 300 ? 1 : rng.pick([1, 3, 5000]) }, () => 'extra'));
    if (rng.chance(0.05)) row.length = rng.int(row.length);
    rows.push(row);
  }
  if (rows.length && rng.chance(0.03)) {
    rows[rows.length - 1][0] = 'x'.repeat(rng.pick([70_000, 1_000_000]));
    labels.push('huge cell');
  }
  const ends = rng.weighted([[5, ['\r\n']], [4, ['\n']], [1, ['\r']], [2, ['\r\n', '\n', '\r', '\n\r']]] as const);
  let text = rows.map((r) => r.map((v) => quote(rng, v)).join(',')).map((line, i) => line + (i < rows.length - 1 || rng.chance(0.5) ? rng.pick(ends) : '')).join('');
  if (ends.length > 1) labels.push('mixed line ends');
  if (rng.chance(0.3)) {
    text = rng.pick(['\ufeff', '\ufeff\ufeff', '\u00ef\u00bb\u00bf', '\ufffe']) + text;
    labels.push('byte-order mark');
  }
  if (rng.chance(0.05)) {
    const at = rng.int(text.length + 1);
    text = text.slice(0, at) + rng.pick(['"', '\ufeff', '\u0000', '\r', '\ud800', ',,,,']) + text.slice(at);
    labels.push('stray character');
  }
  labels.push(`${rowCount} rows`);
  return { text, label: labels.join(', ') };
}

export function csvCase(rng: Rng, fx: FuzzFixtures): HttpCase {
  const target = rng.pick(IMPORTS);
  const who = rng.weighted([[85, 'keeper'], [5, 'head'], [5, 'reader'], [5, 'staff']] as const);
  const { text, label } = csvText(rng, fx, rng.chance(0.9) ? target.kind : target.kind === 'people' ? 'training' : 'people');
  const body = rng.weighted<() => unknown>([
    [20, () => ({ csv: text })],
    [1, () => ({ csv: text, extra: oddValue(rng) })],
    [1, () => ({ csv: rng.pick<unknown>([null, 5, [text], { text }, true]) })],
    [1, () => ({ file: text })],
  ])();
  return {
    label: `${who}, ${label}`,
    route: `POST ${target.path}`,
    request: { method: 'POST', path: `/api/tab${target.path}`, headers: { authorization: `Bearer ${fx.tabAuth[who]}`, 'content-type': 'application/json' }, body: toJson(body) },
  };
}
