/** `chooseCategory` and `immediateDanger`: from the start card to the category's own form. */
import { randomUUID } from 'node:crypto';
import { categoryById } from '../../core/categories';
import { concernFormCard, startCard } from '../cards';
import type { ActionResult, Services } from '../services';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The date in the school's time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now: Date): string {
  let f = dayFormats.get(timeZone);
  if (!f) dayFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(now);
}

export async function staffList(s: Services) {
  const { members } = await s.roles.resolve(['allStaff']);
  return [...(members.allStaff ?? [])].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export async function chooseCategory(s: Services, data: Record<string, unknown>): Promise<ActionResult> {
  const danger = data.immediateDanger === 'yes';
  const category = typeof data.category === 'string' ? categoryById(data.category) : undefined;
  if (!category) return { kind: 'card', card: startCard(s.setup, { error: 'Choose the kind of concern first.', immediateDanger: danger }) };
  const staff = category.staff === 'none' ? [] : await staffList(s);
  return {
    kind: 'card',
    card: concernFormCard(s.setup, category, { formId: randomUUID(), immediateDanger: danger, staff, today: todayIn(s.setup.timeZone, s.clock()) }),
  };
}

export async function immediateDanger(s: Services): Promise<ActionResult> {
  return {
    kind: 'card',
    card: startCard(s.setup, {
      immediateDanger: true,
      intro: 'Call 999 now if you have not already. Then choose the kind of concern: every DSL and the Online Safety Lead will be told at once.',
    }),
  };
}
