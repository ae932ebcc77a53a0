/**
 * What the reporter sees of a concern they raised (PRODUCT.md §1): its reference, kind, when it was
 * sent, who was told (only what is true) and whether it has been acknowledged, by whom and when. Never
 * the DSL's actions, the narrative or learner names: the receipt sits in chat history. The chat's
 * receipt card, the tab's receipt and "My concerns" are all drawn from here.
 */
import { categoryById } from './categories';
import type { CaseRecord } from './case';
import { formatTime } from './time';

export interface Receipt {
  reference: string;
  categoryTitle: string;
  /** "23 Nov 2026, 11:11", in the school's time zone. */
  sentAt: string;
  /** "Acknowledged by … at …", or "Waiting for acknowledgement". */
  status: string;
  toldWho: string;
  immediateDanger: boolean;
}

/** One line of "My concerns": the reporter's own concern, as much as the receipt says and no more. */
export interface ReporterConcern {
  reference: string;
  createdAt: string;
  categoryTitle: string;
  acknowledged?: { byName: string; at: string };
}

export function acknowledgedText(record: CaseRecord, timeZone: string): string {
  return record.acknowledgedBy && record.acknowledgedAt
    ? `Acknowledged by ${record.acknowledgedBy.displayName} at ${formatTime(record.acknowledgedAt, timeZone)}`
    : '';
}

/** Who was told: only what is true (PRODUCT.md §1). */
export function toldWho(record: CaseRecord): string {
  if (record.recipients.length === 0) {
    return 'Nobody could be told yet: the school\'s directory (Microsoft 365) cannot be reached just now. Your concern is stored, and the safeguarding team will be told as soon as it can be reached. If it cannot wait, speak to a DSL in person now.';
  }
  const stale = record.directoryStale ? ' (the school\'s directory could not be reached, so it went to the people it last knew in those roles; the others are told when it can be reached)' : '';
  return `${record.urgent ? 'Sent to the safeguarding team at once' : 'Sent to the Designated Safeguarding Lead'}${stale}.`;
}

export function receiptOf(record: CaseRecord, timeZone: string): Receipt {
  return {
    reference: record.reference,
    categoryTitle: categoryById(record.concern.category)?.title ?? record.concern.category,
    sentAt: formatTime(record.createdAt, timeZone),
    status: acknowledgedText(record, timeZone) || 'Waiting for acknowledgement',
    toldWho: toldWho(record),
    immediateDanger: record.concern.immediateDanger,
  };
}

export function reporterConcernOf(record: CaseRecord): ReporterConcern {
  return {
    reference: record.reference,
    createdAt: record.createdAt,
    categoryTitle: categoryById(record.concern.category)?.title ?? record.concern.category,
    ...(record.acknowledgedBy && record.acknowledgedAt ? { acknowledged: { byName: record.acknowledgedBy.displayName, at: record.acknowledgedAt } } : {}),
  };
}
