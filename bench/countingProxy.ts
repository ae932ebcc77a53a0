/**
 * An HTTP proxy in front of Azurite that counts what the server asks of storage: requests, and
 * entities read (the rows of each query page, one for a point read). Outside our code, so the counts
 * are what Azure Table Storage would bill and serve, whatever the stores believe they do.
 * `BENCH_PROXY_LOG=1` prints each request (method and path) to stderr, to see what a count is made of.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StorageCounts {
  requests: number;
  entitiesRead: number;
  writes: number;
}

export interface CountingProxy {
  port: number;
  counts: StorageCounts;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(targetPort: number): Promise<CountingProxy> {
  const counts: StorageCounts = { requests: 0, entitiesRead: 0, writes: 0 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    counts.requests++;
    if (process.env.BENCH_PROXY_LOG) console.error(`proxy ${req.method} ${decodeURIComponent(req.url ?? "")}`);
    if (req.method !== 'GET') counts.writes++;
    const upstream = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers, agent }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => {
        chunks.push(c);
        res.write(c);
      });
      up.on('end', () => {
        res.end();
        if (req.method !== 'GET' || !String(up.headers['content-type'] ?? '').includes('json')) return;
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as { value?: unknown[]; PartitionKey?: string };
          if (Array.isArray(body.value)) counts.entitiesRead += body.value.length;
          else if (body.PartitionKey !== undefined) counts.entitiesRead += 1;
        } catch {
          /* not an entity answer */
        }
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    counts,
    reset() {
      counts.requests = 0;
      counts.entitiesRead = 0;
      counts.writes = 0;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => r());
      }),
  };
}
