/**
 * One line per figure, for `npm run bench` to gather: each benchmark prints its own table for people
 * and, beside it, `FIGURE {json}` lines that bench/all.ts reads to print every figure as a ratio to its
 * aim (or floor) in one summary.
 *
 * A ratio ≤ 1 meets the aim. `lower`: value / aim (a time under its aim). `higher`: aim / value (a
 * throughput over its floor). `equal`: a count that must not change (500 schools against 1): met only
 * when the two are the same.
 */
export interface Figure {
  /** The benchmark it comes from: "concerns", "cases", … */
  group: string;
  name: string;
  value: number;
  unit: string;
  /** The aim or the floor it is held to; none for a figure reported as it is. */
  aim?: number;
  better: 'lower' | 'higher' | 'equal';
}

export const FIGURE_PREFIX = 'FIGURE ';

export function figure(f: Figure): void {
  console.log(FIGURE_PREFIX + JSON.stringify(f));
}

/** How the figure stands against its aim: ≤ 1 is met; undefined when there is no aim. */
export function ratioOf(f: Figure): number | undefined {
  if (f.aim === undefined) return undefined;
  if (f.better === 'equal') return f.value === f.aim ? 1 : f.aim === 0 ? Infinity : f.value / f.aim;
  if (f.better === 'lower') return f.aim === 0 ? (f.value === 0 ? 0 : Infinity) : f.value / f.aim;
  return f.value === 0 ? Infinity : f.aim / f.value;
}

export function met(f: Figure): boolean | undefined {
  const r = ratioOf(f);
  if (r === undefined) return undefined;
  return f.better === 'equal' ? f.value === f.aim : r <= 1;
}

/** Reads a figure line back; anything else is undefined. */
export function parseFigure(line: string): Figure | undefined {
  if (!line.startsWith(FIGURE_PREFIX)) return undefined;
  try {
    const f = JSON.parse(line.slice(FIGURE_PREFIX.length)) as Figure;
    return typeof f.name === 'string' && typeof f.value === 'number' ? f : undefined;
  } catch {
    return undefined;
  }
}
