import { categoryById, CATEGORIES, type CategoryId } from '../../core/categories';
import { DEFAULT_PHASES, phasesOfConcern, yearGroupOfGrade } from '../../core/phases';
import type { RoleMembers } from '../../core/roles';
import { routeConcern } from '../../core/routing';

const p = (id: string) => ({ id, displayName: id });
const members: RoleMembers = {
  dslPrep: [p('prep-dsl')],
  dslPrePrep: [p('preprep-dsl')],
  deputyDsl: [p('deputy')],
  onlineSafetyLead: [p('osl')],
  headteacher: [p('head')],
  chairOfGovernors: [p('chair')],
  technicalStaff: [p('tech')],
};

function route(category: CategoryId, yearGroups: (string | undefined)[], extra: { immediateDanger?: boolean; staffInvolvedId?: string } = {}, m: RoleMembers = members) {
  const r = routeConcern(
    { category: categoryById(category)!, phases: phasesOfConcern(DEFAULT_PHASES, yearGroups), immediateDanger: !!extra.immediateDanger, staffInvolvedId: extra.staffInvolvedId },
    m,
  );
  return { ...r, ids: r.recipients.map((x) => x.id).sort() };
}

describe('phases (§2)', () => {
  it('Nursery to Year 2 are Pre-Prep; Years 3 to 8 are Prep', () => {
    expect(phasesOfConcern(DEFAULT_PHASES, ['Nursery'])).toEqual(['prePrep']);
    expect(phasesOfConcern(DEFAULT_PHASES, ['Year 2'])).toEqual(['prePrep']);
    expect(phasesOfConcern(DEFAULT_PHASES, ['Year 3'])).toEqual(['prep']);
    expect(phasesOfConcern(DEFAULT_PHASES, ['Year 8'])).toEqual(['prep']);
  });
  it('an unknown year group, no learner, or learners across phases mean both phases', () => {
    expect(phasesOfConcern(DEFAULT_PHASES, [undefined]).sort()).toEqual(['prePrep', 'prep']);
    expect(phasesOfConcern(DEFAULT_PHASES, []).sort()).toEqual(['prePrep', 'prep']);
    expect(phasesOfConcern(DEFAULT_PHASES, ['Year 1', 'Year 6']).sort()).toEqual(['prePrep', 'prep']);
  });
});

describe('year groups from School Data Sync grades', () => {
  it('maps N, R and numbers to the school\'s year groups, and leaves unknown grades without one', () => {
    expect(['N', 'Nursery', 'R', 'reception', '0', '1', '04', 'Year 8', '9', '', 'P3'].map((g) => yearGroupOfGrade(DEFAULT_PHASES, g))).toEqual([
      'Nursery', 'Nursery', 'Reception', 'Reception', 'Reception', 'Year 1', 'Year 4', 'Year 8', undefined, undefined, undefined,
    ]);
  });
});

describe('routing a concern', () => {
  it('a Year 1 concern goes to the Pre-Prep DSL only', () => {
    expect(route('cyberbullying', ['Year 1']).ids).toEqual(['preprep-dsl']);
  });
  it('a Year 5 concern goes to the Prep DSL only', () => {
    expect(route('cyberbullying', ['Year 5']).ids).toEqual(['prep-dsl']);
  });
  it('an unknown year goes to both DSLs', () => {
    expect(route('onlineHate', [undefined]).ids).toEqual(['prep-dsl', 'preprep-dsl']);
  });
  it('a filtering breach also tells the technical staff (§7.3.2)', () => {
    expect(route('filteringBreach', ['Year 4']).ids).toEqual(['prep-dsl', 'tech']);
  });
  it('offensive communication goes to the Online Safety Lead (§7.8)', () => {
    expect(route('offensiveCommunication', ['Year 4']).ids).toEqual(['osl']);
  });
  it('sharing nudes goes to the DSL and the Online Safety Lead, urgently (§11.2)', () => {
    const r = route('sharingNudes', ['Year 7']);
    expect(r.ids).toEqual(['osl', 'prep-dsl']);
    expect(r.urgent).toBe(true);
  });
  it('an allegation about a member of staff goes to the Headteacher only (§10.2)', () => {
    expect(route('staffAllegation', ['Year 5'], { staffInvolvedId: 'prep-dsl' }).ids).toEqual(['head']);
  });
  it('an allegation about the Headteacher goes to the Chair of Governors', () => {
    expect(route('staffAllegation', [], { staffInvolvedId: 'head' }).ids).toEqual(['chair']);
  });
  it('radicalisation of a member of staff goes to the Headteacher (§11.7)', () => {
    expect(route('radicalisation', ['Year 5'], { staffInvolvedId: 'deputy' }).ids).toEqual(['head']);
    expect(route('radicalisation', ['Year 5']).ids).toEqual(['prep-dsl']);
  });
  it('IIOC involving staff tells the Headteacher as well (§11.4)', () => {
    expect(route('indecentImages', ['Year 5'], { staffInvolvedId: 'tech' }).ids).toEqual(['head', 'osl', 'prep-dsl']);
  });
  it('the subject of a concern never receives it, even when they hold the role', () => {
    const r = route('indecentImages', ['Year 5'], { staffInvolvedId: 'prep-dsl', immediateDanger: true });
    expect(r.ids).not.toContain('prep-dsl');
    expect(r.ids).toContain('head');
  });
  it('when the only DSL is the subject, the next role in the chain receives it', () => {
    const r = route('indecentImages', ['Year 5'], { staffInvolvedId: 'prep-dsl' }, { ...members, onlineSafetyLead: [] });
    expect(r.ids).toEqual(['deputy', 'head']);
  });
  it('an empty DSL group passes to the deputies', () => {
    expect(route('cyberbullying', ['Year 5'], {}, { ...members, dslPrep: [] }).ids).toEqual(['deputy']);
  });
  it('immediate danger tells every DSL and the Online Safety Lead at once', () => {
    const r = route('cyberbullying', ['Year 1'], { immediateDanger: true });
    expect(r.ids).toEqual(['osl', 'prep-dsl', 'preprep-dsl']);
    expect(r.urgent).toBe(true);
  });
  it('every category has guidance, a policy section (or KCSIE\'s) and a checklist', () => {
    expect(CATEGORIES).toHaveLength(14);
    for (const c of CATEGORIES) {
      expect(c.guidance.length).toBeGreaterThan(0);
      expect(c.policy).toMatch(/§|KCSIE/);
      expect(c.checklist.length).toBeGreaterThan(0);
    }
  });
  it('image categories never take images, and say that AI-made "deepfakes" are treated the same (KCSIE 2025)', () => {
    expect(CATEGORIES.filter((c) => c.imageCategory).map((c) => c.id).sort()).toEqual(['indecentImages', 'sharingNudes']);
    for (const c of CATEGORIES.filter((x) => x.imageCategory)) expect(c.guidance.join(' ')).toMatch(/AI .*deepfakes/);
  });
  it('a low-level concern about staff goes to the Headteacher, never to the person it is about; about the Headteacher, to the Chair', () => {
    expect(route('lowLevelStaff', [], { staffInvolvedId: 'prep-dsl' }).ids).toEqual(['head']);
    expect(route('lowLevelStaff', [], { staffInvolvedId: 'head' }).ids).toEqual(['chair']);
  });
  it('misinformation and conspiracy theories go to the learner\'s phase DSL (KCSIE 2025 content risk)', () => {
    expect(route('misinformation', ['Year 2']).ids).toEqual(['preprep-dsl']);
  });
});
