/**
 * Who is told about a concern (PRODUCT.md §2). Pure: it is given who holds each role now and decides.
 *
 * - The learner's phase decides the DSL; unknown or mixed phases go to every phase's DSL.
 * - Allegations about staff go to the Headteacher, or the Chair of Governors when about the
 *   Headteacher (§10.2); the person a concern is about never receives it.
 * - Someone in immediate danger: every DSL and the Online Safety Lead at once.
 * - A role left empty (nobody in the group, or only the subject) passes to the next role in the chain.
 */
import type { Category } from './categories';
import type { PhaseId } from './phases';
import { ROLE_TITLES, type Person, type Role, type RoleMembers } from './roles';

export interface RoutingInput {
  category: Category;
  phases: PhaseId[];
  immediateDanger: boolean;
  /** Entra object id of the member of staff the concern is about or involves, if any. */
  staffInvolvedId?: string;
}

export interface Recipient extends Person {
  /** The role through which this person receives the concern. */
  role: Role;
}

export interface Route {
  recipients: Recipient[];
  urgent: boolean;
  /** Plain sentences for the case record: why the route is what it is. */
  reasons: string[];
}

const PHASE_DSL: Record<PhaseId, Role> = { prep: 'dslPrep', prePrep: 'dslPrePrep' };
const ALL_DSLS: Role[] = ['dslPrep', 'dslPrePrep'];

/** Where a concern goes when everybody in the roles before is absent or is the subject. */
const CHAIN_AFTER_DSL: Role[] = ['deputyDsl', 'onlineSafetyLead', 'headteacher', 'chairOfGovernors'];

interface RolePlan {
  /** The roles that decide; if nobody is left in them, the chain is walked. */
  roles: Role[];
  /** Told as well, but they do not stand in for the deciding roles (technical staff, the Head for staff). */
  alsoTold: Role[];
  chain: Role[];
  reasons: string[];
}

function planRoles(input: RoutingInput, members: RoleMembers): RolePlan {
  const { category, phases } = input;
  const staff = input.staffInvolvedId;
  const phaseDsls = phases.map((p) => PHASE_DSL[p]);
  const reasons: string[] = [];
  const route = category.route;

  if (route.kind === 'headteacher' || (staff && category.staffInvolvedReplacesDsl)) {
    const headIsSubject = !!staff && isMember(members, 'headteacher', staff);
    if (headIsSubject) {
      reasons.push(`About the Headteacher: goes to the Chair of Governors (${category.policy}).`);
      return { roles: ['chairOfGovernors'], alsoTold: [], chain: [], reasons };
    }
    reasons.push(`Goes to the Headteacher (${category.policy}).`);
    return { roles: ['headteacher'], alsoTold: [], chain: ['chairOfGovernors'], reasons };
  }

  const roles: Role[] = [];
  const alsoTold: Role[] = [];
  if (route.kind === 'onlineSafetyLead') {
    roles.push('onlineSafetyLead');
    if (route.alsoPhaseDsl) roles.push(...phaseDsls);
    reasons.push(`Goes to the Online Safety Lead (${category.policy}).`);
  } else {
    roles.push(...phaseDsls);
    if (route.alsoOnlineSafetyLead) roles.push('onlineSafetyLead');
    if (route.alsoTechnicalStaff) alsoTold.push('technicalStaff');
    reasons.push(phases.length > 1 ? 'Phase unknown or several phases: every phase DSL.' : `Goes to the learner's phase DSL (${category.policy}).`);
  }
  if (staff && category.staffInvolvedGoesToHeadteacher) {
    const headIsSubject = isMember(members, 'headteacher', staff);
    alsoTold.push(headIsSubject ? 'chairOfGovernors' : 'headteacher');
    reasons.push(headIsSubject ? 'Involves the Headteacher: the Chair of Governors is told.' : 'A member of staff is involved: the Headteacher is told.');
  }
  return { roles, alsoTold, chain: route.kind === 'onlineSafetyLead' ? [...ALL_DSLS, ...CHAIN_AFTER_DSL] : CHAIN_AFTER_DSL, reasons };
}

function isMember(members: RoleMembers, role: Role, id: string): boolean {
  return (members[role] ?? []).some((p) => p.id === id);
}

export function routeConcern(input: RoutingInput, members: RoleMembers): Route {
  const { roles, alsoTold, chain, reasons } = planRoles(input, members);
  const subject = input.staffInvolvedId;
  const byId = new Map<string, Recipient>();
  const add = (role: Role): number => {
    let added = 0;
    for (const person of members[role] ?? []) {
      if (person.id === subject || byId.has(person.id)) continue;
      byId.set(person.id, { ...person, role });
      added++;
    }
    return added;
  };

  let deciding = 0;
  for (const role of roles) deciding += add(role);
  for (const next of chain) {
    if (deciding > 0) break;
    deciding += add(next);
    if (deciding > 0) reasons.push(`Nobody else available: passed to the ${ROLE_TITLES[next]}.`);
  }
  for (const role of alsoTold) add(role);

  const urgent = input.category.urgent || input.immediateDanger;
  if (input.immediateDanger) {
    for (const role of [...ALL_DSLS, 'onlineSafetyLead'] as Role[]) add(role);
    reasons.push('Someone is in immediate danger: every DSL and the Online Safety Lead are told at once.');
  }
  if (subject) reasons.push('The member of staff concerned is never told.');
  return { recipients: [...byId.values()], urgent, reasons };
}
