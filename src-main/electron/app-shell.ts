import { isAbsolute } from 'node:path';
import { app, dialog, protocol } from 'electron';
import type { Logger } from '../log/logger.js';
import { AuthError, toErrorInfo } from '../core/auth-error.js';
import { APP_ID, APP_PROTOCOL_SCHEME, PRODUCT_NAME } from './app-identity.js';
import { startWhenReady } from './app-ready.js';
import { DeepLinkRouter } from './deep-link-router.js';
import { acquireSingleInstanceLock, listenForDeepLinks, registerProtocolClient } from './deep-link-sources.js';
import { DisposalStack } from './disposal-stack.js';
import type { MainWindowController } from './main-window.js';
import type { OpenCore } from './open-app-core.js';
import { applyPasswordStorePreference } from './password-store-switch.js';
import type { TrayHostPresence } from './tray-host.js';
import type { CommandLineToolOptions } from '../cli-install/command-line-tool.js';

/** Everything the shell needs from the outside world; main.ts fills it in. */
export interface ShellOptions {
  /** The deep-link scheme registered with the OS (electron-builder.yml `protocols`). */
  readonly scheme: string;
  readonly preloadPath: string;
  readonly rendererDir: string;
  /** The tray icon's file (trayIconPath). */
  readonly trayIconPath: string;
  readonly userDataDir: string;
  readonly argv: readonly string[];
  readonly platform: NodeJS.Platform;
  /** How this process was launched, for registering the protocol client unpackaged. */
  readonly launch: { readonly isDefaultApp: boolean; readonly execPath: string; readonly appPath: string | undefined };
  /** Local test issuers on http loopback may be opened in the browser (THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER=1). */
  readonly allowInsecureLoopback: boolean;
  readonly openCore: OpenCore;
  readonly logger: Logger;
  /** Asks whether the desktop shows tray icons (tray-host.ts); started after `ready`, never awaited. */
  readonly detectTrayHost: () => Promise<TrayHostPresence>;
  /** The log file behind `logger`: told the app's logs folder (Electron's `logs` path) once it is known. */
  readonly logFile?: { openIn(folder: string): string; close(): void };
  /** Where "Install command-line tool" puts `the-maestro` and what it runs (main.ts). */
  readonly commandLineTool?: CommandLineToolOptions;
}

export interface ShellHandle {
  /** False when another instance already runs: this one handed its link over and quits. */
  readonly primary: boolean;
  /** Settles once the app is up (or has given up and is quitting). */
  readonly ready: Promise<void>;
}

/**
 * Starts the desktop app. Everything before `ready` happens synchronously here, because
 * Electron requires it: privileged scheme registration, the single-instance lock, and the
 * `open-url` listener (macOS delivers the launch URL before `ready`). The rest waits for
 * `ready` (app-ready.ts). Quitting runs every disposer in reverse order, once.
 */
export function startShell(options: ShellOptions): ShellHandle {
  const { logger } = options;
  // Must precede `ready`: a standard, secure scheme gives app://maestro a real origin for CSP 'self'.
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_PROTOCOL_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  if (!isAbsolute(options.userDataDir)) {
    // Electron's setPath throws on a relative path; say which setting is wrong instead.
    failToStart(
      AuthError.of(
        'invalid_input',
        `The data directory "${options.userDataDir}" (THE_MAESTRO_DATA_DIR) must be an absolute path.`,
      ),
      logger,
    );
    return { primary: false, ready: Promise.resolve() };
  }
  // One data directory for the app and the command line; Chromium's own files go there too. Set
  // before the single-instance lock, which lives in userData: taken earlier, it would create a
  // stray <appData>/<name> folder and not guard the data directory actually used.
  app.setPath('userData', options.userDataDir);
  if (!acquireSingleInstanceLock(app, options.argv, options.scheme)) {
    logger.info('another instance is running; handed over and quitting');
    app.quit();
    return { primary: false, ready: Promise.resolve() };
  }
  // Every renderer sandboxed, whoever creates it (must precede `ready`).
  app.enableSandbox();
  if (options.platform === 'win32') app.setAppUserModelId(APP_ID);
  // Linux: the keyring chosen in Settings, as Chromium reads it when safeStorage starts (before `ready`).
  applyPasswordStorePreference({
    commandLine: app.commandLine,
    platform: options.platform,
    dataDir: options.userDataDir,
    logger,
  });

  const disposals = new DisposalStack(logger);
  if (options.logFile !== undefined) {
    // After setPath('userData') (Linux and Windows keep logs under it) and only in the instance that runs.
    const logFile = options.logFile;
    logger.info('log file', { path: logFile.openIn(app.getPath('logs')) });
    // Added first, closed last: the other disposers still log.
    disposals.add('log file', () => logFile.close());
  }
  const router = new DeepLinkRouter(logger);
  let window: MainWindowController | null = null;
  disposals.add(
    'deep link sources',
    listenForDeepLinks(app, {
      scheme: options.scheme,
      router,
      launchArgv: options.argv,
      onSecondInstance: () => window?.show(),
    }),
  );
  if (!registerProtocolClient(app, options.scheme, options.launch))
    logger.warn('could not register as the handler of the deep-link scheme');
  installQuitHandling(options, disposals, () => window);
  app.on('activate', () => window?.show());

  const ready = app
    .whenReady()
    .then(() => startWhenReady({ ...options, disposals, router, onWindow: (created) => (window = created) }))
    .then(() => logger.info('The Maestro is ready'))
    .catch((error: unknown) => failToStart(error, logger));
  return { primary: true, ready };
}

/** Quit disposes in reverse order first; the last window closing quits except on macOS. */
function installQuitHandling(
  options: ShellOptions,
  disposals: DisposalStack,
  currentWindow: () => MainWindowController | null,
): void {
  let disposed = false;
  app.on('before-quit', (event) => {
    currentWindow()?.markQuitting();
    if (disposed) return;
    // Hold the quit until the store is closed and every listener removed, then quit for real.
    event.preventDefault();
    void disposals.disposeAll().finally(() => {
      disposed = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => {
    if (options.platform !== 'darwin') app.quit();
  });
}

/** A start-up failure the person must see (e.g. the data directory is not writable). */
function failToStart(error: unknown, logger: Logger): void {
  logger.error('The Maestro could not start', { error });
  dialog.showErrorBox(`${PRODUCT_NAME} could not start`, toErrorInfo(error).message);
  app.quit();
}
