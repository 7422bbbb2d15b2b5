import type * as client from 'openid-client';
import type { Clock } from '../clock.js';
import type { Logger } from '../../log/logger.js';
import type { OAuthCredential } from '../credentials.js';
import type { AccountIdentity } from '../providers/definition.js';
import { toOAuthError } from './oauth-errors.js';
import type { OAuthProviderContext } from './oauth-types.js';
import type { PendingFlow } from './pending-flows.js';
import { openIdClient } from './openid-client-module.js';

/**
 * The two token-endpoint grants (RFC 6749 §4.1.3 authorization code, §6 refresh) through
 * openid-client, and the mapping of their responses to the credential we store.
 */

type TokenResponse = client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;

export interface ExchangeInput {
  readonly configuration: client.Configuration;
  readonly context: OAuthProviderContext;
  readonly flow: PendingFlow;
  /** The callback's parameters: `code`, `state` and, when the provider sent it, `iss`. */
  readonly params: URLSearchParams;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Who signed in, read by the definition from the token response and the verified id_token. */
function identityOf(context: OAuthProviderContext, response: TokenResponse, logger: Logger): AccountIdentity {
  try {
    const claims = response.claims();
    return context.definition.oauth.accountIdentity(response, claims);
  } catch (error) {
    // Identity is a label for the person; a login must not fail over it.
    logger.warn('Could not read the account identity from the token response', {
      provider: context.definition.id,
      error,
    });
    return {};
  }
}

function expiryOf(response: TokenResponse, clock: Clock): number | undefined {
  const seconds = response.expiresIn();
  return seconds === undefined ? undefined : clock.now() + seconds * 1000;
}

/** Maps a token response to the stored credential; `previous` supplies what a refresh may omit. */
export function credentialFromResponse(
  response: TokenResponse,
  context: OAuthProviderContext,
  issuer: string,
  clock: Clock,
  logger: Logger,
  previous?: OAuthCredential,
): OAuthCredential {
  const identity =
    response.id_token !== undefined || previous === undefined ? identityOf(context, response, logger) : {};
  const refreshToken = response.refresh_token ?? previous?.refreshToken;
  const idToken = response.id_token ?? previous?.idToken;
  const expiresAt = expiryOf(response, clock);
  const scope = response.scope ?? previous?.scope ?? context.config.oauth.scopes.join(' ');
  const accountId = identity.accountId ?? previous?.accountId;
  const email = identity.email ?? previous?.email;
  return {
    kind: 'oauth',
    accessToken: response.access_token,
    tokenType: response.token_type,
    issuer,
    scope,
    ...(refreshToken !== undefined ? { refreshToken } : {}),
    ...(idToken !== undefined ? { idToken } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    ...(accountId !== undefined ? { accountId } : {}),
    ...(email !== undefined ? { email } : {}),
  };
}

/** Parameters a JSON-body provider expects beside the standard ones (Anthropic wants `state`). */
function extraTokenParameters(context: OAuthProviderContext, flow: PendingFlow): Record<string, string> | undefined {
  return context.definition.oauth.tokenRequestBody === 'json' ? { state: flow.state } : undefined;
}

/**
 * Exchanges the callback's code (with the flow's PKCE verifier) for tokens. openid-client checks
 * `state` and `iss` once more and validates any id_token. Throws AuthError.
 */
export async function exchangeAuthorizationCode(input: ExchangeInput): Promise<OAuthCredential> {
  const { configuration, context, flow, params } = input;
  const currentUrl = new URL(flow.redirectUri);
  for (const name of ['code', 'state', 'iss'] as const) {
    const value = params.get(name);
    if (value !== null) currentUrl.searchParams.set(name, value);
  }
  try {
    const response = await (
      await openIdClient()
    ).authorizationCodeGrant(
      configuration,
      currentUrl,
      { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state },
      extraTokenParameters(context, flow),
    );
    return credentialFromResponse(response, context, flow.issuer, input.clock, input.logger);
  } catch (error) {
    throw await toOAuthError(error, {
      provider: flow.provider,
      displayName: context.definition.displayName,
      phase: 'exchange',
    });
  }
}

/** Refreshes with the stored refresh token; a response without one keeps the old (Google). Throws AuthError. */
export async function refreshCredential(input: {
  readonly configuration: client.Configuration;
  readonly context: OAuthProviderContext;
  readonly credential: OAuthCredential & { readonly refreshToken: string };
  readonly clock: Clock;
  readonly logger: Logger;
}): Promise<OAuthCredential> {
  const { configuration, context, credential } = input;
  try {
    const response = await (await openIdClient()).refreshTokenGrant(configuration, credential.refreshToken);
    const issuer = credential.issuer ?? configuration.serverMetadata().issuer;
    return credentialFromResponse(response, context, issuer, input.clock, input.logger, credential);
  } catch (error) {
    throw await toOAuthError(error, {
      provider: context.definition.id,
      displayName: context.definition.displayName,
      phase: 'refresh',
      permanentCodes: context.definition.oauth.permanentRefreshErrors,
      ...(context.definition.oauth.refreshRefusedAdvice !== undefined
        ? { refreshAdvice: context.definition.oauth.refreshRefusedAdvice }
        : {}),
    });
  }
}
