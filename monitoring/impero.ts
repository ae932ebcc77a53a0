/**
 * Impero (Impero Education Pro, and the Wellbeing captures triaged in back:drop) → `MonitoringAlert`.
 * St Michael's own policy names it (§7.3.4: "Impero is installed on all PCs … Any inappropriate content
 * is automatically print screened and added to the log").
 *
 * WHERE THE SHAPE COMES FROM — read this before trusting a field name.
 * Impero publishes no webhook, API or capture-export format that we could find. The JSON below is OUR
 * OWN CONTRACT, which the school's integration fills in; its vocabulary is Impero's:
 *  - a capture says Who (the user identified on the device), When (time and date) and What (the keyword
 *    that triggered it), and takes five screenshots, one a second:
 *    https://support.imperosoftware.com/support/solutions/articles/44002210342-impero-wellbeing-written-word-captures
 *  - captures are triaged by status, time and severity in the Capture Manager:
 *    https://support.imperosoftware.com/support/solutions/articles/44002071630-impero-well-being-viewing-captures-capture-manager-overview
 *  - keywords come from Impero's global lists and the school's custom lists:
 *    https://support.imperosoftware.com/en/support/solutions/articles/44002257130-impero-wellbeing-how-can-i-ignore-or-exclude-a-keyword-
 *  - Education Pro's Log Viewer lists violations per user and computer, beginning with the screenshot:
 *    https://support.imperosoftware.com/hc/en-gb/articles/10590160040979-Using-the-Log-Viewer
 *  - email alerts are set per severity, per group:
 *    https://support.imperosoftware.com/en/support/solutions/articles/44002096642-policy-settings-for-email-alerts
 *
 * ASSUMPTION: none of those pages, as we could read them, says what Impero's severity levels are called
 * or how many there are. This contract therefore takes `severity` as a whole number 1–5, 5 the most
 * serious, and the school's integration must map Impero's levels onto it (and docs/monitoring.md says
 * so). If Impero's scale turns out to be named levels, add them to IMPERO_RISK below and nowhere else.
 *
 * The contract (the first three required; unknown fields ignored; pictures dropped):
 *   { "captureId": "…", "capturedAt": "2026-03-04T10:15:00Z", "severity": 4,
 *     "keyword": "…", "keywordList": "…", "user": { "username", "userPrincipalName", "email", "name",
 *     "misId" }, "computerName": "…", "application": "…", "url": "https://…", "note": "…",
 *     "captureUrl": "https://… (the capture in back:drop or the console)" }
 *
 * Risk (assumed scale): 1 → 1, 2 → 2, 3 → 3, 4 → 4, 5 → 5.
 */
import { z } from 'zod';
import { ALERT_LIMITS, type AlertResult, type RiskLevel } from './alert';
import { adaptAlert, alertIdField, instantField, learnerField, optionalText, riskField, urlField, vendorLinkField, type RiskScale } from './fields';

export const IMPERO_RISK: RiskScale = {
  accepted: '1, 2, 3, 4 or 5 (the severity as the school\'s Impero integration maps it)',
  read: (raw) => (/^[1-5]$/.test(raw) ? (Number(raw) as RiskLevel) : undefined),
};

const imperoCapture = z.object(
  {
    captureId: alertIdField('captureId'),
    capturedAt: instantField('capturedAt'),
    severity: riskField('severity', IMPERO_RISK),
    keyword: optionalText('keyword', ALERT_LIMITS.trigger),
    keywordList: optionalText('keywordList', ALERT_LIMITS.category),
    user: learnerField('user'),
    computerName: optionalText('computerName', ALERT_LIMITS.device),
    application: optionalText('application', ALERT_LIMITS.application),
    url: urlField('url'),
    note: optionalText('note', ALERT_LIMITS.note),
    captureUrl: vendorLinkField('captureUrl'),
  },
  { error: 'an Impero capture must be a JSON object' },
);

export function imperoAlert(body: unknown): AlertResult {
  return adaptAlert(body, imperoCapture, (c) => ({
    vendor: 'impero',
    alertId: c.captureId,
    occurredAt: c.capturedAt,
    ...c.severity,
    category: c.keywordList,
    trigger: c.keyword,
    learner: c.user,
    device: c.computerName,
    application: c.application,
    url: c.url,
    note: c.note,
    vendorLink: c.captureUrl,
  }));
}
