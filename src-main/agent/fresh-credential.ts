import type { Result } from '../../src-shared/errors.js';
import type { AuthService, ResolvedCredential } from '../core/auth-service.js';

export interface FreshnessOptions {
  readonly account?: string;
  /** One forced refresh (the core's single flight joins concurrent callers). */
  readonly refresh?: boolean;
  /** Refresh first when the credential expires within this many seconds. */
  readonly minValidSeconds?: number;
}

/**
 * Resolves a credential that stays valid for at least `minValidSeconds`: resolved as usual, then,
 * when it has an expiry that comes sooner, resolved once more with a forced refresh. Used by the
 * agent and by the command line when no agent runs, so both mean the same by `--min-valid`.
 */
export async function resolveFresh(
  auth: Pick<AuthService, 'resolve'>,
  provider: string,
  options: FreshnessOptions,
  now: () => number = Date.now,
): Promise<Result<ResolvedCredential>> {
  const account = options.account !== undefined ? { account: options.account } : {};
  const first = await auth.resolve(provider, { ...account, forceRefresh: options.refresh === true });
  if (!first.ok || options.refresh === true || options.minValidSeconds === undefined) return first;
  const { expiresAt } = first.value;
  if (expiresAt === null || expiresAt - now() >= options.minValidSeconds * 1000) return first;
  return auth.resolve(provider, { ...account, forceRefresh: true });
}
