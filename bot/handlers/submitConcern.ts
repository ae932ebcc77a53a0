/**
 * `submitConcern`: the form goes through the one path every surface uses (cases/raise.ts), and the
 * answer replaces the form: the receipt (so it cannot be sent twice), the form again with its problems,
 * or a plain word that it is kept safely while storage is down. `cancelConcern` puts a short note in
 * its place.
 */
import { z } from 'zod';
import { ALREADY_RECEIVED, raiseConcern, spooledNotice } from '../../cases/raise';
import { concernFormCard, noticeCard, receiptCard, startCard } from '../../delivery/cards';
import { verb } from '../verbs';

export const submitConcern = verb({
  verb: 'submitConcern',
  // Read field by field by readConcernSubmission, which names each problem for the reporter.
  data: z.record(z.string(), z.unknown()),
  invalid: 'The form could not be read. Please start again.',
  async handle(s, actor, data, place) {
    const outcome = await raiseConcern(s, actor, data, place);
    switch (outcome.kind) {
      case 'invalid': {
        const { category, formId, values, errors, form } = outcome;
        if (!category || !formId) return { kind: 'card', card: startCard(s.setup, { error: errors.join(' ') }) };
        return {
          kind: 'card',
          card: concernFormCard(s.setup, category, { formId, immediateDanger: values.immediateDanger === 'yes', values, errors, staff: category.staff === 'none' ? [] : form.staff, today: form.today, pickedTitles: form.pickedTitles }),
        };
      }
      case 'stored':
        return { kind: 'card', card: receiptCard(s.setup, outcome.record, { link: s.outbox.link('raise', outcome.record.reference), note: outcome.created ? '' : ALREADY_RECEIVED }) };
      case 'spooled': {
        const { title, lines } = spooledNotice(outcome.immediateDanger);
        return { kind: 'card', card: noticeCard(title, lines, 'Warning') };
      }
    }
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
