/**
 * Learners from the roster the register already keeps (PRODUCT.md §6: "learners picked from the
 * roster"): found by name for the concern form's typeahead and the case page's linking, and read by id
 * when a form names one — the name, year group and birth date come from the roster, never from the card.
 */
import type { Services } from '../runtime/services';

export interface RosterLearner {
  id: string;
  name: string;
  yearGroup?: string;
  dateOfBirth?: string;
}

const fold = (t: string) => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** Learners on the roster whose name contains every word asked (accents and case ignored), by name. */
export async function searchLearners(s: Services, q: string, max = 20): Promise<RosterLearner[]> {
  const words = fold(q).split(/\s+/).filter(Boolean);
  const register = await s.stores.aup.register(s.setup.schoolId);
  return register.people
    .filter((p) => p.kind === 'learner' && p.active && words.every((w) => fold(p.displayName).includes(w)))
    .sort((a, b) => a.displayName.localeCompare(b.displayName))
    .slice(0, max)
    .map((p) => ({ id: p.id, name: p.displayName, yearGroup: p.yearGroup, dateOfBirth: p.dateOfBirth }));
}

/** The roster's learners with these ids (those not on it, or no longer active, are left out). */
export async function rosterLearners(s: Services, ids: Iterable<string>): Promise<Map<string, RosterLearner>> {
  const out = new Map<string, RosterLearner>();
  await Promise.all(
    [...new Set(ids)].map(async (id) => {
      const p = await s.stores.aup.getPerson(s.setup.schoolId, id);
      if (p && p.kind === 'learner' && p.active) out.set(id, { id, name: p.displayName, yearGroup: p.yearGroup, dateOfBirth: p.dateOfBirth });
    }),
  );
  return out;
}

/** How a learner reads in a typeahead: "Alex Morgan (Year 5)". */
export function learnerTitle(l: Pick<RosterLearner, 'name' | 'yearGroup'>): string {
  return l.yearGroup ? `${l.name} (${l.yearGroup})` : l.name;
}
