import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import { parsePreferences, parsePreferencesPatch } from './preferences-schema.js';
import type { Preferences, PreferencesStore } from './preferences-types.js';

/**
 * Preferences in a JSON file, written atomically (temp file, fsync, rename) so a crash leaves
 * either the old or the new file, never half of one. Used by the web transport and tests; the
 * app uses electron-store behind the same interface.
 */
export class FilePreferencesStore implements PreferencesStore {
  private current: Preferences;
  private readonly listeners = new Set<(preferences: Preferences) => void>();

  constructor(
    private readonly file: string,
    private readonly logger: Logger = silentLogger,
  ) {
    this.current = this.load();
  }

  get(): Preferences {
    return this.current;
  }

  update(patch: Partial<Preferences>): Preferences {
    const next = parsePreferences({ ...this.current, ...parsePreferencesPatch(patch) });
    this.write(next);
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

  private load(): Preferences {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return parsePreferences({});
    }
    try {
      return parsePreferences(JSON.parse(text));
    } catch {
      // A hand-edited file with a typo should not stop the app; its next save replaces it.
      this.logger.warn('Preferences file is not valid JSON; using defaults', { file: this.file });
      return parsePreferences({});
    }
  }

  private write(preferences: Preferences): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(preferences, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
  }
}
