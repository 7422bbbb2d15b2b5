import type { ProtectionLevel } from '../../../src-shared/view-models.js';

/**
 * Where the data key's protection comes from. The data key (random, 256-bit) is wrapped by one or
 * more key providers; each row is sealed with the data key. Implementations: in-memory (tests),
 * a 0600 key file or `THE_MAESTRO_MASTER_KEY` (command line), Electron `safeStorage` (the app).
 */
export interface KeyProvider {
  /** Stable identifier stored beside each wrapped copy of the data key, e.g. `file`, `env`, `safe-storage:keychain`. */
  readonly id: string;
  /** What this protection is worth, as shown to a person. */
  readonly protection: ProtectionLevel;
  /** Human description, e.g. "macOS Keychain" or "key file ~/.the-maestro/master.key (0600)". */
  readonly description: string;
  /** Encrypts the data key. May be slow (OS keychain): callers time-box it. */
  wrap(dataKey: Uint8Array): Promise<Uint8Array>;
  /** Decrypts a wrapped data key; throws AuthError `encryption_unavailable` when it cannot. */
  unwrap(wrapped: Uint8Array): Promise<Uint8Array>;
  /**
   * Like `unwrap`, and also says whether this wrapping should be renewed (Electron safeStorage's
   * `shouldReEncrypt`: the OS key was rotated, or a stronger one is available). Optional: a
   * provider without it never asks for renewal.
   */
  unwrapChecked?(wrapped: Uint8Array): Promise<{ readonly key: Uint8Array; readonly rewrap: boolean }>;
}
