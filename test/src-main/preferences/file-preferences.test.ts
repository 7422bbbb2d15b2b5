import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilePreferencesStore } from '../../../src-main/preferences/file-preferences.js';
import { DEFAULT_PREFERENCES } from '../../../src-main/preferences/preferences-types.js';

describe('FilePreferencesStore', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'maestro-prefs-'));
    file = join(dir, 'nested', 'preferences.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts from the defaults when no file exists, without creating one', () => {
    expect(new FilePreferencesStore(file).get()).toEqual(DEFAULT_PREFERENCES);
    expect(existsSync(file)).toBe(false);
  });

  it('persists an update so the next start sees it, leaving no temporary file behind', () => {
    new FilePreferencesStore(file).update({ theme: 'dark', windowBounds: { x: 10, y: 20, width: 900, height: 700 } });
    expect(new FilePreferencesStore(file).get()).toEqual({
      ...DEFAULT_PREFERENCES,
      theme: 'dark',
      windowBounds: { x: 10, y: 20, width: 900, height: 700 },
    });
    expect(readdirSync(join(dir, 'nested'))).toEqual(['preferences.json']);
  });

  it('keeps valid fields of a damaged file and defaults the rest, dropping unknown ones', () => {
    writeFileSync(
      file.replace('nested/', ''),
      JSON.stringify({ theme: 'neon', closeToTray: false, windowBounds: { width: -5, height: 10 }, token: 'x' }),
    );
    const store = new FilePreferencesStore(join(dir, 'preferences.json'));
    expect(store.get()).toEqual({ ...DEFAULT_PREFERENCES, closeToTray: false });
  });

  it('starts with defaults when the file is not JSON, and replaces it on the next save', () => {
    const plain = join(dir, 'preferences.json');
    writeFileSync(plain, '{ not json');
    const store = new FilePreferencesStore(plain);
    expect(store.get()).toEqual(DEFAULT_PREFERENCES);
    store.update({ closeToTray: false });
    expect(JSON.parse(readFileSync(plain, 'utf8'))).toMatchObject({ closeToTray: false });
  });

  it('refuses an invalid patch and keeps what was stored', () => {
    const store = new FilePreferencesStore(file);
    store.update({ theme: 'light' });
    expect(() => store.update({ theme: 'neon' as never })).toThrow();
    expect(() => store.update({ secret: 'x' } as never)).toThrow();
    expect(new FilePreferencesStore(file).get().theme).toBe('light');
  });

  it('notifies listeners of each change until they unsubscribe', () => {
    const store = new FilePreferencesStore(file);
    const seen: string[] = [];
    const unsubscribe = store.onDidChange((preferences) => seen.push(preferences.theme));
    store.update({ theme: 'dark' });
    unsubscribe();
    store.update({ theme: 'light' });
    expect(seen).toEqual(['dark']);
  });
});
