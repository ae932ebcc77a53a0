/**
 * Phases and year groups (PRODUCT.md §2): the learner's year group decides which DSL is told.
 * The school's setup lists each phase's year groups; these are St Michael's defaults.
 */
export type PhaseId = 'prep' | 'prePrep';

export interface PhaseSetup {
  id: PhaseId;
  name: string;
  yearGroups: string[];
}

export const DEFAULT_PHASES: PhaseSetup[] = [
  { id: 'prePrep', name: 'Pre-Prep', yearGroups: ['Nursery', 'Reception', 'Year 1', 'Year 2'] },
  { id: 'prep', name: 'Prep', yearGroups: ['Year 3', 'Year 4', 'Year 5', 'Year 6', 'Year 7', 'Year 8'] },
];

/** The phase a year group belongs to, or undefined when the year group is unknown. */
export function phaseOfYearGroup(phases: PhaseSetup[], yearGroup: string | undefined): PhaseId | undefined {
  if (!yearGroup) return undefined;
  return phases.find((p) => p.yearGroups.includes(yearGroup))?.id;
}

/**
 * The phases a concern belongs to. Unknown year group → every phase; learners across phases → every
 * phase they span (PRODUCT.md §2: "Unknown phase → both DSLs. More than one learner across phases → both").
 */
export function phasesOfConcern(phases: PhaseSetup[], yearGroups: (string | undefined)[]): PhaseId[] {
  if (yearGroups.length === 0) return phases.map((p) => p.id);
  const found = new Set<PhaseId>();
  for (const yg of yearGroups) {
    const phase = phaseOfYearGroup(phases, yg);
    if (!phase) return phases.map((p) => p.id);
    found.add(phase);
  }
  return phases.filter((p) => found.has(p.id)).map((p) => p.id);
}

/**
 * The year group of a learner from the grade in Microsoft Graph education data (School Data Sync):
 * "N"/"Nursery", "R"/"Reception" (or "0", "K"), and a number for Years 1–13. A grade the school's
 * setup does not know is left without a year group (the learner then counts for every phase).
 */
export function yearGroupOfGrade(phases: PhaseSetup[], grade: string | undefined): string | undefined {
  if (!grade) return undefined;
  const g = grade.trim().toLowerCase().replace(/^(year|yr|grade)\s*/, '');
  const known = new Set(phases.flatMap((p) => p.yearGroups));
  const name = g === 'n' || g === 'nursery' ? 'Nursery' : g === 'r' || g === 'reception' || g === '0' || g === 'k' ? 'Reception' : /^\d{1,2}$/.test(g) ? `Year ${Number(g)}` : undefined;
  return name && known.has(name) ? name : undefined;
}

export function phaseLabel(phases: PhaseSetup[], ids: PhaseId[]): string {
  if (ids.length === 0 || ids.length === phases.length && phases.length > 1) return 'All phases';
  return ids.map((id) => phases.find((p) => p.id === id)?.name ?? id).join(', ');
}
