/**
 * Acknowledging a case (PRODUCT.md §3): only its current recipients may, once. Decided from the stored
 * case, never from anything a card carries.
 */
export interface AcknowledgementState {
  recipientIds: string[];
  acknowledgedById?: string;
}

export type AcknowledgeDecision =
  | { outcome: 'acknowledge' }
  | { outcome: 'alreadyAcknowledged' }
  | { outcome: 'notARecipient' };

export function decideAcknowledgement(state: AcknowledgementState, personId: string | undefined): AcknowledgeDecision {
  if (!personId || !state.recipientIds.includes(personId)) return { outcome: 'notARecipient' };
  if (state.acknowledgedById) return { outcome: 'alreadyAcknowledged' };
  return { outcome: 'acknowledge' };
}
