/**
 * Card actions (Universal Actions, `Action.Execute`) are routed by verb to one small handler each. A
 * handler declares its verb and the schema of the data its card sends beside its code; the table the
 * bot routes by is built from the list in bot.ts, and a test checks that every verb in the card
 * templates has a handler and every handler a card.
 */
import type { z } from 'zod';
import type { CardPlace } from '../cases/intake';
import type { AdaptiveCard } from '../delivery/cards';
import type { Actor, Services } from '../runtime/services';

export type { CardPlace };

/** What a handler answers: a card that replaces the one pressed (for the person who pressed it), a message, or a refusal. */
export type ActionResult =
  | { kind: 'card'; card: AdaptiveCard }
  | { kind: 'message'; text: string }
  | { kind: 'error'; status: 400 | 403 | 404 | 503; message: string };

export interface Verb<T> {
  verb: string;
  /** The data the card sends with the action (Teams adds its own `msteams` key, which is dropped first). */
  data: z.ZodType<T>;
  /** Said to the person when the data does not match the schema. */
  invalid: string;
  handle(s: Services, actor: Actor, data: T, place: CardPlace): Promise<ActionResult>;
}

/** Keeps each verb's data type tied to its handler. */
export function verb<T>(v: Verb<T>): Verb<T> {
  return v;
}

export function verbTable(verbs: Verb<unknown>[]): Map<string, Verb<unknown>> {
  const table = new Map<string, Verb<unknown>>();
  for (const v of verbs) {
    if (table.has(v.verb)) throw new Error(`two handlers for the verb ${v.verb}`);
    table.set(v.verb, v);
  }
  return table;
}
