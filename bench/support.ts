/** Shared pieces for benchmarks: Azurite in its own process, percentiles, a table of figures. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { connectionStringFor } from '../tests/support/azurite';
import { freePort } from '../tests/support/serverProcess';
import type { TestPerson } from '../tests/support/people';

export async function waitForPort(port: number, timeoutMs = 15000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.end();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`port ${port} did not open`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Node flags for a process the bench starts, from a variable (e.g. BENCH_SERVER_NODE_FLAGS="--trace-gc"), for experiments. */
export function nodeFlags(variable: string): string[] {
  return (process.env[variable] ?? '').split(' ').filter(Boolean);
}

/** Azurite's table service in a child process (in memory), as it runs beside a real server. */
export async function spawnAzurite(): Promise<{ connectionString: string; process: ChildProcess; stop(): void }> {
  const port = await freePort();
  const main = path.join(__dirname, '..', 'node_modules', 'azurite', 'dist', 'src', 'table', 'main.js');
  // With BENCH_AZURITE_NODE_FLAGS (e.g. "--trace-gc") Azurite's output is shown.
  const flags = nodeFlags('BENCH_AZURITE_NODE_FLAGS');
  const child = spawn(process.execPath, [...flags, main, '--inMemoryPersistence', '--disableTelemetry', '--tableHost', '127.0.0.1', '--tablePort', String(port)], { stdio: flags.length ? ['ignore', 'inherit', 'inherit'] : 'ignore' });
  await waitForPort(port);
  return { connectionString: connectionStringFor(port), process: child, stop: () => child.kill('SIGKILL') };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Members of staff who raise the benchmarks' concerns (the server's directory lists them as staff). */
export function benchReporters(n: number): TestPerson[] {
  return Array.from({ length: n }, (_, i) => ({ id: `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`, displayName: `Reporter ${i}`, roles: ['allStaff'] }));
}

/** As many as any benchmark uses: the school's staff list in the benchmarks' directory. */
export const BENCH_REPORTERS = 200;
