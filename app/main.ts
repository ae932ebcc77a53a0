/** Starts the server from the environment. A wrong setting or setup file stops it with a message. */
import { SchoolSetupError } from '../config/load';
import { readSettings, SettingsError } from '../config/settings';
import { createApp } from './server';

async function main(): Promise<void> {
  const settings = readSettings();
  const app = await createApp(settings);
  // Background work (sweeps, reminder runs) catches its own failures; anything that still escapes is
  // logged and the server keeps serving: a stray rejection must never stop concerns being taken.
  process.on('unhandledRejection', (reason) => app.services.log.error('unhandled rejection in background work; still serving', { error: String((reason as Error)?.message ?? reason) }));
  const server = await app.listen();
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : settings.port;
  const base = `http://${settings.host === '0.0.0.0' ? 'localhost' : settings.host}:${port}`;
  if (settings.localMode) {
    console.log(`Local mode: no bot credentials, so listening on loopback only (${base}/api/messages). School: ${app.services.setup.name}.`);
  } else {
    console.log(`Listening on ${settings.host}:${port} for ${app.services.setup.name}.`);
    if (settings.directory.kind === 'graph' && settings.notifyIdentity.kind === 'main') {
      console.log('Activity-feed notifications are sent as the bot\'s own identity; Teams may refuse them. Set NOTIFY_CLIENT_ID (or TAB_SSO_CLIENT_ID) to the sign-in app: see docs/deploy.md.');
    }
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // A bounded shutdown: whatever is still in flight after this is carried on by another instance.
    const deadline = setTimeout(() => process.exit(0), 15_000);
    deadline.unref();
    await app.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  if (err instanceof SettingsError || err instanceof SchoolSetupError) console.error(err.message);
  else console.error('The server could not start:', (err as Error).message);
  process.exit(1);
});
