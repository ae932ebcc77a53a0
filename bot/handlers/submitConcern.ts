/**
 * `submitConcern`: the form goes through the one path every surface uses (cases/raise.ts), and the
 * answer replaces the form (raiseCards.ts): the receipt (so it cannot be sent twice), the form again
 * with its problems, or a plain word that it is kept safely while storage is down. `cancelConcern` puts
 * a short note in its place.
 */
import { z } from 'zod';
import { mayRaise, raiseConcern } from '../../cases/raise';
import { notStaff } from './startConcern';
import { noticeCard } from '../../delivery/cards';
import { raiseOutcomeCard } from '../raiseCards';
import { verb } from '../verbs';

export const submitConcern = verb({
  verb: 'submitConcern',
  // Read field by field by readConcernSubmission, which names each problem for the reporter.
  data: z.record(z.string(), z.unknown()),
  invalid: 'The form could not be read. Please start again.',
  async handle(s, actor, data, place) {
    const may = await mayRaise(s, actor);
    if (!may.ok) return notStaff(s, may.message);
    return { kind: 'card', card: raiseOutcomeCard(s, await raiseConcern(s, actor, data, place)) };
  },
});

export const cancelConcern = verb({
  verb: 'cancelConcern',
  data: z.object({}),
  invalid: 'The card could not be read.',
  async handle() {
    return { kind: 'card', card: noticeCard('Nothing was sent', ['Write to me again whenever you need to raise a concern.']) };
  },
});
