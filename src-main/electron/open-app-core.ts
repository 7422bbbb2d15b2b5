import type { Logger } from '../log/logger.js';
import { isAuthError } from '../core/auth-error.js';
import type { AuthService } from '../core/auth-service.js';
import type { KeyProvider } from '../core/store/key-provider.js';
import type { StoragePlan } from './storage-policy.js';
import type { CredentialStore } from '../core/store/credential-store.js';
import type { StorageNoticeSource } from '../agent/storage-notice-forwarder.js';

/** The running core, as the shell uses it. */
export interface CoreHandle {
  readonly auth: AuthService;
  /** Where the gateway key is sealed and the storage notices are kept; a handle without one serves no gateway. */
  readonly store?: CredentialStore & StorageNoticeSource;
  dispose(): Promise<void>;
}

/** Opens the core with the given key providers (none: memory only); main.ts binds the rest of the options. */
export type OpenCore = (keyProviders: readonly KeyProvider[]) => Promise<CoreHandle>;

/**
 * Opens the core as the storage plan says. When the stored data key cannot be opened with the
 * protection available now — the keyring changed since the data was written (another Linux
 * backend), is locked, or hangs past its time box — the app does not crash and does not touch
 * the stored data: it opens memory-only, and the window says to sign in again.
 */
export async function openAppCore(input: {
  readonly plan: StoragePlan;
  readonly openCore: OpenCore;
  readonly logger: Logger;
}): Promise<{ readonly core: CoreHandle; readonly notices: readonly string[] }> {
  try {
    return { core: await input.openCore(input.plan.keyProviders), notices: input.plan.notices };
  } catch (error) {
    if (!isAuthError(error, 'encryption_unavailable') || input.plan.keyProviders.length === 0) throw error;
    input.logger.warn('stored credentials cannot be opened with the protection available now; running memory-only', {
      error,
    });
    const core = await input.openCore([]);
    const notice =
      `${error.message} Sign in again to continue: for now, sign-ins are kept in memory only. ` +
      'Your saved credentials were not changed and open again once that protection is back.';
    return { core, notices: [...input.plan.notices, notice] };
  }
}
