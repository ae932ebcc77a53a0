/**
 * New cases against a real Azurite (store/newCaseStore.ts): submissions arriving together are written in
 * one transaction with consecutive references and one journal row naming them all, which the case list
 * reads; the next transaction moves the counter on with the ETag the last one returned.
 */
import type { CaseRecord } from '../../core/case';
import { CaseStore } from '../../store/caseStore';
import { NewCaseStore } from '../../store/newCaseStore';
import { openTables, type Tables } from '../../store/tables';
import { startAzurite, type AzuriteHandle } from '../support/azurite';

let azurite: AzuriteHandle;
let tables: Tables;
beforeAll(async () => {
  azurite = await startAzurite();
  tables = await openTables({ connectionString: azurite.connectionString, prefix: 'ncs' } as never);
});
afterAll(() => azurite.stop());

const build = (schoolId: string, text: string) => (reference: string): CaseRecord => ({
  schoolId,
  tenantId: 't',
  reference,
  concern: { category: 'other', learners: [{ name: 'A', yearGroup: 'Year 5' }], whatHappened: text, happenedOn: '2026-11-20', location: 'onSite', device: 'schoolDevice', immediateDanger: false },
  reporter: { id: 'sam', displayName: 'Sam Taylor' },
  receipt: { conversationId: 'c', activityId: 'a' },
  createdAt: new Date().toISOString(),
  phases: ['prep'],
  urgent: false,
  recipients: [{ id: 'priya', displayName: 'Priya Shah', role: 'dslPrep' }],
  routeReasons: [],
  directoryStale: false,
  status: 'open',
  escalationLevel: 0,
  deadline: '2026-11-23T17:00:00.000Z',
});

async function journal(schoolId: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of tables.Cases.listEntities<{ reference: string }>({ queryOptions: { filter: `PartitionKey eq '${schoolId}' and RowKey ge 'chg|' and RowKey lt 'chg|~'` } })) out.push(e.reference);
  return out;
}

describe('new cases', () => {
  it('twelve at once: one transaction, consecutive references, one journal row naming all twelve, all in the case list', async () => {
    const cases = new CaseStore(tables);
    const store = new NewCaseStore(tables, cases);
    expect((await cases.allCases('s1')).size).toBe(0);
    const made = await Promise.all(Array.from({ length: 12 }, (_, i) => store.create({ schoolId: 's1', referencePrefix: 'SMP', year: 2026, formId: `f${i}`, build: build('s1', `case ${i}`) }, `reporter-${i}`)));
    expect(made.map((m) => m.record.reference).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `SMP-2026-${String(i + 1).padStart(4, '0')}`));
    expect(await journal('s1')).toEqual([made.map((m) => m.record.reference).join(' ')]);
    expect([...(await cases.allCases('s1')).keys()].sort()).toEqual(made.map((m) => m.record.reference).sort());
    // New outbox rows carry the ETag they were stored with (a claim needs no read first).
    for (const m of made) for (const o of m.outbox) expect(o.etag).toBe((await tables.Cases.getEntity(o.schoolId, o.rowKey)).etag);
  });

  it('the next transaction moves the counter on with the ETag the last one returned; a counter moved by another instance is read again', async () => {
    const cases = new CaseStore(tables);
    const store = new NewCaseStore(tables, cases);
    const one = await store.create({ schoolId: 's2', referencePrefix: 'SMP', year: 2026, formId: 'a', build: build('s2', 'a') }, 'r');
    const two = await store.create({ schoolId: 's2', referencePrefix: 'SMP', year: 2026, formId: 'b', build: build('s2', 'b') }, 'r');
    // Another instance (its own store) writes one in between.
    const other = await new NewCaseStore(tables, new CaseStore(tables)).create({ schoolId: 's2', referencePrefix: 'SMP', year: 2026, formId: 'c', build: build('s2', 'c') }, 'r');
    const four = await store.create({ schoolId: 's2', referencePrefix: 'SMP', year: 2026, formId: 'd', build: build('s2', 'd') }, 'r');
    expect([one, two, other, four].map((m) => m.record.reference)).toEqual(['SMP-2026-0001', 'SMP-2026-0002', 'SMP-2026-0003', 'SMP-2026-0004']);
    expect(await journal('s2')).toHaveLength(4);
  });
});
