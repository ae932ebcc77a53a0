/**
 * The server under benchmark, in its own process (as in production, the reporters and the Bot
 * Connector are elsewhere): the real app on Azurite, with a Graph stub for the school's groups.
 * Prints one JSON line with its URL, then serves until killed.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../app/server';
import { readSettings } from '../config/settings';
import { loadSchoolSetup } from '../config/load';
import { ROLES } from '../core/roles';
import { IDENTITY_HEADER, startGraphStub } from '../tests/support/graphStub';
import { PEOPLE } from '../tests/support/people';
import { TEST_SCHOOL } from '../tests/support/world';
import { BENCH_REPORTERS, benchReporters } from './support';

(async () => {
  const graph = await startGraphStub();
  const setup = loadSchoolSetup(TEST_SCHOOL);
  for (const role of ROLES) {
    const id = setup.groups[role];
    const people = [...Object.values(PEOPLE), ...benchReporters(BENCH_REPORTERS)];
    if (id) graph.groups.set(id, people.filter((p) => p.roles.includes(role)).map(({ id: pid, displayName }) => ({ id: pid, displayName })));
  }
  process.env.IDENTITY_ENDPOINT = `${graph.url}/msi/token`;
  process.env.IDENTITY_HEADER = IDENTITY_HEADER;
  const settings = readSettings({
    PORT: '0',
    SCHOOL_CONFIG: TEST_SCHOOL,
    TABLES_CONNECTION_STRING: process.env.BENCH_TABLES!,
    DIRECTORY: 'graph',
    GRAPH_BASE_URL: graph.url,
    BOT_SERVICE_URL: process.env.BENCH_CONNECTOR!,
    TEAMS_APP_CATALOG_ID: 'catalog-app-id',
    DIRECTORY_CACHE_SECONDS: '60',
    LOG_QUIET: 'true',
    SPOOL_DIR: '.localdata/bench-spool',
    // The sweeps' intervals may be set for an experiment (e.g. ESCALATION_SWEEP_SECONDS=3600).
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.endsWith('_SWEEP_SECONDS'))),
  });
  const app = await createApp(settings);
  const server = await app.listen();
  process.on('SIGINT', () => process.exit(0));
  // The bench asks for the memory held after its load.
  process.on('SIGUSR2', () => process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss }) + '\n'));
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }) + '\n');
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
