/**
 * A concern as the reporter gives it, the limits on what they may type, and the case reference.
 * Limits keep every case inside one Azure Table entity (each text property holds 64 KiB, i.e. 32,768
 * UTF-16 characters; an entity 1 MiB) with room for its chronology.
 */
import type { CategoryId } from './categories';

export const LIMITS = {
  whatHappened: 8000,
  actionsTaken: 4000,
  learnerName: 120,
  learners: 6,
  url: 2048,
  where: 200,
  messageAuthor: 200,
} as const;

/** The learner rows the concern form offers (one more learner is one more row). */
export const LEARNER_ROWS = 3;

export type Location = 'onSite' | 'offSite' | 'unknown';
export type Device = 'schoolDevice' | 'personalDevice' | 'none' | 'unknown';

export const LOCATIONS: Record<Location, string> = { onSite: 'On site', offSite: 'Off site', unknown: 'Not known' };
export const DEVICES: Record<Device, string> = {
  schoolDevice: 'School device or network',
  personalDevice: 'Personal device',
  none: 'No device involved',
  unknown: 'Not known',
};

/** A roster id as a card or a URL may carry it (a table row key: no / \\ # ? or control characters). */
export const LEARNER_ID_PATTERN = /^[^/\\#?|\u0000-\u001f\u007f]{1,200}$/;

export interface Learner {
  name: string;
  /** Year group from the school's setup, or undefined when not known. */
  yearGroup?: string;
  /** The learner in the roster (the register's people), when chosen from it: every concern about them reads as one chronology. */
  learnerId?: string;
  /** YYYY-MM-DD, where known: child-protection records are kept by the learner's age (retention). */
  dateOfBirth?: string;
}

export interface Concern {
  category: CategoryId;
  learners: Learner[];
  whatHappened: string;
  /** When it happened: ISO date, optional time (HH:MM). */
  happenedOn: string;
  happenedAt?: string;
  location: Location;
  device: Device;
  url?: string;
  immediateDanger: boolean;
  actionsTaken?: string;
  staffInvolvedId?: string;
  /** Raised by the school's monitoring system, not by a person (PRODUCT.md §7; policy §7.3.4). */
  monitoring?: MonitoringSource;
  /**
   * Raised with "Report as a concern" on a Teams message (PRODUCT.md §8): the link to it and who sent
   * it, as the reporter kept them. Never the message's images or files: they are not fetched at all.
   */
  reportedMessage?: ReportedMessage;
}

export interface ReportedMessage {
  link?: string;
  author?: string;
}

/**
 * Where a monitoring alert came from, kept with its case: the vendor's id (which makes the same alert
 * twice one case), its level on both scales, and the link to the capture in the vendor's console. Never
 * the capture itself: screenshots stay with the vendor.
 */
export interface MonitoringSource {
  /** `smoothwall`, `senso` or `impero` (monitoring/alert.ts). */
  vendor: string;
  vendorTitle: string;
  alertId: string;
  /** `vendor|alertId`: one case per alert, however often it is sent (store/newCaseStore.ts's submission key). */
  key: string;
  /** On the school's 1–5 scale, and as the vendor sent it. */
  risk: number;
  vendorRisk: string;
  /** The setup's threshold when it arrived. */
  threshold: number;
  category?: string;
  trigger?: string;
  /** The learner as the system named them (username, sign-in name, email, name, MIS id). */
  identified: Record<string, string>;
  /** How the learner was found on the roster, or why not. */
  rosterMatch: string;
  device?: string;
  application?: string;
  /** The capture in the vendor's console (https): the DSL views it there. */
  vendorLink?: string;
  /** Picture fields removed before the alert was read (names only). */
  droppedImages: string[];
  via: 'endpoint' | 'csv';
}

/** Who "reported" a concern raised by the monitoring system: not a person, so never sent a message. */
export const MONITORING_REPORTER = { id: 'monitoring-system', displayName: 'Monitoring system' } as const;

/** `SMP-2026-0042`: prefix, year, and a number that counts up within the year. */
export function formatReference(prefix: string, year: number, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(4, '0')}`;
}

/** What a reference looks like, for checking one that arrives from a card or a page. */
export const REFERENCE_PATTERN = /^[A-Z]{2,6}-\d{4}-\d{4,}$/;

/** Text that carries an image (a data: URI or a long base64 run) is refused in every category (§11.2). */
export function carriesImage(text: string): boolean {
  return /data:image\//i.test(text) || /[A-Za-z0-9+/]{2000,}={0,2}/.test(text);
}
