import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../../../../src-main/core/auth-error.js';
import { EnvKeyProvider } from '../../../../../src-main/core/store/key-providers/env-key-provider.js';
import { FileKeyProvider } from '../../../../../src-main/core/store/key-providers/file-key-provider.js';
import { MemoryKeyProvider } from '../../../../../src-main/core/store/key-providers/memory-key-provider.js';
import { openCredentialStore } from '../../../../../src-main/core/store/open-store.js';
import { makeTempDir, readAllFiles } from '../../../../support/storage/temp-dir.js';

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

function thrown(fn: () => unknown): AuthError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error('expected an AuthError');
}

/** Every encoding a careless implementation could leave a secret in. */
function encodings(secret: string): Buffer[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [
    bytes,
    Buffer.from(secret, 'utf16le'),
    Buffer.from(bytes.toString('base64')),
    Buffer.from(bytes.toString('base64url')),
    Buffer.from(bytes.toString('hex')),
  ];
}

function findings(
  dir: string,
  secrets: Record<string, Buffer[]>,
  skip: (file: string) => boolean = () => false,
): string[] {
  const found: string[] = [];
  for (const [file, bytes] of readAllFiles(dir)) {
    if (skip(file)) continue;
    for (const [name, needles] of Object.entries(secrets)) {
      if (needles.some((needle) => bytes.includes(needle))) found.push(`${name} in ${file}`);
    }
  }
  return found;
}

describe('credential store security', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  it('never writes a secret, the data key or the master key in plaintext to any file in the data directory', async () => {
    const tag = randomBytes(6).toString('hex');
    const canaries = {
      apiKey: `sk-ant-api03-CANARY${tag}AAAA`,
      access1: `ya29.CANARY-ACCESS-ONE-${tag}`,
      refresh1: `1//CANARY-REFRESH-ONE-${tag}`,
      access2: `ya29.CANARY-ACCESS-TWO-${tag}`,
      refresh2: `1//CANARY-REFRESH-TWO-${tag}`,
      idToken: `eyJCANARY.${tag}.sig`,
      deleted: `sk-proj-CANARY-DELETED-${tag}`,
    };
    const keyFile = join(temp.dir, 'master.key');
    const { store } = await openCredentialStore({ dataDir: temp.dir, keyProviders: [new FileKeyProvider(keyFile)] });
    const key = store.put({
      provider: 'anthropic',
      authMethod: 'api_key',
      accountLabel: 'default',
      credential: { kind: 'api_key', apiKey: canaries.apiKey },
      expiresAt: null,
    });
    const signIn = store.put({
      provider: 'openai',
      authMethod: 'oauth',
      accountLabel: 'default',
      expiresAt: 1,
      credential: {
        kind: 'oauth',
        accessToken: canaries.access1,
        refreshToken: canaries.refresh1,
        idToken: canaries.idToken,
        tokenType: 'Bearer',
      },
    });
    const rotated = store.rotate({
      id: signIn.id,
      expectedGeneration: 1,
      expiresAt: 2,
      credential: {
        kind: 'oauth',
        accessToken: canaries.access2,
        refreshToken: canaries.refresh2,
        tokenType: 'Bearer',
      },
    });
    expect(rotated.ok).toBe(true);
    const doomed = store.put({
      provider: 'openai',
      authMethod: 'api_key',
      accountLabel: 'spare',
      credential: { kind: 'api_key', apiKey: canaries.deleted },
      expiresAt: null,
    });
    store.delete(doomed.id);
    store.renameAccount('anthropic', 'default', 'work');
    store.markInvalid(key.id, { code: 'invalid_credentials', message: 'The key was refused.' });
    store.saveModels('anthropic', [{ id: 'claude-sonnet-4-5', displayName: 'Claude Sonnet 4.5' }], 1);
    store.setState('session', { activeProvider: 'openai' });
    expect(store.get(key.id)?.credential).toEqual({ kind: 'api_key', apiKey: canaries.apiKey });

    const secretNeedles = Object.fromEntries(Object.entries(canaries).map(([name, value]) => [name, encodings(value)]));
    // While open, the write-ahead log holds the recent pages: scan it too.
    expect(findings(temp.dir, secretNeedles)).toEqual([]);
    store.close();
    expect(findings(temp.dir, secretNeedles)).toEqual([]);

    const masterKey = readAllFiles(temp.dir).get('master.key') ?? Buffer.alloc(0);
    expect(masterKey.length).toBe(32);
    const db = new Database(join(temp.dir, 'maestro.db'), { readonly: true });
    const wrapped = db.prepare<[], Buffer>('SELECT wrapped FROM data_keys').pluck().all();
    db.close();
    expect(wrapped).toHaveLength(1);
    const dataKey = Buffer.from(await new FileKeyProvider(keyFile).unwrap(wrapped[0] ?? Buffer.alloc(0)));
    const keyNeedles = {
      masterKey: [masterKey, Buffer.from(masterKey.toString('base64'))],
      dataKey: [dataKey, Buffer.from(dataKey.toString('base64'))],
    };
    expect(findings(temp.dir, keyNeedles, (file) => file === 'master.key')).toEqual([]);
  });

  it('binds each ciphertext to its row: swapped ciphertexts fail for those rows only', async () => {
    const { store } = await openCredentialStore({
      dataDir: temp.dir,
      keyProviders: [new MemoryKeyProvider({ protection: 'key_file' })],
    });
    const personal = store.put({
      provider: 'anthropic',
      authMethod: 'api_key',
      accountLabel: 'personal',
      credential: { kind: 'api_key', apiKey: 'sk-ant-api03-personal-0001' },
      expiresAt: null,
    });
    const work = store.put({
      provider: 'anthropic',
      authMethod: 'api_key',
      accountLabel: 'work',
      credential: { kind: 'api_key', apiKey: 'sk-ant-api03-work-000000002' },
      expiresAt: null,
    });
    const other = store.put({
      provider: 'google',
      authMethod: 'api_key',
      accountLabel: 'default',
      credential: { kind: 'api_key', apiKey: 'AIzaSyOther-000000000003' },
      expiresAt: null,
    });

    const raw = new Database(join(temp.dir, 'maestro.db'));
    const blobOf = (id: string): Buffer =>
      raw.prepare<[string], Buffer>('SELECT credentials FROM provider_credentials WHERE id = ?').pluck().get(id) ??
      Buffer.alloc(0);
    const setBlob = raw.prepare('UPDATE provider_credentials SET credentials = ? WHERE id = ?');
    const [a, b] = [blobOf(personal.id), blobOf(work.id)];
    raw.transaction(() => {
      setBlob.run(b, personal.id);
      setBlob.run(a, work.id);
    })();
    raw.close();

    for (const [meta, account] of [
      [personal, 'personal'],
      [work, 'work'],
    ] as const) {
      const error = thrown(() => store.get(meta.id));
      expect(error.code).toBe('credential_corrupt');
      expect(error.info.provider).toBe('anthropic');
      expect(error.message).toContain(`anthropic (account "${account}")`);
      expect(error.message).not.toMatch(/sk-ant/);
    }
    expect(store.get(other.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'AIzaSyOther-000000000003' });
    expect(store.list().map((m) => m.accountLabel)).toEqual(['personal', 'work', 'default']);
    // Writing a new secret repairs the row.
    store.put({
      provider: 'anthropic',
      authMethod: 'api_key',
      accountLabel: 'work',
      credential: { kind: 'api_key', apiKey: 'sk-ant-api03-work-renewed03' },
      expiresAt: null,
    });
    expect(store.get(work.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-ant-api03-work-renewed03' });
    store.close();
  });

  it('reports a tampered ciphertext or a foreign data key as credential_corrupt', async () => {
    const { store } = await openCredentialStore({
      dataDir: temp.dir,
      keyProviders: [new MemoryKeyProvider({ protection: 'key_file' })],
    });
    const flipped = store.put({
      provider: 'openai',
      authMethod: 'api_key',
      accountLabel: 'one',
      credential: { kind: 'api_key', apiKey: 'sk-proj-flipped-00001' },
      expiresAt: null,
    });
    const foreign = store.put({
      provider: 'openai',
      authMethod: 'api_key',
      accountLabel: 'two',
      credential: { kind: 'api_key', apiKey: 'sk-proj-foreign-00002' },
      expiresAt: null,
    });
    const raw = new Database(join(temp.dir, 'maestro.db'));
    const blob = Buffer.from(
      raw
        .prepare<[string], Buffer>('SELECT credentials FROM provider_credentials WHERE id = ?')
        .pluck()
        .get(flipped.id) ?? Buffer.alloc(0),
    );
    blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 0x80;
    raw.prepare('UPDATE provider_credentials SET credentials = ? WHERE id = ?').run(blob, flipped.id);
    raw.prepare("UPDATE provider_credentials SET key_id = 'another-key' WHERE id = ?").run(foreign.id);
    raw.close();
    expect(thrown(() => store.get(flipped.id)).message).toMatch(/altered/);
    expect(thrown(() => store.get(foreign.id)).message).toMatch(/data key this installation no longer has/);
    expect(store.list()).toHaveLength(2);
    store.close();
  });

  it('refuses to open with the wrong key provider, says what sealed the data, and changes no file', async () => {
    const rightKey = randomBytes(32);
    const first = await openCredentialStore({
      dataDir: temp.dir,
      keyProviders: [new MemoryKeyProvider({ key: rightKey, protection: 'key_file' })],
    });
    const meta = first.store.put({
      provider: 'anthropic',
      authMethod: 'api_key',
      accountLabel: 'default',
      credential: { kind: 'api_key', apiKey: 'sk-ant-api03-keep-me-safe' },
      expiresAt: null,
    });
    first.store.close();
    const before = readAllFiles(temp.dir);

    const wrongKey = await rejection(
      openCredentialStore({ dataDir: temp.dir, keyProviders: [new MemoryKeyProvider({ protection: 'key_file' })] }),
    );
    expect(wrongKey.code).toBe('encryption_unavailable');
    expect(wrongKey.message).toContain('cannot be opened with a key held in memory');
    expect(wrongKey.message).toContain('Nothing was changed');
    const otherKind = await rejection(
      openCredentialStore({
        dataDir: temp.dir,
        keyProviders: [new EnvKeyProvider(randomBytes(32)), new FileKeyProvider(join(temp.dir, 'master.key'))],
      }),
    );
    expect(otherKind.code).toBe('encryption_unavailable');
    expect(otherKind.message).toContain('(available: the master key in THE_MAESTRO_MASTER_KEY or the key file');

    expect(readAllFiles(temp.dir)).toEqual(before);
    const again = await openCredentialStore({
      dataDir: temp.dir,
      keyProviders: [new MemoryKeyProvider({ key: rightKey, protection: 'key_file' })],
    });
    expect(again.store.get(meta.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-ant-api03-keep-me-safe' });
    again.store.close();
  });
});
