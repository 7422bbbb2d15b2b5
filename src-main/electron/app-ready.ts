import { startAppAgent } from '../agent/app-agent.js';
import { openThroughStartAddress } from '../core/oauth/one-time-redirect.js';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  nativeTheme,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
} from 'electron';
import { createIpcHandlers } from '../ipc/ipc-handlers.js';
import { SignInStartAddresses } from '../ipc/sign-in-start-addresses.js';
import { GatewayController } from '../gateway/gateway-controller.js';
import { SealedGatewayKey } from '../gateway/gateway-key.js';
import { forwardIpcEvents } from '../ipc/ipc-events.js';
import type { Logger } from '../log/logger.js';
import type { PreferencesStore } from '../preferences/preferences-types.js';
import type { AuthService } from '../core/auth-service.js';
import { APP_ORIGIN, APP_PROTOCOL_SCHEME } from './app-identity.js';
import { createBundleRequestHandler } from './bundle-file-server.js';
import type { DeepLinkRouter } from './deep-link-router.js';
import type { DisposalStack } from './disposal-stack.js';
import { ElectronStorePreferences } from './electron-store-preferences.js';
import { createExternalOpener, type ExternalOpener } from './external-url-policy.js';
import { registerIpcHandlers } from './ipc-main-bridge.js';
import { MainWindowController } from './main-window.js';
import { openAppCore, type OpenCore } from './open-app-core.js';
import { planCredentialStorage } from './storage-policy.js';
import { withStorageNotices } from './storage-notices.js';
import { createTrayActionHandler, startTray } from './tray.js';
import type { TrayHostPresence } from './tray-host.js';
import { lockDownAllWebContents, restrictPermissions } from './web-contents-guards.js';
import type { KeyProvider } from '../core/store/key-provider.js';
import { defaultCliKeyProviders } from '../core/store/open-store.js';
import { CommandLineTool, type CommandLineToolOptions } from '../cli-install/command-line-tool.js';
import { installFromMenu, uninstallFromMenu } from './command-line-tool-menu.js';

/** What the shell needs once Electron is ready (bound by main.ts, the composition root). */
export interface ReadyContext {
  readonly rendererDir: string;
  /** The tray icon's file (tray-icon.ts); its `@2x` sibling is found by Electron. */
  readonly trayIconPath: string;
  readonly preloadPath: string;
  readonly userDataDir: string;
  readonly platform: NodeJS.Platform;
  readonly allowInsecureLoopback: boolean;
  readonly openCore: OpenCore;
  readonly logger: Logger;
  readonly disposals: DisposalStack;
  readonly router: DeepLinkRouter;
  /** Where "Install command-line tool" writes `the-maestro` and what it runs; absent, it is not offered. */
  readonly commandLineTool?: CommandLineToolOptions;
  /** Receives the window once it exists (second-instance and `activate` focus it). */
  readonly onWindow: (window: MainWindowController) => void;
  readonly detectTrayHost: () => Promise<TrayHostPresence>;
}

/** Web-level hardening that must be in place before any page loads. */
function hardenWeb(ctx: ReadyContext, openKnownLink: (url: string) => void): void {
  const devTools = !app.isPackaged;
  restrictPermissions(session.defaultSession, { appOrigin: APP_ORIGIN, logger: ctx.logger });
  ctx.disposals.add(
    'web contents lock-down',
    lockDownAllWebContents(app, { devTools, logger: ctx.logger, onExternalLinkRequest: openKnownLink }),
  );
  protocol.handle(APP_PROTOCOL_SCHEME, createBundleRequestHandler({ rootDir: ctx.rendererDir }));
  ctx.disposals.add('app protocol', () => protocol.unhandle(APP_PROTOCOL_SCHEME));
}

/** The command line's key providers; a malformed THE_MAESTRO_MASTER_KEY means not sharing, said in the log. */
function commandLineKeys(ctx: ReadyContext): KeyProvider[] {
  try {
    return defaultCliKeyProviders(ctx.userDataDir, process.env);
  } catch (error) {
    ctx.logger.warn('credentials are not shared with the command line: its key is unusable', { error });
    return [];
  }
}

/** Preferences, then the core opened under the safeStorage policy they allow. */
async function openPreferencesAndCore(ctx: ReadyContext): Promise<{
  readonly preferences: PreferencesStore;
  readonly auth: AuthService;
  readonly gateway: GatewayController | undefined;
}> {
  const { logger, disposals } = ctx;
  const preferences = new ElectronStorePreferences({ cwd: ctx.userDataDir, logger });
  // The theme setting drives the page's prefers-color-scheme and the native menus alike.
  nativeTheme.themeSource = preferences.get().theme;
  disposals.add(
    'theme',
    preferences.onDidChange((changed) => (nativeTheme.themeSource = changed.theme)),
  );
  const { allowWeakStorage, shareWithCommandLine } = preferences.get();
  const commandLineKeyProviders = shareWithCommandLine ? commandLineKeys(ctx) : [];
  const plan = await planCredentialStorage({
    safeStorage,
    platform: ctx.platform,
    allowWeakStorage,
    commandLineKeyProviders,
  });
  const { core, notices } = await openAppCore({ plan, openCore: ctx.openCore, logger });
  disposals.add('core', () => core.dispose());
  // Off until the person turns it on in Settings, on the port chosen there; stopped before the core closes.
  const { gatewayPort } = preferences.get();
  const gateway =
    core.store === undefined
      ? undefined
      : new GatewayController({
          credentials: core.auth,
          key: new SealedGatewayKey(core.store),
          logger,
          port: gatewayPort,
          portSource: 'settings',
        });
  if (gateway !== undefined) disposals.add('gateway', () => gateway.dispose());
  // The command line and every tool's hook get the app's credentials through its agent, with no
  // key-file wrapping (and `exec --gateway` the gateway's address and key); it stops before the
  // gateway and the core close (disposals run in reverse).
  const agent = startAppAgent({
    dataDir: ctx.userDataDir,
    auth: core.auth,
    logger,
    ...(core.store !== undefined ? { notices: core.store } : {}),
    ...(gateway !== undefined ? { gateway } : {}),
  });
  disposals.add('command-line agent', async () => (await agent)?.());
  return { preferences, auth: withStorageNotices(core.auth, notices), gateway };
}

/** IPC handlers and events, deep links (the queue drains now) and the tray, all over one core. */
function connectFrontEnds(
  ctx: ReadyContext,
  auth: AuthService,
  preferences: PreferencesStore,
  window: MainWindowController,
  opener: ExternalOpener,
  gateway: GatewayController | undefined,
  startAddresses: SignInStartAddresses,
): void {
  const { logger, disposals } = ctx;
  const commandLineTool = ctx.commandLineTool === undefined ? undefined : new CommandLineTool(ctx.commandLineTool);
  const handlers = createIpcHandlers({
    auth,
    preferences,
    startAddresses,
    ...(gateway !== undefined ? { gateway } : {}),
    // The gateway key goes from main straight to the clipboard: the window only asks for it.
    writeClipboard: (text) => clipboard.writeText(text),
    ...(commandLineTool !== undefined ? { commandLineTool } : {}),
    openExternal: async (url) => (await opener(url)).ok,
    logger,
    offersPasswordStore: ctx.platform === 'linux',
  });
  disposals.add('ipc handlers', registerIpcHandlers(ipcMain, handlers, logger));
  disposals.add(
    'ipc events',
    forwardIpcEvents(auth, (event, payload) => window.send(event, payload), logger),
  );
  disposals.add(
    'deep links',
    ctx.router.attach((url) => completeDeepLink({ auth, window, url, logger, startAddresses })),
  );
  disposals.add(
    'tray',
    startTray({
      createTray: () => new Tray(trayImage(ctx)),
      buildMenu: (template) => Menu.buildFromTemplate(template),
      auth,
      onAction: createTrayActionHandler({
        auth,
        showWindow: () => window.show(),
        quit: () => app.quit(),
        logger,
        ...(commandLineTool !== undefined
          ? {
              installCommandLineTool: () =>
                void installFromMenu(commandLineTool, (box) => dialog.showMessageBox(box), logger),
              uninstallCommandLineTool: () =>
                void uninstallFromMenu(commandLineTool, (box) => dialog.showMessageBox(box), logger),
            }
          : {}),
      }),
      logger,
      commandLineTool: commandLineTool !== undefined,
    }),
  );
}

/**
 * Builds everything that needs `ready`, in dependency order, registering each disposer so quit
 * undoes it in reverse: web hardening and the app protocol, preferences, the safeStorage key
 * provider (backend checked) and the core, the window, IPC handlers and events, deep links
 * (the queue drains now), the tray.
 */
export async function startWhenReady(
  ctx: ReadyContext,
): Promise<{ readonly auth: AuthService; readonly window: MainWindowController }> {
  const { logger, disposals } = ctx;
  const consoleUrls = new Set<string>();
  // Made once the core is open; the guard below is installed before that.
  const signIns: { addresses?: SignInStartAddresses } = {};
  const opener = createExternalOpener({
    // electronegativity-ok: every URL passes isExternallyOpenable (https, or loopback http for local test issuers) first
    openExternal: (url) => openThroughStartAddress(url, (address) => shell.openExternal(address)),
    allowInsecureLoopback: ctx.allowInsecureLoopback,
    logger,
  });
  // A page may only get URLs main already knows opened in the browser: a provider's console page,
  // or the one-time start address of a sign-in in progress (the "Open the sign-in page" fallback
  // for when the automatic browser launch failed). Never a window inside the app.
  const openKnownLink = (url: string): void => {
    if (consoleUrls.has(url)) void opener(url);
    // A loopback page main itself serves (the https-only policy is for remote pages); it redirects to the provider.
    else if (signIns.addresses?.has(url) === true) void openStartAddress(url, logger);
    else logger.warn('window.open denied', { url });
  };
  hardenWeb(ctx, openKnownLink);

  // Asked in the background: until it answers, closing hides to the tray as before.
  let trayHost: TrayHostPresence = 'unknown';
  void ctx.detectTrayHost().then((found) => {
    trayHost = found;
    if (found === 'absent') logger.info('no tray host on this desktop: closing the window quits');
  });
  const { preferences, auth, gateway } = await openPreferencesAndCore(ctx);
  const addresses = new SignInStartAddresses((listener) => auth.onDidFinishFlow(listener));
  signIns.addresses = addresses;
  disposals.add('sign-in start addresses', () => addresses.dispose());
  disposals.add(
    'console links',
    auth.onDidChangeStatus((status) => rememberConsoleUrls(consoleUrls, status.providers)),
  );
  void auth.status().then((status) => rememberConsoleUrls(consoleUrls, status.providers));

  const window = new MainWindowController({
    // electronegativity-ok: options come from mainWindowOptions (contextIsolation, sandbox, no node); lockDownWebContents denies navigation and new windows
    createWindow: (options) => new BrowserWindow(options),
    preferences,
    preloadPath: ctx.preloadPath,
    devTools: !app.isPackaged,
    logger,
    onSessionEnd: () => void disposals.disposeAll(),
    trayHost: () => trayHost,
  });
  disposals.add('window', () => window.dispose());
  ctx.onWindow(window);
  connectFrontEnds(ctx, auth, preferences, window, opener, gateway, addresses);
  window.show();
  return { auth, window };
}

/** Opens a sign-in's start address (http://127.0.0.1:<port>/start/<random>, served by main) in the system browser. */
async function openStartAddress(url: string, logger: Logger): Promise<void> {
  try {
    // electronegativity-ok: reached only for a start address main made for a sign-in in progress (SignInStartAddresses.has)
    await shell.openExternal(url);
  } catch (error) {
    logger.warn('the system browser could not be opened', { error });
  }
}

function trayImage(ctx: ReadyContext): ReturnType<typeof nativeImage.createFromPath> {
  const image = nativeImage.createFromPath(ctx.trayIconPath);
  if (image.isEmpty()) ctx.logger.warn('the tray icon could not be loaded', { file: ctx.trayIconPath });
  return image;
}

function rememberConsoleUrls(target: Set<string>, providers: readonly { readonly consoleUrl: string }[]): void {
  for (const provider of providers) target.add(provider.consoleUrl);
}

/** What the person reads when a sign-in callback finds no sign-in in progress in this app instance. */
export const STARTED_BEFORE_RESTART =
  'This sign-in was started before The Maestro restarted, so it cannot be finished here. Start it again.';

async function completeDeepLink(input: {
  readonly auth: AuthService;
  readonly window: MainWindowController;
  readonly url: string;
  readonly logger: Logger;
  readonly startAddresses: SignInStartAddresses;
}): Promise<void> {
  const { auth, window, logger } = input;
  const result = await auth.handleDeepLink(input.url);
  // Either way the person came back from the browser: show them the outcome.
  window.show();
  if (result.ok) return;
  logger.warn('deep link not accepted', { code: result.error.code });
  // Pending flows live in memory: a callback that launched the app (or arrived after a restart)
  // finds none. Said plainly, instead of a bare "state unknown".
  if (result.error.code === 'oauth_state_invalid' && !input.startAddresses.hasAny()) {
    await dialog.showMessageBox({ type: 'info', title: 'Sign-in not finished', message: STARTED_BEFORE_RESTART });
  }
}
