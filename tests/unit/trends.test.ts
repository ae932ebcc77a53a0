/**
 * The trends (core/trends.ts), read as the policy reads: what is counted for whom (core/caseAccess.ts),
 * in which month and period (the school's days, in London), and the statistics of acknowledgement.
 */
import type { CaseRecord } from '../../core/case';
import { DEFAULT_PHASES } from '../../core/phases';
import type { Role } from '../../core/roles';
import {
  ABOUT_STAFF_KEY,
  aggregateTrends,
  caseFacts,
  instantRange,
  median,
  minutesToAcknowledge,
  monthsOf,
  percentile,
  periodChoices,
  thisAcademicYear,
  trendsVisibility,
  durationTitle,
  type CaseFacts,
  type Count,
  type Period,
} from '../../core/trends';

const setup = { phases: DEFAULT_PHASES, timeZone: 'Europe/London' };
const reader = (id: string, ...roles: Role[]) => ({ id, roles });
const dsl = reader('priya', 'dslPrep');
const head = reader('helen', 'headteacher');
const chair = reader('margaret', 'chairOfGovernors');
const governor = reader('gill', 'governors');
const YEAR: Period = { from: '2026-09-01', to: '2027-08-31' };

function facts(fields: Partial<CaseFacts> = {}): CaseFacts {
  return {
    category: 'cyberbullying',
    createdAt: '2026-11-23T09:00:00.000Z',
    phases: ['prep'],
    yearGroups: ['Year 5'],
    urgent: false,
    status: 'open',
    escalationLevel: 0,
    everRecipients: [{ id: 'priya', role: 'dslPrep' }],
    ...fields,
  };
}
const count = (list: Count[], key: string) => list.find((c) => c.key === key)?.count;

/** An allegation about a teacher (to the Head) and one about the Head (to the Chair). */
const aboutTeacher = facts({ category: 'staffAllegation', staffInvolvedId: 'chris', phases: ['prep', 'prePrep'], yearGroups: [], everRecipients: [{ id: 'helen', role: 'headteacher' }] });
const aboutHead = facts({ category: 'staffAllegation', staffInvolvedId: 'helen', phases: ['prep', 'prePrep'], yearGroups: [], everRecipients: [{ id: 'margaret', role: 'chairOfGovernors' }] });

describe('who counts what (core/caseAccess.ts)', () => {
  it('a concern about children counts in full for everyone who sees the page, governors included', () => {
    for (const r of [dsl, head, chair, governor, reader('tom', 'dslPrePrep')]) expect(trendsVisibility(facts(), r)).toBe('counted');
  });

  it('an allegation about a member of staff counts in full for the Headteacher only; the DSLs, governors and a Chair it never reached see it in the total', () => {
    expect(trendsVisibility(aboutTeacher, head)).toBe('counted');
    expect(trendsVisibility(aboutTeacher, dsl)).toBe('totalOnly');
    expect(trendsVisibility(aboutTeacher, governor)).toBe('totalOnly');
    expect(trendsVisibility(aboutTeacher, chair)).toBe('totalOnly');
  });

  it('an allegation about the Headteacher counts in full for the Chair it went to, and not at all for the Headteacher', () => {
    expect(trendsVisibility(aboutHead, chair)).toBe('counted');
    expect(trendsVisibility(aboutHead, head)).toBe('notCounted');
    expect(trendsVisibility(aboutHead, dsl)).toBe('totalOnly');
  });

  it('a low-level concern and a member of staff at risk of radicalisation are about staff too', () => {
    expect(trendsVisibility(facts({ category: 'lowLevelStaff', staffInvolvedId: 'chris' }), dsl)).toBe('totalOnly');
    expect(trendsVisibility(facts({ category: 'radicalisation', staffInvolvedId: 'chris' }), dsl)).toBe('totalOnly');
    expect(trendsVisibility(facts({ category: 'radicalisation' }), dsl)).toBe('counted');
  });

  it('the person a concern is about never counts it, whatever the category', () => {
    expect(trendsVisibility(facts({ category: 'indecentImages', staffInvolvedId: 'priya' }), dsl)).toBe('notCounted');
  });

  it('the DSLs see no staff categories, only the about-staff total; the Headteacher sees the categories and no such row', () => {
    const all = [facts(), aboutTeacher, aboutHead];
    const forDsl = aggregateTrends(all, YEAR, dsl, setup);
    expect(forDsl.byCategory.map((c) => c.key)).not.toContain('staffAllegation');
    expect(forDsl.byCategory.map((c) => c.key)).not.toContain('lowLevelStaff');
    expect(count(forDsl.byCategory, ABOUT_STAFF_KEY)).toBe(2);
    expect({ total: forDsl.total, totalOnly: forDsl.aboutStaffTotalOnly }).toEqual({ total: 3, totalOnly: 2 });
    // Nothing else of them shows: not their phase, month, status...
    expect(forDsl.byPhase.reduce((n, c) => n + c.count, 0)).toBe(1);
    expect(forDsl.byMonth.reduce((n, c) => n + c.count, 0)).toBe(1);
    expect(forDsl.byStatus.reduce((n, c) => n + c.count, 0)).toBe(1);

    const forHead = aggregateTrends(all, YEAR, head, setup);
    expect(forHead.total).toBe(2);
    expect(count(forHead.byCategory, 'staffAllegation')).toBe(1);
    expect(count(forHead.byCategory, ABOUT_STAFF_KEY)).toBeUndefined();

    const forChair = aggregateTrends(all, YEAR, chair, setup);
    expect(count(forChair.byCategory, 'staffAllegation')).toBe(1);
    expect(count(forChair.byCategory, ABOUT_STAFF_KEY)).toBe(1);
  });

  it('the facts of a stored case carry no name and no free text', () => {
    const record: CaseRecord = {
      schoolId: 's', tenantId: 't', reference: 'SMP-2026-0001', createdAt: '2026-11-23T09:00:00.000Z', phases: ['prep'], urgent: false, routeReasons: ['r'], directoryStale: false, status: 'closed', escalationLevel: 1,
      concern: { category: 'cyberbullying', learners: [{ name: 'Zebedee Quartermaine', yearGroup: 'Year 5' }, { name: 'No Year' }], whatHappened: 'Secret words', happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: false, actionsTaken: 'More words' },
      reporter: { id: 'sam', displayName: 'Sam Reporter' },
      recipients: [{ id: 'priya', displayName: 'Priya Shah', role: 'dslPrep' }],
      formerRecipients: [{ id: 'dan', displayName: 'Dan Reed', role: 'deputyDsl' }],
      acknowledgedBy: { id: 'priya', displayName: 'Priya Shah' },
      acknowledgedAt: '2026-11-23T09:30:00.000Z',
      closure: { decision: 'Early help', reason: 'Reason words', outcome: 'Outcome words', lessonsLearnt: 'Lesson words', closedBy: { id: 'priya', displayName: 'Priya Shah' }, closedAt: '2026-11-24T09:00:00.000Z' },
    };
    const f = caseFacts(record);
    expect(f).toEqual({
      category: 'cyberbullying', createdAt: record.createdAt, phases: ['prep'], yearGroups: ['Year 5', ''], urgent: false, status: 'closed', acknowledgedAt: record.acknowledgedAt, escalationLevel: 1,
      closedDecision: 'Early help', staffInvolvedId: undefined, everRecipients: [{ id: 'priya', role: 'dslPrep' }, { id: 'dan', role: 'deputyDsl' }],
    });
    expect(JSON.stringify(f)).not.toMatch(/Zebedee|Sam Reporter|Priya Shah|Dan Reed|words/);
  });
});

describe('periods and months (the school\'s days, in London)', () => {
  it('a concern raised at 00:30 on 1 September in London (23:30 the evening before in UTC) is September\'s and the new academic year\'s', () => {
    const f = facts({ createdAt: '2026-08-31T23:30:00.000Z' });
    const thisYear = aggregateTrends([f], { from: '2026-09-01', to: '2027-08-31' }, dsl, setup);
    const lastYear = aggregateTrends([f], { from: '2025-09-01', to: '2026-08-31' }, dsl, setup);
    expect(thisYear.total).toBe(1);
    expect(count(thisYear.byMonth, '2026-09')).toBe(1);
    expect(lastYear.total).toBe(0);
  });

  it('the first and last days of a period are in it; the days either side are not', () => {
    const term: Period = { from: '2026-09-02', to: '2026-12-11' };
    const on = (iso: string) => aggregateTrends([facts({ createdAt: iso })], term, dsl, setup).total;
    expect(on('2026-09-02T08:00:00.000Z')).toBe(1);
    expect(on('2026-12-11T23:59:00.000Z')).toBe(1); // GMT in December: still the 11th
    expect(on('2026-09-01T22:59:00.000Z')).toBe(0); // 23:59 on 1 September in London
    expect(on('2026-12-12T00:00:00.000Z')).toBe(0);
  });

  it('every month of the period has its row, zeros included, across the new year', () => {
    expect(monthsOf({ from: '2026-11-15', to: '2027-02-01' })).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    const t = aggregateTrends([], { from: '2026-11-15', to: '2027-02-01' }, dsl, setup);
    expect(t.byMonth).toEqual([
      { key: '2026-11', label: 'Nov 2026', count: 0 },
      { key: '2026-12', label: 'Dec 2026', count: 0 },
      { key: '2027-01', label: 'Jan 2027', count: 0 },
      { key: '2027-02', label: 'Feb 2027', count: 0 },
    ]);
    expect(t.total).toBe(0);
  });

  it('the default period is this academic year so far; the choices add the last two years and the terms begun', () => {
    expect(thisAcademicYear('2026-11-23')).toEqual({ from: '2026-09-01', to: '2026-11-23' });
    expect(thisAcademicYear('2026-08-31')).toEqual({ from: '2025-09-01', to: '2026-08-31' });
    const terms = [{ name: 'Autumn 2026', start: '2026-09-02', end: '2026-12-11' }, { name: 'Spring 2027', start: '2027-01-05', end: '2027-03-26' }, { name: 'Summer 2026', start: '2026-04-14', end: '2026-07-10' }];
    expect(periodChoices('2026-11-23', terms).map((c) => [c.id, c.title, c.from, c.to])).toEqual([
      ['this-year', 'This academic year (2026/27) so far', '2026-09-01', '2026-11-23'],
      ['year-2025', 'Academic year 2025/26', '2025-09-01', '2026-08-31'],
      ['year-2024', 'Academic year 2024/25', '2024-09-01', '2025-08-31'],
      ['term-2026-09-02', 'Autumn 2026', '2026-09-02', '2026-12-11'],
      ['term-2026-04-14', 'Summer 2026', '2026-04-14', '2026-07-10'],
    ]);
  });

  it('storage is asked for a day either side, so that no time zone loses a case', () => {
    expect(instantRange({ from: '2026-09-01', to: '2026-09-30' })).toEqual({ fromIso: '2026-08-31T00:00:00.000Z', toIso: '2026-10-02T00:00:00.000Z' });
  });
});

describe('the counts', () => {
  it('phase, year group, status and outcome: a concern across both phases, learners in two year groups, none named', () => {
    const t = aggregateTrends(
      [
        facts({ phases: ['prep', 'prePrep'], yearGroups: ['Year 1', 'Year 5', 'Year 5'] }),
        facts({ phases: ['prePrep', 'prep'], yearGroups: [] }),
        facts({ phases: ['prePrep'], yearGroups: ['Reception', ''], status: 'closed', closedDecision: 'Early help' }),
        facts({ status: 'acknowledged', acknowledgedAt: '2026-11-23T09:10:00.000Z' }),
      ],
      YEAR,
      dsl,
      setup,
    );
    expect(t.byPhase).toEqual([{ key: 'prePrep', label: 'Pre-Prep', count: 1 }, { key: 'prep', label: 'Prep', count: 1 }, { key: 'all', label: 'Both phases, or not known', count: 2 }]);
    expect(Object.fromEntries(t.byYearGroup.filter((c) => c.count).map((c) => [c.key, c.count]))).toEqual({ 'Year 1': 1, 'Year 5': 2, Reception: 1, 'Not known': 2 });
    expect(t.byYearGroup.map((c) => c.key)).toEqual(['Nursery', 'Reception', 'Year 1', 'Year 2', 'Year 3', 'Year 4', 'Year 5', 'Year 6', 'Year 7', 'Year 8', 'Not known']);
    expect(t.byStatus.map((c) => [c.key, c.count])).toEqual([['open', 2], ['acknowledged', 1], ['closed', 1]]);
    expect(count(t.byOutcome, 'Early help')).toBe(1);
    expect(t.byOutcome.reduce((n, c) => n + c.count, 0)).toBe(1);
  });

  it('time to acknowledge: median and 90th percentile of those acknowledged, urgent and standard apart; the unacknowledged counted, not timed', () => {
    const at = (minutes: number, urgent = false) => facts({ urgent, acknowledgedAt: new Date(Date.parse('2026-11-23T09:00:00.000Z') + minutes * 60_000).toISOString(), status: 'acknowledged' });
    const t = aggregateTrends([at(10, true), at(20, true), at(60), at(120), at(600), facts(), facts({ urgent: true })], YEAR, dsl, setup);
    expect(t.acknowledgement).toEqual({
      acknowledged: 5, notAcknowledged: 2, medianMinutes: 60, p90Minutes: 600,
      urgent: { acknowledged: 2, notAcknowledged: 1, medianMinutes: 15, p90Minutes: 20 },
      standard: { acknowledged: 3, notAcknowledged: 1, medianMinutes: 120, p90Minutes: 600 },
    });
    const none = aggregateTrends([facts()], YEAR, dsl, setup).acknowledgement;
    expect(none).toMatchObject({ acknowledged: 0, notAcknowledged: 1, medianMinutes: undefined, p90Minutes: undefined });
  });

  it('escalations by the furthest step reached', () => {
    const t = aggregateTrends([facts({ escalationLevel: 1 }), facts({ escalationLevel: 3 }), facts({ escalationLevel: 3 }), facts()], YEAR, dsl, setup);
    expect(t.escalations).toEqual({
      escalated: 3,
      byLevel: [
        { key: '1', label: 'Deputy DSL and Online Safety Lead', count: 1 },
        { key: '2', label: 'Headteacher', count: 0 },
        { key: '3', label: 'Chair of Governors', count: 2 },
      ],
    });
  });
});

describe('statistics', () => {
  it('median: none, one, an even and an odd count', () => {
    expect(median([])).toBeUndefined();
    expect(median([7])).toBe(7);
    expect(median([3, 1])).toBe(2);
    expect(median([9, 1, 5])).toBe(5);
  });

  it('90th percentile by nearest rank', () => {
    expect(percentile([], 90)).toBeUndefined();
    expect(percentile([4], 90)).toBe(4);
    expect(percentile([1, 2], 90)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  });

  it('minutes to acknowledge: none without an acknowledgement, never negative', () => {
    expect(minutesToAcknowledge({ createdAt: '2026-11-23T09:00:00.000Z' })).toBeUndefined();
    expect(minutesToAcknowledge({ createdAt: '2026-11-23T09:00:00.000Z', acknowledgedAt: '2026-11-23T08:59:58.000Z' })).toBe(0);
    expect(minutesToAcknowledge({ createdAt: '2026-11-23T09:00:00.000Z', acknowledgedAt: '2026-11-23T09:45:00.000Z' })).toBe(45);
  });

  it('durations in words', () => {
    expect([undefined, 0.4, 45, 60, 200, 47 * 60, 50 * 60].map(durationTitle)).toEqual(['—', '0 min', '45 min', '1 h', '3 h 20 min', '47 h', '2 d 2 h']);
  });
});
