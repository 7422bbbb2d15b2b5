import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProtectionLevel } from '../../../../src-shared/view-models.js';
import { AuthError } from '../../../../src-main/core/auth-error.js';
import type { KeyProvider } from '../../../../src-main/core/store/key-provider.js';
import { FileKeyProvider } from '../../../../src-main/core/store/key-providers/file-key-provider.js';
import { MemoryKeyProvider } from '../../../../src-main/core/store/key-providers/memory-key-provider.js';
import { SafeStorageKeyProvider } from '../../../../src-main/core/store/key-providers/safe-storage-key-provider.js';
import { openCredentialStore, type OpenStoreOptions } from '../../../../src-main/core/store/open-store.js';
import { FakeSafeStorage } from '../../../support/storage/fake-safe-storage.js';
import { makeTempDir, readAllFiles } from '../../../support/storage/temp-dir.js';

/** A key provider whose calls never answer, like a keyring waiting on an invisible unlock prompt. */
class HangingKeyProvider implements KeyProvider {
  readonly protection: ProtectionLevel = 'os_keychain';
  readonly description = 'a keyring that never answers';
  constructor(readonly id = 'safe-storage:gnome_libsecret') {}
  wrap(): Promise<Uint8Array> {
    return new Promise(() => undefined);
  }
  unwrap(): Promise<Uint8Array> {
    return new Promise(() => undefined);
  }
}

/** A key provider that always fails (a keyring that refuses). */
class FailingKeyProvider extends HangingKeyProvider {
  override wrap(): Promise<Uint8Array> {
    return Promise.reject(AuthError.of('encryption_unavailable', 'The keyring refused.'));
  }
}

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

const apiKey = (key: string) =>
  ({
    provider: 'anthropic',
    authMethod: 'api_key',
    accountLabel: 'default',
    credential: { kind: 'api_key', apiKey: key },
    expiresAt: null,
  }) as const;

function wrappingsIn(dataDir: string): { key_id: string; key_provider_id: string }[] {
  const db = new Database(join(dataDir, 'maestro.db'), { readonly: true });
  try {
    return db
      .prepare<[], { key_id: string; key_provider_id: string }>(
        'SELECT key_id, key_provider_id FROM data_keys ORDER BY key_provider_id',
      )
      .all();
  } finally {
    db.close();
  }
}

describe('openCredentialStore', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let dataDir: string;
  const open = (options: Partial<OpenStoreOptions> & Pick<OpenStoreOptions, 'keyProviders'>) =>
    openCredentialStore({ dataDir, ...options });
  beforeEach(() => {
    temp = makeTempDir();
    dataDir = join(temp.dir, 'nested', 'data');
  });
  afterEach(() => temp.remove());

  it.runIf(process.platform !== 'win32')(
    'creates the data directory for its owner only and reports key-file protection',
    async () => {
      const opened = await open({ keyProviders: [new FileKeyProvider(join(dataDir, 'master.key'))] });
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(opened.protection).toMatchObject({ level: 'key_file', persistent: true, warnings: [] });
      expect(opened.protection.description).toContain('master.key');
      opened.store.close();
    },
  );

  it('adds a wrapping for a newly allowed provider, which can then open the data alone', async () => {
    const first = new MemoryKeyProvider({ id: 'first', protection: 'key_file' });
    const second = new MemoryKeyProvider({ id: 'second', protection: 'os_keychain' });
    const a = await open({ keyProviders: [first] });
    const meta = a.store.put(apiKey('sk-ant-api03-shared-0001'));
    a.store.close();
    const b = await open({ keyProviders: [second, first] });
    expect(b.protection.level).toBe('key_file');
    b.store.close();
    expect(wrappingsIn(dataDir).map((w) => w.key_provider_id)).toEqual(['first', 'second']);
    expect(new Set(wrappingsIn(dataDir).map((w) => w.key_id)).size).toBe(1);
    const c = await open({ keyProviders: [second], exclusiveKeyProviders: true });
    expect(c.store.get(meta.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-ant-api03-shared-0001' });
    expect(c.protection.level).toBe('os_keychain');
    c.store.close();
  });

  it('refuses to start when the primary protection cannot seal the first data key, and stores no key', async () => {
    const error = await rejection(open({ keyProviders: [new FailingKeyProvider()] }));
    expect(error.code).toBe('encryption_unavailable');
    expect(error.message).toContain('The keyring refused.');
    expect(wrappingsIn(dataDir)).toEqual([]);
  });

  it('opens with a warning when a secondary protection fails', async () => {
    const opened = await open({
      keyProviders: [new MemoryKeyProvider({ protection: 'key_file' }), new FailingKeyProvider()],
    });
    expect(opened.warnings).toEqual([
      expect.stringContaining('could not also protect your credentials: The keyring refused.'),
    ]);
    expect(opened.protection.warnings).toEqual(opened.warnings);
    opened.store.close();
  });

  it('time-boxes a hanging keyring instead of hanging itself', async () => {
    const started = Date.now();
    const error = await rejection(open({ keyProviders: [new HangingKeyProvider()], keyProviderTimeoutMs: 100 }));
    expect(error.code).toBe('encryption_unavailable');
    expect(error.message).toMatch(/did not answer within 100 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('falls through a hanging keyring to the next allowed provider that holds a wrapping', async () => {
    const file = new MemoryKeyProvider({ id: 'file-like', protection: 'key_file' });
    const seeded = await open({ keyProviders: [file] });
    const meta = seeded.store.put(apiKey('sk-ant-api03-fallthrough1'));
    seeded.store.close();
    // Give the hanging provider a wrapping of its own so it is tried first.
    const raw = new Database(join(dataDir, 'maestro.db'));
    raw
      .prepare(
        "INSERT INTO data_keys SELECT key_id, 'safe-storage:gnome_libsecret', wrapped, created_at FROM data_keys",
      )
      .run();
    raw.close();
    const opened = await open({ keyProviders: [new HangingKeyProvider(), file], keyProviderTimeoutMs: 100 });
    expect(opened.store.get(meta.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-ant-api03-fallthrough1' });
    expect(opened.warnings).toEqual([expect.stringContaining('did not answer within 100 ms')]);
    opened.store.close();
  });

  it('detects a changed keyring backend and names the protection that sealed the data', async () => {
    const before = await open({
      keyProviders: [new SafeStorageKeyProvider(new FakeSafeStorage({ backend: 'gnome_libsecret' }), 'linux')],
    });
    expect(before.protection.level).toBe('os_keychain');
    before.store.put(apiKey('sk-ant-api03-keyring-0001'));
    before.store.close();
    const error = await rejection(
      open({ keyProviders: [new SafeStorageKeyProvider(new FakeSafeStorage({ backend: 'kwallet6' }), 'linux')] }),
    );
    expect(error.code).toBe('encryption_unavailable');
    expect(error.message).toContain(
      'are protected by the system secret storage (gnome_libsecret), which is not available here',
    );
    const sameBackendOtherKeyring = await rejection(
      open({
        keyProviders: [
          new SafeStorageKeyProvider(
            new FakeSafeStorage({ backend: 'gnome_libsecret', secret: 'a new login keyring' }),
            'linux',
          ),
        ],
      }),
    );
    expect(sameBackendOtherKeyring.code).toBe('encryption_unavailable');
  });

  it('creates one data key when two opens race on a fresh directory', async () => {
    const key = randomBytes(32);
    const provider = (): MemoryKeyProvider => new MemoryKeyProvider({ key, protection: 'key_file' });
    const [a, b] = await Promise.all([open({ keyProviders: [provider()] }), open({ keyProviders: [provider()] })]);
    const meta = a.store.put(apiKey('sk-ant-api03-raced-00001'));
    expect(b.store.get(meta.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-ant-api03-raced-00001' });
    a.store.close();
    b.store.close();
    expect(wrappingsIn(dataDir)).toHaveLength(1);
  });

  it('keeps credentials in memory only when asked, while non-secret state stays on disk', async () => {
    const canary = `sk-ant-api03-MEMORY-ONLY-${randomBytes(4).toString('hex')}`;
    const first = await open({ keyProviders: [], memoryOnly: true });
    expect(first.protection).toMatchObject({ level: 'memory_only', persistent: false });
    const meta = first.store.put(apiKey(canary));
    expect(first.store.get(meta.id)?.credential).toEqual({ kind: 'api_key', apiKey: canary });
    first.store.setState('session', { activeProvider: 'anthropic' });
    const onDisk = [...readAllFiles(dataDir).values()];
    expect(onDisk.some((bytes) => bytes.includes(Buffer.from(canary)))).toBe(false);
    first.store.close();
    const second = await open({ keyProviders: [new MemoryKeyProvider()], memoryOnly: true });
    expect(second.store.list()).toEqual([]);
    expect(second.store.getState('session')).toEqual({ activeProvider: 'anthropic' });
    expect(wrappingsIn(dataDir)).toEqual([]);
    second.store.close();
  });

  it('says so when credentials saved on disk earlier are set aside by memory-only mode', async () => {
    const provider = new MemoryKeyProvider({ protection: 'key_file' });
    const persistent = await open({ keyProviders: [provider] });
    persistent.store.put(apiKey('sk-ant-api03-on-disk-0001'));
    persistent.store.close();
    const memory = await open({ keyProviders: [], memoryOnly: true });
    expect(memory.warnings).toEqual([expect.stringMatching(/^1 credential\(s\) saved earlier/)]);
    memory.store.close();
    const back = await open({ keyProviders: [provider] });
    expect(back.store.list()).toHaveLength(1);
    back.store.close();
  });

  it('warns about credentials whose data key was removed from the database, and still opens', async () => {
    const provider = new MemoryKeyProvider({ protection: 'key_file' });
    const first = await open({ keyProviders: [provider] });
    const meta = first.store.put(apiKey('sk-ant-api03-orphaned-001'));
    first.store.close();
    const raw = new Database(join(dataDir, 'maestro.db'));
    raw.exec('DELETE FROM data_keys');
    raw.close();
    const second = await open({ keyProviders: [provider] });
    expect(second.warnings).toEqual([
      expect.stringMatching(/^1 stored credential\(s\) were sealed with a data key that is missing/),
    ]);
    expect(() => second.store.get(meta.id)).toThrow(/no longer has/);
    second.store.close();
  });

  it('moves a damaged database aside and reports it in the protection warnings', async () => {
    const first = await open({ keyProviders: [new MemoryKeyProvider({ protection: 'key_file' })] });
    first.store.close();
    writeFileSync(join(dataDir, 'maestro.db'), randomBytes(8192));
    const opened = await open({ keyProviders: [new MemoryKeyProvider({ protection: 'key_file' })] });
    expect(opened.protection.warnings).toEqual([expect.stringContaining('maestro.db.corrupt-')]);
    expect(opened.store.list()).toEqual([]);
    opened.store.close();
  });
});
