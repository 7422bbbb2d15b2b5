import type { Theme } from '../../src-shared/ipc-fields.js';
import type { PasswordStoreChoice } from '../../src-shared/password-store.js';

/** The window's last position and size, restored on the next start. */
export interface WindowBounds {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Non-secret UI preferences. Secrets never go here; the fallback order belongs to the core's
 * settings (AuthService.getSettings), not to these preferences.
 */
export interface Preferences {
  readonly theme: Theme;
  /**
   * Closing the window keeps The Maestro running in the tray (true) or quits (false). Null: decided
   * by whether the desktop shows tray icons (tray-host.ts), so a closed window is never stranded.
   */
  readonly closeToTray: boolean | null;
  /** The person explicitly accepted weak protection for stored credentials when the OS offers none. */
  readonly allowWeakStorage: boolean;
  /**
   * The command line may open the app's credentials: the data key is also wrapped by the CLI's
   * key file (0600) or THE_MAESTRO_MASTER_KEY, so protection is no stronger than that file.
   * Off by default: the person allows it (Settings).
   */
  readonly shareWithCommandLine: boolean;
  /**
   * Linux: the keyring named by Chromium's `--password-store` switch at the next start, for desktops
   * Electron does not recognise (which fall back to `basic_text`). Read before `ready`
   * (password-store-preference.ts); `auto` adds no switch.
   */
  readonly passwordStore: PasswordStoreChoice;
  /** The port the local gateway listens on when turned on in Settings; null: any free port. */
  readonly gatewayPort: number | null;
  readonly windowBounds: WindowBounds | null;
}

export const DEFAULT_PREFERENCES: Preferences = Object.freeze({
  theme: 'system',
  closeToTray: null,
  allowWeakStorage: false,
  shareWithCommandLine: false,
  passwordStore: 'auto',
  gatewayPort: null,
  windowBounds: null,
});

/**
 * Where preferences live: a JSON file (web mode, tests) or electron-store (the app). Reads are
 * synchronous so the shell can use them while creating a window.
 */
export interface PreferencesStore {
  get(): Preferences;
  /** Applies a validated patch, persists it durably, notifies listeners, returns the new preferences. */
  update(patch: Partial<Preferences>): Preferences;
  onDidChange(listener: (preferences: Preferences) => void): () => void;
}
