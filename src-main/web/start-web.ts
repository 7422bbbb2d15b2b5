/**
 * `npm run start:web`: the real core and the real UI in a browser, over the loopback transport.
 * A development and test tool — never part of the packaged app.
 *
 * Options (environment): THE_MAESTRO_DATA_DIR (default ~/.the-maestro), THE_MAESTRO_WEB_PORT
 * (default: a free port), THE_MAESTRO_CONFIG (config file), plus everything the core reads.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../core.js';
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
  const dataDir = process.env.THE_MAESTRO_DATA_DIR ?? join(homedir(), '.the-maestro');
  const port = Number(process.env.THE_MAESTRO_WEB_PORT ?? 0);
  const core = await createCore({
    dataDir,
    env: process.env,
    logger,
    ...(process.env.THE_MAESTRO_CONFIG !== undefined ? { configFile: process.env.THE_MAESTRO_CONFIG } : {}),
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
