import type { SafeStorageLike } from '../../../../src-main/core/store/key-providers/safe-storage-key-provider.js';
import { FakeSafeStorage, type FakeSafeStorageOptions } from '../../../support/storage/fake-safe-storage.js';

/**
 * Electron's safeStorage with its asynchronous calls, over the storage tests' AES fake (data
 * written under one backend really fails to open under another). `hang` makes every async
 * encryption call never settle, as a stuck Linux keyring does; `hangAvailability` the availability check.
 */
export class FakeAsyncSafeStorage extends FakeSafeStorage implements SafeStorageLike {
  asyncCalls = 0;
  /** Calls of the synchronous availability check (deprecated in Electron 45, removed in 46). */
  syncAvailabilityCalls = 0;

  constructor(
    private readonly asyncOptions: FakeSafeStorageOptions & {
      readonly hang?: boolean;
      /** isAsyncEncryptionAvailable never settles. */
      readonly hangAvailability?: boolean;
      /**
       * The backend the asynchronous encryptor ends up with, reported from the first async call of
       * `on` (Electron initialises it lazily; a keyring that fails then falls back), while
       * `backend` is what Linux reports before: the synchronous answer.
       */
      readonly fallsBackTo?: { readonly backend: string; readonly on: 'availability' | 'encrypt' };
    } = {},
  ) {
    super(asyncOptions);
    const before = this.getSelectedStorageBackend;
    const after = asyncOptions.fallsBackTo;
    if (after !== undefined)
      this.getSelectedStorageBackend = () => (this.fellBack ? after.backend : (before?.() ?? 'unknown'));
  }

  private fellBack = false;

  private initialise(on: 'availability' | 'encrypt'): void {
    if (this.asyncOptions.fallsBackTo?.on === on) this.fellBack = true;
  }

  override isEncryptionAvailable(): boolean {
    this.syncAvailabilityCalls += 1;
    return super.isEncryptionAvailable();
  }

  isAsyncEncryptionAvailable(): Promise<boolean> {
    this.asyncCalls += 1;
    this.initialise('availability');
    if (this.asyncOptions.hangAvailability === true) return new Promise<boolean>(() => undefined);
    return Promise.resolve().then(() => this.asyncOptions.available ?? true);
  }

  /** The same keyring as Electron 46 offers it: the asynchronous API only. */
  electron46(): SafeStorageLike {
    return {
      isAsyncEncryptionAvailable: () => this.isAsyncEncryptionAvailable(),
      encryptStringAsync: (plainText) => this.encryptStringAsync(plainText),
      decryptStringAsync: (encrypted) => this.decryptStringAsync(encrypted),
      getSelectedStorageBackend: () => this.getSelectedStorageBackend?.() ?? 'unknown',
    };
  }

  encryptStringAsync(plainText: string): Promise<Buffer> {
    this.asyncCalls += 1;
    this.initialise('encrypt');
    if (this.asyncOptions.hang === true) return new Promise<Buffer>(() => undefined);
    return Promise.resolve().then(() => this.encryptString(plainText));
  }

  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    this.asyncCalls += 1;
    if (this.asyncOptions.hang === true) return new Promise(() => undefined);
    return Promise.resolve().then(() => ({ result: this.decryptString(encrypted), shouldReEncrypt: false }));
  }
}
