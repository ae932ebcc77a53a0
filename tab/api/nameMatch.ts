/**
 * Matching a pasted list of names (an attendance sheet: "Sam Taylor", "Taylor, Sam", an email) to the
 * school's staff, for recording a session at once. Each line is matched, ambiguous (several people fit:
 * the office chooses) or not found; nothing is guessed.
 */
export interface NamedPerson {
  id: string;
  displayName: string;
  email?: string;
}

export type LineMatch =
  | { line: string; outcome: 'matched'; personId: string; displayName: string }
  | { line: string; outcome: 'ambiguous'; candidates: { personId: string; displayName: string }[] }
  | { line: string; outcome: 'notFound' };

export const MAX_PASTED_LINES = 2000;

function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9@.' -]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The words of a name, ignoring titles and a "Surname, Forename" order. */
function words(name: string): string[] {
  const [before, after] = name.split(',', 2);
  const ordered = after !== undefined ? `${after} ${before}` : name;
  return fold(ordered).split(' ').filter((w) => w && !['mr', 'mrs', 'ms', 'miss', 'dr', 'mx'].includes(w.replace(/\.$/, '')));
}

export function matchNames(text: string, people: NamedPerson[]): LineMatch[] {
  const lines = text.split(/\r?\n|;/).map((l) => l.trim()).filter(Boolean).slice(0, MAX_PASTED_LINES);
  const byEmail = new Map(people.filter((p) => p.email).map((p) => [p.email!.toLowerCase(), p]));
  const indexed = people.map((p) => ({ p, full: words(p.displayName.replace(/\s*\(.*\)\s*$/, '')).join(' '), set: new Set(words(p.displayName)) }));
  return lines.map((raw): LineMatch => {
    const line = raw.slice(0, 200);
    const email = byEmail.get(line.toLowerCase());
    if (email) return { line, outcome: 'matched', personId: email.id, displayName: email.displayName };
    const want = words(line);
    if (want.length === 0) return { line, outcome: 'notFound' };
    const exact = indexed.filter((x) => x.full === want.join(' '));
    const found = exact.length > 0 ? exact : indexed.filter((x) => want.every((w) => x.set.has(w)));
    if (found.length === 1) return { line, outcome: 'matched', personId: found[0].p.id, displayName: found[0].p.displayName };
    if (found.length > 1) return { line, outcome: 'ambiguous', candidates: found.slice(0, 10).map((x) => ({ personId: x.p.id, displayName: x.p.displayName })) };
    return { line, outcome: 'notFound' };
  });
}
