/**
 * What a DSL records on a case (PRODUCT.md §3): the category's checklist from policy §11, the
 * referrals the policy names (§10, §11), and a closure that cannot be saved without a decision, the
 * reason for it, the outcome and lessons learnt (§10: "debrief, identify lessons learnt").
 */
import type { Category } from './categories';

export const REFERRALS = [
  "Referral to Children's Social Work Service",
  'Kent Police informed (101)',
  'Police called (999)',
  'LADO consulted',
  'Reported to the IWF',
  'Reported to CEOP',
  'Advice from the KCC Education Safeguarding Team',
  'Parents or carers informed',
  'Device secured',
  'Image viewed (record who viewed it and why)',
  'Support offered',
  'Risk assessment',
  'Sanctions',
  'Other',
] as const;

/** Actions whose note is required: the policy asks for the justification in writing (§11.2). */
export const NOTE_REQUIRED = new Set<string>(['Image viewed (record who viewed it and why)', 'Other']);

export function actionChoices(category: Category): string[] {
  return [...new Set([...category.checklist, ...REFERRALS])];
}

export const CLOSURE_DECISIONS = [
  'No further action',
  'Managed in school (pastoral support / behaviour policy)',
  'Early help',
  "Referred to Children's Social Work Service",
  'Referred to the Police',
  'Referred to the LADO',
  'Passed to another setting\'s DSL',
] as const;

export interface ClosureInput {
  decision: string;
  reason: string;
  outcome: string;
  lessonsLearnt: string;
}

/** Every field is required; returns the sentences saying what is missing. */
export function closureProblems(input: Partial<ClosureInput>): string[] {
  const problems: string[] = [];
  if (!input.decision || !(CLOSURE_DECISIONS as readonly string[]).includes(input.decision)) problems.push('Choose the decision.');
  if (!input.reason?.trim()) problems.push('Give the reason for the decision.');
  if (!input.outcome?.trim()) problems.push('Give the outcome.');
  if (!input.lessonsLearnt?.trim()) problems.push("Give the lessons learnt (or write 'none').");
  return problems;
}

/** The date the closed record is reviewed for retention: from the learner's birth when known. */
export function retentionReviewDate(closedAt: Date, rule: { yearsFromClosure: number; yearsFromDateOfBirth: number }, dateOfBirth?: string): string {
  const from = dateOfBirth ? new Date(dateOfBirth) : closedAt;
  const years = dateOfBirth ? rule.yearsFromDateOfBirth : rule.yearsFromClosure;
  const d = new Date(Date.UTC(from.getUTCFullYear() + years, from.getUTCMonth(), from.getUTCDate()));
  return d.toISOString().slice(0, 10);
}
