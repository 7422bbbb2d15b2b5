import type { Logger } from '../../log/logger.js';
import { silentLogger } from '../../log/logger.js';
import type { OAuthCredential } from '../credentials.js';
import { OAuthClients } from './oauth-client.js';
import { toOAuthError } from './oauth-errors.js';
import type { OAuthProviderContext, RevokeCredential, RevokeOutcome } from './oauth-types.js';
import { openIdClient } from './openid-client-module.js';

/** Revocation is best effort on the way out: this long at most, then the local delete goes ahead. */
export const DEFAULT_REVOKE_TIMEOUT_MS = 3_000;

export interface RevokeDeps {
  readonly logger?: Logger;
  readonly fetch?: typeof fetch;
  readonly clients?: OAuthClients;
  readonly timeoutMs?: number;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A `RevokeCredential` (RFC 7009): revokes the refresh token (which also ends its access tokens
 * at most providers) and then the access token, at the provider's revocation endpoint when it
 * has one. It never throws and says whether the provider confirmed.
 */
export function createRevokeCredential(deps: RevokeDeps): RevokeCredential {
  const logger = deps.logger ?? silentLogger;
  const clients =
    deps.clients ?? new OAuthClients({ ...(deps.fetch !== undefined ? { fetch: deps.fetch } : {}), logger });
  const timeoutMs = deps.timeoutMs ?? DEFAULT_REVOKE_TIMEOUT_MS;

  const revoke = async (context: OAuthProviderContext, credential: OAuthCredential): Promise<RevokeOutcome> => {
    // The tokens' own client revokes them: a plan sign-in's issued client id (openai-siwc.md §5),
    // never the registration placeholder.
    const clientId = credential.clientId ?? context.config.oauth.clientId ?? undefined;
    if (context.definition.oauth.planSignIn !== undefined && clientId === undefined)
      return { revoked: false, reason: 'the sign-in names no client to revoke it with' };
    const configuration = await clients.get(context, clientId);
    if (configuration.serverMetadata().revocation_endpoint === undefined) {
      return {
        revoked: false,
        reason: `${context.definition.displayName} offers no revocation endpoint; the tokens expire on their own`,
      };
    }
    const openid = await openIdClient();
    if (context.definition.oauth.planSignIn !== undefined && credential.refreshToken !== undefined) {
      // Revoking the refresh token ends its access tokens too; a network error or 5xx is retried once.
      const refreshToken = credential.refreshToken;
      await retryOnce(() => openid.tokenRevocation(configuration, refreshToken, { token_type_hint: 'refresh_token' }));
      return { revoked: true };
    }
    if (credential.refreshToken !== undefined) {
      await openid.tokenRevocation(configuration, credential.refreshToken, { token_type_hint: 'refresh_token' });
    }
    await openid.tokenRevocation(configuration, credential.accessToken, { token_type_hint: 'access_token' });
    return { revoked: true };
  };

  /** One more attempt after a short pause when the first failed for a reason that may pass (network, 5xx). */
  const retryOnce = async (work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      const mapped = await toOAuthError(error, { provider: '', displayName: '', phase: 'revocation' });
      if (mapped.info.retryable !== true) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(500, timeoutMs / 4)));
      await work();
    }
  };

  return async (context, credential) => {
    const provider = context.definition.id;
    try {
      const outcome = await withTimeout(revoke(context, credential), timeoutMs);
      if (outcome === 'timeout')
        return { revoked: false, reason: `no answer within ${Math.round(timeoutMs / 1000)} s` };
      logger.info('OAuth revocation', { provider, revoked: outcome.revoked });
      return outcome;
    } catch (error) {
      const mapped = await toOAuthError(error, {
        provider,
        displayName: context.definition.displayName,
        phase: 'revocation',
      });
      logger.warn('OAuth revocation failed', { provider, error: mapped.info });
      return { revoked: false, reason: mapped.message };
    }
  };
}
