/**
 * The school's setup file (SCHOOL_CONFIG): one schema, checked at start. A wrong file stops the server
 * with a message naming the field. Secrets never live here: only in the environment.
 */
import { z } from 'zod';
import { AUP_KINDS } from '../core/aup';
import { ROLES, type Role } from '../core/roles';
import { isoDay, isTimeZone } from '../core/time';
import { MONITORING_VENDORS, RISK_LEVELS } from '../monitoring/alert';
import { DEFAULT_TRAINING, trainingSchema } from './training';

/** A term's first or last day: a real YYYY-MM-DD. */
const day = z.string().refine((v) => isoDay(v) !== undefined, 'must be a real date, as YYYY-MM-DD');

const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'expected an Entra object id (a GUID)');

const phase = z.strictObject({
  id: z.enum(['prep', 'prePrep']),
  name: z.string().min(1).max(60),
  yearGroups: z.array(z.string().min(1).max(40)).min(1),
});

/** Roles a school may leave without a group: not every school has technical staff of its own, and governors are not staff. */
const OPTIONAL_GROUPS: readonly Role[] = ['technicalStaff', 'chairOfGovernors', 'governors'];

const groups = z.strictObject(
  Object.fromEntries(ROLES.map((r) => [r, OPTIONAL_GROUPS.includes(r) ? guid.optional() : guid])) as Record<Role, typeof guid>,
);

const demoPerson = z.strictObject({
  id: z.string().min(1).max(64),
  displayName: z.string().min(1).max(100),
  email: z.string().email().max(200).optional(),
  roles: z.array(z.enum(ROLES)).min(1),
});

const demoDocument = z
  .strictObject({
    documentId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    kind: z.enum(AUP_KINDS),
    title: z.string().min(1).max(200),
    text: z.string().min(1).max(20_000).optional(),
    link: z.string().url().startsWith('https://').optional(),
  })
  .refine((d) => d.text || d.link, 'give the text or a link');

/** A person named for a duty, as the school's documents name them (they need not be in Teams). */
const namedPerson = z.strictObject({ name: z.string().trim().min(1).max(100), role: z.string().trim().min(1).max(100) });

/**
 * Filtering and monitoring (PRODUCT.md §7; policy §7.3; the DfE Filtering and Monitoring Standards):
 * who is responsible, what is in use, and which monitoring alerts become concerns.
 */
const filteringAndMonitoring = z.strictObject({
  /** The member of the senior leadership team responsible for meeting the DfE standards. */
  seniorLeader: namedPerson.optional(),
  /** The governor responsible for meeting them. */
  governor: namedPerson.optional(),
  /** The filtering in use, in the school's words (§7.3.2: "Lightspeed, through Cantium"). */
  filteringSystem: z.string().trim().min(1).max(200).optional(),
  /** The monitoring system whose alerts and exports come in (§7.3.4), when the request does not say. */
  monitoringSystem: z.enum(MONITORING_VENDORS).optional(),
  /** Alerts at or above this level on the school's 1–5 scale become concerns; below it they are logged only. */
  riskThreshold: z
    .number()
    .int()
    .refine((n) => (RISK_LEVELS as readonly number[]).includes(n), 'a level from 1 (lowest) to 5 (critical)')
    .default(3),
});

export const schoolSetupSchema = z.strictObject({
  schoolId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and dashes (it keys the school\'s rows in storage)'),
  name: z.string().min(1).max(120),
  referencePrefix: z.string().regex(/^[A-Z]{2,6}$/, 'two to six capital letters, for example SMP'),
  /** The tenant the school's Teams lives in; activities from any other tenant are refused. */
  tenantId: guid.optional(),
  /** An IANA name: dates on cards, deadlines and "today" are in it. */
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone name, such as Europe/London or UTC (not an offset such as +01:00 or GMT+1)').default('Europe/London'),
  phases: z.array(phase).min(1).max(2),
  groups,
  acknowledgement: z.strictObject({
    urgentMinutes: z.number().int().min(1).max(240),
    standardHours: z.number().int().min(1).max(72),
    /** The school's working hours, for standard deadlines (weekdays 1 = Monday … 7 = Sunday). */
    workingHours: z
      .strictObject({
        start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
        end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
        days: z.array(z.number().int().min(1).max(7)).min(1),
      })
      .optional(),
  }),
  /**
   * How long closed cases are kept before their retention review (child-protection records are kept
   * for decades: the school sets it). Counted from the learner's date of birth when known, otherwise
   * from closure.
   */
  retention: z
    .strictObject({
      yearsFromClosure: z.number().int().min(1).max(100),
      yearsFromDateOfBirth: z.number().int().min(1).max(100),
    })
    .default({ yearsFromClosure: 25, yearsFromDateOfBirth: 25 }),
  /**
   * The school's terms (YYYY-MM-DD), for school days (a child-protection file is sent within 5 school
   * days) and the governors' termly report. Without them every working weekday is a school day.
   */
  terms: z
    .array(z.strictObject({ name: z.string().min(1).max(60), start: day, end: day }))
    .max(60)
    .refine((ts) => ts.every((t) => t.start <= t.end), 'each term ends on or after its start')
    .default([]),
  /** The courses staff must do and how often (PRODUCT.md §5, policy §5.3); the demo school's when absent. */
  training: trainingSchema.default(() => structuredClone(DEFAULT_TRAINING)),
  filteringAndMonitoring: filteringAndMonitoring.default({ riskThreshold: 3 }),
  /**
   * Who is told when Microsoft Graph cannot be reached and there is no earlier lookup to use (a new
   * deployment): the DSLs' Entra object ids. A case is never stored with nobody to tell; the people
   * routing names are told as well once Graph answers.
   */
  fallbackRecipients: z
    .array(z.strictObject({ id: guid, displayName: z.string().min(1).max(100), role: z.enum(['dslPrep', 'dslPrePrep', 'deputyDsl', 'onlineSafetyLead', 'headteacher']) }))
    .max(20)
    .optional(),
  /** Fictional people for local mode (no tenant): who holds which role. Ignored when Graph is used. */
  demoDirectory: z.array(demoPerson).optional(),
  /**
   * Local mode only: what the demo school's register starts with when it is empty (the AUPs published
   * and some fictional learners), so a first `npm start` shows a working register.
   */
  demoRegister: z
    .strictObject({
      documents: z.array(demoDocument).max(10),
      learners: z.array(z.strictObject({ id: z.string().regex(/^[A-Za-z0-9-]{1,40}$/), name: z.string().min(1).max(120), yearGroup: z.string().min(1).max(40) })).max(500),
    })
    .optional(),
});

export type SchoolSetup = z.infer<typeof schoolSetupSchema>;
export type DemoPerson = z.infer<typeof demoPerson>;
