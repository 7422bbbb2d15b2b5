import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../../src-main/core/store/key-providers/safe-storage-key-provider.js';

export interface FakeSafeStorageOptions {
  readonly available?: boolean;
  /** What `getSelectedStorageBackend` answers; omit the method entirely with `null`. */
  readonly backend?: string | null;
  /** Keyring secret; two fakes with different secrets cannot read each other's data. */
  readonly secret?: string;
  /** Encrypt and decrypt throw, as a locked or broken keyring does. */
  readonly broken?: boolean;
}

/**
 * Electron's safeStorage, played with real AES-256-GCM under a key derived from the backend and a
 * secret, so data written under one backend (or one keyring) really fails to open under another.
 */
export class FakeSafeStorage implements SafeStorageLike {
  encryptCalls = 0;
  decryptCalls = 0;
  getSelectedStorageBackend?: () => string;
  private readonly key: Buffer;

  constructor(private readonly options: FakeSafeStorageOptions = {}) {
    const backend = options.backend === undefined ? 'gnome_libsecret' : options.backend;
    if (backend !== null) this.getSelectedStorageBackend = () => backend;
    this.key = createHash('sha256')
      .update(`${backend ?? 'none'}|${options.secret ?? 'keyring'}`)
      .digest();
  }

  isEncryptionAvailable(): boolean {
    return this.options.available ?? true;
  }

  encryptString(plainText: string): Buffer {
    this.encryptCalls += 1;
    this.maybeFail();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from('v10'), iv, cipher.getAuthTag(), body]);
  }

  decryptString(encrypted: Buffer): string {
    this.decryptCalls += 1;
    this.maybeFail();
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(3, 15));
    decipher.setAuthTag(encrypted.subarray(15, 31));
    return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
  }

  private maybeFail(): void {
    if (this.options.broken === true) throw new Error('The keyring is locked');
  }
}
