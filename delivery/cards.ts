/**
 * Card templates (JSON files beside this one, with ${...} bindings) filled with data. Layout lives in
 * the JSON; this file only prepares the data each card needs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compileTemplate, type CardTemplate } from './cardTemplate';
import { CATEGORIES, type Category } from '../core/categories';
import { DEVICES, LEARNER_ROWS, LIMITS, LOCATIONS } from '../core/concern';
import { phaseLabel } from '../core/phases';
import { actionChoices, CLOSURE_DECISIONS } from '../core/caseActions';
import { REASSIGN_TARGETS } from '../core/escalation';
import { AUP_KIND_INFO, type AupKind } from '../core/aup';
import type { CaseRecord, ChronologyEntry } from '../core/case';
import { ROLE_TITLES, type Person } from '../core/roles';
import { formatTime } from '../core/time';
import { acknowledgedText, receiptOf } from '../core/receipt';
import type { SchoolSetup } from '../config/schema';

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

export const TEMPLATE_NAMES = ['start', 'concernForm', 'receipt', 'caseAlert', 'caseLink', 'notice', 'aupSign', 'trainingReminder'] as const;
type TemplateName = (typeof TEMPLATE_NAMES)[number];

const templates = Object.fromEntries(
  TEMPLATE_NAMES.map((name) => [name, compileTemplate(JSON.parse(readFileSync(path.join(__dirname, 'cards', `${name}.json`), 'utf8')))]),
) as Record<TemplateName, CardTemplate<object>>;

function expand(name: TemplateName, data: object): AdaptiveCard {
  return templates[name].fill(data) as AdaptiveCard;
}

/**
 * Where a concern card is shown: in the chat with the bot (Universal Actions, `Action.Execute`), or in
 * the dialog "Report as a concern" opens on a Teams message (task modules take `Action.Submit`, which
 * Teams sends as `composeExtension/submitAction` with the step in the data).
 */
export type CardSurface = 'chat' | 'dialog';

/** What the concern cards say about a Teams message being reported (never its images or files). */
export interface ReportedMessageNote {
  author: string;
  sentAt: string;
  /** The sentences about the message's images and files: they are never fetched, stored or forwarded. */
  lines: string[];
}

export function startCard(
  setup: SchoolSetup,
  opts: { intro?: string; error?: string; immediateDanger?: boolean; category?: string; surface?: CardSurface; reportedMessage?: ReportedMessageNote; pageLink?: string } = {},
): AdaptiveCard {
  return expand('start', {
    schoolName: setup.name,
    intro: opts.intro ?? '',
    error: opts.error ?? '',
    category: opts.category ?? '',
    immediateDanger: opts.immediateDanger ? 'yes' : 'no',
    categories: CATEGORIES.map((c) => ({ id: c.id, title: c.title })),
    surface: opts.surface ?? 'chat',
    reported: !!opts.reportedMessage,
    reportedMessage: opts.reportedMessage ?? { author: '', sentAt: '', lines: [] },
    pageLink: opts.pageLink ?? '',
  });
}

/** Values the reporter has typed, kept when the form is shown again with errors. */
export type FormValues = Record<string, string>;

export { LEARNER_ROWS };

export function concernFormCard(
  setup: SchoolSetup,
  category: Category,
  opts: {
    formId: string;
    immediateDanger: boolean;
    values?: FormValues;
    errors?: string[];
    staff?: readonly Person[];
    today: string;
    pickedTitles?: ReadonlyMap<string, string>;
    surface?: CardSurface;
    /** From "Report as a concern": the form asks for the message's link and sender too. */
    reportedMessage?: ReportedMessageNote;
  },
): AdaptiveCard {
  const values = opts.values ?? {};
  const yearGroups = [
    { title: 'Not known', value: 'unknown' },
    ...setup.phases.flatMap((p) => p.yearGroups.map((y) => ({ title: `${y} (${p.name})`, value: y }))),
  ];
  const v = (k: string) => values[k] ?? '';
  return expand('concernForm', {
    formId: opts.formId,
    immediateDanger: opts.immediateDanger || values.immediateDanger === 'yes' ? 'yes' : v('immediateDanger') || 'no',
    category: { ...category, staffLabel: category.staffLabel ?? '' },
    guidanceStyle: category.imageCategory ? 'attention' : 'emphasis',
    errors: opts.errors ?? [],
    learnerRows: Array.from({ length: LEARNER_ROWS }, (_, i) => {
      // A learner picked before the form came back with errors stays picked (its title from the roster).
      const pick = v(`learnerPick${i + 1}`);
      const title = opts.pickedTitles?.get(pick);
      return { index: i + 1, name: v(`learnerName${i + 1}`), yearGroup: v(`learnerYear${i + 1}`), pick: title ? pick : '', picked: title ? [{ title, value: pick }] : [] };
    }),
    yearGroups,
    staffChoices: opts.staff ?? [],
    locations: Object.entries(LOCATIONS).map(([value, title]) => ({ value, title })),
    devices: Object.entries(DEVICES).map(([value, title]) => ({ value, title })),
    values: {
      whatHappened: v('whatHappened'),
      happenedOn: v('happenedOn') || opts.today,
      happenedAt: v('happenedAt'),
      location: v('location'),
      device: v('device'),
      url: v('url'),
      actionsTaken: v('actionsTaken'),
      staffInvolvedId: v('staffInvolvedId'),
      messageLink: v('messageLink'),
      messageAuthor: v('messageAuthor'),
    },
    surface: opts.surface ?? 'chat',
    reported: !!opts.reportedMessage,
    reportedLines: opts.reportedMessage?.lines ?? [],
    today: opts.today,
    nameMax: LIMITS.learnerName,
    whatMax: LIMITS.whatHappened,
    actionsMax: LIMITS.actionsTaken,
    urlMax: LIMITS.url,
    authorMax: LIMITS.messageAuthor,
  });
}

function categoryOf(record: CaseRecord): Category {
  return CATEGORIES.find((c) => c.id === record.concern.category)!;
}

/**
 * The reporter's receipt: what core/receipt.ts says they may see, a link to "My concerns" in the tab,
 * and a note (a second submit of the same form: "already received").
 */
export function receiptCard(setup: SchoolSetup, record: CaseRecord, opts: { link?: string; note?: string } = {}): AdaptiveCard {
  return expand('receipt', { ...receiptOf(record, setup.timeZone), link: opts.link ?? '', note: opts.note ?? '' });
}

/** The note fields on a case card (a table property holds 32,768 characters; notes stay well below). */
export const NOTE_MAX = 2000;

/**
 * The card a recipient sees for a case: the minimum (PRODUCT.md §3), its state, and the buttons only
 * a current recipient may use (checked again on the server whatever the card shows).
 */
export function caseAlertCard(setup: SchoolSetup, record: CaseRecord, personId: string, caseLink: string, notice = ''): AdaptiveCard {
  const category = categoryOf(record);
  const recipient = record.recipients.find((r) => r.id === personId);
  const acknowledged = !!record.acknowledgedBy;
  const closed = record.status === 'closed';
  const escalatedTo = record.recipients.filter((r) => r.role !== recipient?.role);
  return expand('caseAlert', {
    reference: record.reference,
    categoryTitle: category.title,
    policy: category.policy,
    phase: phaseLabel(setup.phases, record.phases),
    urgent: record.urgent,
    open: !closed,
    closed,
    urgentText: record.concern.immediateDanger ? 'URGENT: someone is in immediate danger' : 'Urgent: the policy asks for this to be dealt with immediately',
    urgency: record.urgent ? `Urgent: acknowledge within ${setup.acknowledgement.urgentMinutes} minutes` : `Acknowledge within ${setup.acknowledgement.standardHours} working hours`,
    reporterName: record.reporter.displayName,
    reportedAt: formatTime(record.createdAt, setup.timeZone),
    recipientRole: recipient ? ROLE_TITLES[recipient.role] : 'No longer a recipient',
    directoryStale: record.directoryStale,
    acknowledged,
    acknowledgedText: acknowledgedText(record, setup.timeZone),
    escalatedText: record.escalationLevel > 0 && !acknowledged ? `Not acknowledged in time: escalated (step ${record.escalationLevel}). Now also with ${escalatedTo.map((r) => r.displayName).join(', ')}.` : '',
    noLongerText: recipient ? '' : 'This concern has been handed to someone else; you no longer hold it.',
    closedText: closed && record.closure ? `Closed by ${record.closure.closedBy.displayName} at ${formatTime(record.closure.closedAt, setup.timeZone)}: ${record.closure.decision}` : '',
    notice,
    caseLink,
    canAct: !!recipient,
    reassignTargets: REASSIGN_TARGETS.filter((r) => r !== recipient?.role).map((r) => ({ value: r, title: ROLE_TITLES[r] })),
    actionChoices: actionChoices(category).map((a) => ({ value: a, title: a })),
    decisions: [...CLOSURE_DECISIONS],
    noteMax: NOTE_MAX,
  });
}

export function noticeCard(title: string, lines: string[], color: 'Default' | 'Attention' | 'Good' | 'Warning' = 'Default'): AdaptiveCard {
  return expand('notice', { title, lines, color });
}

/** A short notice about a case with a link to its page in the tab (never its details: PRODUCT.md §3). */
export function caseLinkCard(title: string, lines: string[], link: string, linkTitle = 'Open case', color: 'Default' | 'Attention' | 'Warning' = 'Default'): AdaptiveCard {
  return expand('caseLink', { title, lines, link, linkTitle, color });
}

/** What an AUP card needs of a document's version (store/aupStore.ts DocumentVersion has it). */
export interface AupCardDocument {
  documentId: string;
  kind: AupKind;
  version: number;
  title: string;
  link?: string;
  text?: string;
  publishedAt: string;
}

/** Above this the text is not put in the card (Teams refuses cards over about 28 KB): the link or the tab has it. */
const CARD_TEXT_CHARS = 12_000;

/** "I have read and agree" for one version of an Acceptable Use Policy (PRODUCT.md §4; policy §7.2). */
export function aupSignCard(setup: SchoolSetup, doc: AupCardDocument, opts: { signedAt?: string; notice?: string; recordsLink?: string } = {}): AdaptiveCard {
  const text = doc.text ?? '';
  const mustRead = doc.kind === 'mustRead';
  const publishedOn = new Intl.DateTimeFormat('en-GB', { timeZone: setup.timeZone, dateStyle: 'long' }).format(new Date(doc.publishedAt));
  const policy = AUP_KIND_INFO[doc.kind]?.policy ?? '§7.2';
  return expand('aupSign', {
    schoolName: setup.name,
    documentId: doc.documentId,
    version: doc.version,
    title: doc.title,
    intro: mustRead
      ? `Version ${doc.version}, published ${publishedOn}. ${setup.name} asks every member of staff to read it each year and confirm (${policy}).`
      : `Version ${doc.version}, published ${publishedOn}. ${setup.name} asks everyone it applies to to read it and agree before using the school's IT (Online Safety Policy ${policy}).`,
    agreeTitle: mustRead ? 'I have read it' : 'I have read and agree',
    link: doc.link ?? '',
    text: doc.link ? '' : text.length > CARD_TEXT_CHARS ? `${text.slice(0, CARD_TEXT_CHARS)}\n\n… the full text is in the Acceptable Use tab in Teams.` : text,
    notice: opts.notice ?? '',
    signed: !!opts.signedAt,
    signedText: opts.signedAt ? `You ${mustRead ? 'confirmed reading' : 'agreed to'} version ${doc.version} on ${formatTime(opts.signedAt, setup.timeZone)}. Thank you.` : '',
    recordsLink: opts.recordsLink ?? '',
  });
}

/** One course a reminder names, as the person reads it: "Overdue since 30 Sep 2026", "Due by 28 Feb 2027", "Never done". */
export interface DueCourse {
  title: string;
  state: string;
}

/** The training a person is due (PRODUCT.md §5: reminders through the bot, to everyone due soon or overdue). */
export function trainingReminderCard(setup: SchoolSetup, items: DueCourse[], link: string): AdaptiveCard {
  return expand('trainingReminder', {
    intro: `${setup.name} keeps a record of the safeguarding and online-safety training every member of staff does (Online Safety Policy §5.3). This is due for you:`,
    items,
    link,
  });
}
