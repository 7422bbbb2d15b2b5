import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialListFilter } from '../../../../../src-main/core/store/credential-store.js';
import { credentialListQuery } from '../../../../../src-main/core/store/sqlite/credential-list-query.js';
import { openDatabase } from '../../../../../src-main/core/store/sqlite/open-database.js';
import { generateDataKey } from '../../../../../src-main/core/store/envelope.js';
import { SqliteCredentialStore } from '../../../../../src-main/core/store/sqlite/sqlite-store.js';
import { makeTempDir } from '../../../../support/storage/temp-dir.js';

describe('credential listing', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

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
      for (const page of [undefined, { offset: 20, limit: 10 }]) {
        const { sql, params } = credentialListQuery('local', filter, page);
        const plan = db
          .prepare<(string | number)[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...params)
          .map((step) => step.detail)
          .join('; ');
        expect(plan, JSON.stringify({ filter, page })).toMatch(/USING (COVERING )?INDEX/);
        expect(plan, JSON.stringify({ filter, page })).not.toMatch(/TEMP B-TREE/);
      }
    }
    const { sql, params } = credentialListQuery('local', {
      provider: 'openai',
      accountLabel: 'work',
      authMethod: 'oauth',
    });
    const plan = db
      .prepare<(string | number)[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((step) => step.detail)
      .join('; ');
    expect(plan).toMatch(
      /sqlite_autoindex_provider_credentials_2 \(user_id=\? AND provider=\? AND auth_method=\? AND account_label=\?\)/,
    );
    db.close();
  });

  it('finds exactly the rows each filter names, in listing order', () => {
    const { db } = openDatabase({ file: join(temp.dir, 'maestro.db') });
    const store = new SqliteCredentialStore({ db, dataKey: generateDataKey() });
    const put = (provider: string, accountLabel: string, authMethod: 'oauth' | 'api_key'): void => {
      const credential =
        authMethod === 'oauth'
          ? { kind: 'oauth' as const, accessToken: 'at', tokenType: 'Bearer' }
          : { kind: 'api_key' as const, apiKey: 'sk-list-0123456789' };
      store.put({ provider, accountLabel, authMethod, credential, expiresAt: null });
    };
    put('openai', 'work', 'oauth');
    put('openai', 'home', 'api_key');
    put('openai', 'work', 'api_key');
    put('google', 'work', 'oauth');
    const keys = (filter: CredentialListFilter): string[] =>
      store.list(filter).map((meta) => `${meta.provider}/${meta.accountLabel}/${meta.authMethod}`);
    expect(keys({})).toEqual(['google/work/oauth', 'openai/home/api_key', 'openai/work/api_key', 'openai/work/oauth']);
    expect(keys({ provider: 'openai' })).toEqual(['openai/home/api_key', 'openai/work/api_key', 'openai/work/oauth']);
    expect(keys({ accountLabel: 'work' })).toEqual(['google/work/oauth', 'openai/work/api_key', 'openai/work/oauth']);
    expect(keys({ provider: 'openai', authMethod: 'oauth' })).toEqual(['openai/work/oauth']);
    expect(keys({ provider: 'openai', accountLabel: 'work', authMethod: 'api_key' })).toEqual(['openai/work/api_key']);
    expect(keys({ provider: 'anthropic' })).toEqual([]);
    expect(store.count({})).toBe(4);
    expect(store.count({ provider: 'openai' })).toBe(3);
    expect(store.count({ provider: 'openai', accountLabel: 'work' })).toBe(2);
    expect(store.count({ provider: 'anthropic' })).toBe(0);
    store.close();
  });

  it('pages through a listing in listing order, with labels beyond U+FFFF ordered as SQLite orders them', () => {
    const { db } = openDatabase({ file: join(temp.dir, 'maestro.db') });
    const store = new SqliteCredentialStore({ db, dataKey: generateDataKey() });
    const labels = ['zeta', 'Alpha', 'émile', 'beta', '𝔸 double', 'ｚ wide', '中文', 'alpha'];
    for (const accountLabel of labels)
      store.put({
        provider: 'openai',
        accountLabel,
        authMethod: 'api_key',
        credential: { kind: 'api_key', apiKey: 'sk-page-0123456789' },
        expiresAt: null,
      });
    // BINARY collation: UTF-8 bytes, i.e. code point order ('𝔸', U+1D538, after 'ｚ', U+FF5A, unlike UTF-16 order).
    const expected = [...labels].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const page = (offset: number, limit: number): string[] =>
      store.list({ provider: 'openai' }, { offset, limit }).map((meta) => meta.accountLabel);
    expect(page(0, 3)).toEqual(expected.slice(0, 3));
    expect(page(3, 3)).toEqual(expected.slice(3, 6));
    expect(page(6, 3)).toEqual(expected.slice(6));
    expect(page(9, 3)).toEqual([]);
    expect(store.list({ provider: 'openai' }).map((meta) => meta.accountLabel)).toEqual(expected);
    store.close();
  });
});
