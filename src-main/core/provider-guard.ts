import type { ErrorInfo, Result } from '../../src-shared/errors.js';
import { err, ok } from '../../src-shared/errors.js';
import type { Logger } from '../log/logger.js';
import { toErrorInfo } from './auth-error.js';
import type { ProviderAuth } from './providers/provider-auth.js';
import type { ProviderAuthRegistry } from './providers/provider-auth-registry.js';

/**
 * Runs work for one provider, found in the registry, turning whatever it throws into a result
 * value scoped to that provider — so one provider's trouble never reaches another.
 */
export class ProviderGuard {
  constructor(
    private readonly providers: ProviderAuthRegistry,
    private readonly logger: Logger,
  ) {}

  guard<T>(provider: string, run: (auth: ProviderAuth) => T): Result<T> {
    const found = this.providers.lookup(provider);
    if (!found.ok) return found;
    try {
      return ok(run(found.value));
    } catch (error) {
      return err(this.report(error, provider));
    }
  }

  async guardAsync<T>(provider: string, run: (auth: ProviderAuth) => Promise<T>): Promise<Result<T>> {
    const found = this.providers.lookup(provider);
    if (!found.ok) return found;
    try {
      return ok(await run(found.value));
    } catch (error) {
      return err(this.report(error, provider));
    }
  }

  /** An error value for the person; a bug is logged (redacted) and shown as `internal`. */
  report(error: unknown, provider?: string): ErrorInfo {
    const info = toErrorInfo(error, provider);
    if (info.code === 'internal') this.logger.error('unexpected failure', { provider, error });
    return info;
  }
}
