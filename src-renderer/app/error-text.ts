import type { ErrorCode, ErrorInfo } from '../../src-shared/errors.js';
import { assertNever } from '../../src-shared/errors.js';

/** A short headline for an error code; the error's own message (from main) gives the detail. */
export function errorTitle(code: ErrorCode): string {
  switch (code) {
    case 'invalid_credentials':
      return 'Wrong key or sign-in';
    case 'expired_token':
      return 'Sign-in expired';
    case 'reauth_required':
      return 'Sign in again';
    case 'permission_denied':
      return 'Not allowed';
    case 'rate_limited':
      return 'Rate limited';
    case 'quota_exhausted':
      return 'Quota used up';
    case 'provider_unavailable':
      return 'Provider down';
    case 'network_error':
      return 'Provider unreachable';
    case 'policy_blocked':
      return 'Blocked by the provider';
    case 'invalid_request':
      return 'Request refused';
    case 'not_configured':
      return 'Not set up';
    case 'not_authenticated':
      return 'Not signed in';
    case 'unknown_provider':
      return 'Unknown provider';
    case 'unknown_account':
      return 'Unknown account';
    case 'encryption_unavailable':
      return 'Encryption unavailable';
    case 'credential_corrupt':
      return 'Stored credential unreadable';
    case 'storage_error':
      return 'Storage problem';
    case 'config_invalid':
      return 'Configuration problem';
    case 'invalid_input':
      return 'Check your input';
    case 'oauth_state_invalid':
      return 'Sign-in link not recognised';
    case 'oauth_flow_expired':
      return 'Sign-in timed out';
    case 'oauth_issuer_mismatch':
      return 'Wrong sign-in server';
    case 'oauth_denied':
      return 'Sign-in declined';
    case 'oauth_exchange_failed':
      return 'Sign-in failed';
    case 'oauth_too_many_flows':
      return 'Too many sign-ins in progress';
    case 'cancelled':
      return 'Cancelled';
    case 'unsupported_method':
      return 'Method not supported';
    case 'internal':
      return 'Something went wrong';
    case 'oauth_registration_incomplete':
      return 'Sign-in not registered';
    case 'oauth_client_mismatch':
      return 'Sign-in for another app';
    case 'oauth_id_token_invalid':
      return 'Sign-in not trusted';
    case 'oauth_account_mismatch':
      return 'Another account answered';
    case 'plan_not_enabled':
      return 'ChatGPT plan not enabled';
    case 'plan_not_eligible':
      return 'ChatGPT plan not available';
    case 'plan_usage_limit':
      return 'Usage limit reached';
    default:
      return assertNever(code, 'error code');
  }
}

/** The error's detail, with the wait a rate limit asked for when the message does not say it. */
export function errorDetail(error: ErrorInfo): string {
  if (error.code === 'rate_limited' && error.retryAfterSeconds !== undefined && !/\d/.test(error.message)) {
    return `${error.message} Try again in ${Math.ceil(error.retryAfterSeconds)} s.`;
  }
  return error.message;
}

/** Whether the person may choose to store an API key without checking it: only when the provider cannot be asked. */
export function offersStoreUnvalidated(code: ErrorCode): boolean {
  return code === 'provider_unavailable' || code === 'network_error';
}
