import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../../../src-main/core/auth-error.js';
import { defaultCliKeyProviders } from '../../../../../src-main/core/store/key-providers/default-cli-key-providers.js';
import {
  EnvKeyProvider,
  MASTER_KEY_ENV,
  parseMasterKey,
} from '../../../../../src-main/core/store/key-providers/env-key-provider.js';
import { FileKeyProvider } from '../../../../../src-main/core/store/key-providers/file-key-provider.js';

function thrown(fn: () => unknown): AuthError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error('expected an AuthError');
}

describe('EnvKeyProvider', () => {
  const key = randomBytes(32);

  it('accepts 32 bytes as hex, base64 and URL-safe base64 (surrounding whitespace ignored)', () => {
    for (const text of [
      key.toString('hex'),
      key.toString('base64'),
      key.toString('base64url'),
      ` ${key.toString('hex').toUpperCase()}\n`,
    ]) {
      expect(parseMasterKey(text).equals(key)).toBe(true);
    }
  });

  it('explains a malformed key without repeating it', () => {
    const malformed = [
      'short',
      key.subarray(0, 31).toString('hex'),
      `${key.toString('hex')}00`,
      randomBytes(33).toString('base64'),
      'z'.repeat(64),
    ];
    for (const value of malformed) {
      const error = thrown(() => EnvKeyProvider.fromEnvironment({ [MASTER_KEY_ENV]: value }));
      expect(error.code).toBe('config_invalid');
      expect(error.message).toContain(MASTER_KEY_ENV);
      expect(error.message).toContain('64 hex digits or 44 base64 characters');
      expect(error.message).not.toContain(value);
    }
  });

  it('is absent when the variable is unset or empty', () => {
    expect(EnvKeyProvider.fromEnvironment({})).toBeNull();
    expect(EnvKeyProvider.fromEnvironment({ [MASTER_KEY_ENV]: '' })).toBeNull();
  });

  it('wraps and unwraps under the environment key, and another key refuses', async () => {
    const provider = EnvKeyProvider.fromEnvironment({ [MASTER_KEY_ENV]: key.toString('base64') });
    if (provider === null) throw new Error('expected a provider');
    expect(provider.protection).toBe('env_key');
    const dataKey = randomBytes(32);
    const wrapped = await provider.wrap(dataKey);
    expect(Buffer.from(await provider.unwrap(wrapped)).equals(dataKey)).toBe(true);
    await expect(new EnvKeyProvider(randomBytes(32)).unwrap(wrapped)).rejects.toMatchObject({
      code: 'encryption_unavailable',
    });
  });

  it('is the command line default when set; otherwise the key file in the data directory', () => {
    const withEnv = defaultCliKeyProviders('/data', { [MASTER_KEY_ENV]: key.toString('hex') });
    expect(withEnv.map((p) => p.id)).toEqual(['env']);
    const without = defaultCliKeyProviders('/data', {});
    expect(without).toHaveLength(1);
    expect(without[0]).toBeInstanceOf(FileKeyProvider);
    expect((without[0] as FileKeyProvider).path).toBe('/data/master.key');
    expect(() => defaultCliKeyProviders('/data', { [MASTER_KEY_ENV]: 'nope' })).toThrow(AuthError);
  });
});
