import { randomBytes, randomUUID } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  fstatSync,
  readFileSync,
  unlinkSync,
  writeSync,
  constants,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProtectionLevel } from '../../../../src-shared/view-models.js';
import { AuthError } from '../../auth-error.js';
import { KEY_BYTES } from '../envelope.js';
import type { KeyProvider } from '../key-provider.js';
import { unwrapUnderMasterKey, wrapUnderMasterKey } from './master-key-wrap.js';

/** The file name the command line uses inside the data directory. */
export const MASTER_KEY_FILE = 'master.key';

function isNodeError(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

const NOT_A_FILE = new Error('not a regular file');

/**
 * Reads the key file itself, never what a symbolic link in its place points to (O_NOFOLLOW), and
 * only when it is a regular file; mode and content come from the same open file.
 */
function readWithoutFollowing(path: string): { mode: number; key: Buffer } {
  // O_NOFOLLOW does not exist on Windows, where creating symbolic links needs a privilege.
  const fd = openSync(path, constants.O_RDONLY | (process.platform === 'win32' ? 0 : constants.O_NOFOLLOW));
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw NOT_A_FILE;
    return { mode: stat.mode, key: readFileSync(fd) };
  } finally {
    closeSync(fd);
  }
}

/**
 * A master key kept in a file readable by its owner only (0600), for the command line and for
 * machines without an OS keychain. The file holds 32 random bytes; it is created on the first
 * wrap (never on unwrap, so a missing key file can never quietly become a new key).
 */
export class FileKeyProvider implements KeyProvider {
  readonly id = 'file';
  readonly protection: ProtectionLevel = 'key_file';
  readonly description: string;

  constructor(
    readonly path: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.description = `the key file ${path} (readable by you only)`;
  }

  async wrap(dataKey: Uint8Array): Promise<Uint8Array> {
    const masterKey = this.readOrCreate();
    try {
      return wrapUnderMasterKey(masterKey, dataKey, this.id);
    } finally {
      masterKey.fill(0);
    }
  }

  async unwrap(wrapped: Uint8Array): Promise<Uint8Array> {
    const masterKey = this.read();
    try {
      return unwrapUnderMasterKey(masterKey, wrapped, this.id, this.description);
    } finally {
      masterKey.fill(0);
    }
  }

  private readOrCreate(): Buffer {
    try {
      this.create();
    } catch (error) {
      // Another process (or an earlier run) created it first: use that one.
      if (!isNodeError(error, 'EEXIST')) throw this.failure('could not be created', error);
    }
    return this.read();
  }

  /**
   * Writes the key to a private temporary file (O_EXCL, 0600), flushes it, then links it into
   * place: the link fails if the key file exists, and a reader never sees a half-written key.
   */
  private create(): void {
    const temp = join(dirname(this.path), `.${MASTER_KEY_FILE}.${randomUUID()}.tmp`);
    const fd = openSync(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
    const key = randomBytes(KEY_BYTES);
    try {
      writeSync(fd, key);
      fsyncSync(fd);
    } finally {
      key.fill(0);
      closeSync(fd);
    }
    try {
      linkSync(temp, this.path);
    } finally {
      unlinkSync(temp);
    }
  }

  private read(): Buffer {
    let mode: number;
    let key: Buffer;
    try {
      ({ mode, key } = readWithoutFollowing(this.path));
    } catch (error) {
      if (isNodeError(error, 'ELOOP') || isNodeError(error, 'EISDIR') || error === NOT_A_FILE) {
        throw AuthError.of(
          'encryption_unavailable',
          `The key file ${this.path} is not a plain file (a symbolic link or a folder); refusing to use it. Put the key file itself there.`,
        );
      }
      if (isNodeError(error, 'ENOENT')) {
        throw AuthError.of(
          'encryption_unavailable',
          `The key file ${this.path} is missing; restore it from a backup (a new key cannot open what the old one protected).`,
        );
      }
      throw this.failure('could not be read', error);
    }
    // POSIX permissions are meaningful; on Windows the mode bits do not describe the ACL.
    if (this.platform !== 'win32' && (mode & 0o077) !== 0) {
      key.fill(0);
      throw AuthError.of(
        'encryption_unavailable',
        `The key file ${this.path} is readable by other users (mode ${(mode & 0o777).toString(8)}); refusing to use it. Run: chmod 600 ${this.path}`,
      );
    }
    if (key.length !== KEY_BYTES) {
      key.fill(0);
      throw AuthError.of(
        'encryption_unavailable',
        `The key file ${this.path} is damaged: it must hold exactly ${KEY_BYTES} bytes.`,
      );
    }
    return key;
  }

  private failure(what: string, cause: unknown): AuthError {
    const detail = cause instanceof Error ? ` (${(cause as NodeJS.ErrnoException).code ?? cause.message})` : '';
    return new AuthError(
      { code: 'encryption_unavailable', message: `The key file ${this.path} ${what}${detail}.` },
      { cause },
    );
  }
}
