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
    const configuration = await clients.get(context);
    if (configuration.serverMetadata().revocation_endpoint === undefined) {
      return {
        revoked: false,
        reason: `${context.definition.displayName} offers no revocation endpoint; the tokens expire on their own`,
      };
    }
    const openid = await openIdClient();
    if (credential.refreshToken !== undefined) {
      await openid.tokenRevocation(configuration, credential.refreshToken, { token_type_hint: 'refresh_token' });
    }
    await openid.tokenRevocation(configuration, credential.accessToken, { token_type_hint: 'access_token' });
    return { revoked: true };
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
