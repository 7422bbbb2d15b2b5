import type * as client from 'openid-client';
import type { Clock } from '../clock.js';
import type { Logger } from '../../log/logger.js';
import type { OAuthCredential } from '../credentials.js';
import type { AccountIdentity } from '../providers/definition.js';
import type { IdTokenSignatures } from './id-token-signature.js';
import { toOAuthError } from './oauth-errors.js';
import type { OAuthProviderContext } from './oauth-types.js';
import type { PendingFlow } from './pending-flows.js';
import { openIdClient } from './openid-client-module.js';
import { AuthError } from '../auth-error.js';

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
  /** The client the code was issued to, when it is not the configured one (a plan sign-in's issued client). */
  readonly clientId?: string;
  /** Checks ID-token signatures against the issuer's key set (OAuthClients.signatures). */
  readonly signatures: IdTokenSignatures;
}

/**
 * A plan sign-in's ID token is verified against the issuer's key set, not only its claims
 * (openai-siwc.md §4.1): openid-client skips the signature of a token-endpoint response otherwise.
 */
async function checkSignature(
  signatures: IdTokenSignatures,
  context: OAuthProviderContext,
  configuration: client.Configuration,
  response: TokenResponse,
): Promise<void> {
  if (context.definition.oauth.planSignIn === undefined || response.id_token === undefined) return;
  await signatures.check(context.definition.id, configuration, response.id_token);
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

/** The validated ID token's `sub`, when the response has one. */
function subjectOf(response: TokenResponse): string | undefined {
  const sub = response.id_token !== undefined ? response.claims()?.sub : undefined;
  return typeof sub === 'string' && sub !== '' ? sub : undefined;
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
  clientId: string | undefined = previous?.clientId,
): OAuthCredential {
  const identity =
    response.id_token !== undefined || previous === undefined ? identityOf(context, response, logger) : {};
  const subject = subjectOf(response) ?? previous?.subject;
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
    ...(clientId !== undefined ? { clientId } : {}),
    ...(subject !== undefined ? { subject } : {}),
  };
}

/**
 * Token-endpoint parameters beside the standard ones: Anthropic's JSON body wants `state`; a plan
 * sign-in sends its resource indicator (RFC 8707) at the exchange and at every refresh.
 */
function tokenParameters(context: OAuthProviderContext, flow?: PendingFlow): Record<string, string> | undefined {
  const resource = context.definition.oauth.planSignIn?.resource;
  if (resource !== undefined) return { resource };
  return flow !== undefined && context.definition.oauth.tokenRequestBody === 'json' ? { state: flow.state } : undefined;
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
      {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        // With a nonce expected, the ID token is required and its nonce checked (OIDC Core §3.1.3.7).
        ...(flow.plan !== undefined ? { expectedNonce: flow.plan.nonce } : {}),
      },
      tokenParameters(context, flow),
    );
    await checkSignature(input.signatures, context, configuration, response);
    return credentialFromResponse(response, context, flow.issuer, input.clock, input.logger, undefined, input.clientId);
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
  readonly signatures: IdTokenSignatures;
}): Promise<OAuthCredential> {
  const { configuration, context, credential } = input;
  try {
    // No `scope`: the existing grant is kept (openai-siwc.md §5).
    const response = await (
      await openIdClient()
    ).refreshTokenGrant(configuration, credential.refreshToken, tokenParameters(context));
    await checkSignature(input.signatures, context, configuration, response);
    const issuer = credential.issuer ?? configuration.serverMetadata().issuer;
    const renewed = credentialFromResponse(response, context, issuer, input.clock, input.logger, credential);
    if (credential.subject !== undefined && renewed.subject !== credential.subject) {
      throw AuthError.of(
        'reauth_required',
        `${context.definition.displayName} answered the refresh for another account, so it was refused. Sign in again.`,
        { provider: context.definition.id, retryable: false },
      );
    }
    return renewed;
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
