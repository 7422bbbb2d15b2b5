import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';
import { isPasswordStoreChoice, type PasswordStore } from '../../src-shared/password-store.js';

/** The preferences file in a data directory: electron-store's `<cwd>/<name>.json` (electron-store-preferences.ts). */
export function preferencesFileIn(dataDir: string): string {
  return join(dataDir, 'preferences.json');
}

/**
 * The keyring the person chose for Chromium's `--password-store` switch, read synchronously from
 * the preferences file, because the switch must be appended before `ready` (before electron-store
 * is opened). Null: no choice (`auto`), no file, or a file that is not JSON (electron-store resets
 * that one later). A value that is not a documented switch value is ignored with one log line.
 */
export function readPasswordStorePreference(dataDir: string, logger: Logger): PasswordStore | null {
  const file = preferencesFileIn(dataDir);
  let stored: unknown;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof stored !== 'object' || stored === null || !Object.hasOwn(stored, 'passwordStore')) return null;
  const value: unknown = (stored as Record<string, unknown>)['passwordStore'];
  if (!isPasswordStoreChoice(value)) {
    logger.warn('the keyring preference is not a --password-store value; ignored', { file, value: String(value) });
    return null;
  }
  return value === 'auto' ? null : value;
}
