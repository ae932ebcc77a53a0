/**
 * The checks every monitoring adapter (and the CSV upload) shares: one zod schema per input, whose
 * messages name the field as the sender spelt it ("eventTime is not a date and time …"), every string
 * bounded, and one place that turns the checked fields into a `MonitoringAlert`. Errors are values.
 */
import { z } from 'zod';
import {
  ALERT_LIMITS,
  RISK_TITLES,
  VENDOR_TITLES,
  type AlertResult,
  type LearnerAsIdentified,
  type MonitoringAlert,
  type RiskLevel,
} from './alert';
import { withoutImages } from './images';
import { isoInstant } from './instant';

/** Tab, newline and carriage return are text; other control characters are not. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** Alert ids form the de-duplication key `vendor|alertId`, so they are plain. */
const ALERT_ID = /^[A-Za-z0-9_.:-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const absent = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function text(name: string, max: number) {
  return z
    .string({ error: (i) => (i.input === undefined || i.input === null ? `${name} is missing` : `${name} must be text`) })
    .trim()
    .min(1, `${name} is empty`)
    .max(max, `${name} is longer than ${max} characters`)
    .refine((s) => !CONTROL.test(s), `${name} contains control characters`);
}

export const requiredText = (name: string, max: number) => text(name, max);

/** Missing, null and blank all mean "not given". */
export const optionalText = (name: string, max: number) => z.preprocess((v) => (absent(v) ? undefined : v), text(name, max).optional());

export const emailField = (name: string) =>
  optionalText(name, ALERT_LIMITS.email).refine((s) => s === undefined || EMAIL.test(s), `${name} is not an email address`);

/** A vendor id: text, or a whole number as some systems send it. */
export const alertIdField = (name: string) =>
  z.preprocess(
    (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v),
    text(name, ALERT_LIMITS.alertId).regex(ALERT_ID, `${name} may hold only letters, digits and - _ . :`),
  );

export const instantField = (name: string, read: (s: string) => string | undefined = isoInstant, example = '2026-03-04T10:15:00Z') =>
  z
    .string({ error: (i) => (i.input === undefined || i.input === null ? `${name} is missing` : `${name} must be text`) })
    .max(40, `${name} is not a date and time`)
    .transform((s, ctx) => {
      const iso = read(s);
      if (!iso) {
        ctx.addIssue({ code: 'custom', message: `${name} "${s.slice(0, 40)}" is not a date and time with its time zone, for example ${example}` });
        return z.NEVER;
      }
      return iso;
    });

function webAddress(name: string, max: number, schemes: string[]) {
  return optionalText(name, max).refine((s) => {
    if (s === undefined) return true;
    try {
      return schemes.includes(new URL(s).protocol);
    } catch {
      return false;
    }
  }, `${name} is not an ${schemes.map((p) => p.replace(':', '')).join(' or ')} address`);
}

/** Where the learner was: a web page. */
export const urlField = (name: string) => webAddress(name, ALERT_LIMITS.url, ['http:', 'https:']);
/** The vendor's console, where the capture is viewed: always https. */
export const vendorLinkField = (name: string) => webAddress(name, ALERT_LIMITS.url, ['https:']);

/** A vendor's own risk scale: what it accepts (for the message) and how it reads onto the school's. */
export interface RiskScale {
  accepted: string;
  read(raw: string): RiskLevel | undefined;
}

export const riskField = (name: string, scale: RiskScale) =>
  z.unknown().transform((v, ctx) => {
    if (absent(v)) {
      ctx.addIssue({ code: 'custom', message: `${name} is missing` });
      return z.NEVER;
    }
    const raw = typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '';
    const risk = raw ? scale.read(raw) : undefined;
    if (!risk) {
      ctx.addIssue({ code: 'custom', message: `${name} ${raw ? `"${raw.slice(0, 20)}"` : 'must be text or a number and'} is not one of ${scale.accepted}` });
      return z.NEVER;
    }
    return { risk, vendorRisk: raw };
  });

/** The learner as the system names them; the same object in every vendor's contract (`user`). */
export const learnerField = (name: string) =>
  z.preprocess(
    (v) => (v === null ? undefined : v),
    z
      .object(
        {
          username: optionalText(`${name}.username`, ALERT_LIMITS.learnerField),
          userPrincipalName: optionalText(`${name}.userPrincipalName`, ALERT_LIMITS.email),
          email: emailField(`${name}.email`),
          name: optionalText(`${name}.name`, ALERT_LIMITS.learnerField),
          misId: optionalText(`${name}.misId`, ALERT_LIMITS.learnerField),
        },
        { error: `${name} must be an object (username, userPrincipalName, email, name, misId)` },
      )
      .optional(),
  );

/** What an adapter has once its vendor's fields are checked: the alert, less what is built here. */
export type AlertParts = Omit<MonitoringAlert, 'summary' | 'learner'> & {
  learner?: LearnerAsIdentified;
  /** The vendor's own words about the alert (a moderator's note), folded into the summary. */
  note?: string;
};

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The paragraph the DSL reads: who raised it, how serious on both scales, what triggered it, where. */
export function summarise(p: AlertParts): string {
  const parts = [`${VENDOR_TITLES[p.vendor]} alert, risk ${p.risk} of 5 (${RISK_TITLES[p.risk].toLowerCase()}; ${VENDOR_TITLES[p.vendor]} level "${p.vendorRisk}").`];
  if (p.category) parts.push(`Category: ${p.category}.`);
  if (p.trigger) parts.push(`Triggered by: "${p.trigger}".`);
  if (p.application || p.url) parts.push(`In: ${[p.application, p.url].filter(Boolean).join(', ')}.`);
  if (p.device) parts.push(`Device: ${p.device}.`);
  if (p.note) parts.push(p.note);
  const all = oneLine(parts.join(' '));
  return all.length > ALERT_LIMITS.summary ? `${all.slice(0, ALERT_LIMITS.summary - 1)}…` : all;
}

const definedOnly = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The last check (someone or some device must be named) and the alert itself. */
export function finishAlert(p: AlertParts, learnerFields: string): MonitoringAlert | string[] {
  const learner = definedOnly(p.learner ?? {});
  if (Object.keys(learner).length === 0 && !p.device) return [`the alert names neither a learner (${learnerFields}) nor a device`];
  const { note: _note, learner: _learner, ...rest } = p;
  return definedOnly({ ...rest, learner, summary: summarise(p) });
}

/**
 * The whole of an adapter: drop the pictures, check the vendor's shape, map it, finish it. Problems are
 * listed in the order the schema found them, each once.
 */
export function adaptAlert<S extends z.ZodType>(body: unknown, schema: S, toParts: (data: z.output<S>) => AlertParts): AlertResult {
  const { value, dropped, tooDeep } = withoutImages(body);
  if (tooDeep) return { ok: false, problems: ['the alert is nested too deeply to be an alert'], droppedImages: dropped };
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = [...new Set(parsed.error.issues.map((i) => i.message))];
    return { ok: false, problems, droppedImages: dropped };
  }
  const finished = finishAlert(toParts(parsed.data), 'user: username, userPrincipalName, email, name or misId');
  return Array.isArray(finished) ? { ok: false, problems: finished, droppedImages: dropped } : { ok: true, alert: finished, droppedImages: dropped };
}
