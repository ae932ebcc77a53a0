/**
 * The roles a school names in its setup, each backed by one Entra ID group (PRODUCT.md §2).
 * §4 of the policy gives the people; the product only ever asks "who is in this role now".
 */
export const ROLES = [
  'dslPrep',
  'dslPrePrep',
  'deputyDsl',
  'onlineSafetyLead',
  'headteacher',
  'chairOfGovernors',
  'governors',
  'technicalStaff',
  'officeStaff',
  'allStaff',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_TITLES: Record<Role, string> = {
  dslPrep: 'DSL (Prep)',
  dslPrePrep: 'DSL (Pre-Prep)',
  deputyDsl: 'Deputy DSL',
  onlineSafetyLead: 'Online Safety Lead',
  headteacher: 'Headteacher',
  chairOfGovernors: 'Chair of Governors',
  governors: 'Governors',
  technicalStaff: 'Technical staff',
  officeStaff: 'Office staff',
  allStaff: 'All staff',
};

/** A person as the directory knows them: the Entra object id is the identity everywhere. */
export interface Person {
  id: string;
  displayName: string;
  /** Their email (Graph's mail, or the sign-in name): how the MIS's exports name them. */
  email?: string;
}

/** Who holds each role right now (from Graph, or the last successful lookup). */
export type RoleMembers = Partial<Record<Role, Person[]>>;
