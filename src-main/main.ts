/**
 * The desktop app's composition root: reads the process's facts, binds the core's options and
 * hands everything to the shell. No logic lives here (see src-main/electron/).
 */
import { join, resolve } from 'node:path';
import { DEFAULT_DEEP_LINK_SCHEME } from './config/load-config.js';
import { configFileIn, defaultDataDir } from './config/paths.js';
import { createCore } from './core/create-core.js';
import { startShell } from './electron/app-shell.js';
import { createLogger } from './log/logger.js';

const dataDir = defaultDataDir(process.env, process.platform);
const logger = createLogger({ sink: (line) => process.stderr.write(`${line}\n`), level: 'info', scope: 'app' });
// out/main/index.js → out/preload/index.cjs and out/renderer-app/ (see electron.vite.config.ts).
const outDir = resolve(import.meta.dirname, '..');

startShell({
  scheme: DEFAULT_DEEP_LINK_SCHEME,
  preloadPath: join(outDir, 'preload', 'index.cjs'),
  rendererDir: join(outDir, 'renderer-app'),
  userDataDir: dataDir,
  argv: process.argv,
  platform: process.platform,
  launch: {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare -- typed boolean, but Electron leaves it undefined unless the default app launched us
    isDefaultApp: process.defaultApp === true,
    execPath: process.execPath,
    appPath: process.argv[1] !== undefined ? resolve(process.argv[1]) : undefined,
  },
  allowInsecureLoopback: process.env['THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER'] === '1',
  openCore: (keyProviders) =>
    createCore({
      dataDir,
      env: process.env,
      configFile: configFileIn(dataDir),
      keyProviders,
      // The app owns the storage settings: a protection they no longer allow loses its wrapping.
      exclusiveKeyProviders: true,
      logger,
      purpose: 'app',
    }),
  logger,
});
