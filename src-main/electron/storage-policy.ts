import type { KeyProvider } from '../core/store/key-provider.js';
import {
  SAFE_STORAGE_TIMEOUT_MS,
  SafeStorageKeyProvider,
  selectedBackend,
  type SafeStorageLike,
} from '../core/store/key-providers/safe-storage-key-provider.js';
import { withTimeout } from '../core/store/key-providers/with-timeout.js';

/** Which key providers the core may use on this machine, and what the window must say about it. */
export interface StoragePlan {
  /** Empty: the core keeps credentials in memory only. */
  readonly keyProviders: readonly KeyProvider[];
  readonly persistent: boolean;
  /** Sentences for the window's storage warnings. */
  readonly notices: readonly string[];
}

/**
 * Whether safeStorage can encrypt here, asked the Electron 45/46 way: `isAsyncEncryptionAvailable`
 * (the synchronous `isEncryptionAvailable` is deprecated in 45 and removed in 46, and can block the
 * main thread on a Keychain prompt), after `ready`, bounded in time — a keyring that never
 * answers means "not available". The synchronous call only where the async one does not exist.
 */
export async function isSafeStorageAvailable(safe: SafeStorageLike, timeoutMs: number): Promise<boolean> {
  if (safe.isAsyncEncryptionAvailable !== undefined) {
    try {
      return await withTimeout(safe.isAsyncEncryptionAvailable(), timeoutMs, 'The system secret storage');
    } catch {
      return false;
    }
  }
  return safe.isEncryptionAvailable?.() ?? false;
}

/**
 * Availability and the backend that actually encrypts, measured together. Electron initialises
 * the asynchronous encryptor lazily, on the first `isAsyncEncryptionAvailable`,
 * `encryptStringAsync` or `decryptStringAsync` after `ready` (electron.d.ts, Electron 45), and
 * on Linux a keyring that fails then falls back; so a probe encryption runs (time-boxed) and the
 * backend is read only after it resolved. A probe that fails means encryption is not available.
 */
export async function measureSafeStorage(
  safe: SafeStorageLike,
  platform: NodeJS.Platform,
  timeoutMs: number,
): Promise<{ readonly available: boolean; readonly backend: string; readonly failure?: string }> {
  const available = await isSafeStorageAvailable(safe, timeoutMs);
  if (available && safe.encryptStringAsync !== undefined) {
    try {
      await withTimeout(safe.encryptStringAsync('the-maestro: which backend encrypts'), timeoutMs, 'A test encryption');
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      return { available: false, backend: selectedBackend(safe, platform), failure };
    }
  }
  return { available, backend: selectedBackend(safe, platform) };
}

/**
 * The safeStorage backend policy. Call after `app` is ready (before it, Linux reports the backend
 * as `unknown`).
 * - Real OS protection (Keychain, DPAPI, libsecret, KWallet): persist, sealed by it.
 * - Linux `basic_text` (a publicly known password) or no encryption at all: keep credentials in
 *   memory only and say so — unless the person explicitly opted in to weaker storage, and even
 *   then only when there is some encryption to use.
 */
export async function planCredentialStorage(input: {
  readonly safeStorage: SafeStorageLike;
  readonly platform: NodeJS.Platform;
  readonly allowWeakStorage: boolean;
  /** The command line's key providers, when the person lets it share the app's credentials. */
  readonly commandLineKeyProviders?: readonly KeyProvider[];
  readonly timeoutMs?: number;
}): Promise<StoragePlan> {
  const timeoutMs = input.timeoutMs ?? SAFE_STORAGE_TIMEOUT_MS;
  const { available, backend, failure } = await measureSafeStorage(input.safeStorage, input.platform, timeoutMs);
  const shared = input.commandLineKeyProviders ?? [];
  const provider = new SafeStorageKeyProvider(input.safeStorage, input.platform, { timeoutMs, available, backend });
  const assessment =
    failure === undefined
      ? provider.assessment
      : { ...provider.assessment, reason: `${provider.assessment.reason} (${failure})` };
  // The OS protection comes first: it is tried first and wraps a new data key first.
  if (assessment.usable) return { keyProviders: [provider, ...shared], persistent: true, notices: [] };
  if (input.allowWeakStorage && available) {
    const weak = new SafeStorageKeyProvider(input.safeStorage, input.platform, {
      timeoutMs,
      available,
      backend,
      allowWeak: true,
    });
    return {
      keyProviders: [weak, ...shared],
      persistent: true,
      notices: [
        `${assessment.reason} You chose to store credentials anyway: anyone who can read your files can read them.`,
      ],
    };
  }
  if (shared.length > 0) {
    // The person lets the command line share the credentials: its key file protects them here too.
    return {
      keyProviders: shared,
      persistent: true,
      notices: [`${assessment.reason} Your credentials are protected by the command line's key instead.`],
    };
  }
  const optIn = available ? ' You can choose weaker storage in Settings (takes effect after a restart).' : '';
  return {
    keyProviders: [],
    persistent: false,
    notices: [
      `${assessment.reason} Your credentials are kept in memory only and forgotten when The Maestro quits.${optIn}`,
    ],
  };
}
