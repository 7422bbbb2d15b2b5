/**
 * Vocabulary of authentication shared by main and renderer: methods, sources, credential states.
 * Provider ids are plain strings here; the main process's registry owns the list and checks them.
 */

/** How a person can authenticate with a provider. `env` is an API key read from the environment. */
export const AUTH_METHODS = ['oauth', 'api_key', 'env'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** What a stored credential row holds (the story's `auth_method` column). */
export const STORED_AUTH_METHODS = ['oauth', 'api_key'] as const;
export type StoredAuthMethod = (typeof STORED_AUTH_METHODS)[number];

/** Where a resolved credential came from, in fallback order. */
export type CredentialSource = AuthMethod;

/** The fallback chain's default order (story: OAuth → API key → environment). */
export const DEFAULT_FALLBACK_ORDER: readonly CredentialSource[] = ['oauth', 'api_key', 'env'];

/**
 * State of a provider's credential as a person sees it.
 * - valid: usable now; expiring: usable, refresh due soon; expired: needs a refresh;
 * - invalid: refused by the provider or unrecoverable ("sign in again");
 * - missing: nothing configured; unavailable: the provider or this machine cannot be reached/used.
 */
export const CREDENTIAL_STATES = [
  'valid',
  'unverified',
  'expiring',
  'expired',
  'invalid',
  'missing',
  'unavailable',
] as const;
export type CredentialState = (typeof CREDENTIAL_STATES)[number];

/** The account label used when the person does not name one. */
export const DEFAULT_ACCOUNT = 'default';

/** Provider ids and account labels: short, printable, safe in file names, URLs and logs. */
export const PROVIDER_ID_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
export const ACCOUNT_LABEL_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._@+-]{0,63}$/u;

/** A model as shown to a person. */
export interface ModelInfo {
  readonly id: string;
  readonly displayName: string;
  readonly contextWindow?: number;
  readonly outputTokenLimit?: number;
  readonly createdAt?: string;
  readonly description?: string;
}

/** Keep the last four characters of a secret, the way provider consoles show keys. */
export function maskSecret(secret: string): string {
  const trimmed = secret.trim();
  if (trimmed.length < 12) return '…';
  return `…${trimmed.slice(-4)}`;
}
