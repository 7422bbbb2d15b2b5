import { afterEach, describe, expect, it } from 'vitest';
import { openAppCore, type OpenCore } from '../../../src-main/electron/open-app-core.js';
import { planCredentialStorage } from '../../../src-main/electron/storage-policy.js';
import { SafeStorageKeyProvider } from '../../../src-main/core/store/key-providers/safe-storage-key-provider.js';
import { silentLogger } from '../../../src-main/log/logger.js';
import { isAuthError } from '../../../src-main/core/auth-error.js';
import { defaultCliKeyProviders, openCredentialStore } from '../../../src-main/core/store/open-store.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';
import { createAuthServiceDouble, statusView } from '../../support/auth-service-double.js';
import { FakeAsyncSafeStorage } from './support/fake-async-safe-storage.js';

const plan = (
  options: ConstructorParameters<typeof FakeAsyncSafeStorage>[0],
  platform: NodeJS.Platform,
  allowWeakStorage = false,
) => planCredentialStorage({ safeStorage: new FakeAsyncSafeStorage(options), platform, allowWeakStorage });

describe('the safeStorage backend policy', () => {
  it.each([
    ['linux', 'gnome_libsecret'],
    ['linux', 'kwallet'],
    ['linux', 'kwallet5'],
    ['linux', 'kwallet6'],
    ['darwin', null],
    ['win32', null],
  ] as const)('persists under real OS protection: %s %s', async (platform, backend) => {
    const decided = await plan({ backend }, platform);
    expect(decided.persistent).toBe(true);
    expect(decided.notices).toEqual([]);
    expect(decided.keyProviders).toHaveLength(1);
    expect(decided.keyProviders[0]?.protection).toBe('os_keychain');
    expect(decided.keyProviders[0]?.id).toMatch(/^safe-storage:/);
  });

  it('keeps credentials in memory only on Linux basic_text, says so, and offers the opt-in', async () => {
    const decided = await plan({ backend: 'basic_text' }, 'linux');
    expect(decided.persistent).toBe(false);
    expect(decided.keyProviders).toEqual([]);
    expect(decided.notices).toHaveLength(1);
    expect(decided.notices[0]).toMatch(/publicly known/);
    expect(decided.notices[0]).toMatch(/memory only/);
    expect(decided.notices[0]).toMatch(/weaker storage in Settings/);
  });

  it('keeps credentials in memory only when encryption is unavailable, even with the opt-in', async () => {
    for (const allowWeak of [false, true]) {
      const decided = await plan({ backend: 'gnome_libsecret', available: false }, 'linux', allowWeak);
      expect(decided.persistent).toBe(false);
      expect(decided.keyProviders).toEqual([]);
      expect(decided.notices[0]).toMatch(/memory only/);
      expect(decided.notices[0]).not.toMatch(/Settings/);
    }
  });

  it('persists with weak protection only after the explicit opt-in, and says what that means', async () => {
    const decided = await plan({ backend: 'basic_text' }, 'linux', true);
    expect(decided.persistent).toBe(true);
    expect(decided.keyProviders[0]).toMatchObject({ id: 'safe-storage:basic_text', protection: 'weak' });
    expect(decided.notices[0]).toMatch(/You chose to store credentials anyway/);
    const key = new Uint8Array(32).fill(7);
    const provider = decided.keyProviders[0];
    expect(provider).toBeDefined();
    if (provider === undefined) return;
    expect(Buffer.from(await provider.unwrap(await provider.wrap(key)))).toEqual(Buffer.from(key));
  });

  it('refuses an unknown Linux backend', async () => {
    expect((await plan({ backend: 'unknown' }, 'linux')).persistent).toBe(false);
  });
});

describe('safeStorage the Electron 45/46 way', () => {
  it('asks availability with isAsyncEncryptionAvailable, never the deprecated synchronous call', async () => {
    const safe = new FakeAsyncSafeStorage({ backend: 'gnome_libsecret' });
    const decided = await planCredentialStorage({ safeStorage: safe, platform: 'linux', allowWeakStorage: false });
    expect(decided.persistent).toBe(true);
    expect(safe.syncAvailabilityCalls).toBe(0);
    // isAsyncEncryptionAvailable, then the probe encryption that settles which backend encrypts.
    expect(safe.asyncCalls).toBe(2);
  });

  it('works where the synchronous API no longer exists (Electron 46): plans, wraps and unwraps', async () => {
    const safe = new FakeAsyncSafeStorage({ backend: 'kwallet6' }).electron46();
    const decided = await planCredentialStorage({ safeStorage: safe, platform: 'linux', allowWeakStorage: false });
    expect(decided.keyProviders.map((provider) => provider.id)).toEqual(['safe-storage:kwallet6']);
    const provider = decided.keyProviders[0];
    const key = new Uint8Array(32).fill(9);
    const wrapped = await provider?.wrap(key);
    expect(wrapped).toBeDefined();
    expect(await provider?.unwrap(wrapped ?? new Uint8Array())).toEqual(Buffer.from(key));
  });

  it('treats an availability check that never answers as unavailable, within the time box', async () => {
    const safe = new FakeAsyncSafeStorage({ backend: 'gnome_libsecret', hangAvailability: true });
    const decided = await planCredentialStorage({
      safeStorage: safe,
      platform: 'linux',
      allowWeakStorage: true,
      timeoutMs: 50,
    });
    expect(decided.persistent).toBe(false);
    expect(decided.notices[0]).toMatch(/not available/);
  });

  it('reports unavailable when the async check says so, whatever the synchronous one would say', async () => {
    const decided = await plan({ backend: 'gnome_libsecret', available: false }, 'linux');
    expect(decided.persistent).toBe(false);
  });
});

describe('the backend that actually encrypted', () => {
  it('reads the backend after the asynchronous encryption resolved: a fallback to basic_text is not reported as the keyring', async () => {
    const safe = new FakeAsyncSafeStorage({
      backend: 'gnome_libsecret',
      fallsBackTo: { backend: 'basic_text', on: 'encrypt' },
    });
    const decided = await planCredentialStorage({ safeStorage: safe, platform: 'linux', allowWeakStorage: false });
    expect(decided.persistent).toBe(false);
    expect(decided.keyProviders).toEqual([]);
    expect(decided.notices[0]).toMatch(/basic_text/);
  });

  it('reads the backend after isAsyncEncryptionAvailable answered, not before', async () => {
    const safe = new FakeAsyncSafeStorage({
      backend: 'basic_text',
      fallsBackTo: { backend: 'kwallet6', on: 'availability' },
    });
    const decided = await planCredentialStorage({ safeStorage: safe, platform: 'linux', allowWeakStorage: false });
    expect(decided.keyProviders.map((provider) => provider.id)).toEqual(['safe-storage:kwallet6']);
  });

  it('after the opt-in, names the weak backend that encrypts, not the keyring reported before', async () => {
    const safe = new FakeAsyncSafeStorage({
      backend: 'kwallet5',
      fallsBackTo: { backend: 'basic_text', on: 'encrypt' },
    });
    const decided = await planCredentialStorage({ safeStorage: safe, platform: 'linux', allowWeakStorage: true });
    expect(decided.keyProviders.map((provider) => [provider.id, provider.protection])).toEqual([
      ['safe-storage:basic_text', 'weak'],
    ]);
  });

  it('treats a probe encryption that fails or hangs as no encryption, within the time box', async () => {
    const broken = await plan({ backend: 'gnome_libsecret', broken: true }, 'linux', true);
    expect(broken.persistent).toBe(false);
    const hanging = await planCredentialStorage({
      safeStorage: new FakeAsyncSafeStorage({ backend: 'gnome_libsecret', hang: true }),
      platform: 'linux',
      allowWeakStorage: true,
      timeoutMs: 50,
    });
    expect(hanging.persistent).toBe(false);
    expect(hanging.notices[0]).toMatch(/not available/);
  });

  it('refuses to file a wrapping under a backend that changed while it was encrypted', async () => {
    const safe = new FakeAsyncSafeStorage({
      backend: 'gnome_libsecret',
      fallsBackTo: { backend: 'basic_text', on: 'encrypt' },
    });
    const provider = new SafeStorageKeyProvider(safe, 'linux', { available: true, backend: 'gnome_libsecret' });
    expect(provider.id).toBe('safe-storage:gnome_libsecret');
    const error: unknown = await provider.wrap(new Uint8Array(32).fill(3)).catch((caught: unknown) => caught);
    expect(isAuthError(error, 'encryption_unavailable')).toBe(true);
    expect((error as Error).message).toMatch(/changed from "gnome_libsecret" to "basic_text"/);
  });
});

describe('the safeStorage key provider', () => {
  it('wraps and unwraps through the asynchronous API, compatible across instances of one backend', async () => {
    const safe = new FakeAsyncSafeStorage({ backend: 'gnome_libsecret' });
    const key = new Uint8Array(32).fill(9);
    const wrapped = await new SafeStorageKeyProvider(safe, 'linux').wrap(key);
    expect(Buffer.from(await new SafeStorageKeyProvider(safe, 'linux').unwrap(wrapped))).toEqual(Buffer.from(key));
    expect(safe.asyncCalls).toBe(2);
  });

  it('time-boxes a hanging keyring: encryption_unavailable instead of a hang', async () => {
    const provider = new SafeStorageKeyProvider(
      new FakeAsyncSafeStorage({ backend: 'gnome_libsecret', hang: true }),
      'linux',
      { timeoutMs: 50 },
    );
    const started = Date.now();
    const error: unknown = await provider.wrap(new Uint8Array(32)).catch((caught: unknown) => caught);
    expect(isAuthError(error, 'encryption_unavailable')).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(provider.unwrap(new Uint8Array(40))).rejects.toMatchObject({ code: 'encryption_unavailable' });
  });

  it('turns a locked keyring into encryption_unavailable', async () => {
    const provider = new SafeStorageKeyProvider(
      new FakeAsyncSafeStorage({ backend: 'kwallet5', broken: true }),
      'linux',
    );
    await expect(provider.wrap(new Uint8Array(32))).rejects.toMatchObject({ code: 'encryption_unavailable' });
  });
});

describe('opening the core under the storage plan', () => {
  const dirs: (() => void)[] = [];
  afterEach(() => {
    for (const remove of dirs.splice(0)) remove();
  });

  /** The real credential store behind a core handle, so the keyring's effect is real; records each attempt. */
  function storeBackedCore(dataDir: string, opened: string[]): OpenCore {
    return async (keyProviders) => {
      opened.push(keyProviders.map((provider) => provider.id).join(',') || 'memory');
      const { store, protection } = await openCredentialStore({
        dataDir,
        keyProviders,
        logger: silentLogger,
        keyProviderTimeoutMs: 200,
      });
      const auth = createAuthServiceDouble();
      auth.current = statusView({ storage: protection });
      return { auth, dispose: async () => store.close() };
    };
  }

  it('opens the store sealed by the OS keyring when the backend is the one that wrote it', async () => {
    const { dir, remove } = makeTempDir('maestro-shell-');
    dirs.push(remove);
    const opened: string[] = [];
    const safe = new FakeAsyncSafeStorage({ backend: 'gnome_libsecret' });
    for (let run = 0; run < 2; run += 1) {
      const { core, notices } = await openAppCore({
        plan: await planCredentialStorage({ safeStorage: safe, platform: 'linux', allowWeakStorage: false }),
        openCore: storeBackedCore(dir, opened),
        logger: silentLogger,
      });
      expect(notices).toEqual([]);
      expect((await core.auth.status()).storage.persistent).toBe(true);
      await core.dispose();
    }
    expect(opened).toEqual(['safe-storage:gnome_libsecret', 'safe-storage:gnome_libsecret']);
  });

  it('does not crash when the backend changed since the data was written: memory-only, "sign in again", data untouched', async () => {
    const { dir, remove } = makeTempDir('maestro-shell-');
    dirs.push(remove);
    const libsecret = () =>
      planCredentialStorage({
        safeStorage: new FakeAsyncSafeStorage({ backend: 'gnome_libsecret' }),
        platform: 'linux',
        allowWeakStorage: false,
      });
    const written = await openCredentialStore({
      dataDir: dir,
      keyProviders: (await libsecret()).keyProviders,
      logger: silentLogger,
    });
    const meta = written.store.put({
      provider: 'openai',
      authMethod: 'api_key',
      accountLabel: 'work',
      credential: { kind: 'api_key', apiKey: 'sk-proj-0123456789abcdef' },
      expiresAt: null,
    });
    written.store.close();

    const opened: string[] = [];
    const kwallet = await planCredentialStorage({
      safeStorage: new FakeAsyncSafeStorage({ backend: 'kwallet5' }),
      platform: 'linux',
      allowWeakStorage: false,
    });
    const afterChange = await openAppCore({
      plan: kwallet,
      openCore: storeBackedCore(dir, opened),
      logger: silentLogger,
    });
    expect(opened).toEqual(['safe-storage:kwallet5', 'memory']);
    expect(afterChange.notices.join(' ')).toMatch(/Sign in again/);
    expect((await afterChange.core.auth.status()).storage.persistent).toBe(false);
    await afterChange.core.dispose();

    // The keyring that wrote the data is back: everything is still there.
    const reopened = await openCredentialStore({
      dataDir: dir,
      keyProviders: (await libsecret()).keyProviders,
      logger: silentLogger,
    });
    expect(reopened.store.get(meta.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-proj-0123456789abcdef' });
    reopened.store.close();
  });

  it('does not hang when the keyring hangs: memory-only with the reason', async () => {
    const { dir, remove } = makeTempDir('maestro-shell-');
    dirs.push(remove);
    const opened: string[] = [];
    const hanging = new FakeAsyncSafeStorage({ backend: 'gnome_libsecret', hang: true });
    const { core, notices } = await openAppCore({
      plan: await planCredentialStorage({
        safeStorage: hanging,
        platform: 'linux',
        allowWeakStorage: false,
        timeoutMs: 100,
      }),
      openCore: storeBackedCore(dir, opened),
      logger: silentLogger,
    });
    // The test encryption that settles the backend is what times out, before any store is opened.
    expect(opened).toEqual(['memory']);
    expect(notices.join(' ')).toMatch(/did not answer/);
    await core.dispose();
  });

  it('shares the credentials with the command line only when the person allows it', async () => {
    const { dir, remove } = makeTempDir('maestro-shell-');
    dirs.push(remove);
    const safe = new FakeAsyncSafeStorage({ backend: 'gnome_libsecret' });
    const cliKeys = () => defaultCliKeyProviders(dir, {});
    // The command line saves a key first, under its key file.
    const cli = await openCredentialStore({ dataDir: dir, keyProviders: cliKeys(), logger: silentLogger });
    cli.store.put({
      provider: 'openai',
      authMethod: 'api_key',
      accountLabel: 'default',
      credential: { kind: 'api_key', apiKey: 'sk-proj-shared-0123456789' },
      expiresAt: null,
    });
    cli.store.close();
    // Not allowed: the app cannot open what the command line sealed, and says how to share it.
    const opened: string[] = [];
    const refused = await openAppCore({
      plan: await planCredentialStorage({ safeStorage: safe, platform: 'linux', allowWeakStorage: false }),
      openCore: storeBackedCore(dir, opened),
      logger: silentLogger,
    });
    expect(refused.notices.join(' ')).toContain('Let the command line use these credentials');
    await refused.core.dispose();
    // Allowed: the app opens it with the key file and adds its keyring wrapping; the command line still opens it.
    const shared = await openAppCore({
      plan: await planCredentialStorage({
        safeStorage: safe,
        platform: 'linux',
        allowWeakStorage: false,
        commandLineKeyProviders: cliKeys(),
      }),
      openCore: storeBackedCore(dir, opened),
      logger: silentLogger,
    });
    expect(shared.notices).toEqual([]);
    expect((await shared.core.auth.status()).storage.level).toBe('key_file');
    await shared.core.dispose();
    expect(opened).toEqual(['safe-storage:gnome_libsecret', 'memory', 'safe-storage:gnome_libsecret,file']);
    const again = await openCredentialStore({
      dataDir: dir,
      keyProviders: [new SafeStorageKeyProvider(safe, 'linux')],
      logger: silentLogger,
    });
    expect(again.store.list({ provider: 'openai' })).toHaveLength(1);
    again.store.close();
  });

  it('lets other start-up failures through (they are not a keyring problem)', async () => {
    const failing: OpenCore = () => Promise.reject(new Error('disk full'));
    const decided = await planCredentialStorage({
      safeStorage: new FakeAsyncSafeStorage(),
      platform: 'linux',
      allowWeakStorage: false,
    });
    await expect(openAppCore({ plan: decided, openCore: failing, logger: silentLogger })).rejects.toThrow('disk full');
  });
});
