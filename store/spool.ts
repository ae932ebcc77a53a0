/**
 * When Azure Tables cannot be reached, a submitted concern is kept here, on the server's own disk, so
 * that nothing the reporter typed is lost (PRODUCT.md "What done means": a market-leading system's
 * outage sent schools back to paper). Each waiting concern is one file, written to a temporary name,
 * flushed and renamed, so a crash never leaves half a file. The drain stores them when storage returns
 * and deletes each file only after its case is stored.
 *
 * On Azure App Service point SPOOL_DIR at /home (persistent, encrypted at rest, shared by instances).
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface Spooled<T> {
  id: string;
  spooledAt: string;
  item: T;
}

export class Spool<T> {
  constructor(private readonly dir: string) {}

  async put(item: T): Promise<string> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const id = `${Date.now().toString().padStart(15, '0')}-${randomUUID()}`;
    const final = path.join(this.dir, `${id}.json`);
    const temp = path.join(this.dir, `.${id}.tmp`);
    const handle = await fs.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify({ id, spooledAt: new Date().toISOString(), item } satisfies Spooled<T>));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, final);
    return id;
  }

  async list(): Promise<Spooled<T>[]> {
    let names: string[];
    try {
      names = (await fs.readdir(this.dir)).filter((n) => n.endsWith('.json')).sort();
    } catch {
      return [];
    }
    const out: Spooled<T>[] = [];
    for (const name of names) {
      try {
        out.push(JSON.parse(await fs.readFile(path.join(this.dir, name), 'utf8')) as Spooled<T>);
      } catch {
        // Another instance took it meanwhile, or it is not ours: leave it.
      }
    }
    return out;
  }

  async remove(id: string): Promise<void> {
    await fs.rm(path.join(this.dir, `${id}.json`), { force: true });
  }
}
