/**
 * The edge check of a submitted concern form, wherever it was filled in (the chat's card, the dialog
 * "Report as a concern" opens, the tab's page): one schema, and every problem turned into a sentence
 * for the reporter. Nothing is stored unless this passes.
 */
import { z } from 'zod';
import { categoryById, type Category } from '../core/categories';
import { carriesImage, DEVICES, LEARNER_ID_PATTERN, LEARNER_ROWS, LIMITS, LOCATIONS, type Concern, type Device, type Location } from '../core/concern';
import { isoDay } from '../core/time';
import type { RosterLearner } from './learners';
import type { SchoolSetup } from '../config/schema';
import type { FormValues } from '../delivery/cards';

const FIELD_LABELS: Record<string, string> = {
  formId: 'Form',
  category: 'Kind of concern',
  whatHappened: 'What happened',
  happenedOn: 'When (date)',
  happenedAt: 'Time',
  location: 'Where',
  device: 'Device',
  url: 'Web address',
  immediateDanger: 'Immediate danger',
  actionsTaken: 'What has been done already',
  staffInvolvedId: 'Member of staff',
  messageLink: 'Link to the message',
  messageAuthor: 'Who sent it',
  ...Object.fromEntries(Array.from({ length: LEARNER_ROWS }, (_, i) => [[`learnerPick${i + 1}`, `Learner ${i + 1} from the school's list`], [`learnerName${i + 1}`, `Learner ${i + 1} name`], [`learnerYear${i + 1}`, `Learner ${i + 1} year group`]]).flat()),
};

/** The longest any field may be, so an oversized request is refused before anything else is read. */
const MAX_FIELD: Record<string, number> = {
  formId: 64,
  category: 40,
  whatHappened: LIMITS.whatHappened,
  happenedOn: 10,
  happenedAt: 8,
  location: 20,
  device: 20,
  url: LIMITS.url,
  immediateDanger: 3,
  actionsTaken: LIMITS.actionsTaken,
  staffInvolvedId: 64,
  messageLink: LIMITS.url,
  messageAuthor: LIMITS.messageAuthor,
  ...Object.fromEntries(Array.from({ length: LEARNER_ROWS }, (_, i) => [[`learnerPick${i + 1}`, 200], [`learnerName${i + 1}`, LIMITS.learnerName], [`learnerYear${i + 1}`, 40]]).flat()),
};

/** The roster ids a form names (each row's pick from the typeahead), for the handler to look up. */
export function pickedLearnerIds(data: unknown): string[] {
  if (typeof data !== 'object' || data === null) return [];
  const raw = data as Record<string, unknown>;
  return Array.from({ length: LEARNER_ROWS }, (_, i) => raw[`learnerPick${i + 1}`])
    .filter((v): v is string => typeof v === 'string' && LEARNER_ID_PATTERN.test(v.trim()))
    .map((v) => v.trim());
}

const formShape = z.strictObject(Object.fromEntries(Object.keys(MAX_FIELD).map((k) => [k, z.string().optional()])));

export type SubmissionResult =
  | { ok: true; concern: Concern; formId: string; category: Category }
  | { ok: false; errors: string[]; values: FormValues; category?: Category; formId?: string };

const nf = new Intl.NumberFormat('en-GB');

/**
 * Reads a submitted form. `staffIds` are the members of staff the reporter may name; `roster` the
 * learners it picked from the school's list (pickedLearnerIds), read from the roster by the handler: a
 * picked learner's name, year group and birth date are the roster's, whatever else the card sends.
 */
export function readConcernSubmission(data: unknown, setup: SchoolSetup, staffIds: Set<string>, today: string, roster: ReadonlyMap<string, RosterLearner> = new Map()): SubmissionResult {
  const errors: string[] = [];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, errors: ['The form could not be read. Please start again.'], values: {} };
  }
  // Teams adds its own keys to some submits; they are not the reporter's input.
  const raw = Object.fromEntries(Object.entries(data as Record<string, unknown>).filter(([k]) => k !== 'msteams'));
  const values: FormValues = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(k in MAX_FIELD)) continue;
    if (typeof v === 'string') values[k] = v.slice(0, MAX_FIELD[k]);
    else if (typeof v === 'number' || typeof v === 'boolean') values[k] = String(v);
  }
  const shape = formShape.safeParse(raw);
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      if (issue.code === 'unrecognized_keys') errors.push(`The form had fields it should not have (${issue.keys.slice(0, 5).join(', ')}). Nothing was stored.`);
      else errors.push(`${FIELD_LABELS[String(issue.path[0])] ?? String(issue.path[0])}: expected text.`);
    }
  }
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string' && k in MAX_FIELD && v.length > MAX_FIELD[k]) {
      errors.push(`${FIELD_LABELS[k]} is ${nf.format(v.length)} characters long; the limit is ${nf.format(MAX_FIELD[k])}. Please shorten it.`);
    }
  }

  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string).trim() : '');
  const formId = str('formId');
  if (!/^[0-9a-f-]{36}$/i.test(formId)) errors.push('The form could not be matched to a request. Please start again.');
  const category = categoryById(str('category'));
  if (!category) errors.push('Choose the kind of concern.');

  const yearGroups = new Set(setup.phases.flatMap((p) => p.yearGroups));
  const learners: Concern['learners'] = [];
  for (let i = 1; i <= LEARNER_ROWS; i++) {
    const name = str(`learnerName${i}`);
    const chosen = str(`learnerYear${i}`);
    const year = chosen === 'unknown' ? '' : chosen;
    if (year && !yearGroups.has(year)) errors.push(`Learner ${i}: "${year.slice(0, 40)}" is not a year group of this school.`);
    const pick = str(`learnerPick${i}`);
    if (pick) {
      const learner = roster.get(pick);
      if (!learner) {
        errors.push(`Learner ${i}: the learner chosen is not on the school's list. Type their name and year group instead.`);
        continue;
      }
      const yearGroup = learner.yearGroup && yearGroups.has(learner.yearGroup) ? learner.yearGroup : year || undefined;
      learners.push({ name: learner.name, yearGroup, learnerId: learner.id, ...(learner.dateOfBirth ? { dateOfBirth: learner.dateOfBirth } : {}) });
      continue;
    }
    if (name || year) learners.push({ name, yearGroup: year || undefined });
  }
  const ids = learners.map((l) => l.learnerId).filter(Boolean);
  if (new Set(ids).size !== ids.length) errors.push('The same learner is chosen twice: choose each learner once.');

  const whatHappened = str('whatHappened');
  if (!whatHappened) errors.push('Say what happened.');
  for (const k of ['whatHappened', 'actionsTaken', ...Array.from({ length: LEARNER_ROWS }, (_, i) => `learnerName${i + 1}`)]) {
    if (carriesImage(str(k))) {
      errors.push(`${FIELD_LABELS[k]} contains an image. Images are never accepted: describe what happened in words only, and do not copy or forward the image.`);
    }
  }

  const happenedOn = str('happenedOn');
  if (!happenedOn) errors.push('Give the date it happened.');
  else if (!isoDay(happenedOn)) errors.push('The date it happened is not a real date: choose it from the calendar.');
  else if (happenedOn > today) errors.push('The date it happened cannot be in the future.');
  const happenedAt = str('happenedAt');
  if (happenedAt && !/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(happenedAt)) errors.push('Give the time as HH:MM, or leave it empty.');

  const location = str('location');
  if (!Object.hasOwn(LOCATIONS, location)) errors.push('Choose where it happened.');
  const device = str('device');
  if (!Object.hasOwn(DEVICES, device)) errors.push('Choose the device involved.');

  const url = str('url');
  if (url) {
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') errors.push('The web address must start with http:// or https://.');
    } catch {
      errors.push('The web address is not a valid URL.');
    }
  }

  const messageLink = str('messageLink');
  if (messageLink) {
    try {
      if (new URL(messageLink).protocol !== 'https:') errors.push('The link to the message must start with https://.');
    } catch {
      errors.push('The link to the message is not a valid link.');
    }
  }
  const messageAuthor = str('messageAuthor');
  if (carriesImage(messageAuthor)) errors.push(`${FIELD_LABELS.messageAuthor} contains an image. Images are never accepted.`);

  const danger = str('immediateDanger');
  if (danger !== 'yes' && danger !== 'no') errors.push('Say whether anyone is in immediate danger.');

  const staffInvolvedId = str('staffInvolvedId');
  if (category?.staff === 'required' && !staffInvolvedId) errors.push(`Choose the ${category.staffLabel?.toLowerCase() ?? 'member of staff'}.`);
  if (staffInvolvedId && (!category || category.staff === 'none' || !staffIds.has(staffInvolvedId))) {
    errors.push('The member of staff chosen is not on the school\'s staff list.');
  }

  if (errors.length > 0 || !category) return { ok: false, errors: [...new Set(errors)], values, category, formId: formId || undefined };
  return {
    ok: true,
    formId,
    category,
    concern: {
      category: category.id,
      learners,
      whatHappened,
      happenedOn,
      happenedAt: happenedAt || undefined,
      location: location as Location,
      device: device as Device,
      url: url || undefined,
      immediateDanger: danger === 'yes',
      actionsTaken: str('actionsTaken') || undefined,
      staffInvolvedId: staffInvolvedId || undefined,
      ...(messageLink || messageAuthor ? { reportedMessage: { ...(messageLink ? { link: messageLink } : {}), ...(messageAuthor ? { author: messageAuthor } : {}) } } : {}),
    },
  };
}
