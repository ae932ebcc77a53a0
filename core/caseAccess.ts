/**
 * Who may read a case (PRODUCT.md §6: "each seeing only what routing lets them see"). Pure: given the
 * stored case and the person's roles now. Acting on a case is the current recipients' alone
 * (core/caseDecisions.ts); reading is wider, so that the safeguarding team can see its phase's history:
 *
 * - never the person a concern is about;
 * - allegations and low-level concerns about staff, and a member of staff at risk (§10.2, §11.7, KCSIE
 *   Part 4): the Headteacher, and the Chair of Governors when it went to the Chair (about the Head);
 * - every other case: the deputy DSLs, the Online Safety Lead and the Headteacher; each phase's DSL for
 *   its phase; and anyone it was ever sent to as part of the safeguarding team (technical staff told of a
 *   filtering breach are told, not given the case);
 * - office staff, governors and everyone else: never.
 */
import type { CaseRecord } from './case';
import { aboutStaff, categoryById } from './categories';
import type { Concern } from './concern';
import type { Role } from './roles';
import type { Recipient } from './routing';

export interface Reader {
  id: string;
  roles: readonly Role[];
}

/** The roles that see the case list at all (a Chair sees only the cases that reached them). */
export const CASE_ROLES: Role[] = ['dslPrep', 'dslPrePrep', 'deputyDsl', 'onlineSafetyLead', 'headteacher', 'chairOfGovernors'];
const OVERSIGHT: Role[] = ['deputyDsl', 'onlineSafetyLead', 'headteacher'];

/** What the rules look at: a stored case has it all; the trends read only these (core/trends.ts). */
export interface CaseAccessFacts {
  concern: Pick<Concern, 'category' | 'staffInvolvedId'>;
  phases: CaseRecord['phases'];
  recipients: readonly Pick<Recipient, 'id' | 'role'>[];
  formerRecipients?: readonly Pick<Recipient, 'id' | 'role'>[];
  routedTo?: readonly Pick<Recipient, 'id' | 'role'>[];
}

function everRecipients(record: CaseAccessFacts): Pick<Recipient, 'id' | 'role'>[] {
  return [...record.recipients, ...(record.formerRecipients ?? []), ...(record.routedTo ?? [])];
}

export function canReadCase(record: CaseAccessFacts, reader: Reader): boolean {
  if (record.concern.staffInvolvedId && record.concern.staffInvolvedId === reader.id) return false;
  const category = categoryById(record.concern.category);
  if (!category) return false;
  const sent = everRecipients(record).filter((r) => r.id === reader.id);
  if (aboutStaff(category, record.concern.staffInvolvedId)) {
    const toChair = everRecipients(record).some((r) => r.role === 'chairOfGovernors');
    if (reader.roles.includes('headteacher')) return true;
    if (reader.roles.includes('chairOfGovernors') && toChair) return true;
    return sent.some((r) => r.role === 'headteacher' || r.role === 'chairOfGovernors');
  }
  if (reader.roles.some((r) => OVERSIGHT.includes(r))) return true;
  if (reader.roles.includes('dslPrep') && record.phases.includes('prep')) return true;
  if (reader.roles.includes('dslPrePrep') && record.phases.includes('prePrep')) return true;
  return sent.some((r) => r.role !== 'technicalStaff');
}

export function seesCaseList(roles: readonly Role[]): boolean {
  return roles.some((r) => CASE_ROLES.includes(r));
}

/** May act on it (acknowledge, record, close...): one of those it is with now. */
export function holdsCase(record: CaseRecord, personId: string): boolean {
  return record.recipients.some((r) => r.id === personId);
}
