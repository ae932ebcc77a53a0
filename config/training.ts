/**
 * The `training` section of the school's setup file (PRODUCT.md §5): the courses staff must do and how
 * often. Checked at start with the rest of the setup; a rule that cannot be satisfied or makes no sense
 * stops the server with a message naming the course and the field. The rules themselves are in
 * core/training.ts.
 */
import { z } from 'zod';
import { ROLES } from '../core/roles';
import {
  DEFAULT_ACADEMIC_YEAR_STARTS,
  describeRenewal,
  isMonthDay,
  shortestRenewalDays,
} from '../core/training';

const COURSE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const renewal = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('once') }),
  z.strictObject({ kind: z.literal('onceWithinDaysOfStarting'), days: z.number().int() }),
  z.strictObject({ kind: z.literal('everyMonths'), months: z.number().int(), firstWithinDaysOfStarting: z.number().int().optional() }),
  z.strictObject({ kind: z.literal('eachAcademicYear'), dueBy: z.string() }),
]);

const audience = z.union([
  z.literal('everyone'),
  z.strictObject({
    roles: z.array(z.enum(ROLES)).default([]),
    groups: z.array(z.guid('expected an Entra group id (a GUID)')).default([]),
  }),
]);

/** One course. Field checks that need the course's name in their message are made together, below. */
const course = z
  .strictObject({
    id: z.string().regex(COURSE_ID, 'a course id is lowercase letters, digits and dashes, for example dsl-update'),
    title: z.string().min(1).max(120),
    policy: z.string().min(1).max(120),
    audience,
    renewal,
    dueSoonDays: z.number().int().default(30),
    alsoSatisfiedBy: z.array(z.string()).default([]),
    confirmedInTeams: z.boolean().default(false),
    /** The must-read document (an AUP-register document of kind mustRead) whose "I have read it" records this course. */
    documentId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a document id is lowercase letters, digits and dashes').optional(),
    /** Other names the MIS uses for this course, for the CSV import (matched ignoring case and spaces). */
    aliases: z.array(z.string().min(1).max(120)).max(20).default([]),
  })
  .superRefine((c, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message: `course '${c.id}': ${message}` });
    if (c.audience !== 'everyone' && c.audience.roles.length === 0 && c.audience.groups.length === 0) {
      problem(['audience'], 'the audience names nobody: give "everyone", or roles, or Entra groups');
    }
    const r = c.renewal;
    let renewalMakesSense = true;
    const refuse = (field: string, message: string) => {
      problem(['renewal', field], message);
      renewalMakesSense = false;
    };
    if (r.kind === 'onceWithinDaysOfStarting' && (r.days < 0 || r.days > 366)) refuse('days', `days must be 0 to 366 (got ${r.days})`);
    if (r.kind === 'everyMonths') {
      if (r.months < 1 || r.months > 120) refuse('months', `months must be 1 to 120 (got ${r.months})`);
      const first = r.firstWithinDaysOfStarting;
      if (first !== undefined && (first < 0 || first > 366)) refuse('firstWithinDaysOfStarting', `firstWithinDaysOfStarting must be 0 to 366 (got ${first})`);
    }
    if (r.kind === 'eachAcademicYear' && !isMonthDay(r.dueBy)) {
      refuse('dueBy', `dueBy "${r.dueBy}" is not a day of the year: MM-DD, for example 09-30 (02-29 means the last day of February)`);
    }
    if (c.dueSoonDays < 0) {
      problem(['dueSoonDays'], `dueSoonDays must not be negative (got ${c.dueSoonDays})`);
    } else if (renewalMakesSense) {
      const period = shortestRenewalDays(r);
      if (period !== undefined && c.dueSoonDays >= period) {
        problem(
          ['dueSoonDays'],
          `dueSoonDays (${c.dueSoonDays}) must be shorter than the renewal period (${describeRenewal(r)}: ${period} days at the shortest), or the course would be due soon the day it is done`,
        );
      }
    }
    if (c.alsoSatisfiedBy.includes(c.id)) problem(['alsoSatisfiedBy'], 'a course cannot be "also satisfied by" itself');
    if (c.confirmedInTeams && !c.documentId) problem(['documentId'], 'a course confirmed in Teams names its must-read document (documentId), whose card staff confirm');
    if (!c.confirmedInTeams && c.documentId) problem(['documentId'], 'documentId is only for courses confirmed in Teams (confirmedInTeams: true)');
  });

export type CourseSetup = z.output<typeof course>;

export const trainingSchema = z
  .strictObject({
    /** MM-DD; 02-29 is refused: the year must start on a day every year has. */
    academicYearStarts: z
      .string()
      .refine((md) => isMonthDay(md, false), 'academicYearStarts is MM-DD on a day every year has (not 02-29), for example 09-01')
      .default(DEFAULT_ACADEMIC_YEAR_STARTS),
    courses: z.array(course).max(100).default(() => structuredClone(DEFAULT_COURSES)),
  })
  .superRefine((t, ctx) => {
    const first = new Map<string, number>();
    t.courses.forEach((c, i) => {
      const seen = first.get(c.id);
      if (seen !== undefined) ctx.addIssue({ code: 'custom', path: ['courses', i, 'id'], message: `course id '${c.id}' is used twice (courses ${seen} and ${i})` });
      else first.set(c.id, i);
    });
    const names = new Map<string, string>();
    t.courses.forEach((c, i) => {
      for (const name of [c.id, c.title, ...c.aliases].map(courseNameKey)) {
        const owner = names.get(name);
        if (owner && owner !== c.id) ctx.addIssue({ code: 'custom', path: ['courses', i, 'aliases'], message: `course '${c.id}': the name "${name}" is also course '${owner}' (the import could not tell them apart)` });
        else names.set(name, c.id);
      }
    });
    t.courses.forEach((c, i) => {
      for (const other of c.alsoSatisfiedBy) {
        if (other !== c.id && !first.has(other)) {
          ctx.addIssue({ code: 'custom', path: ['courses', i, 'alsoSatisfiedBy'], message: `course '${c.id}': alsoSatisfiedBy names '${other}', which is not a course` });
        }
      }
    });
  });

export type TrainingSetup = z.output<typeof trainingSchema>;

/** How a course's names are compared (the import's course column): case, accents and spacing ignored. */
export function courseNameKey(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

const DSLS = ['dslPrep', 'dslPrePrep', 'deputyDsl'] as const;

/**
 * The demo school's courses (St Michael's, policy §5.3 and KCSIE). The periods the law leaves open
 * (Prevent, the Online Safety Lead's and the governors' refreshers) are the school's choice.
 */
export const DEFAULT_COURSES: CourseSetup[] = [
  {
    id: 'induction',
    title: 'Online safety induction',
    policy: '§5.3; KCSIE Part 2',
    audience: 'everyone',
    renewal: { kind: 'onceWithinDaysOfStarting', days: 20 },
    dueSoonDays: 7,
    alsoSatisfiedBy: [],
    confirmedInTeams: false,
    aliases: ['Induction', 'Online safety induction', 'Safeguarding induction'],
  },
  {
    id: 'safeguarding-update',
    title: 'Annual safeguarding and online-safety update (September INSET)',
    policy: '§5.3; KCSIE Part 2',
    audience: 'everyone',
    renewal: { kind: 'eachAcademicYear', dueBy: '09-30' },
    dueSoonDays: 30,
    alsoSatisfiedBy: [],
    confirmedInTeams: false,
    aliases: ['Annual safeguarding update', 'Safeguarding INSET', 'September INSET', 'Level 1 safeguarding refresher'],
  },
  {
    id: 'safer-internet-day',
    title: 'Safer Internet Day twilight session (February)',
    policy: '§5.3',
    audience: 'everyone',
    renewal: { kind: 'eachAcademicYear', dueBy: '02-29' },
    dueSoonDays: 28,
    alsoSatisfiedBy: [],
    confirmedInTeams: false,
    aliases: ['Safer Internet Day', 'SID twilight', 'Online safety twilight'],
  },
  {
    id: 'kcsie-part-1',
    title: 'Keeping Children Safe in Education Part 1: read and understood',
    policy: 'KCSIE Part 1',
    audience: 'everyone',
    renewal: { kind: 'eachAcademicYear', dueBy: '09-30' },
    dueSoonDays: 30,
    alsoSatisfiedBy: [],
    confirmedInTeams: true,
    documentId: 'kcsie-part-1',
    aliases: ['KCSIE Part 1', 'KCSIE', 'Keeping Children Safe in Education'],
  },
  {
    id: 'dsl-training',
    title: 'Designated Safeguarding Lead training',
    policy: '§4.2; KCSIE Annex C (at least every two years)',
    audience: { roles: [...DSLS], groups: [] },
    renewal: { kind: 'everyMonths', months: 24 },
    dueSoonDays: 90,
    alsoSatisfiedBy: [],
    confirmedInTeams: false,
    aliases: ['DSL training', 'Designated Safeguarding Lead', 'Level 3 safeguarding'],
  },
  {
    id: 'dsl-update',
    title: 'DSL update',
    policy: '§4.2; KCSIE Annex C (at least annually)',
    audience: { roles: [...DSLS], groups: [] },
    renewal: { kind: 'everyMonths', months: 12 },
    dueSoonDays: 30,
    alsoSatisfiedBy: ['dsl-training'],
    confirmedInTeams: false,
    aliases: ['DSL update', 'DSL refresher'],
  },
  {
    id: 'online-safety-lead',
    title: 'Online Safety Lead training',
    policy: '§4, §4.2',
    audience: { roles: ['onlineSafetyLead'], groups: [] },
    renewal: { kind: 'everyMonths', months: 24 },
    dueSoonDays: 60,
    alsoSatisfiedBy: [],
    confirmedInTeams: false,
    aliases: ['Online Safety Lead training', 'OSL training'],
  },
  {
    id: 'governors-safeguarding',
    title: "Governors' safeguarding and online-safety training",
    policy: 'KCSIE Part 2 (at induction, regularly updated)',
    audience: { roles: ['governors', 'chairOfGovernors'], groups: [] },
    renewal: { kind: 'everyMonths', months: 36, firstWithinDaysOfStarting: 90 },
    dueSoonDays: 60,
    alsoSatisfiedBy: [],
    confirmedInTeams: false,
    aliases: ['Governor safeguarding', 'Governors safeguarding training'],
  },
  {
    id: 'prevent',
    title: 'Prevent duty training',
    policy: '§11.7; Prevent duty guidance',
    audience: 'everyone',
    renewal: { kind: 'everyMonths', months: 24, firstWithinDaysOfStarting: 20 },
    dueSoonDays: 30,
    alsoSatisfiedBy: [],
    confirmedInTeams: false,
    aliases: ['Prevent', 'Prevent duty', 'WRAP'],
  },
];

export const DEFAULT_TRAINING: TrainingSetup = { academicYearStarts: DEFAULT_ACADEMIC_YEAR_STARTS, courses: DEFAULT_COURSES };

