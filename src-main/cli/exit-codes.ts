import type { ErrorCode } from '../../src-shared/errors.js';
import { assertNever } from '../../src-shared/errors.js';

/** Exit codes scripts can trust (README: command-line reference). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  notAuthenticated: 3,
  unavailable: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Maps an error code to the exit code: 3 the person must (re)authenticate, 4 the provider or network, 2 the command itself. */
export function exitCodeFor(code: ErrorCode): ExitCode {
  switch (code) {
    case 'invalid_credentials':
    case 'expired_token':
    case 'reauth_required':
    case 'not_authenticated':
    case 'permission_denied':
    case 'credential_corrupt':
    case 'oauth_state_invalid':
    case 'oauth_flow_expired':
    case 'oauth_issuer_mismatch':
    case 'oauth_denied':
    case 'oauth_exchange_failed':
    case 'oauth_registration_incomplete':
    case 'oauth_client_mismatch':
    case 'oauth_id_token_invalid':
    case 'oauth_account_mismatch':
    case 'plan_not_enabled':
      return EXIT.notAuthenticated;
    case 'provider_unavailable':
    case 'network_error':
    case 'rate_limited':
    case 'quota_exhausted':
    case 'plan_usage_limit':
      return EXIT.unavailable;
    case 'invalid_input':
    case 'unknown_provider':
    case 'unknown_account':
    case 'unsupported_method':
      return EXIT.usage;
    case 'policy_blocked':
    case 'plan_not_eligible':
    case 'invalid_request':
    case 'not_configured':
    case 'encryption_unavailable':
    case 'storage_error':
    case 'config_invalid':
    case 'oauth_too_many_flows':
    case 'cancelled':
    case 'internal':
      return EXIT.failure;
    default:
      return assertNever(code, 'error code');
  }
}
