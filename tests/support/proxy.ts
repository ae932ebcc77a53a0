/**
 * A TCP proxy in front of a real service (Azurite), for faults a stopped process cannot make: a network
 * black hole, where connections are accepted and requests vanish without an answer or an error.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface BlackHoleProxy {
  port: number;
  /** While true, bytes in either direction are swallowed: the caller waits for ever. */
  blackHole: boolean;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number): Promise<BlackHoleProxy> {
  const sockets = new Set<net.Socket>();
  const control = { blackHole: false };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const forward = (from: net.Socket, to: net.Socket) => from.on('data', (chunk) => { if (!control.blackHole) to.write(chunk); });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    get blackHole() { return control.blackHole; },
    set blackHole(v: boolean) { control.blackHole = v; },
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}
