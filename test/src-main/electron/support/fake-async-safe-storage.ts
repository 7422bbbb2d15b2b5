import type { SafeStorageLike } from '../../../../src-main/core/store/key-providers/safe-storage-key-provider.js';
import { FakeSafeStorage, type FakeSafeStorageOptions } from '../../../support/storage/fake-safe-storage.js';

/**
 * Electron's safeStorage with its asynchronous calls, over the storage tests' AES fake (data
 * written under one backend really fails to open under another). `hang` makes every async call
 * never settle, as a stuck Linux keyring does.
 */
export class FakeAsyncSafeStorage extends FakeSafeStorage implements SafeStorageLike {
  asyncCalls = 0;

  constructor(private readonly asyncOptions: FakeSafeStorageOptions & { readonly hang?: boolean } = {}) {
    super(asyncOptions);
  }

  encryptStringAsync(plainText: string): Promise<Buffer> {
    this.asyncCalls += 1;
    if (this.asyncOptions.hang === true) return new Promise<Buffer>(() => undefined);
    return Promise.resolve().then(() => this.encryptString(plainText));
  }

  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    this.asyncCalls += 1;
    if (this.asyncOptions.hang === true) return new Promise(() => undefined);
    return Promise.resolve().then(() => ({ result: this.decryptString(encrypted), shouldReEncrypt: false }));
  }
}
