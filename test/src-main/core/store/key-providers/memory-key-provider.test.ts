import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAuthError } from '../../../../../src-main/core/auth-error.js';
import { MemoryKeyProvider } from '../../../../../src-main/core/store/key-providers/memory-key-provider.js';

describe('MemoryKeyProvider', () => {
  it('unwraps what it wrapped, and the wrapping does not contain the data key', async () => {
    const provider = new MemoryKeyProvider();
    const dataKey = randomBytes(32);
    const wrapped = await provider.wrap(dataKey);
    expect(Buffer.from(wrapped).includes(dataKey)).toBe(false);
    expect(Buffer.from(await provider.unwrap(wrapped)).equals(dataKey)).toBe(true);
  });

  it('reports memory_only by default and the level a test sets otherwise', () => {
    expect(new MemoryKeyProvider().protection).toBe('memory_only');
    expect(new MemoryKeyProvider({ protection: 'key_file' }).protection).toBe('key_file');
  });

  it('opens a wrapping made by another instance with the same key', async () => {
    const key = randomBytes(32);
    const dataKey = randomBytes(32);
    const wrapped = await new MemoryKeyProvider({ key }).wrap(dataKey);
    expect(Buffer.from(await new MemoryKeyProvider({ key }).unwrap(wrapped)).equals(dataKey)).toBe(true);
  });

  it('refuses with encryption_unavailable under another master key or another provider id', async () => {
    const key = randomBytes(32);
    const wrapped = await new MemoryKeyProvider({ key }).wrap(randomBytes(32));
    await expect(new MemoryKeyProvider().unwrap(wrapped)).rejects.toSatisfy((e) =>
      isAuthError(e, 'encryption_unavailable'),
    );
    await expect(new MemoryKeyProvider({ key, id: 'memory-2' }).unwrap(wrapped)).rejects.toSatisfy((e) =>
      isAuthError(e, 'encryption_unavailable'),
    );
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => new MemoryKeyProvider({ key: randomBytes(16) })).toThrow(/32 bytes/);
  });
});
