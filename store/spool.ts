/**
 * When Azure Tables cannot be reached, a submitted concern is kept here, on the server's own disk, so
 * that nothing the reporter typed is lost (PRODUCT.md "What done means": a market-leading system's
 * outage sent schools back to paper). Each waiting concern is one file, written to a temporary name,
 * flushed, renamed, and the folder flushed too, so a crash never leaves half a file and a power cut
 * never loses a rename. A write that fails (a full disk) removes its temporary file and says so. The
 * drain stores them when storage returns and deletes each file only after its case is stored; a file
 * that cannot be read is moved aside to `quarantine/` (never skipped silently for ever) and reported.
 *
 * On Azure App Service point SPOOL_DIR at /home (persistent, encrypted at rest, shared by instances).
 */
import { randomUUID } from 'node:crypto';
import { promises as realFs } from 'node:fs';
import path from 'node:path';

export interface Spooled<T> {
  id: string;
  spooledAt: string;
  item: T;
}

/** The file operations the spool uses (tests hand it a disk that fails). */
export type SpoolFs = Pick<typeof realFs, 'mkdir' | 'open' | 'rename' | 'readdir' | 'readFile' | 'rm'>;

export class Spool<T> {
  constructor(
    private readonly dir: string,
    private readonly fs: SpoolFs = realFs,
    /** Told of each file moved to quarantine (the server logs it as an error: someone must look). */
    private readonly onQuarantine: (file: string, reason: string) => void = () => undefined,
  ) {}

  async put(item: T): Promise<string> {
    await this.fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const id = `${Date.now().toString().padStart(15, '0')}-${randomUUID()}`;
    const final = path.join(this.dir, `${id}.json`);
    const temp = path.join(this.dir, `.${id}.tmp`);
    try {
      const handle = await this.fs.open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify({ id, spooledAt: new Date().toISOString(), item } satisfies Spooled<T>));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.fs.rename(temp, final);
    } catch (err) {
      // A full disk (or any failure) leaves nothing half-written behind.
      await this.fs.rm(temp, { force: true }).catch(() => undefined);
      throw err;
    }
    await this.syncFolder();
    return id;
  }

  /** The rename is durable only once the folder itself is flushed. */
  private async syncFolder(): Promise<void> {
    const folder = await this.fs.open(this.dir, 'r').catch(() => undefined);
    if (!folder) return;
    try {
      await folder.sync();
    } catch {
      // Some file systems cannot flush a folder; the file itself is flushed already.
    } finally {
      await folder.close();
    }
  }

  async list(): Promise<Spooled<T>[]> {
    let names: string[];
    try {
      names = (await this.fs.readdir(this.dir)).filter((n) => n.endsWith('.json')).sort();
    } catch {
      return [];
    }
    const out: Spooled<T>[] = [];
    for (const name of names) {
      let text: string;
      try {
        text = await this.fs.readFile(path.join(this.dir, name), 'utf8');
      } catch {
        continue; // another instance took it meanwhile
      }
      try {
        const spooled = JSON.parse(text) as Spooled<T>;
        if (!spooled || typeof spooled !== 'object' || !spooled.id || !spooled.item) throw new Error('not a spooled concern');
        out.push(spooled);
      } catch (err) {
        await this.quarantine(name, (err as Error).message);
      }
    }
    return out;
  }

  private async quarantine(name: string, reason: string): Promise<void> {
    const aside = path.join(this.dir, 'quarantine');
    await this.fs.mkdir(aside, { recursive: true, mode: 0o700 });
    await this.fs.rename(path.join(this.dir, name), path.join(aside, name)).catch(() => undefined);
    this.onQuarantine(path.join(aside, name), reason);
  }

  async remove(id: string): Promise<void> {
    await this.fs.rm(path.join(this.dir, `${id}.json`), { force: true });
  }
}
