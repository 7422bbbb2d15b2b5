import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileKeyProvider } from '../../../../../src-main/core/store/key-providers/file-key-provider.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-key-symlink-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(process.platform === 'win32')('FileKeyProvider and symbolic links', () => {
  it('refuses a key file that is a symbolic link, even to a valid key', async () => {
    const real = join(dir, 'elsewhere.key');
    const wrapped = await new FileKeyProvider(real).wrap(randomBytes(32));
    const keyPath = join(dir, 'master.key');
    symlinkSync(real, keyPath);
    const provider = new FileKeyProvider(keyPath);
    const expected = {
      code: 'encryption_unavailable',
      message: `The key file ${keyPath} is not a plain file (a symbolic link or a folder); refusing to use it. Put the key file itself there.`,
    };
    await expect(provider.unwrap(wrapped)).rejects.toMatchObject(expected);
    await expect(provider.wrap(randomBytes(32))).rejects.toMatchObject(expected);
  });
});
