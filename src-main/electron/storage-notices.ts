import type { Result } from '../../src-shared/errors.js';
import type { StatusView } from '../../src-shared/view-models.js';
import type { AuthService } from '../core/auth-service.js';

function withNotices(status: StatusView, notices: readonly string[]): StatusView {
  const missing = notices.filter((notice) => !status.storage.warnings.includes(notice));
  if (missing.length === 0) return status;
  return { ...status, storage: { ...status.storage, warnings: [...status.storage.warnings, ...missing] } };
}

/**
 * The AuthService the window and the tray see: every StatusView it hands out carries the shell's
 * storage notices (why credentials are memory-only here, or why they must sign in again), so
 * "the window says so" without the core knowing about Electron's keyring backends.
 */
export function withStorageNotices(auth: AuthService, notices: readonly string[]): AuthService {
  if (notices.length === 0) return auth;
  const decorated: Partial<AuthService> = {
    status: async () => withNotices(await auth.status(), notices),
    setActiveProvider: async (input): Promise<Result<StatusView>> => {
      const result = await auth.setActiveProvider(input);
      return result.ok ? { ok: true, value: withNotices(result.value, notices) } : result;
    },
    acknowledgeStorageNotices: async () => withNotices(await auth.acknowledgeStorageNotices(), notices),
    onDidChangeStatus: (listener) => auth.onDidChangeStatus((status) => listener(withNotices(status, notices))),
  };
  // Everything else goes to the core unchanged (bound, since the core may be a class instance).
  return new Proxy(auth, {
    get(target, property, receiver) {
      const own = (decorated as Record<PropertyKey, unknown>)[property];
      if (own !== undefined) return own;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
