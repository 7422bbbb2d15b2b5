import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../../../src-main/core/auth-error.js';
import { credentialAad, EnvelopeError, openBytes } from '../../../../src-main/core/store/envelope.js';
import { FileKeyProvider } from '../../../../src-main/core/store/key-providers/file-key-provider.js';
import { openCredentialStore } from '../../../../src-main/core/store/open-store.js';
import type { KeyProvider } from '../../../../src-main/core/store/key-provider.js';
import { planCredentialStorage } from '../../../../src-main/electron/storage-policy.js';
import { SealedGatewayKey } from '../../../../src-main/gateway/gateway-key.js';
import { FakeSafeStorage } from '../../../support/storage/fake-safe-storage.js';
import { makeTempDir } from '../../../support/storage/temp-dir.js';

const apiKey = (label: string, key: string) =>
  ({
    provider: 'anthropic',
    authMethod: 'api_key',
    accountLabel: label,
    credential: { kind: 'api_key', apiKey: key },
    expiresAt: null,
  }) as const;

function wrappingIds(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'maestro.db'), { readonly: true });
  try {
    return db.prepare('SELECT key_provider_id FROM data_keys ORDER BY key_provider_id').pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('turning a protection off removes it', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let dataDir: string;
  const keyFile = (): FileKeyProvider => new FileKeyProvider(join(dataDir, 'master.key'));
  /** The app as main.ts opens it: the plan's providers are everything allowed. */
  const openApp = (keyProviders: readonly KeyProvider[]) =>
    openCredentialStore({ dataDir, keyProviders, exclusiveKeyProviders: true });
  const openCli = () => openCredentialStore({ dataDir, keyProviders: [keyFile()] });
  beforeEach(() => {
    temp = makeTempDir();
    dataDir = join(temp.dir, 'data');
  });
  afterEach(() => temp.remove());

  it('after sharing with the command line is turned off, the key file alone opens nothing', async () => {
    const safeStorage = new FakeSafeStorage({ backend: 'gnome_libsecret' });
    const plan = (share: boolean) =>
      planCredentialStorage({
        safeStorage,
        platform: 'linux',
        allowWeakStorage: false,
        commandLineKeyProviders: share ? [keyFile()] : [],
      });
    const sharing = await openApp((await plan(true)).keyProviders);
    expect(sharing.protection.level).toBe('key_file');
    sharing.store.put(apiKey('before', 'sk-ant-api03-before-0001'));
    sharing.store.close();
    const cli = await openCli();
    expect(cli.store.list()).toHaveLength(1);
    cli.store.close();

    const alone = await openApp((await plan(false)).keyProviders);
    expect(alone.protection.level).toBe('os_keychain');
    expect(alone.protection.description).not.toContain('master.key');
    const later = alone.store.put(apiKey('later', 'sk-ant-api03-later-0002'));
    alone.store.close();
    expect(wrappingIds(dataDir)).toEqual(['safe-storage:gnome_libsecret']);

    const refused: unknown = await openCli().then(
      (opened) => {
        opened.store.close();
        return null;
      },
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AuthError);
    expect((refused as AuthError).code).toBe('encryption_unavailable');

    // The app still opens everything, including what was saved after sharing stopped.
    const again = await openApp((await plan(false)).keyProviders);
    expect(again.store.get(later.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-ant-api03-later-0002' });
    expect(again.store.list()).toHaveLength(2);
    again.store.close();
  });

  it('re-keys when sharing stops: a master.key and database copied while it was on open nothing in the new database', async () => {
    const safeStorage = new FakeSafeStorage({ backend: 'gnome_libsecret' });
    const plan = (share: boolean) =>
      planCredentialStorage({
        safeStorage,
        platform: 'linux',
        allowWeakStorage: false,
        commandLineKeyProviders: share ? [keyFile()] : [],
      });
    const sharing = await openApp((await plan(true)).keyProviders);
    const saved = sharing.store.put(apiKey('default', 'sk-ant-api03-rekey-0005'));
    const gatewayKey = new SealedGatewayKey(sharing.store).current();
    sharing.store.close();
    // What someone with read access takes while the command line shares the credentials.
    const stolen = join(temp.dir, 'stolen');
    mkdirSync(stolen);
    for (const name of ['master.key', 'maestro.db', 'maestro.db-wal']) {
      if (existsSync(join(dataDir, name))) copyFileSync(join(dataDir, name), join(stolen, name));
    }
    const stolenDb = new Database(join(stolen, 'maestro.db'));
    const fileWrapping = stolenDb
      .prepare("SELECT wrapped FROM data_keys WHERE key_provider_id = 'file'")
      .pluck()
      .get() as Buffer;
    stolenDb.close();
    const oldDataKey = await new FileKeyProvider(join(stolen, 'master.key')).unwrap(fileWrapping);

    const alone = await openApp((await plan(false)).keyProviders);
    expect(alone.warnings).toEqual([]);
    alone.store.close();

    // Every sealed row of the new database (the gateway key included) refuses the old data key,
    // and the old wrapping is nowhere in the new files.
    const db = new Database(join(dataDir, 'maestro.db'), { readonly: true });
    const rows = db.prepare('SELECT * FROM provider_credentials').all() as {
      id: string;
      user_id: string;
      provider: string;
      auth_method: 'api_key' | 'oauth';
      account_label: string;
      generation: number;
      aad_version: 1 | 2;
      credentials: Buffer;
    }[];
    const keyIds = db.prepare('SELECT DISTINCT key_id FROM data_keys').pluck().all();
    db.close();
    expect(rows.map((row) => row.provider).sort()).toEqual(['anthropic', 'maestro-gateway']);
    expect(keyIds).toHaveLength(1);
    for (const row of rows) {
      const aad = credentialAad(
        {
          id: row.id,
          userId: row.user_id,
          provider: row.provider,
          authMethod: row.auth_method,
          accountLabel: row.account_label,
          generation: row.generation,
        },
        row.aad_version,
      );
      expect(() => openBytes(oldDataKey, row.credentials, aad)).toThrow(EnvelopeError);
    }
    for (const name of ['maestro.db', 'maestro.db-wal']) {
      const file = join(dataDir, name);
      if (existsSync(file)) expect(readFileSync(file).includes(fileWrapping), name).toBe(false);
    }
    // The copied key file beside the new database opens nothing.
    copyFileSync(join(stolen, 'master.key'), join(dataDir, 'master.key'));
    await expect(openCli()).rejects.toMatchObject({ code: 'encryption_unavailable' });

    // The app still opens everything.
    const again = await openApp((await plan(false)).keyProviders);
    expect(again.store.get(saved.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-ant-api03-rekey-0005' });
    expect(new SealedGatewayKey(again.store).current()).toBe(gatewayKey);
    again.store.close();
  });

  it('a command line that opened the old key before the re-key writes nothing it could never open again', async () => {
    const safeStorage = new FakeSafeStorage({ backend: 'gnome_libsecret' });
    const plan = (share: boolean) =>
      planCredentialStorage({
        safeStorage,
        platform: 'linux',
        allowWeakStorage: false,
        commandLineKeyProviders: share ? [keyFile()] : [],
      });
    const sharing = await openApp((await plan(true)).keyProviders);
    const saved = sharing.store.put(apiKey('default', 'sk-ant-api03-rekey-0006'));
    sharing.store.close();
    const cli = await openCli();
    const alone = await openApp((await plan(false)).keyProviders);

    const refusal = (write: () => unknown): unknown => {
      try {
        write();
        return null;
      } catch (error) {
        return error;
      }
    };
    for (const attempt of [
      () => cli.store.put(apiKey('late', 'sk-ant-api03-rekey-0007')),
      () => cli.store.get(saved.id),
    ]) {
      const error = refusal(attempt);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).code).toBe('encryption_unavailable');
      expect((error as AuthError).message).toContain('run the command again');
    }
    cli.store.close();
    expect(alone.store.list().map((meta) => meta.accountLabel)).toEqual(['default']);
    expect(alone.store.get(saved.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-ant-api03-rekey-0006' });
    alone.store.close();
  });

  it('after the Linux basic_text opt-in is turned off, its wrapping is gone and the key file remains', async () => {
    const safeStorage = new FakeSafeStorage({ backend: 'basic_text' });
    const plan = (allowWeakStorage: boolean) =>
      planCredentialStorage({ safeStorage, platform: 'linux', allowWeakStorage, commandLineKeyProviders: [keyFile()] });
    const weak = await openApp((await plan(true)).keyProviders);
    expect(weak.protection.level).toBe('weak');
    const meta = weak.store.put(apiKey('default', 'sk-ant-api03-weak-0003'));
    weak.store.close();
    expect(wrappingIds(dataDir)).toEqual(['file', 'safe-storage:basic_text']);

    const strict = await openApp((await plan(false)).keyProviders);
    expect(strict.protection.level).toBe('key_file');
    expect(strict.store.get(meta.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-ant-api03-weak-0003' });
    strict.store.close();
    expect(wrappingIds(dataDir)).toEqual(['file']);
  });

  it('shows the weakest protection that holds a wrapping, even one the settings do not allow', async () => {
    const safeStorage = new FakeSafeStorage({ backend: 'gnome_libsecret' });
    const keychain = (await planCredentialStorage({ safeStorage, platform: 'linux', allowWeakStorage: false }))
      .keyProviders;
    const shared = await openApp([...keychain, keyFile()]);
    shared.store.close();
    // Opened without the exclusive flag (an older app, or the command line): nothing is removed,
    // and the window must not claim the keychain alone protects the data.
    const opened = await openCredentialStore({ dataDir, keyProviders: keychain });
    expect(opened.protection.level).toBe('key_file');
    expect(opened.protection.description).toContain('master.key');
    opened.store.close();
  });

  it('warns, in memory-only mode, that credentials stay on disk under a protection that keeps nothing secret', async () => {
    const safeStorage = new FakeSafeStorage({ backend: 'basic_text' });
    const plan = (allowWeakStorage: boolean) =>
      planCredentialStorage({ safeStorage, platform: 'linux', allowWeakStorage });
    const weak = await openApp((await plan(true)).keyProviders);
    weak.store.put(apiKey('default', 'sk-ant-api03-weak-0004'));
    weak.store.close();
    const memory = await openApp((await plan(false)).keyProviders);
    expect(memory.protection.level).toBe('memory_only');
    expect(memory.warnings).toEqual([
      expect.stringContaining('protected only by the system secret storage (basic_text)'),
    ]);
    memory.store.close();
  });
});
