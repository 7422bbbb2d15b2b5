import type { ProtectionLevel } from '../../../../src-shared/view-models.js';
import { AuthError } from '../../auth-error.js';
import { KEY_BYTES } from '../envelope.js';
import type { KeyProvider } from '../key-provider.js';
import { withTimeout } from './with-timeout.js';

/**
 * The shape of Electron's `safeStorage`, so the core never imports electron. Electron 45 marks the
 * synchronous calls deprecated and Electron 46 removes them; the asynchronous ones (Electron ≥ 38)
 * are used whenever present — they do not block the main thread on a Keychain prompt, and a timer
 * can bound them.
 */
export interface SafeStorageLike {
  isEncryptionAvailable?(): boolean;
  encryptString?(plainText: string): Buffer;
  decryptString?(encrypted: Buffer): string;
  /** Linux only in Electron: `basic_text`, `gnome_libsecret`, `kwallet`, `kwallet5`, `kwallet6` or `unknown`. */
  getSelectedStorageBackend?(): string;
  isAsyncEncryptionAvailable?(): Promise<boolean>;
  encryptStringAsync?(plainText: string): Promise<Buffer>;
  decryptStringAsync?(encrypted: Buffer): Promise<{ readonly result: string; readonly shouldReEncrypt?: boolean }>;
}

/** How long one keyring call may take before we stop waiting for it. */
export const SAFE_STORAGE_TIMEOUT_MS = 5_000;

/** What the OS secret storage is worth on this machine, and why. */
export interface SafeStorageAssessment {
  readonly usable: boolean;
  readonly protection: 'os_keychain' | 'weak';
  readonly backend: string;
  /** One sentence a person understands. */
  readonly reason: string;
}

const LINUX_KEYRINGS: Readonly<Record<string, string>> = {
  gnome_libsecret: 'the GNOME keyring (libsecret)',
  kwallet: 'KWallet',
  kwallet5: 'KWallet 5',
  kwallet6: 'KWallet 6',
};

/** The backend safeStorage reports now (Linux's answer changes once the async encryptor initialised). */
export function selectedBackend(safe: SafeStorageLike, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'keychain';
  if (platform === 'win32') return 'dpapi';
  return safe.getSelectedStorageBackend?.() ?? 'unknown';
}

/**
 * Decides whether Electron's safeStorage really protects secrets here. On Linux without a
 * keyring Electron falls back to `basic_text`: encryption with a fixed password everybody
 * knows, which is no protection; `unknown` means the backend is not known yet (asked before the
 * app was ready) or not recognised. Call after `app` is ready.
 */
export function assessSafeStorage(
  safe: SafeStorageLike,
  platform: NodeJS.Platform,
  /** Measured by the caller through `isAsyncEncryptionAvailable`; else asked synchronously. */
  available?: boolean,
  /** The backend read after the asynchronous path answered (storage-policy.ts); else read now. */
  measuredBackend?: string,
): SafeStorageAssessment {
  const backend = measuredBackend ?? selectedBackend(safe, platform);
  if (!(available ?? safe.isEncryptionAvailable?.() ?? false)) {
    return {
      usable: false,
      protection: 'weak',
      backend,
      reason:
        "The system's secret storage is not available, so credentials cannot be protected by your operating system account.",
    };
  }
  if (platform === 'darwin') {
    return {
      usable: true,
      protection: 'os_keychain',
      backend,
      reason: 'Credentials are protected by the macOS Keychain.',
    };
  }
  if (platform === 'win32') {
    return {
      usable: true,
      protection: 'os_keychain',
      backend,
      reason: 'Credentials are protected by your Windows account (DPAPI).',
    };
  }
  const keyring = LINUX_KEYRINGS[backend];
  if (keyring !== undefined) {
    return { usable: true, protection: 'os_keychain', backend, reason: `Credentials are protected by ${keyring}.` };
  }
  if (backend === 'basic_text') {
    return {
      usable: false,
      protection: 'weak',
      backend,
      reason:
        'No keyring (GNOME Keyring or KWallet) was found (safeStorage backend: basic_text): the only encryption on offer uses a password that is publicly known, which does not protect your credentials. If your desktop has a keyring that was not recognised, choose it under Settings, Keyring (applies after a restart).',
    };
  }
  return {
    usable: false,
    protection: 'weak',
    backend,
    reason: `The system's secret storage backend is "${backend}", which The Maestro cannot confirm protects your credentials.`,
  };
}

export interface SafeStorageKeyProviderOptions {
  /** Wrap even when the assessment says the protection is weak: only after the person opted in. */
  readonly allowWeak?: boolean;
  /** Bound on one asynchronous keyring call (default SAFE_STORAGE_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** Whether encryption is available, as `isAsyncEncryptionAvailable` answered after `ready`. */
  readonly available?: boolean;
  /** The backend that answered the asynchronous path (read after it resolved, storage-policy.ts). */
  readonly backend?: string;
}

/**
 * Wraps the data key with Electron's safeStorage (Keychain, DPAPI, libsecret, KWallet). The id
 * names the backend (`safe-storage:gnome_libsecret`), so data wrapped under one backend is not
 * silently handed to another: the store sees no wrapping for the new id and reports it.
 */
export class SafeStorageKeyProvider implements KeyProvider {
  readonly id: string;
  readonly protection: ProtectionLevel;
  readonly description: string;
  readonly assessment: SafeStorageAssessment;

  constructor(
    private readonly safe: SafeStorageLike,
    private readonly platform: NodeJS.Platform,
    private readonly options: SafeStorageKeyProviderOptions = {},
  ) {
    this.assessment = assessSafeStorage(safe, platform, options.available, options.backend);
    this.id = `safe-storage:${this.assessment.backend}`;
    this.protection = this.assessment.protection;
    this.description = `the system secret storage (${this.assessment.backend})`;
  }

  async wrap(dataKey: Uint8Array): Promise<Uint8Array> {
    this.assertUsable();
    if (dataKey.byteLength !== KEY_BYTES) throw AuthError.of('internal', `A data key must have ${KEY_BYTES} bytes.`);
    const plain = Buffer.from(dataKey).toString('base64');
    const encrypted = await this.call('encrypt', () => {
      if (this.safe.encryptStringAsync !== undefined) return this.safe.encryptStringAsync(plain);
      if (this.safe.encryptString !== undefined) return this.safe.encryptString(plain);
      throw new Error('safeStorage offers no encryption call');
    });
    this.assertBackendUnchanged();
    return new Uint8Array(encrypted);
  }

  async unwrap(wrapped: Uint8Array): Promise<Uint8Array> {
    return (await this.unwrapChecked(wrapped)).key;
  }

  /** Unwraps, passing on safeStorage's `shouldReEncrypt` (the asynchronous API reports it). */
  async unwrapChecked(wrapped: Uint8Array): Promise<{ readonly key: Uint8Array; readonly rewrap: boolean }> {
    this.assertUsable();
    const blob = Buffer.from(wrapped);
    const { text, rewrap } = await this.call('decrypt', async () => {
      if (this.safe.decryptStringAsync !== undefined) {
        const decrypted = await this.safe.decryptStringAsync(blob);
        return { text: decrypted.result, rewrap: decrypted.shouldReEncrypt === true };
      }
      if (this.safe.decryptString !== undefined) return { text: this.safe.decryptString(blob), rewrap: false };
      throw new Error('safeStorage offers no decryption call');
    });
    const key = Buffer.from(text, 'base64');
    if (key.length !== KEY_BYTES) {
      key.fill(0);
      throw AuthError.of('encryption_unavailable', `The data key opened by ${this.description} is damaged.`);
    }
    return { key, rewrap };
  }

  /**
   * The wrapping is stored under this provider's id, which names the backend assessed at start.
   * Read after the encryption resolved: a keyring that fell back meanwhile (e.g. to `basic_text`)
   * must not have its output filed, and reported, as the keyring's.
   */
  private assertBackendUnchanged(): void {
    const now = selectedBackend(this.safe, this.platform);
    if (now === this.assessment.backend) return;
    throw AuthError.of(
      'encryption_unavailable',
      `The system secret storage changed from "${this.assessment.backend}" to "${now}" while encrypting; nothing was stored with it. Restart The Maestro.`,
    );
  }

  private assertUsable(): void {
    if (!this.assessment.usable && this.options.allowWeak !== true) {
      throw AuthError.of('encryption_unavailable', this.assessment.reason);
    }
  }

  /**
   * One keyring call, bounded in time. A synchronous call that hangs would freeze the process
   * where no timer can fire, which is why the asynchronous API is preferred when it exists.
   */
  private async call<T>(what: 'encrypt' | 'decrypt', fn: () => T | Promise<T>): Promise<T> {
    try {
      return await withTimeout(
        Promise.resolve().then(fn),
        this.options.timeoutMs ?? SAFE_STORAGE_TIMEOUT_MS,
        `${this.description} (${what})`,
      );
    } catch (cause) {
      if (cause instanceof AuthError) throw cause;
      throw new AuthError(
        {
          code: 'encryption_unavailable',
          message: `${this.description} could not ${what} the data key; it may be locked or its key may have changed.`,
        },
        { cause },
      );
    }
  }
}
