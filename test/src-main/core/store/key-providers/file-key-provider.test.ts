import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, isAuthError } from '../../../../../src-main/core/auth-error.js';
import { FileKeyProvider } from '../../../../../src-main/core/store/key-providers/file-key-provider.js';
import { makeTempDir } from '../../../../support/storage/temp-dir.js';

const posix = process.platform !== 'win32';

async function failure(promise: Promise<unknown>): Promise<AuthError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

describe('FileKeyProvider', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let keyPath: string;
  beforeEach(() => {
    temp = makeTempDir();
    keyPath = join(temp.dir, 'master.key');
  });
  afterEach(() => temp.remove());

  it.runIf(posix)('creates a 32-byte key file with mode 0600 on first wrap, and leaves no temporary file', async () => {
    const provider = new FileKeyProvider(keyPath);
    const dataKey = randomBytes(32);
    const wrapped = await provider.wrap(dataKey);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyPath).length).toBe(32);
    expect(readdirSync(temp.dir)).toEqual(['master.key']);
    expect(Buffer.from(await new FileKeyProvider(keyPath).unwrap(wrapped)).equals(dataKey)).toBe(true);
    expect(provider.protection).toBe('key_file');
  });

  it('reuses the existing key file instead of replacing it', async () => {
    await new FileKeyProvider(keyPath).wrap(randomBytes(32));
    const before = readFileSync(keyPath);
    await new FileKeyProvider(keyPath).wrap(randomBytes(32));
    expect(readFileSync(keyPath).equals(before)).toBe(true);
  });

  it('ends with one key when several providers create it at the same time', async () => {
    const dataKey = randomBytes(32);
    const wrappings = await Promise.all(Array.from({ length: 8 }, () => new FileKeyProvider(keyPath).wrap(dataKey)));
    for (const wrapped of wrappings)
      expect(Buffer.from(await new FileKeyProvider(keyPath).unwrap(wrapped)).equals(dataKey)).toBe(true);
  });

  it.runIf(posix)('refuses a key file readable by group or others, saying how to fix it', async () => {
    const provider = new FileKeyProvider(keyPath);
    const wrapped = await provider.wrap(randomBytes(32));
    chmodSync(keyPath, 0o644);
    const error = await failure(provider.unwrap(wrapped));
    expect(error.code).toBe('encryption_unavailable');
    expect(error.message).toContain('readable by other users (mode 644)');
    expect(error.message).toContain(`chmod 600 ${keyPath}`);
    await expect(provider.wrap(randomBytes(32))).rejects.toSatisfy((e) => isAuthError(e, 'encryption_unavailable'));
  });

  it('never creates a key file when asked to unwrap, so a lost key cannot become a new one', async () => {
    const wrapped = await new FileKeyProvider(join(temp.dir, 'other.key')).wrap(randomBytes(32));
    const error = await failure(new FileKeyProvider(keyPath).unwrap(wrapped));
    expect(error.code).toBe('encryption_unavailable');
    expect(error.message).toContain('is missing; restore it from a backup');
    expect(existsSync(keyPath)).toBe(false);
  });

  it('refuses a damaged key file and a different key', async () => {
    const wrapped = await new FileKeyProvider(keyPath).wrap(randomBytes(32));
    writeFileSync(keyPath, randomBytes(31), { mode: 0o600 });
    expect((await failure(new FileKeyProvider(keyPath).unwrap(wrapped))).message).toContain('damaged');
    writeFileSync(keyPath, randomBytes(32), { mode: 0o600 });
    expect((await failure(new FileKeyProvider(keyPath).unwrap(wrapped))).code).toBe('encryption_unavailable');
  });
});
