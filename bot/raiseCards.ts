/**
 * What the bot shows for a sent concern form, in the chat or in the dialog of "Report as a concern":
 * the receipt (with "already received" when the same form came again), the form again with its
 * problems, or the plain word that it is kept safely while storage is down.
 */
import { ALREADY_RECEIVED, spooledNotice, type RaiseOutcome } from '../cases/raise';
import { concernFormCard, noticeCard, receiptCard, startCard, type AdaptiveCard, type CardSurface, type ReportedMessageNote } from '../delivery/cards';
import type { Services } from '../runtime/services';

export function raiseOutcomeCard(s: Services, outcome: RaiseOutcome, where: { surface: CardSurface; reportedMessage?: ReportedMessageNote } = { surface: 'chat' }): AdaptiveCard {
  switch (outcome.kind) {
    case 'invalid': {
      const { category, formId, values, errors, form } = outcome;
      if (!category || !formId) return startCard(s.setup, { ...where, error: errors.join(' ') });
      return concernFormCard(s.setup, category, {
        ...where,
        formId,
        immediateDanger: values.immediateDanger === 'yes',
        values,
        errors,
        staff: category.staff === 'none' ? [] : form.staff,
        today: form.today,
        pickedTitles: form.pickedTitles,
      });
    }
    case 'stored':
      return receiptCard(s.setup, outcome.record, { link: s.outbox.link('raise', outcome.record.reference), note: outcome.created ? '' : ALREADY_RECEIVED });
    case 'spooled': {
      const { title, lines } = spooledNotice(outcome.immediateDanger);
      return noticeCard(title, lines, 'Warning');
    }
  }
}
