import ElectronStore from 'electron-store';
import type { Logger } from '../log/logger.js';
import { parsePreferences, parsePreferencesPatch } from '../preferences/preferences-schema.js';
import type { Preferences, PreferencesStore } from '../preferences/preferences-types.js';

/**
 * Preferences (theme, tray behaviour, window bounds, the weak-storage opt-in) in electron-store:
 * a JSON file in the user-data directory, written atomically. Never a secret. The file is
 * untrusted input (hand edits, older versions): each field is parsed on its own and falls back
 * to its default.
 */
export class ElectronStorePreferences implements PreferencesStore {
  private readonly store: ElectronStore;
  private current: Preferences;
  private readonly listeners = new Set<(preferences: Preferences) => void>();

  /** `cwd`: the directory of the file (the app passes its user-data directory explicitly). */
  constructor(options: { readonly cwd: string; readonly logger: Logger; readonly name?: string }) {
    this.store = new ElectronStore<Record<string, unknown>>({
      name: options.name ?? 'preferences',
      cwd: options.cwd,
      // A file that is not valid JSON must not stop the app: start from defaults, log it.
      clearInvalidConfig: true,
      accessPropertiesByDotNotation: false,
    });
    this.current = parsePreferences(this.store.store);
    options.logger.debug('preferences loaded', { file: this.store.path });
  }

  get(): Preferences {
    return this.current;
  }

  update(patch: Partial<Preferences>): Preferences {
    const next = parsePreferences({ ...this.current, ...parsePreferencesPatch(patch) });
    this.store.store = { ...next };
    this.current = next;
    for (const listener of [...this.listeners]) listener(next);
    return next;
  }

  onDidChange(listener: (preferences: Preferences) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
