/**
 * Seeding for benchmarks: a school's cases written straight to the tables as a migration would (each
 * case, its chronology and its learner index row, 100 to a transaction, four at once), and the other
 * schools that share the tables.
 */
import type { TransactionAction } from '@azure/data-tables';
import type { CaseRecord, ChronologyEntry } from '../core/case';
import type { CategoryId } from '../core/categories';
import { chronologyEntity } from '../store/chronologyStore';
import { toCaseEntity } from '../store/caseStore';
import type { Tables } from '../store/tables';
import { PEOPLE } from '../tests/support/people';
import { TENANT } from '../tests/support/world';

const { dslPrep, reporter } = PEOPLE;
const CATEGORIES: CategoryId[] = ['cyberbullying', 'offensiveCommunication', 'onlineHate', 'misinformation', 'filteringBreach', 'other'];

export type SeedCase = { record: CaseRecord; chronology: ChronologyEntry[] };

/** A closed (or, in the last year, open) case of a school, with its stored chronology lines. */
export function caseOf(schoolId: string, n: number, createdAt: string, learnerId: string, learnerName: string, yearGroup: string, lines: number): { record: CaseRecord; chronology: ChronologyEntry[] } {
  const year = createdAt.slice(0, 4);
  const reference = `SMP-${year}-${String(n).padStart(4, '0')}`;
  const phase = ['Reception', 'Year 1', 'Year 2'].includes(yearGroup) ? 'prePrep' : 'prep';
  const dsl = phase === 'prep' ? dslPrep : PEOPLE.dslPrePrep;
  const holder = { id: dsl.id, displayName: dsl.displayName, role: phase === 'prep' ? 'dslPrep' as const : 'dslPrePrep' as const };
  const closed = createdAt < '2026-06-01';
  const at = (minutes: number) => new Date(Date.parse(createdAt) + minutes * 60_000).toISOString();
  const record: CaseRecord = {
    schoolId,
    tenantId: TENANT,
    reference,
    concern: { category: CATEGORIES[n % CATEGORIES.length], learners: [{ name: learnerName, yearGroup, learnerId }], whatHappened: `Bench concern ${n}: ${'messages in a class group chat, described in words. '.repeat(6)}`, happenedOn: createdAt.slice(0, 10), location: 'onSite', device: 'schoolDevice', immediateDanger: false },
    reporter: { id: reporter.id, displayName: reporter.displayName },
    createdAt,
    phases: [phase],
    urgent: false,
    recipients: [holder],
    routeReasons: ['bench'],
    directoryStale: false,
    status: closed ? 'closed' : 'acknowledged',
    acknowledgedBy: { id: dsl.id, displayName: dsl.displayName },
    acknowledgedAt: at(30),
    escalationLevel: 0,
    routedTo: [holder],
    closure: closed ? { decision: 'No further action', reason: 'Resolved in school', outcome: 'Support given', lessonsLearnt: 'None', closedBy: { id: dsl.id, displayName: dsl.displayName }, closedAt: at(600) } : undefined,
    retentionReviewOn: closed ? `${Number(year) + 25}${createdAt.slice(4, 10)}` : undefined,
  };
  const by = { id: dsl.id, displayName: dsl.displayName };
  const chronology: ChronologyEntry[] = [{ at: at(30), kind: 'acknowledged', by, summary: `Acknowledged by ${dsl.displayName}` }];
  for (let i = 0; i < lines; i++) chronology.push({ at: at(60 + i), kind: 'action', by, summary: 'Support offered to those involved', detail: { note: `Follow-up ${i}: spoke with the learner and their parents.` } });
  if (closed) chronology.push({ at: at(600), kind: 'closed', by, summary: 'Closed: No further action', detail: { reason: 'Resolved in school' } });
  return { record, chronology };
}

/** Writes one school's cases: each case, its chronology and its learner index row, 100 to a transaction, four at once. */
export async function seedSchool(tables: Tables, schoolId: string, cases: { record: CaseRecord; chronology: ChronologyEntry[] }[]): Promise<number> {
  const rows: TransactionAction[] = [];
  for (const { record, chronology } of cases) {
    rows.push(['create', toCaseEntity(record)]);
    for (const e of chronology) rows.push(['create', chronologyEntity(schoolId, record.reference, e)]);
  }
  const batches: TransactionAction[][] = [];
  for (let i = 0; i < rows.length; i += 100) batches.push(rows.slice(i, i + 100));
  for (let i = 0; i < batches.length; i += 4) await Promise.all(batches.slice(i, i + 4).map((b) => tables.Cases.submitTransaction(b)));
  return rows.length;
}

/** `count` other schools in the same tables, `perSchool` cases each: what another school's partition holds. */
export async function seedOtherSchools(tables: Tables, count: number, perSchool: number): Promise<number> {
  let entities = 0;
  for (let s = 0; s < count; s++) {
    const id = `other-school-${String(s).padStart(3, '0')}`;
    const theirs = Array.from({ length: perSchool }, (_, n) => caseOf(id, n, new Date(Date.UTC(2026, 0, 5) + n * 86_400_000).toISOString(), `csv-learner-L${n % 50}`, `Other ${n}`, 'Year 5', 1));
    entities += await seedSchool(tables, id, theirs);
  }
  return entities;
}
