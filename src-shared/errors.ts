/**
 * Error codes shared by the core, the command line, IPC and the UI. Every failure a person can
 * meet has one of these codes and a sentence they understand; the UI switches on `code`.
 */
export const ERROR_CODES = [
  'invalid_credentials',
  'expired_token',
  'reauth_required',
  'permission_denied',
  'rate_limited',
  'quota_exhausted',
  'provider_unavailable',
  'network_error',
  'policy_blocked',
  'invalid_request',
  'not_configured',
  'not_authenticated',
  'unknown_provider',
  'unknown_account',
  'encryption_unavailable',
  'credential_corrupt',
  'storage_error',
  'config_invalid',
  'invalid_input',
  'oauth_state_invalid',
  'oauth_flow_expired',
  'oauth_issuer_mismatch',
  'oauth_denied',
  'oauth_exchange_failed',
  'oauth_too_many_flows',
  'cancelled',
  'unsupported_method',
  'internal',
  // Sign in with ChatGPT (openai-siwc.md): the registration, the ID token and the plan.
  'oauth_registration_incomplete',
  'oauth_client_mismatch',
  'oauth_id_token_invalid',
  'oauth_account_mismatch',
  'plan_not_enabled',
  'plan_not_eligible',
  'plan_usage_limit',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as a value: what crosses IPC, what the CLI prints with --json. Never holds a secret. */
export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
  readonly provider?: string;
  /** Seconds the provider asked us to wait (HTTP `retry-after`), for `rate_limited`. */
  readonly retryAfterSeconds?: number;
  /** HTTP status from the provider, when one answered. */
  readonly status?: number;
  /** The provider's own error type/code (e.g. `API_KEY_INVALID`), for diagnostics. */
  readonly providerCode?: string;
  /** True when trying again later may succeed without the person doing anything. */
  readonly retryable?: boolean;
}

/** A result value, used across IPC and by the coordinator's public interface. */
export type Result<T, E = ErrorInfo> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E = ErrorInfo>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/** Codes that mean "the credential itself is no good": the person must act. */
export function isCredentialProblem(code: ErrorCode): boolean {
  return (
    code === 'invalid_credentials' ||
    code === 'expired_token' ||
    code === 'reauth_required' ||
    code === 'credential_corrupt' ||
    code === 'permission_denied' ||
    code === 'plan_not_enabled'
  );
}

/** Codes that mean "the provider or the network is the problem": try later, keep the data. */
export function isAvailabilityProblem(code: ErrorCode): boolean {
  return code === 'provider_unavailable' || code === 'network_error' || code === 'rate_limited';
}

/** For exhaustive switches: a compile error when a case is missing, a bug report at run time. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${String(value)}`);
}
