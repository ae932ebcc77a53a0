/** Starts the server from the environment. A wrong setting or setup file stops it with a message. */
import { SchoolSetupError } from '../config/load';
import { createApp } from './app';
import { readSettings, SettingsError } from './settings';

async function main(): Promise<void> {
  const settings = readSettings();
  const app = await createApp(settings);
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
  const stop = async () => {
    await app.close();
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
