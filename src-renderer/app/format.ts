import type { AuthMethod, CredentialState } from '../../src-shared/auth-types.js';
import { assertNever } from '../../src-shared/errors.js';

/** "Signed in", "Sign in again": the state in the person's words. */
export function stateLabel(state: CredentialState): string {
  switch (state) {
    case 'valid':
      return 'Signed in';
    case 'unverified':
      return 'Not checked yet';
    case 'expiring':
      return 'Signed in, refresh due';
    case 'expired':
      return 'Expired, will refresh';
    case 'invalid':
      return 'Sign in again';
    case 'missing':
      return 'Not signed in';
    case 'unavailable':
      return 'Unavailable';
    default:
      return assertNever(state, 'credential state');
  }
}

/** Where a credential comes from, in words. */
export function sourceLabel(source: AuthMethod): string {
  switch (source) {
    case 'oauth':
      return 'OAuth sign-in';
    case 'api_key':
      return 'Stored API key';
    case 'env':
      return 'Environment variable';
    default:
      return assertNever(source, 'credential source');
  }
}

/** "in 12 min 5 s", "expired 3 min ago": a countdown to `target` (ISO time) from `now`. */
export function formatCountdown(target: string, now: number): string {
  const ms = Date.parse(target) - now;
  if (Number.isNaN(ms)) return 'unknown';
  const past = ms <= 0;
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const span =
    days > 0
      ? `${days} d ${hours} h`
      : hours > 0
        ? `${hours} h ${minutes} min`
        : minutes > 0
          ? `${minutes} min ${seconds} s`
          : `${seconds} s`;
  return past ? `expired ${span} ago` : `in ${span}`;
}

/** "200K tokens", "1M tokens". */
export function formatContextWindow(tokens: number | undefined): string | null {
  if (tokens === undefined) return null;
  if (tokens >= 1_000_000) return `${Number((tokens / 1_000_000).toFixed(1))}M tokens`;
  if (tokens >= 1000) return `${Math.round(tokens / 1000)}K tokens`;
  return `${tokens} tokens`;
}

/** "just now", "5 min ago", "3 h ago": how old a fetched list is. */
export function formatAge(iso: string | null, now: number): string {
  if (iso === null) return 'never';
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (Number.isNaN(seconds)) return 'unknown';
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}
