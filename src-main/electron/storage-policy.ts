import type { KeyProvider } from '../core/store/key-provider.js';
import { SafeStorageKeyProvider, type SafeStorageLike } from '../core/store/key-providers/safe-storage-key-provider.js';

/** Which key providers the core may use on this machine, and what the window must say about it. */
export interface StoragePlan {
  /** Empty: the core keeps credentials in memory only. */
  readonly keyProviders: readonly KeyProvider[];
  readonly persistent: boolean;
  /** Sentences for the window's storage warnings. */
  readonly notices: readonly string[];
}

/**
 * The safeStorage backend policy. Call after `app` is ready (before it, Linux reports the backend
 * as `unknown`).
 * - Real OS protection (Keychain, DPAPI, libsecret, KWallet): persist, sealed by it.
 * - Linux `basic_text` (a publicly known password) or no encryption at all: keep credentials in
 *   memory only and say so — unless the person explicitly opted in to weaker storage, and even
 *   then only when there is some encryption to use.
 */
export function planCredentialStorage(input: {
  readonly safeStorage: SafeStorageLike;
  readonly platform: NodeJS.Platform;
  readonly allowWeakStorage: boolean;
  /** The command line's key providers, when the person lets it share the app's credentials. */
  readonly commandLineKeyProviders?: readonly KeyProvider[];
  readonly timeoutMs?: number;
}): StoragePlan {
  const timeBox = input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {};
  const shared = input.commandLineKeyProviders ?? [];
  const provider = new SafeStorageKeyProvider(input.safeStorage, input.platform, timeBox);
  const { assessment } = provider;
  // The OS protection comes first: it is tried first and wraps a new data key first.
  if (assessment.usable) return { keyProviders: [provider, ...shared], persistent: true, notices: [] };
  const encryptionAvailable = input.safeStorage.isEncryptionAvailable();
  if (input.allowWeakStorage && encryptionAvailable) {
    const weak = new SafeStorageKeyProvider(input.safeStorage, input.platform, { ...timeBox, allowWeak: true });
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
  const optIn = encryptionAvailable ? ' You can choose weaker storage in Settings (takes effect after a restart).' : '';
  return {
    keyProviders: [],
    persistent: false,
    notices: [
      `${assessment.reason} Your credentials are kept in memory only and forgotten when The Maestro quits.${optIn}`,
    ],
  };
}
