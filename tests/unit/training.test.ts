/** The training rules (PRODUCT.md §5, policy §5.3, KCSIE), without storage or HTTP. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSchoolSetup } from '../../config/load';
import { DEFAULT_TRAINING, trainingSchema } from '../../config/training';
import {
  academicYearDueDate,
  academicYearOf,
  academicYearTitle,
  addMonths,
  buildTrainingMatrix,
  countTrainingMatrix,
  courseStatus,
  dueForReminder,
  latestCompletions,
  mustDo,
  requiredCourses,
  trainingOf,
  type Course,
  type CourseStatus,
  type TrainingPerson,
  type TrainingRecord,
  type TrainingRules,
} from '../../core/training';
import type { Role } from '../../core/roles';

const root = path.resolve(__dirname, '..', '..');
const setupFile = (rel: string): unknown => JSON.parse(readFileSync(path.join(root, rel), 'utf8'));

// The demo school's rules, as the server reads them from its setup file (this also checks that the
// schema's output is the shape the rules take).
const rules: TrainingRules = parseSchoolSetup(setupFile('config/demo-school.json')).training;
const course = (id: string): Course => {
  const c = rules.courses.find((x) => x.id === id);
  if (!c) throw new Error(`no course ${id}`);
  return c;
};

const staff = (id: string, roles: Role[] = [], more: Partial<TrainingPerson> = {}): TrainingPerson => ({ id, roles: [...roles, 'allStaff'], ...more });
const done = (personId: string, courseId: string, completedOn: string, pendingConfirmation = false): TrainingRecord => ({ personId, courseId, completedOn, pendingConfirmation });

function status(courseId: string, person: TrainingPerson, records: TrainingRecord[], today: string): CourseStatus {
  return courseStatus(course(courseId), person, latestCompletions(records, today), today, rules.academicYearStarts);
}

describe('days and academic years', () => {
  it('a month later stays within the month: 29 Feb 2024 + 12 months is 28 Feb 2025', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-10-15', 24)).toBe('2026-10-15');
  });
  it('31 August is the last day of an academic year and 1 September the first of the next', () => {
    expect(academicYearOf('2026-08-31')).toBe(2025);
    expect(academicYearOf('2026-09-01')).toBe(2026);
    expect(academicYearTitle(2026)).toBe('2026/27');
  });
  it('"by 30 September" falls in the autumn; "by the end of February" in the spring, 29 February in a leap year', () => {
    expect(academicYearDueDate(2026, '09-30')).toBe('2026-09-30');
    expect(academicYearDueDate(2026, '02-29')).toBe('2027-02-28');
    expect(academicYearDueDate(2027, '02-29')).toBe('2028-02-29');
  });
  it('a school whose year starts on 25 August counts 26 August as the new year', () => {
    expect(academicYearOf('2026-08-26', '08-25')).toBe(2026);
    expect(academicYearOf('2026-08-24', '08-25')).toBe(2025);
  });
});

describe('who must do a course', () => {
  const teacher = staff('t');
  const dsl = staff('d', ['dslPrep']);
  const deputy = staff('dep', ['deputyDsl']);
  const governor: TrainingPerson = { id: 'g', roles: ['governors'] };
  const chair: TrainingPerson = { id: 'c', roles: ['chairOfGovernors'] };

  it('"everyone" is every member of staff: governors are not staff', () => {
    expect(mustDo(course('safeguarding-update'), teacher)).toBe(true);
    expect(mustDo(course('safeguarding-update'), governor)).toBe(false);
  });
  it('DSLs and deputies do DSL training; a class teacher does not', () => {
    expect(mustDo(course('dsl-training'), dsl)).toBe(true);
    expect(mustDo(course('dsl-update'), deputy)).toBe(true);
    expect(mustDo(course('dsl-training'), teacher)).toBe(false);
  });
  it('governors and the Chair do the governors\' safeguarding training', () => {
    expect(requiredCourses(rules, governor).map((c) => c.id)).toEqual(['governors-safeguarding']);
    expect(requiredCourses(rules, chair).map((c) => c.id)).toEqual(['governors-safeguarding']);
  });
  it('a course may name extra Entra groups, in any case', () => {
    const first: Pick<Course, 'audience'> = { audience: { groups: ['AAAAAAAA-0000-4000-8000-000000000001'] } };
    expect(mustDo(first, staff('m', [], { groupIds: ['aaaaaaaa-0000-4000-8000-000000000001'] }))).toBe(true);
    expect(mustDo(first, staff('n', [], { groupIds: ['bbbbbbbb-0000-4000-8000-000000000001'] }))).toBe(false);
    expect(mustDo(first, teacher)).toBe(false);
  });
  it('every member of staff has induction, the INSET update, the Safer Internet Day session, KCSIE Part 1 and Prevent', () => {
    expect(requiredCourses(rules, teacher).map((c) => c.id)).toEqual(['induction', 'safeguarding-update', 'safer-internet-day', 'kcsie-part-1', 'prevent']);
  });
});

describe('DSL training: every two years, with an update at least every year (KCSIE Annex C)', () => {
  const dsl = staff('d', ['dslPrep'], { startedOn: '2015-09-01' });

  it('a DSL whose training is 23 months old is due soon', () => {
    expect(status('dsl-training', dsl, [done('d', 'dsl-training', '2024-10-15')], '2026-09-15')).toEqual({
      status: 'dueSoon', lastCompletedOn: '2024-10-15', dueOn: '2026-10-15',
    });
  });
  it('is current a year after the training, due on the second anniversary, and overdue the day after', () => {
    const records = [done('d', 'dsl-training', '2024-10-15')];
    expect(status('dsl-training', dsl, records, '2025-10-15').status).toBe('current');
    expect(status('dsl-training', dsl, records, '2026-10-15')).toMatchObject({ status: 'dueSoon', dueOn: '2026-10-15' });
    expect(status('dsl-training', dsl, records, '2026-10-16')).toMatchObject({ status: 'overdue', dueOn: '2026-10-15' });
  });
  it('the full DSL training also counts as the annual update', () => {
    const records = [done('d', 'dsl-update', '2024-05-01'), done('d', 'dsl-training', '2025-10-01')];
    expect(status('dsl-update', dsl, records, '2026-03-01')).toEqual({
      status: 'current', lastCompletedOn: '2025-10-01', lastCompletedAs: 'dsl-training', dueOn: '2026-10-01',
    });
  });
  it('a later update is the one that counts for the update, and does not count as the full training', () => {
    const records = [done('d', 'dsl-training', '2024-10-01'), done('d', 'dsl-update', '2025-09-20')];
    expect(status('dsl-update', dsl, records, '2026-03-01')).toEqual({ status: 'current', lastCompletedOn: '2025-09-20', dueOn: '2026-09-20' });
    expect(status('dsl-training', dsl, records, '2026-10-02')).toMatchObject({ status: 'overdue', lastCompletedOn: '2024-10-01', dueOn: '2026-10-01' });
  });
  it('an update done on 29 February 2024 is due again on 28 February 2025', () => {
    const records = [done('d', 'dsl-update', '2024-02-29')];
    expect(status('dsl-update', dsl, records, '2025-02-28')).toMatchObject({ status: 'dueSoon', dueOn: '2025-02-28' });
    expect(status('dsl-update', dsl, records, '2025-03-01')).toMatchObject({ status: 'overdue', dueOn: '2025-02-28' });
  });
});

describe('the due-soon window', () => {
  const window30: Course = { id: 'x', title: 'X', policy: '§5.3', audience: 'everyone', renewal: { kind: 'everyMonths', months: 12 }, dueSoonDays: 30 };
  const p = staff('p');
  const at = (today: string, c: Course = window30) => courseStatus(c, p, latestCompletions([done('p', 'x', '2025-11-01')], today), today).status;

  it('31 days before the due date is current; 30 days before is due soon', () => {
    expect(at('2026-10-01')).toBe('current');
    expect(at('2026-10-02')).toBe('dueSoon');
  });
  it('the due date itself is due soon; the day after is overdue', () => {
    expect(at('2026-11-01')).toBe('dueSoon');
    expect(at('2026-11-02')).toBe('overdue');
  });
  it('a window of nought days is due soon on the due date only', () => {
    const none = { ...window30, dueSoonDays: 0 };
    expect(at('2026-10-31', none)).toBe('current');
    expect(at('2026-11-01', none)).toBe('dueSoon');
  });
});

describe('each academic year: the September INSET update (by 30 September)', () => {
  const teacher = staff('t', [], { startedOn: '2020-09-01' });
  const inset2025 = [done('t', 'safeguarding-update', '2025-09-02')];

  it('done at the 2025 INSET: current on 31 August 2026, due by 30 September 2026', () => {
    expect(status('safeguarding-update', teacher, inset2025, '2026-08-31')).toEqual({ status: 'current', lastCompletedOn: '2025-09-02', dueOn: '2026-09-30' });
  });
  it('on 1 September 2026 a new year starts and it is due soon', () => {
    expect(status('safeguarding-update', teacher, inset2025, '2026-09-01')).toMatchObject({ status: 'dueSoon', dueOn: '2026-09-30' });
  });
  it('overdue on 1 October 2026 if not done again', () => {
    expect(status('safeguarding-update', teacher, inset2025, '2026-10-01')).toMatchObject({ status: 'overdue', dueOn: '2026-09-30' });
  });
  it('done on 31 August counts for the year that ends that day, not the next', () => {
    expect(status('safeguarding-update', teacher, [done('t', 'safeguarding-update', '2026-08-31')], '2026-09-01').status).toBe('dueSoon');
  });
  it('done on 1 September, the INSET day, is current for the whole year', () => {
    expect(status('safeguarding-update', teacher, [done('t', 'safeguarding-update', '2026-09-01')], '2026-09-01')).toEqual({
      status: 'current', lastCompletedOn: '2026-09-01', dueOn: '2027-09-30',
    });
  });
  it('done late in the year still covers that year', () => {
    expect(status('safeguarding-update', teacher, [done('t', 'safeguarding-update', '2026-01-15')], '2026-07-01').status).toBe('current');
  });
  it('a whole year missed stays overdue from that year\'s date, even after a new year starts', () => {
    const twoYearsAgo = [done('t', 'safeguarding-update', '2024-09-03')];
    expect(status('safeguarding-update', teacher, twoYearsAgo, '2026-09-02')).toMatchObject({ status: 'overdue', dueOn: '2025-09-30' });
  });
  it('never done by a member of staff of long standing: never', () => {
    expect(status('safeguarding-update', teacher, [], '2026-09-02')).toEqual({ status: 'never' });
  });
});

describe('each academic year: the Safer Internet Day twilight session (by the end of February)', () => {
  const teacher = staff('t', [], { startedOn: '2020-09-01' });
  const feb2026 = [done('t', 'safer-internet-day', '2026-02-10')];

  it('done last February: current in September, due by 28 February 2027', () => {
    expect(status('safer-internet-day', teacher, feb2026, '2026-09-01')).toMatchObject({ status: 'current', dueOn: '2027-02-28' });
  });
  it('due soon four weeks before the end of February, overdue in March', () => {
    expect(status('safer-internet-day', teacher, feb2026, '2027-01-30').status).toBe('current');
    expect(status('safer-internet-day', teacher, feb2026, '2027-01-31').status).toBe('dueSoon');
    expect(status('safer-internet-day', teacher, feb2026, '2027-03-01').status).toBe('overdue');
  });
  it('in a leap year it is due by 29 February', () => {
    const feb2027 = [done('t', 'safer-internet-day', '2027-02-09')];
    expect(status('safer-internet-day', teacher, feb2027, '2028-02-29')).toMatchObject({ status: 'dueSoon', dueOn: '2028-02-29' });
    expect(status('safer-internet-day', teacher, feb2027, '2028-03-01').status).toBe('overdue');
  });
});

describe('someone who joined last week', () => {
  const newcomer = staff('n', [], { startedOn: '2026-09-07' });
  const today = '2026-09-14';

  it('has induction due soon, by 20 days after starting: not alarming, not current', () => {
    expect(status('induction', newcomer, [], today)).toEqual({ status: 'dueSoon', dueOn: '2026-09-27' });
  });
  it('has never done it once those 20 days have passed', () => {
    expect(status('induction', newcomer, [], '2026-09-28')).toEqual({ status: 'never' });
  });
  it('once inducted is current for good', () => {
    expect(status('induction', newcomer, [done('n', 'induction', '2026-09-08')], '2036-01-01')).toEqual({ status: 'current', lastCompletedOn: '2026-09-08' });
  });
  it('has this year\'s September update and KCSIE Part 1 due by 30 September', () => {
    expect(status('safeguarding-update', newcomer, [], today)).toEqual({ status: 'dueSoon', dueOn: '2026-09-30' });
    expect(status('kcsie-part-1', newcomer, [], today)).toEqual({ status: 'dueSoon', dueOn: '2026-09-30' });
  });
  it('has Prevent training due within 20 days of starting, then every two years', () => {
    expect(status('prevent', newcomer, [], today)).toEqual({ status: 'dueSoon', dueOn: '2026-09-27' });
    expect(status('prevent', newcomer, [done('n', 'prevent', '2026-09-20')], '2026-10-01')).toMatchObject({ status: 'current', dueOn: '2028-09-20' });
  });
  it('joining after this year\'s date, the September update is first due next year', () => {
    const november = staff('m', [], { startedOn: '2026-11-02' });
    expect(status('safeguarding-update', november, [], '2026-11-09')).toEqual({ status: 'dueSoon', dueOn: '2027-09-30' });
  });
  it('with no start date on record, induction never done is never', () => {
    expect(status('induction', staff('u'), [], today)).toEqual({ status: 'never' });
  });
});

describe('a person whose role changed', () => {
  const records = [done('d', 'dsl-training', '2025-03-01'), done('d', 'dsl-update', '2026-03-01')];

  it('no longer a DSL: DSL training is not required, and the history stays', () => {
    const former = staff('d', [], { startedOn: '2015-09-01' });
    expect(status('dsl-training', former, records, '2026-06-01')).toEqual({ status: 'notRequired', lastCompletedOn: '2025-03-01' });
  });
  it('newly a deputy DSL with no record: due now', () => {
    const newDeputy = staff('e', ['deputyDsl'], { startedOn: '2015-09-01' });
    expect(status('dsl-training', newDeputy, records, '2026-06-01')).toEqual({ status: 'never' });
    expect(status('dsl-update', newDeputy, records, '2026-06-01')).toEqual({ status: 'never' });
  });
  it('a new governor has 90 days from starting for the governors\' training', () => {
    const governor: TrainingPerson = { id: 'g', roles: ['governors'], startedOn: '2026-09-01' };
    expect(status('governors-safeguarding', governor, [], '2026-09-10')).toEqual({ status: 'dueSoon', dueOn: '2026-11-30' });
    expect(status('governors-safeguarding', governor, [], '2026-12-01')).toEqual({ status: 'never' });
  });
});

describe('a self-report waiting for the office', () => {
  const teacher = staff('t', [], { startedOn: '2020-09-01' });

  it('is shown but does not count until confirmed', () => {
    const records = [done('t', 'prevent', '2023-01-10'), done('t', 'prevent', '2026-05-04', true)];
    expect(status('prevent', teacher, records, '2026-06-01')).toEqual({
      status: 'overdue', lastCompletedOn: '2023-01-10', dueOn: '2025-01-10', awaitingConfirmation: '2026-05-04',
    });
  });
  it('once confirmed, counts', () => {
    expect(status('prevent', teacher, [done('t', 'prevent', '2023-01-10'), done('t', 'prevent', '2026-05-04')], '2026-06-01')).toMatchObject({
      status: 'current', lastCompletedOn: '2026-05-04',
    });
  });
  it('a pending full DSL training shows on the update too', () => {
    const dsl = staff('d', ['dslPrep']);
    expect(status('dsl-update', dsl, [done('d', 'dsl-training', '2026-05-04', true)], '2026-06-01')).toEqual({ status: 'never', awaitingConfirmation: '2026-05-04' });
  });
  it('no reminder goes to someone who has reported it done', () => {
    const rows = buildTrainingMatrix(rules, [teacher, staff('s', [], { startedOn: '2020-09-01' })], [done('t', 'prevent', '2026-05-04', true)], '2026-06-01');
    const prevent = rules.courses.findIndex((c) => c.id === 'prevent');
    expect(dueForReminder(rows, prevent).map((p) => p.id)).toEqual(['s']);
  });
});

describe('a completion dated in the future', () => {
  it('is ignored for status', () => {
    const teacher = staff('t', [], { startedOn: '2020-09-01' });
    expect(status('prevent', teacher, [done('t', 'prevent', '2026-07-01')], '2026-06-01')).toEqual({ status: 'never' });
  });
});

describe('the matrix', () => {
  const today = '2026-10-05';
  const people = [
    staff('a', ['dslPrep'], { startedOn: '2018-09-01' }),
    staff('b', [], { startedOn: '2019-09-01' }),
    staff('c', [], { startedOn: '2026-10-01' }),
    { id: 'g', roles: ['governors'] as Role[] },
  ];
  const records = [
    done('a', 'safeguarding-update', '2026-09-01'),
    done('b', 'safeguarding-update', '2026-09-01'),
    done('a', 'dsl-training', '2025-01-20'),
    done('b', 'safeguarding-update', '2025-09-01'),
  ];
  const rows = buildTrainingMatrix(rules, people, records, today);
  const col = (id: string) => rules.courses.findIndex((c) => c.id === id);

  it('has a cell for every course, not required where it does not apply', () => {
    expect(rows[3].cells.map((c) => c.status)).toEqual(rules.courses.map((c) => (c.id === 'governors-safeguarding' ? 'never' : 'notRequired')));
  });
  it('counts each course: "2 of 3 current" for the September update', () => {
    expect(countTrainingMatrix(rows, rules.courses.length)[col('safeguarding-update')]).toEqual({
      required: 3, current: 2, dueSoon: 1, overdue: 0, never: 0, notRequired: 1, awaitingConfirmation: 0,
    });
  });
  it('a person\'s own page is the same row', () => {
    expect(trainingOf(rules, people[0], records, today)).toEqual(rows[0]);
  });
  it('reminds everyone due soon, overdue or never done', () => {
    expect(dueForReminder(rows, col('safeguarding-update')).map((p) => p.id)).toEqual(['c']);
    expect(dueForReminder(rows, col('dsl-update')).map((p) => p.id)).toEqual(['a']);
  });
});

describe('the training section of the setup file', () => {
  const base = setupFile('tests/fixtures/school.json') as Record<string, unknown>;
  const withCourses = (courses: unknown[], extra: Record<string, unknown> = {}) => ({ ...base, training: { ...extra, courses } });
  const ok = { id: 'prevent', title: 'Prevent', policy: '§11.7', audience: 'everyone', renewal: { kind: 'everyMonths', months: 24 }, dueSoonDays: 30 };
  const refused = (setup: unknown): string => {
    try {
      parseSchoolSetup(setup);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('the setup was accepted');
  };

  it('existing setup files stay valid and get the demo school\'s courses', () => {
    for (const f of ['config/demo-school.json', 'tests/fixtures/school.json', 'docs/school.example.json']) {
      expect(parseSchoolSetup(setupFile(f)).training).toEqual(DEFAULT_TRAINING);
    }
  });
  it('the demo school\'s courses pass the schema unchanged', () => {
    expect(trainingSchema.parse(DEFAULT_TRAINING)).toEqual(DEFAULT_TRAINING);
  });
  it('a school may give its own courses, and 02-29 is a due date', () => {
    const own = parseSchoolSetup(withCourses([ok, { ...ok, id: 'sid', title: 'Safer Internet Day', renewal: { kind: 'eachAcademicYear', dueBy: '02-29' } }], { academicYearStarts: '08-25' }));
    expect(own.training.courses.map((c) => c.id)).toEqual(['prevent', 'sid']);
    expect(own.training.academicYearStarts).toBe('08-25');
  });
  it('refuses two courses the import could not tell apart (a shared title or alias)', () => {
    expect(refused(withCourses([ok, { ...ok, id: 'sid', aliases: [ok.title.toUpperCase()] }]))).toMatch(/course 'sid': the name ".*" is also course 'prevent'/);
  });
  it('a course confirmed in Teams names its must-read document, and only such a course does', () => {
    expect(refused(withCourses([{ ...ok, confirmedInTeams: true }]))).toMatch(/names its must-read document \(documentId\)/);
    expect(refused(withCourses([{ ...ok, documentId: 'kcsie' }]))).toMatch(/documentId is only for courses confirmed in Teams/);
    expect(parseSchoolSetup(withCourses([{ ...ok, confirmedInTeams: true, documentId: 'kcsie' }])).training.courses[0].documentId).toBe('kcsie');
  });
  it('refuses a course id used twice', () => {
    expect(refused(withCourses([ok, ok]))).toContain("training.courses.1.id: course id 'prevent' is used twice (courses 0 and 1)");
  });
  it('refuses a due-soon window not shorter than the renewal period', () => {
    expect(refused(withCourses([{ ...ok, renewal: { kind: 'everyMonths', months: 12 }, dueSoonDays: 365 }]))).toContain(
      "training.courses.0.dueSoonDays: course 'prevent': dueSoonDays (365) must be shorter than the renewal period (every 12 months: 365 days at the shortest)",
    );
    expect(refused(withCourses([{ ...ok, renewal: { kind: 'everyMonths', months: 1 }, dueSoonDays: 28 }]))).toContain('(every 1 month: 28 days at the shortest)');
    expect(refused(withCourses([{ ...ok, renewal: { kind: 'eachAcademicYear', dueBy: '09-30' }, dueSoonDays: 400 }]))).toContain(
      "course 'prevent': dueSoonDays (400) must be shorter than the renewal period (each academic year, by 30 Sep: 365 days at the shortest)",
    );
    expect(() => parseSchoolSetup(withCourses([{ ...ok, renewal: { kind: 'everyMonths', months: 12 }, dueSoonDays: 364 }]))).not.toThrow();
  });
  it('refuses a due date that is not a day of the year', () => {
    for (const dueBy of ['02-30', '13-01', '9-30', '00-10']) {
      expect(refused(withCourses([{ ...ok, renewal: { kind: 'eachAcademicYear', dueBy } }]))).toContain(
        `training.courses.0.renewal.dueBy: course 'prevent': dueBy "${dueBy}" is not a day of the year`,
      );
    }
  });
  it('refuses "also satisfied by" an unknown course or itself', () => {
    expect(refused(withCourses([{ ...ok, alsoSatisfiedBy: ['dsl-trainig'] }]))).toContain(
      "training.courses.0.alsoSatisfiedBy: course 'prevent': alsoSatisfiedBy names 'dsl-trainig', which is not a course",
    );
    expect(refused(withCourses([{ ...ok, alsoSatisfiedBy: ['prevent'] }]))).toContain(
      'training.courses.0.alsoSatisfiedBy: course \'prevent\': a course cannot be "also satisfied by" itself',
    );
  });
  it('refuses an audience that names nobody', () => {
    for (const audience of [{}, { roles: [], groups: [] }]) {
      expect(refused(withCourses([{ ...ok, audience }]))).toContain("training.courses.0.audience: course 'prevent': the audience names nobody");
    }
  });
  it('refuses renewal every nought months', () => {
    expect(refused(withCourses([{ ...ok, renewal: { kind: 'everyMonths', months: 0 } }]))).toContain(
      "training.courses.0.renewal.months: course 'prevent': months must be 1 to 120 (got 0)",
    );
  });
  it('refuses an unknown role, a group that is not a GUID, and an academic year starting on 29 February', () => {
    expect(refused(withCourses([{ ...ok, audience: { roles: ['dsl'] } }]))).toContain('training.courses.0.audience');
    expect(refused(withCourses([{ ...ok, audience: { groups: ['staff-group'] } }]))).toContain('expected an Entra group id (a GUID)');
    expect(refused(withCourses([ok], { academicYearStarts: '02-29' }))).toContain('training.academicYearStarts: academicYearStarts is MM-DD on a day every year has');
  });
});
