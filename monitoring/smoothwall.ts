/**
 * Smoothwall Monitor (the human-moderated service) → `MonitoringAlert`.
 *
 * WHERE THE SHAPE COMES FROM — read this before trusting a field name.
 * Smoothwall publishes no webhook, API reference or export column list for Monitor events that we could
 * find. Monitor does push events to CPOMS through what CPOMS labels "Smoothwall API", but that API is
 * not public. So the JSON below is OUR OWN CONTRACT, which the school's integration (or Smoothwall, on
 * request) fills in. Only its vocabulary and its risk scale come from Smoothwall's public help:
 *  - an Event is raised "against a risk category with a risk level", each profile having "a severity
 *    level between one and five":
 *    https://help.smoothwall.net/monitor-managed-service-us/Content/3Dashboard/AboutDashboard.htm
 *  - what levels 1–5 mean (1 "poses no risk on its own but is logged" … 5 "serious … require immediate
 *    attention"): https://monitorhelp.smoothwall.com/hc/en-gb/articles/8063722871964-General-risk-levels
 *  - levels are defined per risk profile and age range:
 *    https://help.smoothwall.net/monitor-managed-service-uk/Content/3Dashboard/Profiles/levels/Levels.htm
 *  - Monitor sends events of risk level 3 or higher to CPOMS by default, with the user name, the date of
 *    the event and the event type:
 *    https://monitorhelp.smoothwall.com/hc/en-gb/articles/9426928413852-Integrating-CPOMS-with-Monitor-UK
 *  - screenshots are taken only when the moderators ask, and are seen by signing in to Monitor:
 *    https://help.smoothwall.net/safeguard/Content/1Dashboard/1ViewAlertsButton/SmoothwallMonitorAlerts.htm
 *
 * The contract (every field but the first three optional; unknown fields ignored; picture fields dropped):
 *   { "eventId": "…", "eventTime": "2026-03-04T10:15:00Z", "riskLevel": 4,
 *     "riskCategory": "…", "capturedText": "…", "user": { "username", "userPrincipalName", "email",
 *     "name", "misId" }, "deviceName": "…", "application": "…", "url": "https://…",
 *     "moderatorNote": "…", "eventUrl": "https://… (the event in the Monitor portal)" }
 *
 * Risk: Smoothwall's level 1–5 is the school's 1–5, one for one (the scales have the same meaning:
 * 1 logged only … 5 act now). "Level 4" is read as 4. Monitor Self-service grades 0–5, where 0 means
 * "not graded": that is refused, because an ungraded capture has no level to compare with a threshold.
 */
import { z } from 'zod';
import { ALERT_LIMITS, type AlertResult, type RiskLevel } from './alert';
import { adaptAlert, alertIdField, instantField, learnerField, optionalText, riskField, urlField, vendorLinkField, type RiskScale } from './fields';

export const SMOOTHWALL_RISK: RiskScale = {
  accepted: '1, 2, 3, 4 or 5 (Smoothwall risk levels)',
  read(raw) {
    const m = /^(?:level\s*)?([1-5])$/i.exec(raw);
    return m ? (Number(m[1]) as RiskLevel) : undefined;
  },
};

const smoothwallEvent = z.object(
  {
    eventId: alertIdField('eventId'),
    eventTime: instantField('eventTime'),
    riskLevel: riskField('riskLevel', SMOOTHWALL_RISK),
    riskCategory: optionalText('riskCategory', ALERT_LIMITS.category),
    capturedText: optionalText('capturedText', ALERT_LIMITS.trigger),
    user: learnerField('user'),
    deviceName: optionalText('deviceName', ALERT_LIMITS.device),
    application: optionalText('application', ALERT_LIMITS.application),
    url: urlField('url'),
    moderatorNote: optionalText('moderatorNote', ALERT_LIMITS.note),
    eventUrl: vendorLinkField('eventUrl'),
  },
  { error: 'a Smoothwall Monitor alert must be a JSON object' },
);

export function smoothwallAlert(body: unknown): AlertResult {
  return adaptAlert(body, smoothwallEvent, (e) => ({
    vendor: 'smoothwall',
    alertId: e.eventId,
    occurredAt: e.eventTime,
    ...e.riskLevel,
    category: e.riskCategory,
    trigger: e.capturedText,
    learner: e.user,
    device: e.deviceName,
    application: e.application,
    url: e.url,
    note: e.moderatorNote,
    vendorLink: e.eventUrl,
  }));
}
