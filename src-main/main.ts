/**
 * The desktop app's composition root: reads the process's facts, binds the core's options and
 * hands everything to the shell. No logic lives here (see src-main/electron/).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultLauncherDirectory, launcherTargetFor } from './cli-install/command-line-tool.js';
import { configuredDeepLinkScheme } from './config/load-config.js';
import { configFileIn, defaultDataDir } from './config/paths.js';
import { createCore } from './core/create-core.js';
import { startShell } from './electron/app-shell.js';
import { commandLineArguments, runCommandLine } from './electron/command-line-launch.js';
import { trayIconPath } from './electron/tray-icon.js';
import { detectTrayHost } from './electron/tray-host.js';
import { asText, batchedSink } from './log/batched-sink.js';
import { createLogger } from './log/logger.js';
import { RotatingLogFile } from './log/rotating-log-file.js';

// out/main/index.js → out/preload/index.cjs, out/renderer-app/, out/cli/ (see electron.vite.config.ts
// and scripts/build-cli.mjs); the app's root (app.asar when packaged) holds out/ and resources/.
const outDir = resolve(import.meta.dirname, '..');
const appRoot = resolve(outDir, '..');
// eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare -- typed boolean, but Electron leaves it undefined unless the default app launched us
const isDefaultApp = process.defaultApp === true;
const cliArgs = commandLineArguments(process.argv, isDefaultApp);

if (cliArgs !== null) {
  // `<executable> --cli …`: the command line, not the app (command-line-launch.ts).
  await runCommandLine({ bundle: join(outDir, 'cli', 'the-maestro.cjs'), args: cliArgs, execPath: process.execPath });
} else {
  // A relative THE_MAESTRO_DATA_DIR means relative to where the app was started, as for the CLI.
  const dataDir = resolve(defaultDataDir(process.env, process.platform));
  // Every line, already redacted by the logger, to stderr and to the log file in the app's logs
  // folder; a round of I/O's lines together (the gateway and the agent log one per request), and
  // whatever waits before the file closes and at exit.
  const logFile = new RotatingLogFile();
  const lines = batchedSink((batch) => {
    process.stderr.write(asText(batch));
    logFile.writeAll(batch);
  });
  process.on('exit', lines.flush);
  const logger = createLogger({ sink: lines.sink, level: 'info', scope: 'app' });
  const appPath = process.argv[1] !== undefined ? resolve(process.argv[1]) : undefined;
  startShell({
    // The scheme the redirect addresses use (configurable): the one registered with the OS.
    scheme: configuredDeepLinkScheme(configFileIn(dataDir), process.env),
    preloadPath: join(outDir, 'preload', 'index.cjs'),
    rendererDir: join(outDir, 'renderer-app'),
    trayIconPath: trayIconPath(appRoot, process.platform),
    userDataDir: dataDir,
    argv: process.argv,
    platform: process.platform,
    launch: { isDefaultApp, execPath: process.execPath, appPath },
    commandLineTool: {
      directory: defaultLauncherDirectory(process.platform, process.env, homedir()),
      target: launcherTargetFor({
        platform: process.platform,
        env: process.env,
        isDefaultApp,
        execPath: process.execPath,
        appPath,
      }),
      pathVariable: process.env['PATH'],
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
        ...(logFile.path !== null ? { logFile: logFile.path } : {}),
        purpose: 'app',
      }),
    logger,
    detectTrayHost: () => detectTrayHost({ platform: process.platform, env: process.env, logger }),
    logFile: {
      openIn: (folder) => logFile.openIn(folder),
      close: () => {
        lines.flush();
        logFile.close();
      },
    },
  });
}
