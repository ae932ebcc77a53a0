/** A real Azurite table service for tests, in memory, on a free loopback port. */
import type { AddressInfo } from 'node:net';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { default: TableServer } = require('azurite/dist/src/table/TableServer');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { default: TableConfiguration } = require('azurite/dist/src/table/TableConfiguration');

export interface AzuriteHandle {
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}

export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function connectionStringFor(port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
}

/** In memory by default; with `dbPath`, kept on disk so that a stop and a start keep the data. */
export async function startAzurite(port = 0, dbPath?: string): Promise<AzuriteHandle> {
  const config = new TableConfiguration('127.0.0.1', port, undefined, dbPath, false, false, undefined, undefined, false, false, '', '', '', undefined, false, !dbPath);
  const server = new TableServer(config);
  await server.start();
  const address = (server as { httpServer: { address(): AddressInfo } }).httpServer.address();
  let stopped: Promise<void> | undefined;
  return {
    port: address.port,
    connectionString: connectionStringFor(address.port),
    // Once: a test may stop it (an outage) before the world stops everything.
    stop: () =>
      (stopped ??= (async () => {
        await server.close();
        if (!dbPath) await server.clean();
      })()),
  };
}
