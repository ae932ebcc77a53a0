/**
 * Senso (Senso.cloud, Safeguard Cloud) → `MonitoringAlert`.
 *
 * WHERE THE SHAPE COMES FROM — read this before trusting a field name.
 * Senso publishes no webhook, API or violation-export format that we could find. The JSON below is OUR
 * OWN CONTRACT, which the school's integration fills in; its vocabulary ("violation", "severity", "rule
 * set", "rule word", "the words that triggered the capture", "logged in user", "device", "application",
 * the copyable capture URL) and the severity scale are Senso's, from its public support site:
 *  - severities LOW, MEDIUM, HIGH, URGENT, CRITICAL (and the detection contexts KEYWORD, WEBSITEURL,
 *    CAPTION, WEBSITECONTENT, APPLICATION): the detection-library CSV template,
 *    https://support.senso.cloud/support/solutions/articles/79000116295-import-detection-library-from-csv
 *  - Urgent and Critical "require immediate attention and or are life threatening" and are emailed at
 *    once; Low, Medium and High only show in Logging:
 *    https://support.senso.cloud/support/solutions/articles/79000116253-email-alerts-for-severity-urgent-critical-safeguarding-violations
 *  - what a capture shows (date, words that triggered it, severity, image analysis, rule set and rule
 *    word, device and IP address, logged-in user, application; "copy the URL for the capture"):
 *    https://support.senso.cloud/support/solutions/articles/79000149836-2-0-safeguarding-viewing-and-managing-a-log-capture
 *  - the violation log's columns as a school's own guide shows them (screenshot, date and time, site,
 *    PC name, username, phrase, severity):
 *    https://hvh.freshdesk.com/support/solutions/articles/80000690278-accessing-pc-logs-for-students
 *
 * The contract (the first three required; unknown fields — ipAddress, site — ignored; pictures dropped):
 *   { "violationId": "…", "violationTime": "2026-03-04T10:15:00Z", "severity": "URGENT",
 *     "ruleSet": "…", "ruleWord": "…", "triggerWords": "…", "user": { "username", "userPrincipalName",
 *     "email", "name", "misId" }, "deviceName": "…", "application": "…", "url": "https://…",
 *     "note": "…", "captureUrl": "https://… (the capture in the Senso console)" }
 *
 * Risk: LOW → 1, MEDIUM → 2, HIGH → 3, URGENT → 4, CRITICAL → 5 (any letter case). Senso's five words
 * are in order of seriousness and its own alerting line (emailed from URGENT up) falls between 3 and 4.
 */
import { z } from 'zod';
import { ALERT_LIMITS, type AlertResult, type RiskLevel } from './alert';
import { adaptAlert, alertIdField, instantField, learnerField, optionalText, riskField, urlField, vendorLinkField, type RiskScale } from './fields';

const SEVERITIES: Record<string, RiskLevel> = { LOW: 1, MEDIUM: 2, HIGH: 3, URGENT: 4, CRITICAL: 5 };

export const SENSO_RISK: RiskScale = {
  accepted: 'LOW, MEDIUM, HIGH, URGENT or CRITICAL (Senso severities)',
  read: (raw) => SEVERITIES[raw.toUpperCase()],
};

const sensoViolation = z.object(
  {
    violationId: alertIdField('violationId'),
    violationTime: instantField('violationTime'),
    severity: riskField('severity', SENSO_RISK),
    ruleSet: optionalText('ruleSet', ALERT_LIMITS.category),
    ruleWord: optionalText('ruleWord', ALERT_LIMITS.trigger),
    triggerWords: optionalText('triggerWords', ALERT_LIMITS.trigger),
    user: learnerField('user'),
    deviceName: optionalText('deviceName', ALERT_LIMITS.device),
    application: optionalText('application', ALERT_LIMITS.application),
    url: urlField('url'),
    note: optionalText('note', ALERT_LIMITS.note),
    captureUrl: vendorLinkField('captureUrl'),
  },
  { error: 'a Senso violation must be a JSON object' },
);

export function sensoAlert(body: unknown): AlertResult {
  return adaptAlert(body, sensoViolation, (v) => ({
    vendor: 'senso',
    alertId: v.violationId,
    occurredAt: v.violationTime,
    ...v.severity,
    category: v.ruleSet,
    // What the learner typed or saw first; the rule word that matched it when that is all there is.
    trigger: v.triggerWords ?? v.ruleWord,
    learner: v.user,
    device: v.deviceName,
    application: v.application,
    url: v.url,
    note: v.triggerWords && v.ruleWord && v.ruleWord !== v.triggerWords ? `Rule word: "${v.ruleWord}". ${v.note ?? ''}` : v.note,
    vendorLink: v.captureUrl,
  }));
}
