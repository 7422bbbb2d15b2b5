/**
 * `npm run start:web`: the real core and the real UI in a browser, over the loopback transport.
 * A development and test tool — never part of the packaged app.
 *
 * It uses the same data directory as the app and the command line (THE_MAESTRO_DATA_DIR, else the
 * platform's default) and its config.json; THE_MAESTRO_WEB_PORT picks the port (default: a free
 * one). Preferences of the web mode live in web-preferences.json beside the app's.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configFileIn, defaultDataDir } from '../config/paths.js';
import { createCore } from '../core/create-core.js';
import { createLogger } from '../log/logger.js';
import { FilePreferencesStore } from '../preferences/file-preferences.js';
import { startWebApp } from './web-app.js';

async function main(): Promise<void> {
  const logger = createLogger({ sink: (line) => process.stderr.write(`${line}\n`), level: 'warn', scope: 'web' });
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const staticDir = join(repoRoot, 'out', 'renderer');
  if (!existsSync(join(staticDir, 'web.html'))) {
    process.stderr.write('The renderer is not built: run `npm run build:renderer` first.\n');
    process.exitCode = 1;
    return;
  }
  const dataDir = defaultDataDir(process.env);
  const port = Number(process.env['THE_MAESTRO_WEB_PORT'] ?? 0);
  const core = await createCore({
    dataDir,
    env: process.env,
    configFile: configFileIn(dataDir),
    logger,
    purpose: 'web',
  });
  const preferences = new FilePreferencesStore(join(dataDir, 'web-preferences.json'), logger);
  const server = await startWebApp({ auth: core.auth, preferences, staticDir, port, logger });
  process.stdout.write(`The Maestro (web) on ${server.appUrl}\n`);
  const stop = (): void => {
    void server.close().then(() => core.dispose());
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
