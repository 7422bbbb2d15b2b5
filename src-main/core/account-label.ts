import { ACCOUNT_LABEL_PATTERN } from '../../src-shared/auth-types.js';
import { AuthError } from './auth-error.js';

/** The one message a person reads about an account label, wherever it is checked. */
export const ACCOUNT_LABEL_RULE =
  'An account label is 1–64 letters, digits, spaces or . _ @ + - and starts with a letter or digit.';

/**
 * The one account-label parser of the core: trims, checks the shared pattern, and throws AuthError
 * `invalid_input` with ACCOUNT_LABEL_RULE. Sign-in, OAuth flows, renames and the store all use it.
 */
export function parseAccountLabel(label: string, provider?: string): string {
  const trimmed = label.trim();
  if (!ACCOUNT_LABEL_PATTERN.test(trimmed))
    throw AuthError.of('invalid_input', ACCOUNT_LABEL_RULE, provider === undefined ? {} : { provider });
  return trimmed;
}
