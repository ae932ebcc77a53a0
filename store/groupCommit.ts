/**
 * Group commit for one table: actions added for a partition while a write is under way are written
 * together in the next transaction (up to 100, Azure Tables' limit), and each caller's promise settles
 * when its own action is stored. A burst of concerns then costs a few writes, not one each.
 */
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { isStatus } from './tables';

interface Pending {
  action: TransactionAction;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GroupCommit {
  private readonly pending = new Map<string, Pending[]>();
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly table: () => TableClient) {}

  add(partitionKey: string, action: TransactionAction): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const list = this.pending.get(partitionKey) ?? [];
      list.push({ action, resolve, reject });
      this.pending.set(partitionKey, list);
      if (list.length > 1) return;
      const tail = (this.tails.get(partitionKey) ?? Promise.resolve()).then(() => this.flush(partitionKey));
      this.tails.set(partitionKey, tail);
      void tail.then(() => {
        if (this.tails.get(partitionKey) === tail) this.tails.delete(partitionKey);
      });
    });
  }

  private async flush(partitionKey: string): Promise<void> {
    const items = this.pending.get(partitionKey) ?? [];
    this.pending.delete(partitionKey);
    for (let i = 0; i < items.length; i += 100) {
      const batch = items.slice(i, i + 100);
      try {
        await this.table().submitTransaction(batch.map((p) => p.action));
        batch.forEach((p) => p.resolve());
      } catch (err) {
        // One refused action fails the whole transaction: then write them one by one, so that only
        // the refused one fails (an outage fails them all either way).
        if (batch.length === 1 || !isStatus(err, 400, 404, 409, 412, 413)) {
          batch.forEach((p) => p.reject(err));
          continue;
        }
        for (const p of batch) {
          await this.table().submitTransaction([p.action]).then(p.resolve, p.reject);
        }
      }
    }
  }
}
