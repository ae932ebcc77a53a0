/**
 * The filtering and monitoring log's rules (core/filteringLog.ts; policy §7.3.1; the DfE Filtering and
 * Monitoring Standards), where a monitoring alert is routed (§7.3.4), and how an alert's learner is
 * found on the roster (cases/alertIntake.ts).
 */
import { matchLearner, type RosterIndex } from '../../cases/alertIntake';
import { categoryById } from '../../core/categories';
import { addMonths, canKeepFilteringLog, canReadFilteringLog, readLog, reviewStatus, type EntryDetails, type LogEntry } from '../../core/filteringLog';
import { DEFAULT_PHASES, phasesOfConcern } from '../../core/phases';
import { ROLES } from '../../core/roles';
import { routeConcern } from '../../core/routing';
import { canSeePage } from '../../core/tabPages';

const check = (on: string): EntryDetails => ({ kind: 'check', on, checkedBy: 'Ian', whatWasTested: 't', result: 'working', followUp: '' });
const review = (on: string): EntryDetails => ({ kind: 'review', on, seniorLeader: 'Helen', governor: 'Grace', findings: 'f', actions: '' });
const entry = (id: string, details: EntryDetails, corrects?: string): LogEntry => ({ id, details, recordedAt: `2026-11-0${id.length}T10:00:00Z`, recordedBy: { id: 'u', name: 'Ian' }, corrects, correctionReason: corrects ? 'why' : undefined });

describe('who keeps and reads the log (§7.3.1; DfE standards)', () => {
  it('technical staff and the Online Safety Lead keep it', () => {
    expect(ROLES.filter((r) => canKeepFilteringLog([r]))).toEqual(['onlineSafetyLead', 'technicalStaff']);
  });
  it('the DSLs, the deputies, the OSL, technical staff, the Headteacher and governors read it; office staff and other staff never', () => {
    expect(ROLES.filter((r) => canReadFilteringLog([r])).sort()).toEqual(['chairOfGovernors', 'deputyDsl', 'dslPrePrep', 'dslPrep', 'governors', 'headteacher', 'onlineSafetyLead', 'technicalStaff']);
    expect(canReadFilteringLog(['officeStaff', 'allStaff'])).toBe(false);
    expect(ROLES.filter((r) => canSeePage('filtering', [r]))).toEqual(ROLES.filter((r) => canReadFilteringLog([r])));
  });
});

describe('corrections are new entries', () => {
  it('a line shows its latest version and keeps every earlier one, oldest first', () => {
    const lines = readLog([entry('a', check('2026-10-01')), entry('bb', check('2026-10-02'), 'a'), entry('ccc', check('2026-10-03'), 'bb'), entry('dddd', check('2026-09-01'))]);
    expect(lines.map((l) => [l.id, l.current.id, l.history.map((h) => h.id)])).toEqual([
      ['a', 'ccc', ['a', 'bb']],
      ['dddd', 'dddd', []],
    ]);
  });
  it('a correction whose original is missing stands on its own, and a loop cannot hang the reading', () => {
    expect(readLog([entry('x', check('2026-10-01'), 'gone')]).map((l) => l.id)).toEqual(['x']);
    const loop = readLog([entry('p', check('2026-10-01'), 'q'), entry('q', check('2026-10-01'), 'p')]);
    expect(loop).toEqual([]);
  });
});

describe('the annual review (DfE standards: at least annually)', () => {
  it('never reviewed; current for twelve months; then overdue', () => {
    expect(reviewStatus([], '2026-11-23')).toEqual({ state: 'never' });
    const lines = readLog([entry('a', review('2025-11-20')), entry('bb', check('2026-11-01'))]);
    expect(reviewStatus(lines, '2026-11-20')).toEqual({ state: 'current', lastOn: '2025-11-20', dueBy: '2026-11-20' });
    expect(reviewStatus(lines, '2026-11-21')).toEqual({ state: 'overdue', lastOn: '2025-11-20', dueBy: '2026-11-20' });
  });
  it('a corrected review counts by its corrected date', () => {
    const lines = readLog([entry('a', review('2025-01-10')), entry('bb', review('2025-12-10'), 'a')]);
    expect(reviewStatus(lines, '2026-11-23')).toMatchObject({ state: 'current', dueBy: '2026-12-10' });
  });
  it('months are added as a calendar reads them', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2027-02-28', 12)).toBe('2028-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2026-11-16', 12)).toBe('2027-11-16');
  });
});

describe('a monitoring alert (§7.3.4: "inform the Online Safety Lead, DSL or Deputy Head")', () => {
  const members = { onlineSafetyLead: [{ id: 'osl', displayName: 'osl' }], dslPrep: [{ id: 'prep', displayName: 'prep' }], dslPrePrep: [{ id: 'pre', displayName: 'pre' }] };
  const route = (yearGroups: (string | undefined)[]) => routeConcern({ category: categoryById('monitoringAlert')!, phases: phasesOfConcern(DEFAULT_PHASES, yearGroups), immediateDanger: false }, members).recipients.map((r) => r.id).sort();
  it('goes to the Online Safety Lead and the learner\'s phase DSL', () => {
    expect(route(['Year 5'])).toEqual(['osl', 'prep']);
    expect(route(['Reception'])).toEqual(['osl', 'pre']);
  });
  it('a learner not on the roster (or none named) goes to the OSL and every phase\'s DSL', () => {
    expect(route([undefined])).toEqual(['osl', 'pre', 'prep']);
    expect(route([])).toEqual(['osl', 'pre', 'prep']);
  });
});

describe('the alert\'s learner on the roster', () => {
  const alex = { id: 'csv-learner-A1', name: 'Alex Morgan', yearGroup: 'Year 5' };
  const roster: RosterIndex = {
    byMisId: new Map([['a1', alex]]),
    byEmail: new Map([['alex.morgan@school.example', alex]]),
    byName: new Map([
      ['alex morgan', [alex]],
      ['sam jones', [{ id: 's1', name: 'Sam Jones', yearGroup: 'Year 4' }, { id: 's2', name: 'Sam Jones', yearGroup: 'Year 1' }]],
    ]),
  };
  it('an MIS id, an email or a sign-in name the school gave finds and links the learner', () => {
    for (const identified of [{ misId: 'A1' }, { email: 'Alex.Morgan@school.example' }, { userPrincipalName: 'alex.morgan@school.example' }, { username: 'alex.morgan@school.example' }]) {
      expect(matchLearner(identified, undefined, roster).learners).toEqual([{ name: 'Alex Morgan', yearGroup: 'Year 5', learnerId: 'csv-learner-A1' }]);
    }
  });
  it('a name alone routes by the one learner who has it, but links no one: the DSL confirms the child', () => {
    const m = matchLearner({ name: 'alex  MORGAN' }, undefined, roster);
    expect(m.learners).toEqual([{ name: 'Alex Morgan', yearGroup: 'Year 5' }]);
    expect(m.match).toMatch(/Confirm it is the right child/);
  });
  it('a name two learners share, a login the roster does not know, or no learner at all: the phase is unknown, and the case says so', () => {
    expect(matchLearner({ name: 'Sam Jones' }, undefined, roster)).toEqual({ learners: [{ name: 'Sam Jones' }], match: expect.stringContaining('2 learners on the roster have that name') });
    expect(matchLearner({ username: 'zz9' }, undefined, roster)).toEqual({ learners: [{ name: 'zz9' }], match: expect.stringContaining('(zz9) is not on the roster') });
    expect(matchLearner({}, 'PREP-LIB-07', roster)).toEqual({ learners: [], match: expect.stringContaining('only the device PREP-LIB-07') });
  });
});
