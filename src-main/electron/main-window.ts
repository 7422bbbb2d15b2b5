import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import type { Logger } from '../log/logger.js';
import type { PreferencesStore, WindowBounds } from '../preferences/preferences-types.js';
import { APP_ENTRY_URL, PRODUCT_NAME } from './app-identity.js';
import { keepsRunningOnClose, type TrayHostPresence } from './tray-host.js';

const DEFAULT_SIZE = { width: 1040, height: 720 } as const;

/**
 * The window's options, hardened per Electron's security checklist: context isolation, the
 * sandbox, no Node in the page or its workers or frames, web security on, no `<webview>`,
 * DevTools only when not packaged. The preload is the sandboxed CommonJS bundle (`.cjs`).
 */
export function mainWindowOptions(input: {
  readonly preloadPath: string;
  readonly bounds: WindowBounds | null;
  readonly devTools: boolean;
}): BrowserWindowConstructorOptions {
  const bounds = input.bounds ?? DEFAULT_SIZE;
  return {
    ...bounds,
    minWidth: 640,
    minHeight: 480,
    title: PRODUCT_NAME,
    // Shown once the first paint is ready, so the person never sees a blank white frame.
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: input.devTools,
    },
  };
}

/** Builds a BrowserWindow (Electron's constructor in the app, a fake in tests). */
export type CreateBrowserWindow = (options: BrowserWindowConstructorOptions) => BrowserWindow;

/**
 * The one main window: created on demand, focused when it exists, its bounds remembered in the
 * preferences. Closing hides it and the app keeps running in the tray until the person quits,
 * when they chose so or (no choice made) when the desktop shows tray icons.
 */
export class MainWindowController {
  private window: BrowserWindow | null = null;
  private quitting = false;

  constructor(
    private readonly deps: {
      readonly createWindow: CreateBrowserWindow;
      readonly preferences: PreferencesStore;
      readonly preloadPath: string;
      readonly devTools: boolean;
      readonly logger: Logger;
      /**
       * Windows is shutting down, restarting or logging off: Electron emits the window's
       * `session-end` and not the app's `before-quit`, so the shell closes the store here.
       */
      readonly onSessionEnd?: () => void;
      /** Whether the desktop shows tray icons, as far as is known now (tray-host.ts); default present. */
      readonly trayHost?: () => TrayHostPresence;
    },
  ) {}

  /** Shows the window, creating it if needed; restores it when minimised. */
  show(): void {
    const existing = this.current();
    if (existing !== null) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return;
    }
    this.window = this.create();
  }

  /** Sends a push event to the page, when there is a page to send it to. */
  send(channel: string, payload: unknown): void {
    const window = this.current();
    if (window !== null && !window.webContents.isDestroyed()) window.webContents.send(channel, payload);
  }

  /** From now on, closing the window really closes it (the app is quitting). */
  markQuitting(): void {
    this.quitting = true;
  }

  /** Closes the window for good (at quit). */
  dispose(): void {
    this.quitting = true;
    this.current()?.destroy();
    this.window = null;
  }

  private current(): BrowserWindow | null {
    return this.window !== null && !this.window.isDestroyed() ? this.window : null;
  }

  private create(): BrowserWindow {
    const { preferences, logger } = this.deps;
    const window = this.deps.createWindow(
      mainWindowOptions({
        preloadPath: this.deps.preloadPath,
        bounds: preferences.get().windowBounds,
        devTools: this.deps.devTools,
      }),
    );
    window.once('ready-to-show', () => window.show());
    window.on('close', (event) => {
      preferences.update({ windowBounds: roundBounds(window.getNormalBounds()) });
      const trayHost = this.deps.trayHost?.() ?? 'present';
      // Hidden only where the tray can bring it back; otherwise it closes and, as the last window,
      // quits the app (Linux, Windows), which stops the agent and the gateway cleanly (app-shell.ts).
      if (!this.quitting && keepsRunningOnClose(preferences.get().closeToTray, trayHost)) {
        event.preventDefault();
        window.hide();
      }
    });
    window.on('session-end', () => {
      this.quitting = true;
      this.deps.onSessionEnd?.();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    window
      .loadURL(APP_ENTRY_URL)
      .catch((error: unknown) => logger.error('the window could not load the UI', { error }));
    return window;
  }
}

function roundBounds(bounds: { x: number; y: number; width: number; height: number }): WindowBounds {
  return {
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    width: Math.round(bounds.width),
    height: Math.round(bounds.height),
  };
}
