/**
 * Taking in a monitoring alert (PRODUCT.md §7; policy §7.3.4: "If a concern is identified via monitoring
 * approaches we will inform the Online Safety Lead, DSL or Deputy Head which will be logged"), from the
 * endpoint or the technician's CSV upload alike:
 *
 * - below the school's risk threshold: logged in the filtering and monitoring log (once per alert) and
 *   counted there, not made a case;
 * - at or above it: a concern in the "monitoring alert" category, reported by "Monitoring system",
 *   routed like any other (the learner's phase from the roster; an unknown learner goes to every phase's
 *   DSL, and the case says so), stored before anyone is told and sent at Teams' pace;
 * - the same alert again (a retry, a replay, the same row in a later export): the first case, never a
 *   second. The alert's key `vendor|id` is the case's submission key, written in the case's own
 *   transaction, so two instances taking the same alert at once still make one case.
 *
 * Nothing here fetches or keeps a picture: the adapters dropped them; only the vendor's link is kept.
 */
import { MONITORING_REPORTER, type Concern, type Learner, type MonitoringSource } from '../core/concern';
import { todayIn } from '../core/time';
import { atOrAboveThreshold, deduplicationKey, RISK_TITLES, VENDOR_TITLES, type LearnerAsIdentified, type MonitoringAlert, type RiskLevel } from '../monitoring/alert';
import type { Actor, Services } from '../runtime/services';
import { prepareConcern, storeConcern } from './intake';

export type AlertOutcome =
  | { outcome: 'created'; reference: string }
  | { outcome: 'alreadyReceived'; reference: string }
  | { outcome: 'belowThreshold'; risk: RiskLevel; threshold: number; alreadyLogged: boolean };

/** The roster's learners, found by what a monitoring system calls them (exact identifiers only, or a unique name). */
export interface RosterIndex {
  byMisId: Map<string, RosterEntry>;
  byEmail: Map<string, RosterEntry>;
  byName: Map<string, RosterEntry[]>;
}

interface RosterEntry {
  id: string;
  name: string;
  yearGroup?: string;
  dateOfBirth?: string;
}

const fold = (t: string) => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();

/** Built once per alert, or once per CSV upload (the register is cached while unchanged). */
export async function rosterIndex(s: Services): Promise<RosterIndex> {
  const register = await s.stores.aup.register(s.setup.schoolId);
  const index: RosterIndex = { byMisId: new Map(), byEmail: new Map(), byName: new Map() };
  for (const p of register.people) {
    if (p.kind !== 'learner' || !p.active) continue;
    const entry = { id: p.id, name: p.displayName, yearGroup: p.yearGroup, dateOfBirth: p.dateOfBirth };
    // A CSV learner's external id is the MIS's (admission number, UPN); a Graph learner's is its Entra id.
    if (p.source === 'csv' && p.externalId) index.byMisId.set(fold(p.externalId), entry);
    if (p.email) index.byEmail.set(fold(p.email), entry);
    const name = fold(p.displayName);
    index.byName.set(name, [...(index.byName.get(name) ?? []), entry]);
  }
  return index;
}

/**
 * Which child the alert is about. An identifier the school's own systems gave (MIS id, email, sign-in
 * name) links the roster's learner to the case. A name alone is never trusted to be the child: a
 * unique match gives the year group for routing, and the DSL links the learner on the case page.
 */
export function matchLearner(identified: LearnerAsIdentified, device: string | undefined, roster: RosterIndex): { learners: Learner[]; match: string } {
  const tried: [string | undefined, Map<string, RosterEntry>, string][] = [
    [identified.misId, roster.byMisId, 'MIS id'],
    [identified.email, roster.byEmail, 'email'],
    [identified.userPrincipalName, roster.byEmail, 'sign-in name'],
    [identified.username?.includes('@') ? identified.username : undefined, roster.byEmail, 'username'],
  ];
  for (const [value, map, what] of tried) {
    const found = value ? map.get(fold(value)) : undefined;
    if (found) return { learners: [{ name: found.name, yearGroup: found.yearGroup, learnerId: found.id, dateOfBirth: found.dateOfBirth }], match: `The learner was found on the roster by ${what}.` };
  }
  const named = identified.name ? roster.byName.get(fold(identified.name)) ?? [] : [];
  if (named.length === 1) {
    return {
      learners: [{ name: named[0].name, yearGroup: named[0].yearGroup }],
      match: `One learner on the roster has the name the monitoring system gave (${named[0].yearGroup ?? 'no year group'}): routed by that year group, not linked to the learner. Confirm it is the right child and link them on the case page.`,
    };
  }
  const label = identified.name ?? identified.username ?? identified.userPrincipalName ?? identified.email ?? (identified.misId ? `MIS id ${identified.misId}` : undefined);
  if (!label) return { learners: [], match: `The alert names no learner, only the device ${device ?? '(none)'}: the phase is unknown, so every phase's DSL is told.` };
  const why = named.length > 1 ? `${named.length} learners on the roster have that name` : 'not on the roster';
  return { learners: [{ name: label }], match: `The learner the monitoring system named (${label}) is ${why}: the phase is unknown, so every phase's DSL is told. Find the child and link them on the case page.` };
}

/** The concern a monitoring alert becomes: its summary as what happened, on a school device (§7.3.4). */
function concernOf(s: Services, alert: MonitoringAlert, learners: Learner[], source: MonitoringSource): Concern {
  const at = new Date(alert.occurredAt);
  const local = new Intl.DateTimeFormat('en-GB', { timeZone: s.setup.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return {
    category: 'monitoringAlert',
    learners,
    whatHappened: [alert.summary, alert.vendorLink ? `The capture is in ${VENDOR_TITLES[alert.vendor]}'s console: ${alert.vendorLink}` : `${VENDOR_TITLES[alert.vendor]} sent no link to the capture: find alert ${alert.alertId} in its console.`].join(' '),
    happenedOn: todayIn(s.setup.timeZone, at),
    happenedAt: local,
    location: 'unknown',
    // Monitoring covers "setting owned or provided internet enabled devices" (§7.3.4).
    device: 'schoolDevice',
    url: alert.url,
    immediateDanger: false,
    monitoring: source,
  };
}

export interface AlertIntakeOptions {
  via: 'endpoint' | 'csv';
  droppedImages: string[];
  /** Built once for a whole upload; read afresh when not given. */
  roster?: RosterIndex;
  /** Who uploaded the CSV (for the audit); the monitoring system itself for the endpoint. */
  by?: Actor;
}

export async function takeAlert(s: Services, alert: MonitoringAlert, opts: AlertIntakeOptions): Promise<AlertOutcome> {
  const threshold = s.setup.filteringAndMonitoring.riskThreshold;
  const key = deduplicationKey(alert);
  if (!atOrAboveThreshold(alert, threshold as RiskLevel)) {
    const outcome = await s.stores.filteringLog.recordBelowThreshold(s.setup.schoolId, { key, vendor: alert.vendor, alertId: alert.alertId, risk: alert.risk, vendorRisk: alert.vendorRisk, threshold, occurredAt: alert.occurredAt, via: opts.via }, s.clock());
    s.log.info('monitoring alert below the threshold: logged, not cased', { vendor: alert.vendor, risk: alert.risk, threshold, alreadyLogged: outcome === 'alreadyRecorded' });
    return { outcome: 'belowThreshold', risk: alert.risk, threshold, alreadyLogged: outcome === 'alreadyRecorded' };
  }

  // A retry or a replay: one read, no routing, the first case's reference.
  const existing = await s.stores.newCases.referenceFor(s.setup.schoolId, MONITORING_REPORTER.id, key);
  if (existing) return { outcome: 'alreadyReceived', reference: existing };

  const { learners, match } = matchLearner(alert.learner, alert.device, opts.roster ?? (await rosterIndex(s)));
  const identified = Object.fromEntries(Object.entries(alert.learner).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const source: MonitoringSource = {
    vendor: alert.vendor,
    vendorTitle: VENDOR_TITLES[alert.vendor],
    alertId: alert.alertId,
    key,
    risk: alert.risk,
    vendorRisk: alert.vendorRisk,
    threshold,
    category: alert.category,
    trigger: alert.trigger,
    identified,
    rosterMatch: match,
    device: alert.device,
    application: alert.application,
    vendorLink: alert.vendorLink,
    droppedImages: opts.droppedImages,
    via: opts.via,
  };
  const actor: Actor = { id: MONITORING_REPORTER.id, name: MONITORING_REPORTER.displayName, tenantId: s.setup.tenantId ?? '' };
  const year = Number(todayIn(s.setup.timeZone, s.clock()).slice(0, 4));
  const pending = await prepareConcern(s, actor, concernOf(s, alert, learners, source), key, {}, year);
  pending.reasons.unshift(
    `Raised by ${VENDOR_TITLES[alert.vendor]} (alert ${alert.alertId}${opts.via === 'csv' ? `, uploaded by ${opts.by?.name ?? 'technical staff'}` : ''}): risk ${alert.risk} of 5 (${RISK_TITLES[alert.risk].toLowerCase()}), at or above the school's threshold of ${threshold}.`,
    match,
    ...(opts.droppedImages.length ? [`The alert came with pictures (${opts.droppedImages.join(', ')}); they were not kept (PRODUCT.md §7).`] : []),
  );
  const { record, created } = await storeConcern(s, pending, '', { paced: true });
  return created ? { outcome: 'created', reference: record.reference } : { outcome: 'alreadyReceived', reference: record.reference };
}
