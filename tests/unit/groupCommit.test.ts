/** Group commit against a real Azurite: many appends, few writes; one refused action fails alone. */
import { TableClient, type TransactionAction } from '@azure/data-tables';
import { GroupCommit } from '../../store/groupCommit';
import { etagsOf } from '../../store/tables';
import { startAzurite, type AzuriteHandle } from '../support/azurite';

let azurite: AzuriteHandle;
let table: TableClient;
beforeAll(async () => {
  azurite = await startAzurite();
  table = TableClient.fromConnectionString(azurite.connectionString, 'Rows', { allowInsecureConnection: true });
  await table.createTable();
});
afterAll(() => azurite.stop());

describe('group commit', () => {
  it('stores every action added at the same moment, each caller told when its own is stored', async () => {
    const writes = new GroupCommit(() => table);
    await Promise.all(Array.from({ length: 150 }, (_, i) => writes.add('p1', ['create', { partitionKey: 'p1', rowKey: `r${i}` }])));
    let n = 0;
    for await (const _e of table.listEntities({ queryOptions: { filter: "PartitionKey eq 'p1'" } })) n++;
    expect(n).toBe(150);
  });

  it('a refused action fails alone; the others in its batch are stored', async () => {
    const writes = new GroupCommit(() => table);
    await table.createEntity({ partitionKey: 'p2', rowKey: 'taken' });
    const results = await Promise.allSettled([
      writes.add('p2', ['create', { partitionKey: 'p2', rowKey: 'a' }]),
      writes.add('p2', ['create', { partitionKey: 'p2', rowKey: 'taken' }]),
      writes.add('p2', ['create', { partitionKey: 'p2', rowKey: 'b' }]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('a transaction\'s ETags', () => {
  it('are known for every row it wrote, updates included (whose answers do not name their row), and are the stored ones', async () => {
    await table.createEntity({ partitionKey: 'p3', rowKey: 'counter', next: 1 });
    const before = await table.getEntity('p3', 'counter');
    const actions: TransactionAction[] = [
      ['update', { partitionKey: 'p3', rowKey: 'counter', next: 2 }, 'Replace', { etag: before.etag }],
      ['create', { partitionKey: 'p3', rowKey: 'case|1' }],
      ['upsert', { partitionKey: 'p3', rowKey: 'due|1' }, 'Replace'],
    ];
    const etags = etagsOf(actions, await table.submitTransaction(actions));
    for (const rowKey of ['counter', 'case|1', 'due|1']) expect({ rowKey, etag: etags.get(rowKey) }).toEqual({ rowKey, etag: (await table.getEntity('p3', rowKey)).etag });
    // The next change needs no read: the counter's ETag is the one just written.
    await table.submitTransaction([['update', { partitionKey: 'p3', rowKey: 'counter', next: 3 }, 'Replace', { etag: etags.get('counter') }]]);
    expect((await table.getEntity<{ next: number }>('p3', 'counter')).next).toBe(3);
  });
});
