/**
 * `submitConcern`: checks the form, routes it, stores the case with the messages owed for it, and
 * answers with the receipt, which replaces the form (so it cannot be sent twice). `cancelConcern`
 * puts a short note in its place.
 */
import { z } from 'zod';
import { isStorageOutage, prepareConcern, spoolConcern, storeWithin } from '../../cases/intake';
import { todayIn } from '../../core/time';
import { concernFormCard, noticeCard, receiptCard, startCard } from '../../delivery/cards';
import { EntityTooLargeError } from '../../store/caseStore';
import { rosterLearners, learnerTitle } from '../../cases/learners';
import { pickedLearnerIds, readConcernSubmission } from '../concernSubmission';
import { verb } from '../verbs';
import { staffList } from './startConcern';

export const submitConcern = verb({
  verb: 'submitConcern',
  // Read field by field by readConcernSubmission, which names each problem for the reporter.
  data: z.record(z.string(), z.unknown()),
  invalid: 'The form could not be read. Please start again.',
  async handle(s, actor, data, place) {
    const now = s.clock();
    const today = todayIn(s.setup.timeZone, now);
    const [staff, roster] = await Promise.all([staffList(s), rosterLearners(s, pickedLearnerIds(data))]);
    const read = readConcernSubmission(data, s.setup, new Set(staff.map((p) => p.id)), today, roster);
    const pickedTitles = new Map([...roster.values()].map((l) => [l.id, learnerTitle(l)]));
    if (!read.ok) {
      if (!read.category || !read.formId) return { kind: 'card', card: startCard(s.setup, { error: read.errors.join(' ') }) };
      return {
        kind: 'card',
        card: concernFormCard(s.setup, read.category, { formId: read.formId, immediateDanger: read.values.immediateDanger === 'yes', values: read.values, errors: read.errors, staff: read.category.staff === 'none' ? [] : staff, today, pickedTitles }),
      };
    }

    const { concern, category, formId } = read;
    const pending = await prepareConcern(s, actor, concern, formId, place, Number(today.slice(0, 4)));
    try {
      const { record } = await storeWithin(s, pending);
      return { kind: 'card', card: receiptCard(s.setup, record) };
    } catch (err) {
      if (err instanceof EntityTooLargeError) {
        return { kind: 'card', card: concernFormCard(s.setup, category, { formId, immediateDanger: concern.immediateDanger, values: typedValues(data), errors: ['The concern is too long to store. Please shorten what happened.'], staff, today, pickedTitles }) };
      }
      if (!isStorageOutage(err)) throw err;
      try {
        await spoolConcern(s, pending);
      } catch (spoolErr) {
        // Neither the record nor the server's disk can take it (a full disk): say so, keep the form as
        // typed so that Send works again later (the same form makes one case), and change nothing.
        s.log.error('concern neither stored nor kept: storage down and the spool refused it', { error: (spoolErr as Error).message });
        return {
          kind: 'card',
          card: concernFormCard(s.setup, category, {
            formId, immediateDanger: concern.immediateDanger, values: typedValues(data), staff: category.staff === 'none' ? [] : staff, today, pickedTitles,
            errors: ['Your concern could NOT be stored: the safeguarding record cannot be reached and the server could not keep it either. Nothing was sent. Speak to a DSL in person now, and press Send again in a few minutes.'],
          }),
        };
      }
      return {
        kind: 'card',
        card: noticeCard('Your concern is kept safely, but not stored yet', [
          ...(concern.immediateDanger ? ['If you have not already: call 999 now.'] : []),
          'The safeguarding record cannot be reached right now. What you wrote has been kept on the server and will be stored and sent to the DSL as soon as the record is back: you will get its reference then. You do not need to type it again.',
          'The DSL has been told that a concern from you is waiting. If it cannot wait, speak to a DSL in person now.',
        ], 'Warning'),
      };
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

/** What the reporter typed, to show the form again. */
function typedValues(data: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
