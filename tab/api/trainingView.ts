/**
 * The training pages' data (PRODUCT.md §5): who is on the matrix, each person's roles (from the
 * directory) and start date (from the MIS), their records, and the statuses the rules give them
 * (core/training.ts). The whole-staff matrix is built once per change of the records, the people or
 * the roles, and answered from memory until then.
 */
import { ROLES, ROLE_TITLES, type Role } from '../../core/roles';
import { buildTrainingMatrix, countTrainingMatrix, describeRenewal, mustDo, trainingOf, type Course, type TrainingPerson } from '../../core/training';
import { todayIn } from '../../core/time';
import type { Services } from '../../runtime/services';
import type { CachedRows } from '../../store/partitionCache';
import { forRules, type StoredTrainingRecord } from '../../store/trainingStore';
import type { StaffSync } from './staffSync';
import type { CourseView, TrainingMatrixView, TrainingPersonPageView, TrainingPersonView, TrainingRecordView } from './view';

export type TrainingPersonRow = TrainingPerson & TrainingPersonView;

export function courseView(c: Course): CourseView {
  const audience = c.audience === 'everyone' ? 'all staff' : [...(c.audience.roles ?? []).map((r) => ROLE_TITLES[r]), ...((c.audience.groups ?? []).length ? ['named groups'] : [])].join(', ');
  return { id: c.id, title: c.title, policy: c.policy, renewal: describeRenewal(c.renewal), audience, confirmedInTeams: !!c.confirmedInTeams };
}

export function recordView(r: StoredTrainingRecord): TrainingRecordView {
  return {
    key: r.key,
    personId: r.personId,
    personName: r.personName,
    courseId: r.courseId,
    completedOn: r.completedOn,
    provider: r.provider,
    hours: r.hours,
    evidence: r.evidence,
    source: r.source,
    state: r.state,
    recordedByName: r.recordedByName,
    recordedAt: r.recordedAt,
    history: r.history.map((h) => ({ at: h.at, byName: h.byName, what: h.what, reason: h.reason, before: h.before })),
  };
}

/** Roles named by some course's audience: their holders are on the matrix even when not staff (governors). */
function rolesCoursesName(courses: readonly Course[]): Set<Role> {
  const out = new Set<Role>();
  for (const c of courses) if (c.audience !== 'everyone') for (const r of c.audience.roles ?? []) out.add(r);
  return out;
}

export class TrainingView {
  private cache?: { key: string; view: Omit<TrainingMatrixView, 'access'>; people: TrainingPersonRow[] };
  private readonly registerIds = new WeakMap<object, number>();
  private nextId = 1;

  constructor(private readonly s: Services, private readonly staffSync: StaffSync) {}

  private get rules() {
    return this.s.setup.training;
  }

  today(): string {
    return todayIn(this.s.setup.timeZone, this.s.clock());
  }

  /**
   * Everyone the matrix is about: the staff in the register (from the all-staff group, or the MIS), and
   * the holders of roles a course names who are not staff (governors). Roles come from the directory now;
   * anyone the register has as staff counts as staff.
   */
  async people(): Promise<{ people: TrainingPersonRow[]; key: string; records: CachedRows<StoredTrainingRecord> }> {
    await this.staffSync.ensureFresh();
    const { schoolId } = this.s.setup;
    const [register, { members }, { records, details: extra }] = await Promise.all([this.s.stores.aup.register(schoolId), this.s.roles.resolve([...ROLES]), this.s.stores.training.recordsAndDetails(schoolId)]);
    const roles = new Map<string, Set<Role>>();
    const named = new Map<string, { displayName: string; email?: string }>();
    for (const role of ROLES) {
      for (const p of members[role] ?? []) {
        (roles.get(p.id) ?? roles.set(p.id, new Set()).get(p.id)!).add(role);
        named.set(p.id, p);
      }
    }
    const people: TrainingPersonRow[] = [];
    const seen = new Set<string>();
    for (const p of register.people) {
      if (p.kind !== 'staff') continue;
      const mine = roles.get(p.id) ?? new Set<Role>();
      mine.add('allStaff');
      people.push({ id: p.id, name: p.displayName, roles: [...mine], email: p.email, staffCode: p.staffCode, startedOn: p.startedOn });
      seen.add(p.id);
    }
    const named_ = rolesCoursesName(this.rules.courses);
    for (const [id, mine] of roles) {
      if (seen.has(id) || ![...mine].some((r) => named_.has(r))) continue;
      const p = named.get(id)!;
      people.push({ id, name: p.displayName, roles: [...mine], email: p.email, ...extra.get(id) });
    }
    people.sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
    let registerId = this.registerIds.get(register);
    if (!registerId) this.registerIds.set(register, (registerId = this.nextId++));
    const rolesKey = people.map((p) => `${p.id}:${p.roles.join(',')}`).join(';');
    // The details of people outside the register change the training stamp, which is part of the key.
    return { people, records, key: `${registerId}|${records.stamp}|${rolesKey.length}|${hash(rolesKey)}` };
  }

  /** The whole matrix; the same answer object while records, people, roles and the day are unchanged. */
  async matrix(): Promise<{ view: Omit<TrainingMatrixView, 'access'>; people: TrainingPersonRow[] }> {
    const { people, key: peopleKey, records } = await this.people();
    const today = this.today();
    const key = `${peopleKey}|${today}`;
    if (this.cache?.key === key && records.stamp) return this.cache;
    const all = [...records.rows.values()];
    const rows = buildTrainingMatrix(this.rules, people, forRules(all), today);
    const view = {
      today,
      courses: this.rules.courses.map(courseView),
      rows: rows.map((r) => ({ person: { id: r.person.id, name: r.person.name, roles: r.person.roles, email: r.person.email, staffCode: r.person.staffCode, startedOn: r.person.startedOn }, cells: r.cells })),
      counts: countTrainingMatrix(rows, this.rules.courses.length),
      pending: all.filter((r) => r.state === 'pending').length,
    };
    this.cache = { key, view, people };
    return this.cache;
  }

  /** The signed-in person as the training rules see them (My records): no whole-school read. */
  async personFor(caller: { id: string; name: string; roles: Role[] }): Promise<TrainingPersonRow> {
    const { schoolId } = this.s.setup;
    const [stored, extra] = await Promise.all([this.s.stores.aup.getPerson(schoolId, caller.id), this.s.stores.training.personDetails(schoolId)]);
    const staff = stored?.active && stored.kind === 'staff';
    const roles = staff && !caller.roles.includes('allStaff') ? [...caller.roles, 'allStaff' as Role] : caller.roles;
    const details = staff ? { email: stored.email, staffCode: stored.staffCode, startedOn: stored.startedOn } : extra.get(caller.id);
    return { id: caller.id, name: stored?.displayName ?? caller.name, roles, ...details };
  }

  /** One person: every course, and their whole history (withdrawn and rejected records too). */
  async person(person: TrainingPersonRow): Promise<Omit<TrainingPersonPageView, 'access'>> {
    const today = this.today();
    const records = await this.s.stores.training.ofPerson(this.s.setup.schoolId, person.id);
    const row = trainingOf(this.rules, person, forRules(records), today);
    const courses = this.rules.courses.map((c, i) => ({ course: courseView(c), status: row.cells[i], required: mustDo(c, person) }));
    return {
      person: { id: person.id, name: person.name, roles: person.roles, email: person.email, staffCode: person.staffCode, startedOn: person.startedOn },
      today,
      courses,
      records: records.sort((a, b) => b.completedOn.localeCompare(a.completedOn)).map(recordView),
    };
  }
}

/** A short, stable digest of a string (FNV-1a), for cache keys. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}
