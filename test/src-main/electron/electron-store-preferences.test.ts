import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./support/fake-electron.js')).electronMockFactory());

import { ElectronStorePreferences } from '../../../src-main/electron/electron-store-preferences.js';
import { silentLogger } from '../../../src-main/log/logger.js';
import { readPasswordStorePreference } from '../../../src-main/preferences/password-store-preference.js';
import { DEFAULT_PREFERENCES } from '../../../src-main/preferences/preferences-types.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';
import { resetFakeElectron } from './support/fake-electron.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  resetFakeElectron();
  temp = makeTempDir('maestro-prefs-');
});
afterEach(() => temp.remove());

const open = () => new ElectronStorePreferences({ cwd: temp.dir, logger: silentLogger });

describe('preferences in electron-store', () => {
  it('starts from the defaults and keeps what is changed across restarts', () => {
    const first = open();
    expect(first.get()).toEqual(DEFAULT_PREFERENCES);
    const seen: unknown[] = [];
    first.onDidChange((preferences) => seen.push(preferences.theme));
    first.update({ theme: 'dark', windowBounds: { x: 1, y: 2, width: 800, height: 600 } });
    expect(seen).toEqual(['dark']);
    expect(open().get()).toMatchObject({ theme: 'dark', closeToTray: null, windowBounds: { width: 800, height: 600 } });
  });

  it('refuses an invalid patch and changes nothing', () => {
    const preferences = open();
    expect(() => preferences.update({ theme: 'neon' as 'dark' })).toThrow();
    expect(open().get()).toEqual(DEFAULT_PREFERENCES);
  });

  it('forgives a hand-edited file field by field, and an unreadable file entirely', () => {
    const file = join(temp.dir, 'preferences.json');
    writeFileSync(file, JSON.stringify({ theme: 'light', closeToTray: 'yes', allowWeakStorage: true, extra: 1 }));
    expect(open().get()).toEqual({ ...DEFAULT_PREFERENCES, theme: 'light', allowWeakStorage: true });
    writeFileSync(file, '{ not json');
    expect(open().get()).toEqual(DEFAULT_PREFERENCES);
  });

  it('stores the keyring choice where the shell reads it before ready', () => {
    open().update({ passwordStore: 'kwallet6' });
    expect(readPasswordStorePreference(temp.dir, silentLogger)).toBe('kwallet6');
    open().update({ passwordStore: 'auto' });
    expect(readPasswordStorePreference(temp.dir, silentLogger)).toBeNull();
  });

  it('writes nothing secret: only the preference fields', () => {
    open().update({ closeToTray: false });
    const stored = JSON.parse(readFileSync(join(temp.dir, 'preferences.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual([
      'allowWeakStorage',
      'closeToTray',
      'gatewayPort',
      'passwordStore',
      'shareWithCommandLine',
      'theme',
      'windowBounds',
    ]);
  });
});
