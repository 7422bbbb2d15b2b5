import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareBinary, credentialListQuery, sortListed, type CredentialListFilter } from '../../../src-main/db/credential-list-query.js';
import { openDatabase } from '../../../src-main/db/open-database.js';
import { generateDataKey } from '../../../src-main/providers/auth/envelope.js';
import { SqliteCredentialStore } from '../../../src-main/providers/auth/sqlite-credential-store.js';
import { makeTempDir } from '../../helpers/storage-temp-dir.js';

const RUNS = process.env['THE_MAESTRO_LONG'] === '1' ? 2_000 : 200;

describe('credential listing', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  it('orders strings exactly as SQLite BINARY collation does, including characters beyond U+FFFF', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (s TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (s) VALUES (?)');
    const sorted = db.prepare<[], string>('SELECT s FROM t ORDER BY s').pluck();
    const alphabet = fc.constantFrom('a', 'B', 'z', ' ', '-', 'é', 'Ω', '\uE000', '\uFFFD', '😀', '𝔸', '中');
    fc.assert(
      fc.property(fc.array(fc.string({ unit: alphabet, maxLength: 6 }), { maxLength: 12 }), (values) => {
        db.exec('DELETE FROM t');
        for (const value of values) insert.run(value);
        expect([...values].sort(compareBinary)).toEqual(sorted.all());
      }),
      { numRuns: RUNS, seed: 6 },
    );
    db.close();
  });

  it('lists in the order of ORDER BY provider, account_label, auth_method for any accounts', () => {
    const label = fc.stringMatching(/^[a-zA-Z0-9é😀][a-zA-Z0-9 ._@+\-é😀]{0,5}$/u);
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.constantFrom('anthropic', 'google', 'openai'), label, fc.constantFrom('oauth', 'api_key')), { maxLength: 15, selector: (t) => t.join('|') }), (rows) => {
        const listed = sortListed(rows.map(([provider, account_label, auth_method]) => ({ provider, account_label, auth_method })));
        const db = new Database(':memory:');
        db.exec('CREATE TABLE r (provider TEXT, account_label TEXT, auth_method TEXT)');
        const insert = db.prepare('INSERT INTO r VALUES (?, ?, ?)');
        for (const row of rows) insert.run(...row);
        const expected = db.prepare('SELECT provider, account_label, auth_method FROM r ORDER BY provider, account_label, auth_method').all();
        db.close();
        expect(listed).toEqual(expected);
      }),
      { numRuns: RUNS, seed: 7 },
    );
  });

  it('uses an index and no sorter for every combination of filters', () => {
    const { db } = openDatabase({ file: join(temp.dir, 'maestro.db') });
    const filters: CredentialListFilter[] = [
      {},
      { provider: 'openai' },
      { accountLabel: 'work' },
      { authMethod: 'oauth' },
      { provider: 'openai', accountLabel: 'work' },
      { provider: 'openai', authMethod: 'oauth' },
      { provider: 'openai', accountLabel: 'work', authMethod: 'oauth' },
    ];
    for (const filter of filters) {
      const { sql, params } = credentialListQuery('local', filter);
      const plan = db.prepare<string[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((step) => step.detail).join('; ');
      expect(plan, JSON.stringify(filter)).toMatch(/USING (COVERING )?INDEX/);
      expect(plan, JSON.stringify(filter)).not.toMatch(/TEMP B-TREE/);
    }
    const { sql, params } = credentialListQuery('local', { provider: 'openai', accountLabel: 'work', authMethod: 'oauth' });
    const plan = db.prepare<string[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((step) => step.detail).join('; ');
    expect(plan).toMatch(/sqlite_autoindex_provider_credentials_2 \(user_id=\? AND provider=\? AND auth_method=\? AND account_label=\?\)/);
    db.close();
  });

  it('finds exactly the rows each filter names, in listing order', () => {
    const { db } = openDatabase({ file: join(temp.dir, 'maestro.db') });
    const store = new SqliteCredentialStore({ db, dataKey: generateDataKey() });
    const put = (provider: string, accountLabel: string, authMethod: 'oauth' | 'api_key'): void => {
      const credential = authMethod === 'oauth' ? { kind: 'oauth' as const, accessToken: 'at', tokenType: 'Bearer' } : { kind: 'api_key' as const, apiKey: 'sk-list-0123456789' };
      store.put({ provider, accountLabel, authMethod, credential, expiresAt: null });
    };
    put('openai', 'work', 'oauth');
    put('openai', 'home', 'api_key');
    put('openai', 'work', 'api_key');
    put('google', 'work', 'oauth');
    const keys = (filter: CredentialListFilter): string[] => store.list(filter).map((meta) => `${meta.provider}/${meta.accountLabel}/${meta.authMethod}`);
    expect(keys({})).toEqual(['google/work/oauth', 'openai/home/api_key', 'openai/work/api_key', 'openai/work/oauth']);
    expect(keys({ provider: 'openai' })).toEqual(['openai/home/api_key', 'openai/work/api_key', 'openai/work/oauth']);
    expect(keys({ accountLabel: 'work' })).toEqual(['google/work/oauth', 'openai/work/api_key', 'openai/work/oauth']);
    expect(keys({ provider: 'openai', authMethod: 'oauth' })).toEqual(['openai/work/oauth']);
    expect(keys({ provider: 'openai', accountLabel: 'work', authMethod: 'api_key' })).toEqual(['openai/work/api_key']);
    expect(keys({ provider: 'anthropic' })).toEqual([]);
    store.close();
  });
});
