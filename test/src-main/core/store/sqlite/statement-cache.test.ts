import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../../../src-main/core/store/sqlite/open-database.js';
import { StatementCache } from '../../../../../src-main/core/store/sqlite/statement-cache.js';
import { generateDataKey } from '../../../../../src-main/core/store/envelope.js';
import { SqliteCredentialStore } from '../../../../../src-main/core/store/sqlite/sqlite-store.js';
import { makeTempDir } from '../../../../support/storage/temp-dir.js';

describe('StatementCache', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  it('compiles each statement once and hands back the same one', () => {
    const { db } = openDatabase({ file: join(temp.dir, 'maestro.db') });
    const prepare = vi.spyOn(db, 'prepare');
    const cache = new StatementCache(db);
    const first = cache.get<[string], string>('SELECT value FROM app_state WHERE key = ?');
    const again = cache.get<[string], string>('SELECT value FROM app_state WHERE key = ?');
    const other = cache.get('SELECT count(*) FROM app_state');
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(prepare).toHaveBeenCalledTimes(2);
    db.close();
  });

  it('lets the store read, list and write many times without compiling its queries again, with the same results', () => {
    const { db } = openDatabase({ file: join(temp.dir, 'maestro.db') });
    const store = new SqliteCredentialStore({ db, dataKey: generateDataKey() });
    const meta = store.put({
      provider: 'openai',
      authMethod: 'api_key',
      accountLabel: 'default',
      credential: { kind: 'api_key', apiKey: 'sk-proj-statement-cache-0001' },
      expiresAt: null,
    });
    store.setState('session', { activeProvider: 'openai' });
    store.get(meta.id);
    store.list({ provider: 'openai' });
    const prepare = vi.spyOn(db, 'prepare');
    for (let round = 0; round < 50; round += 1) {
      expect(store.get(meta.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-proj-statement-cache-0001' });
      expect(store.list({ provider: 'openai' }).map((row) => row.id)).toEqual([meta.id]);
      expect(store.getState('session')).toEqual({ activeProvider: 'openai' });
    }
    store.setState('session', { activeProvider: 'google' });
    store.setState('session', { activeProvider: 'anthropic' });
    expect(store.getState('session')).toEqual({ activeProvider: 'anthropic' });
    // Only the first write of a new statement compiles it; reads compile nothing.
    expect(prepare).toHaveBeenCalledTimes(1);
    store.close();
  });
});
