/** `chooseCategory` and `immediateDanger`: from the start card to the category's own form. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { categoryById } from '../../core/categories';
import { todayIn } from '../../core/time';
import { concernFormCard, noticeCard, startCard } from '../../delivery/cards';
import { mayRaise, staffList } from '../../cases/raise';
import type { Services } from '../../runtime/services';
import { verb } from '../verbs';

/** The answer to someone not on the staff list: nothing opened, nothing stored, a line in the log. */
export function notStaff(s: Services, message: string) {
  s.log.warn('a concern was started by someone not on the staff list');
  return { kind: 'card' as const, card: noticeCard('Only staff can raise a concern here', [message]) };
}

export const chooseCategory = verb({
  verb: 'chooseCategory',
  data: z.object({ category: z.string().max(40).optional(), immediateDanger: z.string().max(3).optional() }),
  invalid: 'The card could not be read. Please start again.',
  async handle(s, actor, data) {
    const may = await mayRaise(s, actor);
    if (!may.ok) return notStaff(s, may.message);
    const danger = data.immediateDanger === 'yes';
    const category = data.category ? categoryById(data.category) : undefined;
    if (!category) return { kind: 'card', card: startCard(s.setup, { error: 'Choose the kind of concern first.', immediateDanger: danger }) };
    const staff = category.staff === 'none' ? [] : await staffList(s);
    return {
      kind: 'card',
      card: concernFormCard(s.setup, category, { formId: randomUUID(), immediateDanger: danger, staff, today: todayIn(s.setup.timeZone, s.clock()) }),
    };
  },
});

/** Said before anything else when someone is in immediate danger (the chat's card and the dialog's alike). */
export const IMMEDIATE_DANGER_INTRO = 'Call 999 now if you have not already. Then choose the kind of concern: every DSL and the Online Safety Lead will be told at once.';

export const immediateDanger = verb({
  verb: 'immediateDanger',
  data: z.object({}),
  invalid: 'The card could not be read. Please start again.',
  async handle(s) {
    return {
      kind: 'card',
      card: startCard(s.setup, {
        immediateDanger: true,
        intro: IMMEDIATE_DANGER_INTRO,
      }),
    };
  },
});
