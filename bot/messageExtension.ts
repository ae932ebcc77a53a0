/**
 * "Report as a concern" on any Teams message (PRODUCT.md §8): the message extension's action command.
 * Teams sends `composeExtension/fetchTask` when someone chooses it on a message, and
 * `composeExtension/submitAction` each time a button in the dialog is pressed. The dialog walks the
 * chat's steps with the chat's cards (the kind of concern, then that kind's form and guidance), the
 * form filled in from the message; the submit goes through the one path every surface uses
 * (cases/raise.ts): the same checks, one case per form whatever the retries, and the receipt, which
 * also goes to the reporter's chat with the bot (the outbox), so the reference stays with them.
 *
 * Who is reporting comes from Teams (the invoke's sender) and is checked against the school's staff in
 * the directory, never taken from the card. The message's images and files are never fetched.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { mayRaise, raiseConcern, staffList } from '../cases/raise';
import { categoryById } from '../core/categories';
import { todayIn } from '../core/time';
import { concernFormCard, startCard, type AdaptiveCard } from '../delivery/cards';
import type { IncomingActivity } from '../delivery/channel';
import type { Actor, Services } from '../runtime/services';
import { messagePayloadSchema, prefilledValues, readReportedMessage, reportedMessageNote, type ReportedMessage } from './reportedMessage';
import { IMMEDIATE_DANGER_INTRO } from './handlers/startConcern';
import { raiseOutcomeCard } from './raiseCards';
import type { ActionResult } from './verbs';

/** The command's id in the manifest (manifest/manifest.json, composeExtensions). */
export const REPORT_COMMAND = 'reportConcern';

const TITLE = 'Report as a concern';

/** What a message extension's invoke answers: a dialog with a card, or a short message in one. */
export type DialogResult = { kind: 'dialog'; card: AdaptiveCard } | { kind: 'dialogMessage'; text: string };

const actionValue = z.object({
  commandId: z.string().max(64),
  commandContext: z.string().max(32).nullish(),
  messagePayload: messagePayloadSchema.nullish(),
  /** submitAction only: the dialog's inputs and its button's data. */
  data: z.record(z.string(), z.unknown()).nullish(),
});

/** The dialog's buttons say which step they are (Action.Submit data), as the chat's verbs do. */
const STEPS = ['chooseCategory', 'immediateDanger', 'submitConcern'] as const;
type Step = (typeof STEPS)[number];

export async function onMessageExtension(s: Services, a: IncomingActivity): Promise<ActionResult | DialogResult> {
  if (a.name !== 'composeExtension/fetchTask' && a.name !== 'composeExtension/submitAction') {
    return { kind: 'error', status: 400, message: `This app does not handle "${String(a.name).slice(0, 60)}".` };
  }
  const parsed = actionValue.safeParse(a.value);
  if (!parsed.success) return { kind: 'error', status: 400, message: 'The message action could not be read. Nothing was stored.' };
  const value = parsed.data;
  if (value.commandId !== REPORT_COMMAND) return { kind: 'error', status: 400, message: `Unknown command "${value.commandId.slice(0, 64)}".` };
  const step = a.name === 'composeExtension/fetchTask' ? 'start' : stepOf(value.data);
  if (!step) return { kind: 'error', status: 400, message: 'The dialog could not be read. Nothing was stored.' };

  const userId = a.from.aadObjectId;
  if (!userId) return { kind: 'error', status: 403, message: 'We could not tell who you are, so nothing was done.' };
  const may = await mayRaise(s, { id: userId, name: a.from.name });
  if (!may.ok) {
    s.log.warn('message extension used by someone not on the staff list', { step });
    return { kind: 'dialogMessage', text: may.message };
  }
  const actor: Actor = { id: may.person.id, name: may.person.displayName, tenantId: a.conversation.tenantId };
  const message = readReportedMessage(value.messagePayload);
  try {
    return await answer(s, actor, step, value.data ?? {}, message);
  } catch (err) {
    s.log.error('message extension failed', { step, error: (err as Error).message });
    return { kind: 'error', status: 503, message: 'Something went wrong and nothing was stored. Please try again in a minute.' };
  }
}

function stepOf(data: Record<string, unknown> | null | undefined): Step | undefined {
  const step = data?.step;
  return typeof step === 'string' && (STEPS as readonly string[]).includes(step) ? (step as Step) : undefined;
}

async function answer(s: Services, actor: Actor, step: Step | 'start', data: Record<string, unknown>, message: ReportedMessage): Promise<DialogResult> {
  const note = reportedMessageNote(message, s.setup.timeZone);
  const today = todayIn(s.setup.timeZone, s.clock());
  switch (step) {
    case 'start':
      return { kind: 'dialog', card: startCard(s.setup, { surface: 'dialog', reportedMessage: note }) };
    case 'immediateDanger':
      return {
        kind: 'dialog',
        card: startCard(s.setup, {
          surface: 'dialog',
          reportedMessage: note,
          immediateDanger: true,
          intro: IMMEDIATE_DANGER_INTRO,
        }),
      };
    case 'chooseCategory': {
      const danger = data.immediateDanger === 'yes';
      const category = typeof data.category === 'string' ? categoryById(data.category) : undefined;
      if (!category) return { kind: 'dialog', card: startCard(s.setup, { surface: 'dialog', reportedMessage: note, error: 'Choose the kind of concern first.', immediateDanger: danger }) };
      const staff = category.staff === 'none' ? [] : await staffList(s);
      const values = { ...prefilledValues(message, s.setup.timeZone, today), ...(danger ? { immediateDanger: 'yes' } : {}) };
      return {
        kind: 'dialog',
        card: concernFormCard(s.setup, category, { formId: randomUUID(), immediateDanger: danger, values, staff, today, surface: 'dialog', reportedMessage: note }),
      };
    }
    case 'submitConcern': {
      // The button's step and Teams' own keys are not the reporter's input.
      const { step: _step, msteams: _teams, ...input } = data;
      return { kind: 'dialog', card: raiseOutcomeCard(s, await raiseConcern(s, actor, input, {}), { surface: 'dialog', reportedMessage: note }) };
    }
  }
}

/** Teams' task-module response: the dialog's card, or a message in it. */
export function dialogResponse(result: DialogResult): { task: unknown } {
  if (result.kind === 'dialogMessage') return { task: { type: 'message', value: result.text } };
  return {
    task: {
      type: 'continue',
      value: { title: TITLE, height: 'large', width: 'large', card: { contentType: 'application/vnd.microsoft.card.adaptive', content: result.card } },
    },
  };
}
