/**
 * One monitoring alert, whichever system raised it (PRODUCT.md §7, "Monitoring alerts come in by
 * themselves"; policy §7.3.4: "If a concern is identified via monitoring approaches we will inform the
 * Online Safety Lead, DSL or Deputy Head which will be logged"). Smoothwall Monitor, Senso and Impero
 * each describe an alert in their own words and on their own risk scale; the adapters beside this file
 * turn each into this one shape, so the rest of the product never learns a vendor's vocabulary.
 *
 * What is deliberately not here: any screenshot, image or thumbnail. The vendor keeps its capture; we
 * keep only the link to view it in the vendor's console (PRODUCT.md: "captured screenshots are never
 * stored").
 */

export const MONITORING_VENDORS = ['smoothwall', 'senso', 'impero'] as const;
export type MonitoringVendor = (typeof MONITORING_VENDORS)[number];

export const VENDOR_TITLES: Record<MonitoringVendor, string> = {
  smoothwall: 'Smoothwall Monitor',
  senso: 'Senso',
  impero: 'Impero',
};

/** The school's own risk scale: 1 = lowest … 5 = critical. Each adapter documents how its vendor's levels map onto it. */
export const RISK_LEVELS = [1, 2, 3, 4, 5] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const RISK_TITLES: Record<RiskLevel, string> = {
  1: 'Lowest',
  2: 'Low',
  3: 'Moderate',
  4: 'High',
  5: 'Critical',
};

/**
 * The learner as the monitoring system names them. Nothing here is matched to the roster yet: that is
 * the intake's job, and a name the system got wrong must not silently become the wrong child.
 * `userPrincipalName` is the Microsoft sign-in name (sam.pupil@school.org.uk), not the DfE Unique Pupil
 * Number; a Unique Pupil Number or admission number goes in `misId`.
 */
export interface LearnerAsIdentified {
  username?: string;
  userPrincipalName?: string;
  email?: string;
  name?: string;
  misId?: string;
}

export interface MonitoringAlert {
  vendor: MonitoringVendor;
  /** The vendor's own id for the alert: with `vendor`, it makes the same alert twice one case. */
  alertId: string;
  /** When the monitoring system captured it (ISO 8601, UTC). */
  occurredAt: string;
  /** On the school's scale. */
  risk: RiskLevel;
  /** The vendor's level as it sent it ("URGENT", "4"), kept for the audit and for the DSL. */
  vendorRisk: string;
  /** The vendor's category: Smoothwall's risk category, Senso's rule set, Impero's keyword list. */
  category?: string;
  /** The word or phrase that triggered the capture. */
  trigger?: string;
  learner: LearnerAsIdentified;
  device?: string;
  url?: string;
  application?: string;
  /** Plain text, one paragraph, safe to show the DSL: built from the fields above and the vendor's note. */
  summary: string;
  /** A link to view the capture in the vendor's console, where the vendor keeps the screenshot. */
  vendorLink?: string;
}

/**
 * An adapter's answer: the alert, or every problem found (each naming the field), never an exception.
 * `droppedImages` names the image, screenshot, thumbnail or base64 fields that were removed before
 * anything was read, so the audit can show that a capture came with a picture and that it was not kept.
 */
export type AlertResult =
  | { ok: true; alert: MonitoringAlert; droppedImages: string[] }
  | { ok: false; problems: string[]; droppedImages: string[] };

/** Bounds on every string the adapters keep: a whole case, alerts included, must fit one table entity. */
export const ALERT_LIMITS = {
  alertId: 128,
  category: 120,
  trigger: 200,
  learnerField: 120,
  email: 254,
  device: 120,
  application: 200,
  url: 2048,
  note: 2000,
  summary: 600,
} as const;

/** Whether the alert should become a concern: at or above the school's threshold (PRODUCT.md §7). */
export function atOrAboveThreshold(alert: Pick<MonitoringAlert, 'risk'>, threshold: RiskLevel): boolean {
  return alert.risk >= threshold;
}

/**
 * The key that makes the same alert twice one case: `vendor|alertId`. Alert ids never contain `|`
 * (the adapters refuse it), so the key cannot be forged by choosing an id.
 */
export function deduplicationKey(alert: Pick<MonitoringAlert, 'vendor' | 'alertId'>): string {
  return `${alert.vendor}|${alert.alertId}`;
}
