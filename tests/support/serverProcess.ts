/**
 * The real server as a child process (`app/main.ts` through tsx), for tests that kill it or stop its
 * storage. It listens on a port the kernel picks (PORT=0), so no other test can take the port between
 * choosing and listening; the port is read from the line the server prints when it is up. If the server
 * exits or does not come up in time, the error carries what it printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** Everything the server has printed so far. */
  output(): string;
}

const ROOT = path.join(__dirname, '..', '..');

export function startServerProcess(env: Record<string, string>, timeoutMs = 75_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'app', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise<ServerProcess>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}; it printed:\n${printed.slice(-4000) || '(nothing)'}`));
    };
    const timer = setTimeout(() => fail(`the server did not start within ${timeoutMs / 1000} s`), timeoutMs);
    const take = (chunk: Buffer) => {
      printed += chunk.toString();
      const port = /(?:Listening on [^\s]*?:|http:\/\/[^\s/]*?:)(\d+)/.exec(printed)?.[1];
      if (port && Number(port) > 0) {
        clearTimeout(timer);
        child.stdout!.off('data', take);
        child.stdout!.on('data', (c: Buffer) => { printed += c.toString(); });
        resolve({ child, url: `http://127.0.0.1:${port}`, exited, output: () => printed });
      }
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', (c: Buffer) => { printed += c.toString(); });
    child.once('exit', (code, signal) => fail(`the server exited (code ${code}, signal ${signal}) before it was listening`));
  });
}
