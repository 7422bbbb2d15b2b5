import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../../../../src-main/core/auth-error.js';
import { credentialAad, sealBytes } from '../../../../../src-main/core/store/envelope.js';
import { MemoryKeyProvider } from '../../../../../src-main/core/store/key-providers/memory-key-provider.js';
import { MIGRATIONS } from '../../../../../src-main/core/store/sqlite/migrations.js';
import { openCredentialStore } from '../../../../../src-main/core/store/open-store.js';
import { makeTempDir } from '../../../../support/storage/temp-dir.js';

const apiKey = (accountLabel: string, key: string) =>
  ({
    provider: 'anthropic',
    authMethod: 'api_key',
    accountLabel,
    credential: { kind: 'api_key', apiKey: key },
    expiresAt: null,
  }) as const;

function thrown(fn: () => unknown): AuthError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error('expected an AuthError');
}

/** What a person with write access to the database file (and nothing else) can do. */
class DatabaseWriter {
  private readonly db: Database.Database;
  constructor(file: string) {
    this.db = new Database(file);
  }
  ciphertext(id: string): Buffer {
    return (
      this.db.prepare<[string], Buffer>('SELECT credentials FROM provider_credentials WHERE id = ?').pluck().get(id) ??
      Buffer.alloc(0)
    );
  }
  run(sql: string, ...params: unknown[]): void {
    this.db.prepare(sql).run(...params);
  }
  value(sql: string, ...params: unknown[]): unknown {
    return this.db
      .prepare(sql)
      .pluck()
      .get(...params);
  }
  close(): void {
    this.db.close();
  }
}

describe('what a credential ciphertext is bound to', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  const keyProvider = new MemoryKeyProvider({ protection: 'key_file' });
  const open = () => openCredentialStore({ dataDir: temp.dir, keyProviders: [keyProvider] });
  beforeEach(() => {
    temp = makeTempDir();
    file = join(temp.dir, 'maestro.db');
  });
  afterEach(() => temp.remove());

  it('refuses a row rolled back to the ciphertext of an older generation', async () => {
    const { store } = await open();
    const first = store.put(apiKey('default', 'sk-ant-api03-old-revoked-0001'));
    const writer = new DatabaseWriter(file);
    const old = writer.ciphertext(first.id);
    store.put(apiKey('default', 'sk-ant-api03-new-current-0002'));
    writer.run('UPDATE provider_credentials SET credentials = ? WHERE id = ?', old, first.id);
    writer.close();
    expect(thrown(() => store.get(first.id)).code).toBe('credential_corrupt');
    store.close();
  });

  it('refuses a row moved to another account label, and re-seals on a rename', async () => {
    const { store } = await open();
    const work = store.put(apiKey('work', 'sk-ant-api03-work-0003'));
    const writer = new DatabaseWriter(file);
    writer.run("UPDATE provider_credentials SET account_label = 'personal' WHERE id = ?", work.id);
    expect(thrown(() => store.get(work.id)).code).toBe('credential_corrupt');
    writer.run("UPDATE provider_credentials SET account_label = 'work' WHERE id = ?", work.id);
    const before = writer.ciphertext(work.id);
    expect(store.renameAccount('anthropic', 'work', 'office')).toBe(1);
    expect(writer.ciphertext(work.id).equals(before)).toBe(false);
    expect(store.get(work.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-ant-api03-work-0003' });
    writer.close();
    store.close();
  });

  it('re-seals rows written before the binding (schema 2) the first time the store opens them', async () => {
    const first = await open();
    const meta = first.store.put(apiKey('default', 'sk-ant-api03-legacy-0004'));
    first.store.close();
    // Make the file what version 2 of the schema wrote: no aad_version column, rows bound to
    // id, user, provider and method only.
    const writer = new DatabaseWriter(file);
    const wrapped = writer.value('SELECT wrapped FROM data_keys') as Buffer;
    const dataKey = await keyProvider.unwrap(wrapped);
    const plaintext = Buffer.from(JSON.stringify({ kind: 'api_key', apiKey: 'sk-ant-api03-legacy-0004' }));
    writer.run(
      'UPDATE provider_credentials SET credentials = ? WHERE id = ?',
      sealBytes(dataKey, plaintext, credentialAad(meta, 1)),
      meta.id,
    );
    // Later columns go too (an indexed column cannot be dropped: version 2's index comes back after).
    writer.run('DROP INDEX provider_credentials_listing');
    writer.run('ALTER TABLE provider_credentials DROP COLUMN verified');
    writer.run('DROP INDEX provider_credentials_legacy_aad');
    writer.run('ALTER TABLE provider_credentials DROP COLUMN aad_version');
    writer.run(
      `CREATE INDEX provider_credentials_listing ON provider_credentials (user_id, provider, account_label, auth_method,
         id, expires_at, generation, key_id, masked_secret, identity, invalid_reason, created_at, updated_at)`,
    );
    writer.run('PRAGMA user_version = 2');
    const legacy = writer.ciphertext(meta.id);
    writer.close();

    const second = await open();
    expect(second.store.get(meta.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-ant-api03-legacy-0004' });
    const after = new DatabaseWriter(file);
    expect(after.value('SELECT aad_version FROM provider_credentials WHERE id = ?', meta.id)).toBe(2);
    expect(after.value('PRAGMA user_version')).toBe(MIGRATIONS.at(-1)?.version);
    // A row stored before version 4 was shown as valid then, and still is.
    expect(after.value('SELECT verified FROM provider_credentials WHERE id = ?', meta.id)).toBe(1);
    // The row is now bound the new way: its legacy ciphertext, put back, no longer opens.
    after.run('UPDATE provider_credentials SET credentials = ? WHERE id = ?', legacy, meta.id);
    after.close();
    expect(thrown(() => second.store.get(meta.id)).code).toBe('credential_corrupt');
    second.store.close();
  });
});
