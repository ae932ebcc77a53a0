/**
 * Raising a concern from a filled-in form, wherever it was filled in: the chat's card, the dialog that
 * "Report as a concern" opens on a Teams message, or the tab's page (PRODUCT.md §1, §8). One path for
 * all three: the edge check (concernSubmission.ts), routing and storing with the messages owed
 * (intake.ts: one case per reporter and form, however often it is sent), and the spool when storage is
 * down. Each surface then draws the outcome its own way: a card, a dialog, JSON.
 */
import type { CaseRecord } from '../core/case';
import type { Category } from '../core/categories';
import type { Person } from '../core/roles';
import { todayIn } from '../core/time';
import type { FormValues } from '../delivery/cards';
import type { Actor, Services } from '../runtime/services';
import { EntityTooLargeError } from '../store/caseStore';
import { pickedLearnerIds, readConcernSubmission } from './concernSubmission';
import { isStorageOutage, prepareConcern, spoolConcern, storeWithin, type CardPlace } from './intake';
import { learnerTitle, rosterLearners } from './learners';

/** What the form needs to be shown again: the staff to choose from, today, the learners already picked. */
export interface FormContext {
  staff: readonly Person[];
  today: string;
  pickedTitles: ReadonlyMap<string, string>;
}

export type RaiseOutcome =
  /** Nothing stored: the form again, with what the reporter typed and a sentence per problem. */
  | { kind: 'invalid'; errors: string[]; values: FormValues; category?: Category; formId?: string; form: FormContext }
  /** Stored (or stored already by an earlier send of the same form: `created` false). */
  | { kind: 'stored'; record: CaseRecord; created: boolean }
  /** Storage is down: kept on the server's disk, the recipients told one is waiting. */
  | { kind: 'spooled'; immediateDanger: boolean };

/** The staff lists sorted, by the directory's answer they came from (it is the same object until the directory is read again). */
const sortedStaff = new WeakMap<readonly Person[], Person[]>();

/** The school's staff, for the "member of staff concerned" choice: sorted by name. */
export async function staffList(s: Services): Promise<readonly Person[]> {
  const { members } = await s.roles.resolve(['allStaff']);
  const all = members.allStaff ?? [];
  let sorted = sortedStaff.get(all);
  if (!sorted) {
    sorted = [...all].sort((a, b) => a.displayName.localeCompare(b.displayName));
    sortedStaff.set(all, sorted);
  }
  return sorted;
}

/** The person as the directory knows them, if they are a member of staff; never as a card says. */
export async function staffMember(s: Services, id: string): Promise<Person | undefined> {
  return (await staffList(s)).find((p) => p.id === id);
}

/**
 * Who may raise a concern: the school's staff (pupils share the tenant). The staff list is the
 * directory's, never what a card says. When there is no staff list at all (Microsoft Graph never
 * reached on a fresh deployment) nobody is turned away: a concern refused would be a concern lost.
 */
export async function mayRaise(s: Services, actor: { id: string; name: string }): Promise<{ ok: true; person: Person } | { ok: false; message: string }> {
  const staff = await staffList(s);
  const person = staff.find((p) => p.id === actor.id);
  if (person) return { ok: true, person };
  if (staff.length === 0) return { ok: true, person: { id: actor.id, displayName: actor.name } };
  return { ok: false, message: `Only staff of ${s.setup.name} can raise a concern here. If something worries you, tell a member of staff you trust.` };
}

export async function raiseConcern(s: Services, actor: Actor, data: Record<string, unknown>, place: CardPlace): Promise<RaiseOutcome> {
  const today = todayIn(s.setup.timeZone, s.clock());
  const [staff, roster] = await Promise.all([staffList(s), rosterLearners(s, pickedLearnerIds(data))]);
  const read = readConcernSubmission(data, s.setup, new Set(staff.map((p) => p.id)), today, roster);
  const form: FormContext = { staff, today, pickedTitles: new Map([...roster.values()].map((l) => [l.id, learnerTitle(l)])) };
  if (!read.ok) return { kind: 'invalid', errors: read.errors, values: read.values, category: read.category, formId: read.formId, form };

  const { concern, category, formId } = read;
  const pending = await prepareConcern(s, actor, concern, formId, place, Number(today.slice(0, 4)));
  try {
    const { record, created } = await storeWithin(s, pending);
    return { kind: 'stored', record, created };
  } catch (err) {
    if (err instanceof EntityTooLargeError) {
      return { kind: 'invalid', errors: ['The concern is too long to store. Please shorten what happened.'], values: typedValues(data), category, formId, form };
    }
    if (!isStorageOutage(err)) throw err;
    try {
      await spoolConcern(s, pending);
    } catch (spoolErr) {
      // Neither the record nor the server's disk can take it (a full disk): say so, keep the form as
      // typed so that Send works again later (the same form makes one case), and change nothing.
      s.log.error('concern neither stored nor kept: storage down and the spool refused it', { error: (spoolErr as Error).message });
      return { kind: 'invalid', errors: [NOT_STORED], values: typedValues(data), category, formId, form };
    }
    return { kind: 'spooled', immediateDanger: concern.immediateDanger };
  }
}

/** What the reporter is told when their concern waits in the spool (the same words on every surface). */
export function spooledNotice(immediateDanger: boolean): { title: string; lines: string[] } {
  return {
    title: 'Your concern is kept safely, but not stored yet',
    lines: [
      ...(immediateDanger ? ['If you have not already: call 999 now.'] : []),
      'The safeguarding record cannot be reached right now. What you wrote has been kept on the server and will be stored and sent to the DSL as soon as the record is back: you will get its reference then. You do not need to type it again.',
      'The DSL has been told that a concern from you is waiting. If it cannot wait, speak to a DSL in person now.',
    ],
  };
}

/** Said when neither storage nor the spool could take the concern. */
export const NOT_STORED = 'Your concern could NOT be stored: the safeguarding record cannot be reached and the server could not keep it either. Nothing was sent. Speak to a DSL in person now, and press Send again in a few minutes.';

/** Said with the receipt when the same form arrives again: one case, whatever the retries. */
export const ALREADY_RECEIVED = 'This concern was already received: nothing new was sent. Here is its receipt again.';

/** What the reporter typed, to show the form again. */
function typedValues(data: Record<string, unknown>): FormValues {
  return Object.fromEntries(Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
