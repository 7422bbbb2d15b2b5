import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAuthError } from '../../../../../src-main/core/auth-error.js';
import {
  assessSafeStorage,
  SafeStorageKeyProvider,
} from '../../../../../src-main/core/store/key-providers/safe-storage-key-provider.js';
import { FakeSafeStorage } from '../../../../support/storage/fake-safe-storage.js';

describe('assessSafeStorage', () => {
  const cases: {
    platform: NodeJS.Platform;
    backend: string | null;
    available: boolean;
    usable: boolean;
    id: string;
    says: RegExp;
  }[] = [
    {
      platform: 'linux',
      backend: 'gnome_libsecret',
      available: true,
      usable: true,
      id: 'gnome_libsecret',
      says: /GNOME keyring/,
    },
    { platform: 'linux', backend: 'kwallet', available: true, usable: true, id: 'kwallet', says: /KWallet/ },
    { platform: 'linux', backend: 'kwallet6', available: true, usable: true, id: 'kwallet6', says: /KWallet 6/ },
    {
      platform: 'linux',
      backend: 'basic_text',
      available: true,
      usable: false,
      id: 'basic_text',
      says: /publicly known/,
    },
    { platform: 'linux', backend: 'unknown', available: true, usable: false, id: 'unknown', says: /cannot confirm/ },
    { platform: 'linux', backend: null, available: true, usable: false, id: 'unknown', says: /cannot confirm/ },
    {
      platform: 'linux',
      backend: 'gnome_libsecret',
      available: false,
      usable: false,
      id: 'gnome_libsecret',
      says: /not available/,
    },
    { platform: 'darwin', backend: null, available: true, usable: true, id: 'keychain', says: /macOS Keychain/ },
    { platform: 'darwin', backend: null, available: false, usable: false, id: 'keychain', says: /not available/ },
    { platform: 'win32', backend: null, available: true, usable: true, id: 'dpapi', says: /Windows account/ },
    { platform: 'win32', backend: null, available: false, usable: false, id: 'dpapi', says: /not available/ },
  ];

  for (const c of cases) {
    it(`${c.usable ? 'trusts' : 'does not trust'} ${c.platform} with backend ${String(c.backend)}${c.available ? '' : ' and encryption unavailable'}`, () => {
      const assessment = assessSafeStorage(
        new FakeSafeStorage({ backend: c.backend, available: c.available }),
        c.platform,
      );
      expect(assessment).toMatchObject({
        usable: c.usable,
        backend: c.id,
        protection: c.usable ? 'os_keychain' : 'weak',
      });
      expect(assessment.reason).toMatch(c.says);
    });
  }
});

describe('SafeStorageKeyProvider', () => {
  it('names its backend in its id and round-trips the data key through the OS storage', async () => {
    const provider = new SafeStorageKeyProvider(new FakeSafeStorage({ backend: 'kwallet5' }), 'linux');
    expect(provider.id).toBe('safe-storage:kwallet5');
    expect(provider.protection).toBe('os_keychain');
    const dataKey = randomBytes(32);
    const wrapped = await provider.wrap(dataKey);
    expect(Buffer.from(wrapped).includes(dataKey)).toBe(false);
    expect(Buffer.from(await provider.unwrap(wrapped)).equals(dataKey)).toBe(true);
  });

  it('fails cleanly when the backend changed since the key was wrapped', async () => {
    const before = new SafeStorageKeyProvider(new FakeSafeStorage({ backend: 'gnome_libsecret' }), 'linux');
    const after = new SafeStorageKeyProvider(new FakeSafeStorage({ backend: 'kwallet' }), 'linux');
    expect(after.id).not.toBe(before.id);
    const wrapped = await before.wrap(randomBytes(32));
    await expect(after.unwrap(wrapped)).rejects.toSatisfy((e) => isAuthError(e, 'encryption_unavailable'));
  });

  it('refuses to wrap with a weak backend unless the person opted in', async () => {
    const safe = new FakeSafeStorage({ backend: 'basic_text' });
    const refusing = new SafeStorageKeyProvider(safe, 'linux');
    expect(refusing.protection).toBe('weak');
    await expect(refusing.wrap(randomBytes(32))).rejects.toThrow(/publicly known/);
    expect(safe.encryptCalls).toBe(0);
    const optedIn = new SafeStorageKeyProvider(safe, 'linux', { allowWeak: true });
    const dataKey = randomBytes(32);
    expect(Buffer.from(await optedIn.unwrap(await optedIn.wrap(dataKey))).equals(dataKey)).toBe(true);
    expect(optedIn.protection).toBe('weak');
  });

  it('reports a failing keyring as encryption_unavailable', async () => {
    const provider = new SafeStorageKeyProvider(
      new FakeSafeStorage({ backend: 'gnome_libsecret', broken: true }),
      'linux',
    );
    await expect(provider.wrap(randomBytes(32))).rejects.toSatisfy((e) => isAuthError(e, 'encryption_unavailable'));
    await expect(provider.unwrap(Buffer.alloc(40))).rejects.toSatisfy((e) => isAuthError(e, 'encryption_unavailable'));
  });
});
