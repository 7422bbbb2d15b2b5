import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { Logger } from '../../log/logger.js';
import { silentLogger } from '../../log/logger.js';
import { isAvailabilityProblem } from '../../../src-shared/errors.js';
import { AuthError } from '../auth-error.js';
import type { CredentialMeta, CredentialStore } from '../store/credential-store.js';
import { EXPIRY_MARGIN_MS, type OAuthCredential } from '../credentials.js';
import type { LeaseStore } from '../store/lease-store.js';
import { RefreshBackoff } from './refresh-backoff.js';
import { OAuthClients } from './oauth-client.js';
import type { OAuthProviderContext, TokenRefresher } from './oauth-types.js';
import { refreshCredential } from './token-exchange.js';

/** Refresh this long before the access token expires (the `expiring` margin), so a request never leaves with a dying token. */
export const REFRESH_MARGIN_MS = EXPIRY_MARGIN_MS;
/** Default lifetime of the cross-process refresh lease; always longer than one token request may take. */
export const DEFAULT_REFRESH_LEASE_TTL_MS = 60_000;

export interface TokenRefresherDeps {
  readonly store: CredentialStore & LeaseStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly leaseTtlMs?: number;
  /** Identifies this process in leases; random per instance by default. */
  readonly ownerId?: string;
  readonly fetch?: typeof fetch;
  readonly clients?: OAuthClients;
  /** How often a process waiting for another's refresh looks at the row again. */
  readonly pollIntervalMs?: number;
  /** Bounds of the backoff after transient failures. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
}

type Fresh = { meta: CredentialMeta; credential: OAuthCredential };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps OAuth credentials fresh with exactly one refresh in flight per credential: a map of
 * promises within the process, a lease in the shared database across processes. Under the lease
 * the row is read again, so a process that lost the race uses the winner's tokens instead of
 * spending the (single-use) refresh token a second time.
 */
export class LeasedTokenRefresher implements TokenRefresher {
  private readonly inFlight = new Map<string, Promise<Fresh>>();
  private readonly backoff: RefreshBackoff;
  private readonly clients: OAuthClients;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly ownerId: string;

  constructor(private readonly deps: TokenRefresherDeps) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
    this.ownerId = deps.ownerId ?? `${process.pid}:${randomUUID()}`;
    this.backoff = new RefreshBackoff(this.clock, deps.backoff);
    this.clients =
      deps.clients ??
      new OAuthClients({ ...(deps.fetch !== undefined ? { fetch: deps.fetch } : {}), logger: this.logger });
  }

  async ensureFresh(
    context: OAuthProviderContext,
    credentialId: string,
    options?: { readonly force?: boolean },
  ): Promise<Fresh> {
    // A refresh in flight answers everyone, without each caller decrypting the row first.
    const running = this.inFlight.get(credentialId);
    if (running !== undefined) return running;
    const current = this.read(credentialId);
    if (current.meta.provider !== context.definition.id)
      throw new Error(`credential ${credentialId} belongs to ${current.meta.provider}, not ${context.definition.id}`);
    if (options?.force !== true && !this.isDue(current.credential)) return current;
    const refresh = this.refreshOnce(context, credentialId, current.meta.generation).finally(() =>
      this.inFlight.delete(credentialId),
    );
    this.inFlight.set(credentialId, refresh);
    return refresh;
  }

  private isDue(credential: OAuthCredential): boolean {
    return credential.expiresAt !== undefined && credential.expiresAt - this.clock.now() <= REFRESH_MARGIN_MS;
  }

  private read(credentialId: string): Fresh {
    const row = this.deps.store.get(credentialId);
    if (row === null) throw AuthError.of('not_authenticated', 'This sign-in no longer exists. Sign in again.');
    if (row.credential.kind !== 'oauth')
      throw AuthError.of('invalid_input', 'This credential is an API key; it has nothing to refresh.', {
        provider: row.meta.provider,
      });
    if (row.meta.invalidReason !== null) {
      throw AuthError.of('reauth_required', row.meta.invalidReason.message, {
        provider: row.meta.provider,
        retryable: false,
      });
    }
    return { meta: row.meta, credential: row.credential };
  }

  /** One refresh for this process: honours the backoff, takes the lease, re-reads, refreshes, rotates. */
  private async refreshOnce(
    context: OAuthProviderContext,
    credentialId: string,
    seenGeneration: number,
  ): Promise<Fresh> {
    this.backoff.check(credentialId);
    const leaseName = `refresh:${credentialId}`;
    const byOther = await this.acquireLease(leaseName, this.leaseTtlFor(context), credentialId, seenGeneration);
    if (byOther !== undefined) return byOther;
    try {
      const row = this.read(credentialId);
      if (row.meta.generation !== seenGeneration && !this.isDue(row.credential)) return row;
      return await this.refreshRow(context, row);
    } finally {
      this.deps.store.releaseLease(leaseName, this.ownerId);
    }
  }

  /**
   * Takes the cross-process lease, or returns the credential another process refreshed while we
   * waited. Waiting is bounded: a lease left by a crashed process expires on its own.
   */
  private async acquireLease(
    leaseName: string,
    ttl: number,
    credentialId: string,
    seenGeneration: number,
  ): Promise<Fresh | undefined> {
    const deadline = Date.now() + 2 * ttl;
    const poll = this.deps.pollIntervalMs ?? 50;
    while (this.deps.store.tryAcquireLease(leaseName, this.ownerId, ttl) === null) {
      if (Date.now() > deadline) {
        throw AuthError.of(
          'provider_unavailable',
          'Another process has been refreshing this sign-in for too long. Try again shortly.',
          { retryable: true },
        );
      }
      await sleep(poll);
      const row = this.read(credentialId);
      if (row.meta.generation !== seenGeneration && !this.isDue(row.credential)) return row;
    }
    return undefined;
  }

  /** The lease outlives the provider's request timeout, so a slow refresh is never taken over mid-flight. */
  private leaseTtlFor(context: OAuthProviderContext): number {
    return Math.max(this.deps.leaseTtlMs ?? DEFAULT_REFRESH_LEASE_TTL_MS, context.config.requestTimeoutMs + 5_000);
  }

  private async refreshRow(context: OAuthProviderContext, row: Fresh): Promise<Fresh> {
    const { meta, credential } = row;
    const refreshToken = credential.refreshToken;
    if (refreshToken === undefined) {
      const error = AuthError.of(
        'reauth_required',
        `Sign in to ${context.definition.displayName} again: the sign-in has expired and cannot be renewed.`,
        { provider: meta.provider },
      );
      this.deps.store.markInvalid(meta.id, error.info);
      throw error;
    }
    let renewed: OAuthCredential;
    try {
      // A plan sign-in refreshes with the client OpenAI issued to it, never the registration placeholder.
      const clientId = credential.clientId ?? context.config.oauth.clientId ?? undefined;
      if (context.definition.oauth.planSignIn !== undefined && clientId === undefined)
        throw AuthError.of('reauth_required', `Sign in to ${context.definition.displayName} again.`, {
          provider: meta.provider,
          retryable: false,
        });
      const configuration = await this.clients.get(context, clientId);
      renewed = await refreshCredential({
        configuration,
        context,
        credential: { ...credential, refreshToken },
        clock: this.clock,
        logger: this.logger,
        signatures: this.clients.signatures,
      });
    } catch (error) {
      throw this.failed(meta, error);
    }
    this.backoff.succeeded(meta.id);
    // The new access token and the rotated refresh token land in one synchronous transaction.
    const outcome = this.deps.store.rotate({
      id: meta.id,
      expectedGeneration: meta.generation,
      credential: renewed,
      expiresAt: renewed.expiresAt ?? null,
    });
    if (outcome.ok) {
      this.logger.info('OAuth credential refreshed', {
        provider: meta.provider,
        credentialId: meta.id,
        generation: outcome.meta.generation,
      });
      return { meta: outcome.meta, credential: renewed };
    }
    if (outcome.reason === 'missing')
      throw AuthError.of('not_authenticated', 'This sign-in was removed while it was being refreshed.', {
        provider: meta.provider,
      });
    // Someone else wrote a newer generation: theirs wins, ours is dropped.
    return this.read(meta.id);
  }

  /** Permanent failures mark the row invalid ("sign in again"); others start or extend the backoff. */
  private failed(meta: CredentialMeta, error: unknown): AuthError {
    const authError =
      error instanceof AuthError
        ? error
        : AuthError.of('internal', 'Refreshing the sign-in failed unexpectedly.', { provider: meta.provider });
    if (authError.code === 'reauth_required') {
      this.deps.store.markInvalid(meta.id, authError.info);
      this.backoff.succeeded(meta.id);
      this.logger.warn('OAuth refresh refused for good; sign-in required', {
        provider: meta.provider,
        credentialId: meta.id,
        providerCode: authError.info.providerCode,
      });
      return authError;
    }
    // The provider's endpoints may have moved: discover again on the next attempt.
    if (isAvailabilityProblem(authError.code)) this.clients.invalidate(meta.provider);
    this.logger.warn('OAuth refresh failed; backing off', {
      provider: meta.provider,
      credentialId: meta.id,
      error: authError.info,
    });
    return this.backoff.failed(meta.id, authError);
  }
}
