/**
 * Escalation (PRODUCT.md §3): a case not acknowledged in time goes to the next step of the chain,
 * DSL → deputy DSLs and Online Safety Lead → Headteacher → Chair of Governors. Each step adds people;
 * the subject of the concern is never among them; a step with nobody new in it is skipped.
 */
import type { Recipient } from './routing';
import type { Role, RoleMembers } from './roles';

export const ESCALATION_CHAIN: Role[][] = [['deputyDsl', 'onlineSafetyLead'], ['headteacher'], ['chairOfGovernors']];

export interface EscalationStep {
  level: number;
  added: Recipient[];
}

/** The next step after `level` that brings somebody new, or undefined when the chain is exhausted. */
export function nextEscalation(level: number, current: Recipient[], members: RoleMembers, subjectId?: string): EscalationStep | undefined {
  const have = new Set(current.map((r) => r.id));
  for (let next = level + 1; next <= ESCALATION_CHAIN.length; next++) {
    const added: Recipient[] = [];
    for (const role of ESCALATION_CHAIN[next - 1]) {
      for (const p of members[role] ?? []) {
        if (p.id === subjectId || have.has(p.id) || added.some((a) => a.id === p.id)) continue;
        added.push({ ...p, role });
      }
    }
    if (added.length > 0) return { level: next, added };
  }
  return undefined;
}

/** Who a current recipient may hand the case to (PRODUCT.md §3 "Reassign: deputy, other phase DSL, OSL"). */
export const REASSIGN_TARGETS: Role[] = ['deputyDsl', 'dslPrep', 'dslPrePrep', 'onlineSafetyLead'];
