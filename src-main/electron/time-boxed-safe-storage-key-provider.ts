import type { ProtectionLevel } from '../../src-shared/view-models.js';
import { AuthError } from '../providers/auth/auth-error.js';
import { KEY_BYTES } from '../providers/auth/envelope.js';
import type { KeyProvider } from '../providers/auth/key-provider.js';
import {
  assessSafeStorage,
  type SafeStorageAssessment,
  type SafeStorageLike,
} from '../providers/auth/key-providers/safe-storage-key-provider.js';
import { withTimeout } from '../providers/auth/key-providers/with-timeout.js';

/** Electron's safeStorage with its asynchronous calls (Electron ≥ 38), which a timer can bound. */
export interface AsyncSafeStorageLike extends SafeStorageLike {
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ readonly result: string; readonly shouldReEncrypt: boolean }>;
}

/** How long one keyring call may take before the app stops waiting for it. */
export const SAFE_STORAGE_TIMEOUT_MS = 5_000;

/**
 * The app's key provider over Electron's safeStorage, through the asynchronous API: a
 * synchronous keyring call that hangs (a locked or stuck Linux keyring) would freeze the whole
 * main process, where no timer can fire; an asynchronous one is abandoned after `timeoutMs` and
 * becomes AuthError `encryption_unavailable`. The id (`safe-storage:<backend>`) and the wrapped
 * format (the data key in base64, encrypted as a string) are those of the core's
 * SafeStorageKeyProvider, so either can open what the other wrapped.
 */
export class TimeBoxedSafeStorageKeyProvider implements KeyProvider {
  readonly id: string;
  readonly protection: ProtectionLevel;
  readonly description: string;
  readonly assessment: SafeStorageAssessment;

  constructor(
    private readonly safe: AsyncSafeStorageLike,
    platform: NodeJS.Platform,
    private readonly options: { readonly allowWeak?: boolean; readonly timeoutMs?: number } = {},
  ) {
    this.assessment = assessSafeStorage(safe, platform);
    this.id = `safe-storage:${this.assessment.backend}`;
    this.protection = this.assessment.protection;
    this.description = `the system secret storage (${this.assessment.backend})`;
  }

  async wrap(dataKey: Uint8Array): Promise<Uint8Array> {
    this.assertUsable();
    if (dataKey.byteLength !== KEY_BYTES) throw AuthError.of('internal', `A data key must have ${KEY_BYTES} bytes.`);
    const encrypted = await this.call('encrypt', () => this.safe.encryptStringAsync(Buffer.from(dataKey).toString('base64')));
    return new Uint8Array(encrypted);
  }

  async unwrap(wrapped: Uint8Array): Promise<Uint8Array> {
    this.assertUsable();
    const decrypted = await this.call('decrypt', () => this.safe.decryptStringAsync(Buffer.from(wrapped)));
    const key = Buffer.from(decrypted.result, 'base64');
    if (key.length !== KEY_BYTES) {
      key.fill(0);
      throw AuthError.of('encryption_unavailable', `The data key opened by ${this.description} is damaged.`);
    }
    return key;
  }

  private assertUsable(): void {
    if (!this.assessment.usable && this.options.allowWeak !== true) {
      throw AuthError.of('encryption_unavailable', this.assessment.reason);
    }
  }

  private async call<T>(what: 'encrypt' | 'decrypt', fn: () => Promise<T>): Promise<T> {
    const timeoutMs = this.options.timeoutMs ?? SAFE_STORAGE_TIMEOUT_MS;
    try {
      return await withTimeout(Promise.resolve().then(fn), timeoutMs, `${this.description} (${what})`);
    } catch (cause) {
      if (cause instanceof AuthError) throw cause;
      throw new AuthError(
        { code: 'encryption_unavailable', message: `${this.description} could not ${what} the data key; it may be locked or its key may have changed.` },
        { cause },
      );
    }
  }
}
