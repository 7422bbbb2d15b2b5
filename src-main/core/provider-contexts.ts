import type { ErrorInfo, Result } from '../../src-shared/errors.js';
import { err, ok } from '../../src-shared/errors.js';
import type { ResolvedConfig, ResolvedProviderConfig } from '../config/config-types.js';
import type { Logger } from '../log/logger.js';
import { AuthError, toErrorInfo } from './auth-error.js';
import type { ProviderAuth, ProviderRegistry } from './providers/registry.js';

/** A provider's behaviour and its resolved configuration. */
export interface ProviderContext {
  readonly auth: ProviderAuth;
  readonly config: ResolvedProviderConfig;
}

/**
 * Looks providers up by id and runs work for one provider, turning whatever it throws into a
 * result value scoped to that provider — so one provider's trouble never reaches another.
 */
export class ProviderContexts {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly providers: ReadonlyMap<string, ProviderAuth>,
    private readonly config: ResolvedConfig,
    private readonly logger: Logger,
  ) {}

  get ids(): readonly string[] {
    return this.registry.ids;
  }

  lookup(provider: string): Result<ProviderContext> {
    const auth = this.providers.get(provider);
    const config = this.config.providers.get(provider);
    if (auth === undefined || config === undefined) {
      return err({ code: 'unknown_provider', message: `Unknown provider "${provider.slice(0, 64)}". Known providers: ${this.registry.ids.join(', ')}.` });
    }
    return ok({ auth, config });
  }

  /** The context of a provider known to exist (an id from the registry itself). */
  require(provider: string): ProviderContext {
    const found = this.lookup(provider);
    if (!found.ok) throw new AuthError(found.error);
    return found.value;
  }

  guard<T>(provider: string, run: (context: ProviderContext) => T): Result<T> {
    const context = this.lookup(provider);
    if (!context.ok) return context;
    try {
      return ok(run(context.value));
    } catch (error) {
      return err(this.report(error, provider));
    }
  }

  async guardAsync<T>(provider: string, run: (context: ProviderContext) => Promise<T>): Promise<Result<T>> {
    const context = this.lookup(provider);
    if (!context.ok) return context;
    try {
      return ok(await run(context.value));
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
