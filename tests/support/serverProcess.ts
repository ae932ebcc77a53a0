/**
 * The real server as a child process (`app/main.ts` through tsx), for tests that kill it or stop its
 * storage. It listens on a port the kernel picks (PORT=0), so no other test can take the port between
 * choosing and listening; the port is read from the line the server prints when it is up. If the server
 * exits or does not come up in time, the error carries what it printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  /** Everything the server has printed so far. */
  output(): string;
}

const ROOT = path.join(__dirname, '..', '..');

/**
 * A loopback port free now, for a child process told its port (Azurite, `npm start`): another process
 * can take it before the child listens, so a child that can listen on port 0 should (as below).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function startServerProcess(env: Record<string, string>, timeoutMs = 75_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'app', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise<ServerProcess>((resolve, reject) => {
    let listening = false;
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}; it printed:\n${printed.slice(-4000) || '(nothing)'}`));
    };
    const timer = setTimeout(() => fail(`the server did not start within ${timeoutMs / 1000} s`), timeoutMs);
    const take = (chunk: Buffer) => {
      printed += chunk.toString();
      if (listening) return;
      const port = /(?:Listening on [^\s]*?:|http:\/\/[^\s/]*?:)(\d+)/.exec(printed)?.[1];
      if (!port || Number(port) === 0) return;
      listening = true;
      clearTimeout(timer);
      resolve({ child, url: `http://127.0.0.1:${port}`, exited, output: () => printed });
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.once('exit', (code, signal) => {
      if (!listening) fail(`the server exited (code ${code}, signal ${signal}) before it was listening`);
    });
  });
}
