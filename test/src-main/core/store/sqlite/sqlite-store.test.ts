import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../../support/manual-clock.js';
import { ACCOUNT_LABEL_RULE } from '../../../../../src-main/core/account-label.js';
import { AuthError } from '../../../../../src-main/core/auth-error.js';
import type { PutCredentialInput } from '../../../../../src-main/core/store/credential-store.js';
import { MemoryKeyProvider } from '../../../../../src-main/core/store/key-providers/memory-key-provider.js';
import { openCredentialStore } from '../../../../../src-main/core/store/open-store.js';
import { EXTERNAL_VERSION_TTL_MS } from '../../../../../src-main/core/store/sqlite/change-version.js';
import type { SqliteCredentialStore } from '../../../../../src-main/core/store/sqlite/sqlite-store.js';
import { makeTempDir } from '../../../../support/storage/temp-dir.js';

const apiKey = (key: string, account = 'default'): PutCredentialInput => ({
  provider: 'anthropic',
  authMethod: 'api_key',
  accountLabel: account,
  credential: { kind: 'api_key', apiKey: key },
  expiresAt: null,
});

const oauth = (accessToken: string, account = 'default', expiresAt = 1_000): PutCredentialInput => ({
  provider: 'openai',
  authMethod: 'oauth',
  accountLabel: account,
  credential: { kind: 'oauth', accessToken, refreshToken: `refresh-${accessToken}`, tokenType: 'Bearer', expiresAt },
  expiresAt,
  identity: 'ada@example.com',
});

function thrown(fn: () => unknown): AuthError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error('expected an AuthError');
}

describe('SqliteCredentialStore', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: SqliteCredentialStore;
  const clock = new ManualClock();
  const masterKey = randomBytes(32);
  const reopen = async (): Promise<SqliteCredentialStore> => {
    store.close();
    store = (
      await openCredentialStore({
        dataDir: temp.dir,
        keyProviders: [new MemoryKeyProvider({ key: masterKey, protection: 'key_file' })],
        clock,
      })
    ).store;
    return store;
  };

  beforeEach(async () => {
    temp = makeTempDir();
    store = (
      await openCredentialStore({
        dataDir: temp.dir,
        keyProviders: [new MemoryKeyProvider({ key: masterKey, protection: 'key_file' })],
        clock,
      })
    ).store;
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  it('stores an API key, lists it without the secret, and gets it back after a reopen', async () => {
    const meta = store.put(apiKey('sk-ant-api03-roundtrip-3f9a'));
    expect(meta).toMatchObject({
      provider: 'anthropic',
      authMethod: 'api_key',
      accountLabel: 'default',
      generation: 1,
      maskedSecret: '…3f9a',
      invalidReason: null,
      userId: 'local',
    });
    expect(JSON.stringify(store.list())).not.toContain('roundtrip');
    await reopen();
    expect(store.get(meta.id)).toEqual({
      meta,
      credential: { kind: 'api_key', apiKey: 'sk-ant-api03-roundtrip-3f9a' },
    });
    expect(store.getMeta(meta.id)).toEqual(meta);
  });

  it('upserts by provider, method and account, counting a generation per secret write', () => {
    const first = store.put(oauth('access-1'));
    clock.advance(10);
    const { identity: _identity, ...withoutIdentity } = oauth('access-2');
    const second = store.put(withoutIdentity);
    expect(second.id).toBe(first.id);
    expect(second.generation).toBe(2);
    expect(second.identity).toBe('ada@example.com');
    expect(store.put({ ...oauth('access-2b'), identity: null }).identity).toBeNull();
    expect(store.getMeta(first.id)?.generation).toBe(3);
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.updatedAt).toBe(first.updatedAt + 10);
    expect(store.get(first.id)?.credential).toMatchObject({ accessToken: 'access-2b' });
    const other = store.put(oauth('access-3', 'work'));
    expect(other.id).not.toBe(first.id);
    expect(store.list({ provider: 'openai' }).map((m) => m.accountLabel)).toEqual(['default', 'work']);
  });

  it('filters the list by provider, account and method', () => {
    store.put(apiKey('sk-ant-api03-aaaaaaaaaaaa'));
    store.put(apiKey('sk-ant-api03-bbbbbbbbbbbb', 'work'));
    store.put(oauth('token'));
    expect(store.list()).toHaveLength(3);
    expect(store.list({ provider: 'anthropic' })).toHaveLength(2);
    expect(store.list({ accountLabel: 'work' })).toHaveLength(1);
    expect(store.list({ authMethod: 'oauth' }).map((m) => m.provider)).toEqual(['openai']);
    expect(store.list({ provider: 'google' })).toEqual([]);
  });

  it('answers whether a provider or account has a credential, and which account changed last, without listing', () => {
    expect(store.hasAccount('anthropic')).toBe(false);
    expect(store.newestAccount('anthropic')).toBeNull();
    store.put(apiKey('sk-ant-api03-aaaaaaaaaaaa', 'zeta'));
    clock.advance(5);
    store.put(apiKey('sk-ant-api03-bbbbbbbbbbbb', 'alpha'));
    store.put(apiKey('sk-ant-api03-cccccccccccc', 'beta'));
    expect(store.hasAccount('anthropic')).toBe(true);
    expect(store.hasAccount('anthropic', 'zeta')).toBe(true);
    expect(store.hasAccount('anthropic', 'gamma')).toBe(false);
    expect(store.hasAccount('openai')).toBe(false);
    // Same update time: the first account in binary order, as sorting the listing would pick.
    expect(store.newestAccount('anthropic')).toBe('alpha');
    clock.advance(5);
    store.put(apiKey('sk-ant-api03-dddddddddddd', 'zeta'));
    expect(store.newestAccount('anthropic')).toBe('zeta');
    expect(store.newestAccount('openai')).toBeNull();
  });

  it("changes its version at once for its own writes, and within the bound for another connection's, even after the clock was set back", async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
    try {
      const other = (
        await openCredentialStore({
          dataDir: temp.dir,
          keyProviders: [new MemoryKeyProvider({ key: masterKey, protection: 'key_file' })],
          clock,
        })
      ).store;
      const start = store.changeVersion();
      store.put(apiKey('sk-ant-api03-version-own-01'));
      const afterOwn = store.changeVersion();
      expect(afterOwn).not.toBe(start);
      other.put(apiKey('sk-ant-api03-version-other-1', 'other'));
      expect(store.changeVersion()).toBe(afterOwn); // read again only after EXTERNAL_VERSION_TTL_MS
      vi.setSystemTime(1_000_000 + EXTERNAL_VERSION_TTL_MS);
      const afterOther = store.changeVersion();
      expect(afterOther).not.toBe(afterOwn);
      other.put(apiKey('sk-ant-api03-version-other-2', 'other'));
      vi.setSystemTime(1_000_000 - 60 * 60 * 1000); // the wall clock went back an hour
      expect(store.changeVersion()).not.toBe(afterOther);
      other.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('deletes a credential for good', async () => {
    const meta = store.put(apiKey('sk-ant-api03-delete-me-01'));
    expect(store.delete(meta.id)).toBe(true);
    expect(store.delete(meta.id)).toBe(false);
    await reopen();
    expect(store.get(meta.id)).toBeNull();
    expect(store.getMeta(meta.id)).toBeNull();
  });

  it('rotates by compare-and-swap and refuses a stale generation, reporting the current one', () => {
    const meta = store.put(oauth('access-1', 'default', 1_000));
    const rotated = store.rotate({
      id: meta.id,
      expectedGeneration: 1,
      credential: { kind: 'oauth', accessToken: 'access-2', refreshToken: 'refresh-2', tokenType: 'Bearer' },
      expiresAt: 2_000,
    });
    if (!rotated.ok) throw new Error('rotation refused');
    expect(rotated.meta).toMatchObject({ generation: 2, expiresAt: 2_000, identity: 'ada@example.com' });
    const stale = store.rotate({
      id: meta.id,
      expectedGeneration: 1,
      credential: { kind: 'oauth', accessToken: 'old', tokenType: 'Bearer' },
      expiresAt: 3_000,
    });
    expect(stale).toEqual({ ok: false, reason: 'stale', current: rotated.meta });
    expect(store.get(meta.id)?.credential).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(
      store.rotate({
        id: 'nope',
        expectedGeneration: 1,
        credential: { kind: 'oauth', accessToken: 'x', tokenType: 'Bearer' },
        expiresAt: null,
      }),
    ).toEqual({ ok: false, reason: 'missing', current: null });
  });

  it('returns from put and rotate the metadata exactly as a later read finds it', () => {
    const inserted = store.put(oauth('access-1'));
    expect(store.getMeta(inserted.id)).toEqual(inserted);
    clock.advance(5);
    const updated = store.put(oauth('access-2', 'default', 2_000));
    expect(updated).toMatchObject({
      id: inserted.id,
      generation: 2,
      expiresAt: 2_000,
      updatedAt: inserted.updatedAt + 5,
    });
    expect(store.getMeta(inserted.id)).toEqual(updated);
    const rotated = store.rotate({
      id: inserted.id,
      expectedGeneration: 2,
      credential: { kind: 'oauth', accessToken: 'access-3', tokenType: 'Bearer' },
      expiresAt: 3_000,
    });
    if (!rotated.ok) throw new Error('rotation refused');
    expect(store.getMeta(inserted.id)).toEqual(rotated.meta);
  });

  it('commits a put with the transaction it is called in, and rolls it back with it', () => {
    const db = (store as unknown as { db: Database.Database }).db;
    expect(() =>
      db.transaction(() => {
        store.put(apiKey('sk-ant-api03-rolled-back-1'));
        throw new Error('abort the outer transaction');
      })(),
    ).toThrow('abort the outer transaction');
    expect(store.list()).toEqual([]);
    db.transaction(() => {
      store.put(apiKey('sk-ant-api03-committed-01'));
      store.put(oauth('access-1'));
    })();
    expect(store.list()).toHaveLength(2);
  });

  it('refuses to rotate a credential into another kind', () => {
    const meta = store.put(oauth('access-1'));
    expect(
      thrown(() =>
        store.rotate({
          id: meta.id,
          expectedGeneration: 1,
          credential: { kind: 'api_key', apiKey: 'sk-x' },
          expiresAt: null,
        }),
      ).code,
    ).toBe('invalid_input');
    expect(store.getMeta(meta.id)?.generation).toBe(1);
  });

  it('marks a credential invalid, keeps it, and a new secret clears the mark', () => {
    const meta = store.put(oauth('access-1'));
    store.markInvalid(meta.id, {
      code: 'reauth_required',
      message: 'Sign in again.',
      provider: 'openai',
      providerCode: 'refresh_token_reused',
    });
    const marked = store.getMeta(meta.id);
    expect(marked?.invalidReason).toEqual({
      code: 'reauth_required',
      message: 'Sign in again.',
      provider: 'openai',
      providerCode: 'refresh_token_reused',
    });
    expect(marked?.generation).toBe(1);
    expect(store.get(meta.id)?.credential).toMatchObject({ accessToken: 'access-1' });
    expect(store.put(oauth('access-2')).invalidReason).toBeNull();
  });

  it('renames every method of an account, keeps the secrets readable, and refuses a taken name', async () => {
    const key = store.put({ ...apiKey('sk-ant-api03-rename-me-01'), accountLabel: 'personal' });
    const signIn = store.put({ ...oauth('access'), provider: 'anthropic', accountLabel: 'personal' });
    store.put({ ...apiKey('sk-ant-api03-other-acct-1'), accountLabel: 'work' });
    expect(store.renameAccount('anthropic', 'personal', 'home')).toBe(2);
    await reopen();
    expect(store.get(key.id)?.meta.accountLabel).toBe('home');
    expect(store.get(key.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-ant-api03-rename-me-01' });
    expect(store.get(signIn.id)?.credential).toMatchObject({ accessToken: 'access' });
    const taken = thrown(() => store.renameAccount('anthropic', 'home', 'work'));
    expect(taken.code).toBe('invalid_input');
    expect(taken.message).toContain('"work"');
    expect(store.list({ provider: 'anthropic', accountLabel: 'home' })).toHaveLength(2);
    expect(store.renameAccount('anthropic', 'nobody', 'someone')).toBe(0);
    expect(thrown(() => store.renameAccount('anthropic', 'home', '')).code).toBe('invalid_input');
  });

  it('refuses malformed input before writing anything', () => {
    expect(thrown(() => store.put({ ...apiKey('sk-x-123456789'), provider: 'Not A Provider' })).code).toBe(
      'invalid_input',
    );
    expect(thrown(() => store.put({ ...apiKey('sk-x-123456789'), accountLabel: '../etc' })).code).toBe('invalid_input');
    expect(thrown(() => store.put({ ...apiKey('sk-x-123456789'), authMethod: 'oauth' })).code).toBe('invalid_input');
    expect(thrown(() => store.put(apiKey(''))).code).toBe('invalid_input');
    expect(store.list()).toEqual([]);
  });

  it("checks account labels with the core's one parser: its message, and the label trimmed", () => {
    const refused = thrown(() => store.put({ ...apiKey('sk-x-123456789'), accountLabel: '../etc' }));
    expect(refused.message).toBe(ACCOUNT_LABEL_RULE);
    expect(thrown(() => store.renameAccount('anthropic', 'default', ' ')).message).toBe(ACCOUNT_LABEL_RULE);
    expect(store.put({ ...apiKey('sk-x-123456789'), accountLabel: 'work ' }).accountLabel).toBe('work');
  });

  it('caches model lists per provider', async () => {
    expect(store.loadModels('google')).toBeNull();
    const models = [
      { id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', contextWindow: 1_048_576 },
      { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash' },
    ];
    store.saveModels('google', models, 123);
    store.saveModels('google', models.slice(0, 1), 456);
    await reopen();
    expect(store.loadModels('google')).toEqual({ provider: 'google', models: models.slice(0, 1), fetchedAt: 456 });
  });

  it('keeps JSON state and removes a key set to null', async () => {
    expect(store.getState('session')).toBeNull();
    store.setState('session', { activeProvider: 'anthropic', selected: { anthropic: 'claude-sonnet-4-5' } });
    store.setState('count', 3);
    await reopen();
    expect(store.getState('session')).toEqual({
      activeProvider: 'anthropic',
      selected: { anthropic: 'claude-sonnet-4-5' },
    });
    expect(store.getState('count')).toBe(3);
    store.setState('count', null);
    expect(store.getState('count')).toBeNull();
  });

  it('grants a lease to one owner at a time until it expires or is released', () => {
    const lease = store.tryAcquireLease('refresh:1', 'a', 1_000);
    expect(lease).toEqual({ name: 'refresh:1', owner: 'a', expiresAt: clock.now() + 1_000 });
    expect(store.tryAcquireLease('refresh:1', 'b', 1_000)).toBeNull();
    clock.advance(500);
    expect(store.tryAcquireLease('refresh:1', 'a', 1_000)?.expiresAt).toBe(clock.now() + 1_000);
    store.releaseLease('refresh:1', 'b');
    expect(store.tryAcquireLease('refresh:1', 'b', 1_000)).toBeNull();
    clock.advance(1_000);
    expect(store.tryAcquireLease('refresh:1', 'b', 1_000)?.owner).toBe('b');
    store.releaseLease('refresh:1', 'b');
    expect(store.tryAcquireLease('refresh:1', 'a', 1_000)?.owner).toBe('a');
    expect(store.tryAcquireLease('refresh:2', 'b', 1_000)?.owner).toBe('b');
    expect(thrown(() => store.tryAcquireLease('refresh:3', 'a', 0)).code).toBe('invalid_input');
  });

  it('refuses to be used after close, and closing twice is harmless', () => {
    store.put(apiKey('sk-ant-api03-closing-time'));
    store.close();
    expect(() => store.list()).toThrow();
    store.close();
  });

  it('reports an unknown row as null, not as an error', () => {
    expect(store.get('00000000-0000-0000-0000-000000000000')).toBeNull();
  });
});
