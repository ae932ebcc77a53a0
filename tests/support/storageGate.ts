/**
 * An HTTP proxy in front of Azurite that can fail storage the ways a network and a dying process do:
 * refuse every request (storage down), refuse only transactions, or hand each transaction to a hook
 * that decides, before it reaches storage or after storage answered, to pass it on or to cut it (the
 * caller then sees a reset; what storage did stays done). The fault suite kills the server from these
 * hooks, so that a crash lands exactly at a step of a concern without any hook in the product.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type GateMode = 'pass' | 'refuse' | 'refuseTransactions';
/** `before`: the transaction has not reached storage; `after`: storage committed it and answered. */
export type TransactionHook = (when: 'before' | 'after') => 'pass' | 'cut' | Promise<'pass' | 'cut'>;

export interface StorageGate {
  port: number;
  mode: GateMode;
  onTransaction?: TransactionHook;
  /** Transactions ($batch) that reached storage. */
  transactions: number;
  /** The connection string for the server: Azurite's, through the gate. */
  connectionString: string;
  close(): Promise<void>;
}

const isTransaction = (req: http.IncomingMessage) => req.method === 'POST' && /\/\$batch(\?|$)/.test(req.url ?? '');

export async function startStorageGate(azuriteConnectionString: string): Promise<StorageGate> {
  const target = new URL(azuriteConnectionString.match(/TableEndpoint=([^;]+)/)![1]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const gate: Omit<StorageGate, 'port' | 'connectionString' | 'close'> = { mode: 'pass', transactions: 0 };
  const server = http.createServer(async (req, res) => {
    const cut = () => {
      req.socket.destroy();
      res.destroy();
    };
    if (gate.mode === 'refuse' || (gate.mode === 'refuseTransactions' && isTransaction(req))) return cut();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const hook = isTransaction(req) ? gate.onTransaction : undefined;
    if (hook && (await hook('before')) === 'cut') return cut();
    const upstream = http.request({ host: target.hostname, port: Number(target.port), method: req.method, path: req.url, headers: req.headers, agent }, async (up) => {
      const answer: Buffer[] = [];
      for await (const c of up) answer.push(c as Buffer);
      if (isTransaction(req)) gate.transactions++;
      if (hook && (await hook('after')) === 'cut') return cut();
      if (gate.mode === 'refuse') return cut();
      res.writeHead(up.statusCode ?? 502, up.headers);
      res.end(Buffer.concat(answer));
    });
    upstream.on('error', cut);
    upstream.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(gate, {
    port,
    connectionString: azuriteConnectionString.replace(`:${target.port}/`, `:${port}/`),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => r());
      }),
  }) as StorageGate;
}
