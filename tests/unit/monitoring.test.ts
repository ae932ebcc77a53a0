/**
 * Monitoring alerts (PRODUCT.md §7; policy §7.3.4): each system's alert becomes one shape, pictures never
 * survive, bad input is refused by name, CSV rows are reported by number, and only the school's own
 * monitoring system can post. The JSON samples in tests/fixtures/monitoring are samples of OUR documented
 * contracts (no vendor publishes one: see docs/monitoring.md), not captures from the vendors.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { atOrAboveThreshold, deduplicationKey, type MonitoringAlert } from '../../monitoring/alert';
import { alertsFromCsv } from '../../monitoring/csv';
import { imperoAlert } from '../../monitoring/impero';
import { instantFromExport } from '../../monitoring/instant';
import { sensoAlert } from '../../monitoring/senso';
import { checkBearer, checkSignature, signBody } from '../../monitoring/signature';
import { smoothwallAlert } from '../../monitoring/smoothwall';
import { parseCsv } from '../../tab/api/csv';

const fixture = (name: string) => readFileSync(path.join(__dirname, '..', 'fixtures', 'monitoring', name), 'utf8');
const sample = (name: string) => JSON.parse(fixture(name)) as Record<string, any>;

function accepted(result: ReturnType<typeof smoothwallAlert>): MonitoringAlert {
  if (!result.ok) throw new Error(`refused: ${result.problems.join('; ')}`);
  return result.alert;
}
function refused(result: ReturnType<typeof smoothwallAlert>): string[] {
  if (result.ok) throw new Error('accepted an alert that should have been refused');
  return result.problems;
}

describe('each system\'s alert becomes one shape', () => {
  it('a Smoothwall Monitor event', () => {
    expect(accepted(smoothwallAlert(sample('smoothwall-event.json')))).toEqual({
      vendor: 'smoothwall',
      alertId: 'SWM-20260304-001842',
      occurredAt: '2026-03-04T10:15:27.000Z',
      risk: 4,
      vendorRisk: '4',
      category: 'Self-harm',
      trigger: 'i just want to disappear',
      learner: { username: 'bbrown', userPrincipalName: 'ben.brown@stmichaels.example.org.uk', name: 'Ben Brown' },
      device: 'PREP-LIB-07',
      application: 'Microsoft Word',
      summary:
        'Smoothwall Monitor alert, risk 4 of 5 (high; Smoothwall Monitor level "4"). Category: Self-harm. Triggered by: "i just want to disappear". In: Microsoft Word. Device: PREP-LIB-07. Typed twice in a document during a lesson; no earlier events for this user.',
      vendorLink: 'https://portal.smoothwall.cloud/monitor/events/SWM-20260304-001842',
    });
  });

  it('a Senso violation (a numeric id becomes text; site and IP address are not kept)', () => {
    const alert = accepted(sensoAlert(sample('senso-violation.json')));
    expect(alert).toMatchObject({
      vendor: 'senso',
      alertId: '884211',
      occurredAt: '2026-03-04T13:02:10.000Z',
      risk: 4,
      vendorRisk: 'URGENT',
      category: 'Bullying',
      trigger: 'nobody likes you',
      learner: { username: 'aadams', email: 'amelie.adams@stmichaels.example.org.uk' },
      device: 'PREP-ICT-12',
      application: 'chrome.exe',
      url: 'https://www.example.com/chat',
      vendorLink: 'https://portal.senso.cloud/logging/violations/884211',
    });
    expect(JSON.stringify(alert)).not.toMatch(/10\.20\.6\.31|St Michael's Prep/);
  });

  it('an Impero capture (St Michael\'s own system, §7.3.4)', () => {
    expect(accepted(imperoAlert(sample('impero-capture.json')))).toMatchObject({
      vendor: 'impero',
      alertId: 'c1f6a7e2-4b0e-4d1a-9a53-3f2d7a0c9e11',
      occurredAt: '2026-03-05T09:41:03.250Z',
      risk: 5,
      category: 'Weapons and violence',
      trigger: 'tooled up',
      learner: { username: 'cclark', misId: 'A123456789012' },
      device: 'PREP-IT-03',
      vendorLink: 'https://backdrop.imperosoftware.com/captures/c1f6a7e2-4b0e-4d1a-9a53-3f2d7a0c9e11',
    });
  });

  it('a time with an offset is kept as the same moment in UTC', () => {
    const alert = accepted(smoothwallAlert({ ...sample('smoothwall-event.json'), eventTime: '2026-06-10T14:00:00+01:00' }));
    expect(alert.occurredAt).toBe('2026-06-10T13:00:00.000Z');
  });
});

describe('captured screenshots are never stored (PRODUCT.md §7, §11.2)', () => {
  const pixel = 'iVBORw0KGgo';

  it('a screenshot field is dropped, and the link to the capture is kept', () => {
    const result = smoothwallAlert(sample('smoothwall-event.json'));
    expect(result.droppedImages).toEqual(['screenshot']);
    expect(JSON.stringify(result)).not.toContain(pixel);
    expect(accepted(result).vendorLink).toMatch(/^https:\/\/portal\.smoothwall\.cloud\//);
  });

  it('Impero\'s five screenshots and its thumbnail link are all dropped', () => {
    const result = imperoAlert(sample('impero-capture.json'));
    expect(result.droppedImages).toEqual(['screenshots', 'thumbnailUrl']);
    expect(JSON.stringify(result)).not.toMatch(/iVBORw0KGgo|thumb\.png/);
  });

  it('Senso\'s capture image and image analysis are dropped', () => {
    expect(sensoAlert(sample('senso-violation.json')).droppedImages).toEqual(['captureImage', 'imageAnalysis']);
  });

  it('image data hidden in a text field is dropped wherever it sits', () => {
    const result = sensoAlert({ ...sample('senso-violation.json'), note: `see data:image/jpeg;base64,${'A'.repeat(40)}`, user: { username: 'aadams', name: 'A'.repeat(2100) } });
    expect(result.droppedImages).toEqual(expect.arrayContaining(['note', 'user.name']));
    expect(JSON.stringify(result)).not.toContain('data:image');
  });
});

describe('bad input is refused, each problem naming its field', () => {
  const smoothwall = sample('smoothwall-event.json');

  it('a missing id', () => {
    const { eventId: _, ...rest } = smoothwall;
    expect(refused(smoothwallAlert(rest))).toEqual(['eventId is missing']);
  });

  it('a date that does not exist, or has no time zone', () => {
    expect(refused(smoothwallAlert({ ...smoothwall, eventTime: '2026-02-30T10:00:00Z' }))).toEqual([
      'eventTime "2026-02-30T10:00:00Z" is not a date and time with its time zone, for example 2026-03-04T10:15:00Z',
    ]);
    expect(refused(sensoAlert({ ...sample('senso-violation.json'), violationTime: '2026-03-04 13:02' }))[0]).toMatch(/^violationTime "2026-03-04 13:02" is not a date and time/);
  });

  it('oversized text', () => {
    expect(refused(smoothwallAlert({ ...smoothwall, moderatorNote: 'word '.repeat(401) }))).toEqual(['moderatorNote is longer than 2000 characters']);
    expect(refused(imperoAlert({ ...sample('impero-capture.json'), keyword: 'x'.repeat(201) }))).toEqual(['keyword is longer than 200 characters']);
  });

  it('a risk level the system does not have', () => {
    expect(refused(smoothwallAlert({ ...smoothwall, riskLevel: 7 }))).toEqual(['riskLevel "7" is not one of 1, 2, 3, 4 or 5 (Smoothwall risk levels)']);
    expect(refused(sensoAlert({ ...sample('senso-violation.json'), severity: 'SEVERE' }))).toEqual(['severity "SEVERE" is not one of LOW, MEDIUM, HIGH, URGENT or CRITICAL (Senso severities)']);
    expect(refused(imperoAlert({ ...sample('impero-capture.json'), severity: 'high' }))[0]).toMatch(/^severity "high" is not one of 1, 2, 3, 4 or 5/);
  });

  it('wrong types', () => {
    expect(refused(smoothwallAlert({ ...smoothwall, eventId: { id: 1 }, riskLevel: true, user: 'bbrown' }))).toEqual([
      'eventId must be text',
      'riskLevel must be text or a number and is not one of 1, 2, 3, 4 or 5 (Smoothwall risk levels)',
      'user must be an object (username, userPrincipalName, email, name, misId)',
    ]);
    expect(refused(sensoAlert('a string, not an alert'))).toEqual(['a Senso violation must be a JSON object']);
    expect(refused(imperoAlert(null))).toEqual(['an Impero capture must be a JSON object']);
  });

  it('an id that could forge another alert\'s key, a link that is not https, a script for a URL', () => {
    expect(refused(smoothwallAlert({ ...smoothwall, eventId: 'senso|884211', eventUrl: 'http://portal.smoothwall.cloud/x', url: 'javascript:alert(1)' }))).toEqual([
      'eventId may hold only letters, digits and - _ . :',
      'url is not an http or https address',
      'eventUrl is not an https address',
    ]);
  });

  it('an alert that names neither a learner nor a device', () => {
    const { user: _u, deviceName: _d, ...rest } = smoothwall;
    expect(refused(smoothwallAlert(rest))).toEqual(['the alert names neither a learner (user: username, userPrincipalName, email, name or misId) nor a device']);
  });

  it('a null user is no user; a key that would reach the prototype is not data', () => {
    const alert = accepted(smoothwallAlert(JSON.parse(`{"eventId":"E1","eventTime":"2026-03-04T10:00:00Z","riskLevel":3,"user":null,"deviceName":"PC1","__proto__":{"eventUrl":"https://evil.example/"}}`)));
    expect(alert.learner).toEqual({});
    expect(alert.vendorLink).toBeUndefined();
  });

  it('a body nested beyond reason is not walked', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) deep = { next: deep };
    expect(refused(smoothwallAlert({ ...smoothwall, extra: deep }))).toEqual(['the alert is nested too deeply to be an alert']);
  });
});

describe('risk, threshold and the same alert twice', () => {
  it('Senso\'s severities map LOW 1 … CRITICAL 5, in any letter case', () => {
    const risk = (severity: string) => accepted(sensoAlert({ ...sample('senso-violation.json'), severity })).risk;
    expect(['LOW', 'medium', 'High', 'URGENT', 'critical'].map(risk)).toEqual([1, 2, 3, 4, 5]);
  });

  it('Smoothwall\'s levels are the school\'s, one for one ("Level 5" too)', () => {
    const risk = (riskLevel: unknown) => accepted(smoothwallAlert({ ...sample('smoothwall-event.json'), riskLevel })).risk;
    expect([1, '2', 3, 'Level 4', 'level 5'].map(risk)).toEqual([1, 2, 3, 4, 5]);
  });

  it('an alert below the threshold makes no concern; at or above it does', () => {
    const alert = accepted(smoothwallAlert(sample('smoothwall-event.json')));
    expect(atOrAboveThreshold(alert, 3)).toBe(true);
    expect(atOrAboveThreshold(alert, 4)).toBe(true);
    expect(atOrAboveThreshold(alert, 5)).toBe(false);
  });

  it('the same alert sent twice has one key; the same id from another system does not', () => {
    const once = accepted(sensoAlert(sample('senso-violation.json')));
    const again = accepted(sensoAlert({ ...sample('senso-violation.json'), severity: 'CRITICAL' }));
    expect(deduplicationKey(once)).toBe('senso|884211');
    expect(deduplicationKey(again)).toBe(deduplicationKey(once));
    expect(deduplicationKey({ vendor: 'impero', alertId: '884211' })).not.toBe(deduplicationKey(once));
  });
});

describe('a CSV export, row by row', () => {
  // The caller parses the file; tab/api/csv.ts also drops Excel's byte-order mark.
  const rows = parseCsv(fixture('senso-export.csv'));

  it('good rows become alerts; a broken row is reported by its spreadsheet row number', () => {
    const check = alertsFromCsv(rows, 'senso');
    expect(check.fileProblem).toBeUndefined();
    expect(check.total).toBe(4);
    expect(check.alerts.map((a) => [a.row, a.alert.alertId, a.alert.risk, a.alert.occurredAt])).toEqual([
      [2, '884301', 4, '2026-03-04T10:15:00.000Z'],
      [5, '884303', 1, '2026-03-05T08:05:00.000Z'],
    ]);
    expect(check.alerts[0].alert).toMatchObject({ device: 'PREP-ICT-12', trigger: 'nobody likes you', category: 'Bullying', learner: { username: 'aadams' }, vendorLink: 'https://portal.senso.cloud/logging/violations/884301' });
    expect(check.bad).toEqual([
      {
        row: 3,
        alertId: '884302',
        problems: [
          'Date and Time "31/02/2026 11:00" is not a date and time with its time zone, for example 04/03/2026 10:15 or 2026-03-04T10:15:00Z',
          'Severity "SEVERE" is not one of LOW, MEDIUM, HIGH, URGENT or CRITICAL (Senso severities)',
        ],
      },
    ]);
  });

  it('unknown columns are listed and ignored; the screenshot column is never read', () => {
    const check = alertsFromCsv(rows, 'senso');
    expect(check.ignoredColumns).toEqual(['Site', 'IP Address', 'Screenshot']);
    expect(JSON.stringify(check)).not.toContain('iVBORw0KGgo');
  });

  it('the same alert again in the file makes no second alert', () => {
    expect(alertsFromCsv(rows, 'senso').repeated).toEqual([{ row: 6, firstRow: 2, alertId: '884301' }]);
  });

  it('the byte-order mark is the caller\'s to drop; a header that still has one is read all the same', () => {
    const withMark = [['\uFEFFViolation ID', 'Date and Time', 'Severity', 'Username'], ['1', '2026-03-04T10:00:00Z', 'HIGH', 'aadams']];
    expect(alertsFromCsv(withMark, 'senso').alerts).toHaveLength(1);
  });

  it('the risk column is read on the named system\'s scale', () => {
    const sheet = [['ID', 'Date', 'Risk Level', 'Computer'], ['7', '2026-03-04T10:00:00Z', 'URGENT', 'PC1']];
    expect(alertsFromCsv(sheet, 'senso').alerts[0].alert.risk).toBe(4);
    expect(alertsFromCsv(sheet, 'smoothwall').bad[0].problems).toEqual(['Risk Level "URGENT" is not one of 1, 2, 3, 4 or 5 (Smoothwall risk levels)']);
  });

  it('a file without the columns it needs, or with nothing in it, is refused whole', () => {
    expect(alertsFromCsv([['Username', 'Phrase'], ['aadams', 'x']], 'impero').fileProblem).toBe('The first row must name the columns; missing: alert id, date and time, risk (or severity).');
    expect(alertsFromCsv([], 'impero').fileProblem).toBe('The file is empty.');
    expect(alertsFromCsv([['', '']], 'impero').fileProblem).toBe('The file is empty.');
  });

  it('a row with more cells than the header, and a row that names nobody, are reported', () => {
    const sheet = [['ID', 'Date', 'Severity', 'User'], ['1', '2026-03-04T10:00:00Z', '3', 'cclark', 'stray'], ['2', '2026-03-04T10:00:00Z', '3', '']];
    expect(alertsFromCsv(sheet, 'impero').bad).toEqual([
      { row: 2, alertId: '1', problems: ['the row has 5 cells but the header names 4'] },
      { row: 3, alertId: '2', problems: ['the alert names neither a learner (the user, name, email or MIS id columns) nor a device'] },
    ]);
  });
});

describe('a spreadsheet\'s wall-clock time is read in the school\'s time zone', () => {
  it('British Summer Time is an hour ahead of UTC; winter is not', () => {
    expect(instantFromExport('10/06/2026 14:00', 'Europe/London')).toBe('2026-06-10T13:00:00.000Z');
    expect(instantFromExport('10/01/2026 14:00', 'Europe/London')).toBe('2026-01-10T14:00:00.000Z');
  });
  it('in the hour the clocks go back, the earlier moment is taken', () => {
    expect(instantFromExport('25/10/2026 01:30', 'Europe/London')).toBe('2026-10-25T00:30:00.000Z');
  });
  it('no real date is no date', () => {
    expect(instantFromExport('29/02/2026 10:00', 'Europe/London')).toBeUndefined();
    expect(instantFromExport('yesterday', 'Europe/London')).toBeUndefined();
  });
});

describe('only the school\'s monitoring system can post an alert', () => {
  const secret = 'a'.repeat(24) + 'monitoring-secret-0123456789';
  const body = JSON.stringify(sample('impero-capture.json'));
  const now = new Date('2026-03-05T09:45:00Z');
  const stamp = String(Math.floor(now.getTime() / 1000) - 30);

  it('a good signature, with and without a timestamp', () => {
    expect(checkSignature({ rawBody: body, signatureHeader: signBody(body, secret), secret, now })).toEqual({ ok: true, method: 'hmac' });
    expect(checkSignature({ rawBody: Buffer.from(body), signatureHeader: signBody(body, secret, stamp), timestampHeader: stamp, secret, now })).toEqual({
      ok: true,
      method: 'hmac',
      signedAt: '2026-03-05T09:44:30.000Z',
    });
  });

  it('the wrong secret, or a body changed by one character, is refused', () => {
    expect(checkSignature({ rawBody: body, signatureHeader: signBody(body, `${secret}x`), secret, now })).toMatchObject({ ok: false, reason: 'wrongSignature' });
    expect(checkSignature({ rawBody: body.replace('"severity":5', '"severity":1'), signatureHeader: signBody(body, secret), secret, now })).toMatchObject({ ok: false, reason: 'wrongSignature' });
  });

  it('a timestamp cannot be changed without the signature failing', () => {
    const later = String(Number(stamp) + 60);
    expect(checkSignature({ rawBody: body, signatureHeader: signBody(body, secret, stamp), timestampHeader: later, secret, now })).toMatchObject({ ok: false, reason: 'wrongSignature' });
  });

  it('a replayed request (signed more than five minutes ago) is refused, and so is one from the future', () => {
    const old = String(Number(stamp) - 6 * 60);
    expect(checkSignature({ rawBody: body, signatureHeader: signBody(body, secret, old), timestampHeader: old, secret, now })).toMatchObject({ ok: false, reason: 'staleTimestamp' });
    const ahead = String(Math.floor(now.getTime() / 1000) + 10 * 60);
    expect(checkSignature({ rawBody: body, signatureHeader: signBody(body, secret, ahead), timestampHeader: ahead, secret, now })).toMatchObject({ ok: false, reason: 'futureTimestamp' });
    expect(checkSignature({ rawBody: body, signatureHeader: signBody(body, secret, old), timestampHeader: old, secret, now, replayMinutes: 10 })).toMatchObject({ ok: true });
  });

  it('missing and malformed headers are refused with their reason', () => {
    const hex = signBody(body, secret).slice('sha256='.length);
    const check = (signatureHeader: string | undefined, timestampHeader?: string) => checkSignature({ rawBody: body, signatureHeader, timestampHeader, secret, now });
    expect(check(undefined)).toMatchObject({ ok: false, reason: 'missingSignature' });
    expect(check(hex)).toMatchObject({ ok: false, reason: 'malformedSignature' });
    expect(check(`sha1=${hex}`)).toMatchObject({ ok: false, reason: 'malformedSignature' });
    expect(check(`sha256=${hex.slice(2)}`)).toMatchObject({ ok: false, reason: 'malformedSignature' });
    expect(check(`sha256=${hex}`, 'yesterday')).toMatchObject({ ok: false, reason: 'malformedTimestamp' });
    expect(checkSignature({ rawBody: body, signatureHeader: `sha256=${hex}`, secret, now, requireTimestamp: true })).toMatchObject({ ok: false, reason: 'malformedTimestamp' });
    expect(check(`sha256=${hex.toUpperCase()}`)).toEqual({ ok: true, method: 'hmac' });
  });

  it('without a secret (or with a short one) nothing is accepted', () => {
    expect(checkSignature({ rawBody: body, signatureHeader: signBody(body, 'short'), secret: 'short', now })).toMatchObject({ ok: false, reason: 'notConfigured' });
    expect(checkBearer('Bearer anything', undefined)).toMatchObject({ ok: false, reason: 'notConfigured' });
  });

  it('a bearer key: right, wrong, missing, malformed', () => {
    expect(checkBearer(`Bearer ${secret}`, secret)).toEqual({ ok: true, method: 'bearer' });
    expect(checkBearer(`bearer ${secret}`, secret)).toEqual({ ok: true, method: 'bearer' });
    expect(checkBearer(`Bearer ${secret.slice(1)}`, secret)).toMatchObject({ ok: false, reason: 'wrongBearer' });
    expect(checkBearer(undefined, secret)).toMatchObject({ ok: false, reason: 'missingBearer' });
    expect(checkBearer(`Basic ${secret}`, secret)).toMatchObject({ ok: false, reason: 'malformedBearer' });
  });

  it('a refusal never repeats the secret or what was presented', () => {
    const refusal = checkBearer('Bearer guess-guess-guess', secret);
    expect(JSON.stringify(refusal)).not.toMatch(/guess|monitoring-secret/);
  });
});
