import type { Clock } from '../clock.js';
import type { Logger } from '../../log/logger.js';
import { AuthError } from '../auth-error.js';
import type { OAuthCredential } from '../credentials.js';
import type { OAuthProtocol } from '../providers/defined-provider-auth.js';
import type { OAuthClients } from './oauth-client.js';
import type { OAuthProviderContext } from './oauth-types.js';
import type { ProviderDefinition } from '../providers/definition.js';
import { exchangeAuthorizationCode, refreshCredential } from './token-exchange.js';

/** For a provider that offers no OAuth: every step is refused with the reason. */
export function noOAuthProtocol(definition: ProviderDefinition): OAuthProtocol {
  const refuse = (): Promise<never> =>
    Promise.reject(AuthError.of('unsupported_method', `${definition.displayName} offers no browser sign-in for other apps; use an API key.`, { provider: definition.id }));
  return { exchangeCode: refuse, refresh: refuse };
}

/** The OAuth steps of one provider's `ProviderAuth`, over the shared openid-client machinery. */
export function oauthProtocolFor(context: OAuthProviderContext, clients: OAuthClients, clock: Clock, logger: Logger): OAuthProtocol {
  return {
    async exchangeCode(params) {
      const configuration = await clients.get(context);
      return exchangeAuthorizationCode({
        configuration,
        context,
        flow: {
          flowId: 'direct',
          provider: context.definition.id,
          accountLabel: '',
          state: params.expectedState,
          codeVerifier: params.codeVerifier,
          redirectUri: params.redirectUri,
          redirectMode: context.config.oauth.redirectMode,
          issuer: configuration.serverMetadata().issuer,
          expiresAt: Number.POSITIVE_INFINITY,
        },
        params: params.callbackParams,
        clock,
        logger,
      });
    },
    async refresh(credential: OAuthCredential) {
      const refreshToken = credential.refreshToken;
      if (refreshToken === undefined) {
        throw AuthError.of('reauth_required', `The ${context.definition.displayName} sign-in has no refresh token; sign in again.`, { provider: context.definition.id });
      }
      const configuration = await clients.get(context);
      return refreshCredential({ configuration, context, credential: { ...credential, refreshToken }, clock, logger });
    },
  };
}
