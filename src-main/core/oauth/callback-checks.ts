import { AuthError } from '../auth-error.js';
import type { PendingFlow } from './pending-flows.js';

/**
 * Checks of an authorization response (RFC 6749 §4.1.2, RFC 9207) that need no network, made
 * before any token request: a refused callback costs the provider nothing.
 */

const SINGLE_VALUED = ['code', 'state', 'error', 'iss', 'client_id'] as const;
const PROVIDER_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The callback's `state`; throws `oauth_state_invalid` when it is missing or repeated, like any other response parameter. */
export function callbackState(params: URLSearchParams): string {
  for (const name of SINGLE_VALUED) {
    if (params.getAll(name).length > 1)
      throw AuthError.of('oauth_state_invalid', `The sign-in response repeats "${name}" and was refused.`);
  }
  const state = params.get('state');
  if (state === null || state === '')
    throw AuthError.of('oauth_state_invalid', 'The sign-in response has no state and was refused.');
  return state;
}

/**
 * For a callback already matched to `flow` by its state: the issuer must be the flow's when the
 * provider names one (mix-up defence, RFC 9207 §2.4), an `error` ends the flow, and a code must be there.
 */
export function checkCallbackResponse(params: URLSearchParams, flow: PendingFlow, displayName: string): void {
  const provider = flow.provider;
  const iss = params.get('iss');
  if (iss !== null && iss !== flow.issuer) {
    throw AuthError.of(
      'oauth_issuer_mismatch',
      `The sign-in response did not come from ${displayName}'s sign-in server and was refused.`,
      { provider },
    );
  }
  const error = params.get('error');
  if (error !== null) {
    const providerCode = PROVIDER_CODE.test(error) ? { providerCode: error } : {};
    if (error === 'access_denied')
      throw AuthError.of('oauth_denied', `${displayName} did not grant access.`, { provider, ...providerCode });
    throw AuthError.of('oauth_exchange_failed', `${displayName} ended the sign-in with an error. Start it again.`, {
      provider,
      ...providerCode,
    });
  }
  const code = params.get('code');
  if (code === null || code === '')
    throw AuthError.of('oauth_exchange_failed', `The sign-in response from ${displayName} has no code.`, { provider });
}
