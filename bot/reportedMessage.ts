/**
 * The Teams message a member of staff reports with "Report as a concern" (PRODUCT.md §8), as Teams
 * describes it in the invoke (`messagePayload`): its link, who sent it, when, and its words. Nothing
 * here fetches anything: images, files and hosted contents are only counted, so that the form can say
 * they were not opened, stored or forwarded (policy §11.2, §11.4: never accept, store or forward an
 * image). The words are offered as the first line of "what happened", for the reporter to keep or delete.
 */
import { z } from 'zod';
import { carriesImage, LIMITS } from '../core/concern';
import { formatTime, timeOfDayIn, todayIn } from '../core/time';
import type { FormValues, ReportedMessageNote } from '../delivery/cards';

/** The part of Teams' `messagePayload` read here; anything else it carries is ignored. */
export const messagePayloadSchema = z.object({
  linkToMessage: z.string().max(4096).nullish(),
  createdDateTime: z.string().max(64).nullish(),
  from: z
    .object({
      user: z.object({ displayName: z.string().max(1000).nullish() }).nullish(),
      application: z.object({ displayName: z.string().max(1000).nullish() }).nullish(),
    })
    .nullish(),
  body: z.object({ contentType: z.string().max(40).nullish(), content: z.string().max(200_000).nullish() }).nullish(),
  attachments: z.array(z.object({ contentType: z.string().max(200).nullish() })).max(1000).nullish(),
});

export type MessagePayload = z.infer<typeof messagePayloadSchema>;

export interface ReportedMessage {
  link: string;
  author: string;
  /** ISO, when Teams gave a readable time. */
  sentAt?: string;
  text: string;
  /** The words were longer than the form takes and were cut. */
  truncated: boolean;
  /** Images (in the text, or hosted in Teams) and files attached: counted, never fetched. */
  images: number;
  files: number;
}

/** Attachments that are part of a message's layout, not a file or an image someone shared. */
const NOT_FILES = /^(text\/html|text\/plain|messageReference|application\/vnd\.microsoft\.card\.)/i;

const PREFIX = 'The message said: ';

export function readReportedMessage(p: MessagePayload | null | undefined): ReportedMessage {
  const html = p?.body?.content ?? '';
  const isHtml = (p?.body?.contentType ?? 'html').toLowerCase() !== 'text';
  const images = isHtml ? (html.match(/<img\b/gi) ?? []).length : 0;
  const files = (p?.attachments ?? []).filter((a) => !NOT_FILES.test(a.contentType ?? '')).length;
  const words = withoutImages(isHtml ? htmlToText(html) : html);
  const room = LIMITS.whatHappened - PREFIX.length - 1;
  const time = p?.createdDateTime && !Number.isNaN(Date.parse(p.createdDateTime)) ? new Date(p.createdDateTime).toISOString() : undefined;
  const link = (p?.linkToMessage ?? '').trim();
  return {
    link: /^https:\/\//i.test(link) && link.length <= LIMITS.url ? link : '',
    author: oneLine(p?.from?.user?.displayName ?? p?.from?.application?.displayName ?? '').slice(0, LIMITS.messageAuthor),
    sentAt: time,
    text: words.length > room ? `${words.slice(0, room - 1)}…` : words,
    truncated: words.length > room,
    images,
    files,
  };
}

/** The form's first values: the message's link, sender and time, and its words as the first line of "what happened". */
export function prefilledValues(m: ReportedMessage, timeZone: string, today: string): FormValues {
  const at = m.sentAt ? new Date(m.sentAt) : undefined;
  const day = at ? todayIn(timeZone, at) : today;
  return {
    messageLink: m.link,
    messageAuthor: m.author,
    // A clock a little ahead of ours must not make the form refuse its own date.
    happenedOn: day > today ? today : day,
    ...(at && day <= today ? { happenedAt: timeOfDayIn(timeZone, at) } : {}),
    ...(m.text ? { whatHappened: `${PREFIX}${m.text}\n` } : {}),
  };
}

/** What the cards say about the message: who sent it, when, and that its images and files were left alone. */
export function reportedMessageNote(m: ReportedMessage, timeZone: string): ReportedMessageNote {
  const shared = m.images + m.files;
  return {
    author: m.author || 'someone',
    sentAt: m.sentAt ? formatTime(m.sentAt, timeZone) : 'at a time Teams did not give',
    lines: [
      shared > 0
        ? `It has ${shared === 1 ? 'an image or file' : `${shared} images or files`}. ${shared === 1 ? 'It has' : 'They have'} not been opened, copied or stored, and will not be forwarded: do not download, copy, screenshot or forward ${shared === 1 ? 'it' : 'them'} yourself. Describe ${shared === 1 ? 'it' : 'them'} in words only.`
        : 'Images and files in a reported message are never opened, copied, stored or forwarded.',
      ...(m.text ? ['Its words are the first line of "What happened": keep them or delete them.'] : []),
      ...(m.truncated ? [`The message is longer than the form takes: its words were cut to ${LIMITS.whatHappened.toLocaleString('en-GB')} characters.`] : []),
    ],
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Teams' message HTML as plain words: block ends become new lines, tags go, entities are decoded. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<attachment\b[\s\S]*?<\/attachment\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr|blockquote)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '';
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line, i, all) => line || (i > 0 && all[i - 1]))
    .join('\n')
    .trim();
}

/** An image written into the text (a data: URI, a long base64 run) is dropped, never carried into the form. */
function withoutImages(text: string): string {
  const cleaned = text.replace(/data:image\/[^\s"')]*/gi, '[image not copied]').replace(/[A-Za-z0-9+/]{2000,}={0,2}/g, '[image not copied]');
  return carriesImage(cleaned) ? '' : cleaned;
}

function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}
