import { afterEach, describe, expect, it } from 'vitest';
import {
  SafeStorageKeyProvider,
  type SafeStorageLike,
} from '../../../../../src-main/core/store/key-providers/safe-storage-key-provider.js';
import { openCredentialStore } from '../../../../../src-main/core/store/open-store.js';
import { silentLogger } from '../../../../../src-main/log/logger.js';
import { FakeSafeStorage } from '../../../../support/storage/fake-safe-storage.js';
import { makeTempDir } from '../../../../support/storage/temp-dir.js';

/** An OS keyring on the asynchronous API (Electron ≥ 38): `secret` encrypts; `previous` still decrypts, asking to re-encrypt. */
function keyring(secret: string, previous?: string): SafeStorageLike {
  const current = new FakeSafeStorage({ backend: 'gnome_libsecret', secret });
  const old = previous === undefined ? null : new FakeSafeStorage({ backend: 'gnome_libsecret', secret: previous });
  return {
    getSelectedStorageBackend: () => 'gnome_libsecret',
    isAsyncEncryptionAvailable: () => Promise.resolve(true),
    encryptStringAsync: (plainText) => Promise.resolve(current.encryptString(plainText)),
    decryptStringAsync: (encrypted) => {
      try {
        return Promise.resolve({ result: current.decryptString(encrypted), shouldReEncrypt: false });
      } catch (error) {
        if (old === null) return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        return Promise.resolve({ result: old.decryptString(encrypted), shouldReEncrypt: true });
      }
    },
  };
}

const dirs: (() => void)[] = [];
afterEach(() => dirs.splice(0).forEach((remove) => remove()));

async function open(dataDir: string, safe: SafeStorageLike) {
  return openCredentialStore({
    dataDir,
    keyProviders: [new SafeStorageKeyProvider(safe, 'linux', { available: true })],
    logger: silentLogger,
  });
}

describe('safeStorage asks to re-encrypt (shouldReEncrypt)', () => {
  it('re-wraps the data key with the new OS key, so the data opens once the old key is gone', async () => {
    const { dir, remove } = makeTempDir('maestro-rewrap-');
    dirs.push(remove);
    const first = await open(dir, keyring('2025-key'));
    const saved = first.store.put({
      provider: 'openai',
      authMethod: 'api_key',
      accountLabel: 'work',
      credential: { kind: 'api_key', apiKey: 'sk-proj-rewrap0123456789' },
      expiresAt: null,
    });
    first.store.close();

    // The keyring rotated its key: it still opens the old wrapping, and says to re-encrypt.
    const rotated = await open(dir, keyring('2026-key', '2025-key'));
    rotated.store.close();

    // Later the old key is gone: only a wrapping renewed under the new key still opens.
    const later = await open(dir, keyring('2026-key'));
    expect(later.store.get(saved.id)?.credential).toEqual({ kind: 'api_key', apiKey: 'sk-proj-rewrap0123456789' });
    later.store.close();
  });
});
