import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialKey, PutCredentialInput } from '../../../../../src-main/core/store/credential-store.js';
import { generateDataKey } from '../../../../../src-main/core/store/envelope.js';
import { MemoryKeyProvider } from '../../../../../src-main/core/store/key-providers/memory-key-provider.js';
import { openCredentialStore } from '../../../../../src-main/core/store/open-store.js';
import { openDatabase } from '../../../../../src-main/core/store/sqlite/open-database.js';
import { SqliteCredentialStore } from '../../../../../src-main/core/store/sqlite/sqlite-store.js';
import { recordStorageNotice } from '../../../../../src-main/core/store/sqlite/storage-notices.js';
import { systemClock } from '../../../../../src-main/core/clock.js';
import { silentLogger } from '../../../../../src-main/log/logger.js';
import { makeTempDir } from '../../../../support/storage/temp-dir.js';

/**
 * `find` keeps what it found and opened while the database is exactly as it was (the agent serves
 * a thousand requests for one token from it): any change, here or through another connection — as
 * another process makes it — is seen by the very next `find`, with no wait.
 */
const KEY: CredentialKey = { provider: 'openai', authMethod: 'oauth', accountLabel: 'default' };

const oauth = (accessToken: string): PutCredentialInput => ({
  provider: 'openai',
  authMethod: 'oauth',
  accountLabel: 'default',
  credential: { kind: 'oauth', accessToken, refreshToken: `refresh-${accessToken}`, tokenType: 'Bearer' },
  expiresAt: null,
});

function accessTokenOf(store: SqliteCredentialStore): string | null {
  const credential = store.find(KEY)?.open();
  return credential?.kind === 'oauth' ? credential.accessToken : null;
}

describe('the store’s find, kept between changes', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let stores: SqliteCredentialStore[];
  const masterKey = randomBytes(32);
  const open = async (): Promise<SqliteCredentialStore> => {
    const { store } = await openCredentialStore({
      dataDir: temp.dir,
      keyProviders: [new MemoryKeyProvider({ key: masterKey, protection: 'key_file' })],
    });
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    temp = makeTempDir();
    stores = [];
  });
  afterEach(() => {
    for (const store of stores) store.close();
    temp.remove();
  });

  it('answers an unchanged credential from memory: the same row, opened once, frozen', async () => {
    const store = await open();
    store.put(oauth('access-1'));
    const first = store.find(KEY);
    expect(store.find(KEY)).toBe(first);
    const opened = first?.open();
    expect(store.find(KEY)?.open()).toBe(opened);
    expect(Object.isFrozen(opened)).toBe(true);
    expect(Object.isFrozen(first?.meta)).toBe(true);
  });

  it('reads a credential another connection refreshed at once, with no wait', async () => {
    const agent = await open();
    const other = await open();
    const meta = agent.put(oauth('access-1'));
    expect(accessTokenOf(agent)).toBe('access-1');
    expect(accessTokenOf(other)).toBe('access-1');
    const rotated = other.rotate({
      id: meta.id,
      expectedGeneration: meta.generation,
      credential: { kind: 'oauth', accessToken: 'access-2', refreshToken: 'refresh-2', tokenType: 'Bearer' },
      expiresAt: null,
    });
    expect(rotated.ok).toBe(true);
    expect(accessTokenOf(agent)).toBe('access-2');
    expect(agent.find(KEY)?.meta.generation).toBe(meta.generation + 1);
  });

  it('sees a credential another connection removed, added or marked invalid at once', async () => {
    const agent = await open();
    const other = await open();
    expect(agent.find(KEY)).toBeNull();
    const meta = other.put(oauth('access-1'));
    expect(accessTokenOf(agent)).toBe('access-1');
    other.markInvalid(meta.id, { code: 'reauth_required', message: 'Sign in again.' });
    expect(agent.find(KEY)?.meta.invalidReason?.code).toBe('reauth_required');
    other.delete(meta.id);
    expect(agent.find(KEY)).toBeNull();
  });

  it('sees its own writes at once', async () => {
    const store = await open();
    store.put(oauth('access-1'));
    expect(accessTokenOf(store)).toBe('access-1');
    store.put(oauth('access-2'));
    expect(accessTokenOf(store)).toBe('access-2');
  });

  it('keeps nothing read inside a transaction that is then rolled back', () => {
    const { db } = openDatabase({ file: ':memory:', clock: systemClock, logger: silentLogger });
    const store = new SqliteCredentialStore({ db, dataKey: generateDataKey() });
    stores.push(store);
    store.put(oauth('access-1'));
    expect(accessTokenOf(store)).toBe('access-1');
    const rolledBack = new Error('rolled back on purpose');
    expect(() =>
      db.transaction(() => {
        db.prepare('UPDATE provider_credentials SET account_label = ?').run('moved');
        expect(store.find(KEY)).toBeNull();
        throw rolledBack;
      })(),
    ).toThrow(rolledBack);
    expect(accessTokenOf(store)).toBe('access-1');
  });

  it('reads the storage notices another connection records, or acknowledges, at once', async () => {
    const store = await open();
    const other = await open();
    expect(store.storageNotices()).toEqual([]);
    const raw = new Database(join(temp.dir, 'maestro.db'));
    try {
      recordStorageNotice(raw, 'damaged A');
    } finally {
      raw.close();
    }
    expect(store.storageNotices()).toEqual(['damaged A']);
    expect(store.storageNotices()).toEqual(['damaged A']);
    expect(other.acknowledgeStorageNotices()).toBe(1);
    expect(store.storageNotices()).toEqual([]);
  });

  it('forgets what it opened when the store closes', async () => {
    const store = await open();
    store.put(oauth('access-1'));
    expect(accessTokenOf(store)).toBe('access-1');
    store.close();
    expect(() => store.find(KEY)).toThrow();
  });
});
