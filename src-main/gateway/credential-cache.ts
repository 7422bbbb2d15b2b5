import type { ResolvedCredential } from '../core/auth-service.js';
import { EXPIRY_MARGIN_MS } from '../core/credentials.js';
import type { GatewayCredentials } from './gateway-types.js';

export type Resolution = Awaited<ReturnType<GatewayCredentials['resolve']>>;

/** The longest a resolved credential is reused, whatever else holds: a bound on what the change version cannot see. */
export const CREDENTIAL_REUSE_MS = 1_000;

/** A credential resolved for an earlier request, and what the core has been told about it. */
export interface CachedCredential {
  readonly value: ResolvedCredential;
  readonly version: string;
  readonly until: number;
  /** A 2xx with it has been reported (`noteProviderAnswer`): another changes nothing in the core. */
  accepted: boolean;
}

/**
 * Resolved credentials kept between requests while nothing they came from can have changed, so a
 * request does not look its credential up and decrypt it again: kept while the source's change
 * version is the same (every write to the core's store changes it — a save, a logout, an account
 * switch in the window or tray, a refresh, a key marked invalid; another process's write within
 * the store's few-millisecond bound), for at most CREDENTIAL_REUSE_MS, and for an OAuth token only
 * until it enters the core's refresh margin before its expiry (the next request then resolves, and
 * the core refreshes it). A source without a change version gets no caching; failures are never kept.
 */
export class CredentialCache {
  private readonly entries = new Map<string, CachedCredential>();

  constructor(
    private readonly source: GatewayCredentials,
    private readonly now: () => number = Date.now,
  ) {}

  /** The credential kept under `key`, if it is still good. */
  get(key: string): CachedCredential | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || this.source.changeVersion === undefined) return undefined;
    if (entry.version === this.source.changeVersion() && this.now() < entry.until) return entry;
    this.entries.delete(key);
    return undefined;
  }

  /**
   * Resolves through the source and keeps a success under the change version read before it (a
   * write while it resolves, such as the core recording the outcome, makes the next request resolve again).
   */
  async resolve(
    key: string,
    provider: string,
    options: { readonly account?: string },
  ): Promise<{ readonly resolution: Resolution; readonly entry: CachedCredential | undefined }> {
    const version = this.source.changeVersion?.();
    const resolution = await this.source.resolve(provider, options);
    if (version === undefined || !resolution.ok) return { resolution, entry: undefined };
    const now = this.now();
    const { expiresAt } = resolution.value;
    const until = Math.min(now + CREDENTIAL_REUSE_MS, expiresAt === null ? Infinity : expiresAt - EXPIRY_MARGIN_MS);
    if (until <= now) return { resolution, entry: undefined };
    const entry: CachedCredential = { value: resolution.value, version, until, accepted: false };
    this.entries.set(key, entry);
    return { resolution, entry };
  }

  /** Drops what is kept under `key` (the provider refused it). */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
