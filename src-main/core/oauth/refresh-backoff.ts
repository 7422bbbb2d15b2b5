import type { Clock } from '../clock.js';
import { AuthError } from '../auth-error.js';

/**
 * Per-credential backoff after failed refreshes: until the not-before time, callers get the last
 * error at once instead of another token request, so a thousand callers during an outage cost
 * the provider nothing. Exponential, bounded by `maxMs`.
 */

export const DEFAULT_REFRESH_BACKOFF = { baseMs: 1_000, maxMs: 60_000 } as const;

interface Entry {
  failures: number;
  notBefore: number;
  error: AuthError;
}

export class RefreshBackoff {
  private readonly entries = new Map<string, Entry>();
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(
    private readonly clock: Clock,
    bounds: { readonly baseMs: number; readonly maxMs: number } = DEFAULT_REFRESH_BACKOFF,
  ) {
    this.baseMs = bounds.baseMs;
    this.maxMs = bounds.maxMs;
  }

  /** Throws the remembered error while the credential is backing off. */
  check(credentialId: string): void {
    const entry = this.entries.get(credentialId);
    if (entry !== undefined && this.clock.now() < entry.notBefore) throw this.withRetryAfter(entry);
  }

  /** Records a failure; returns the error to throw (with how long to wait). */
  failed(credentialId: string, error: AuthError): AuthError {
    const failures = (this.entries.get(credentialId)?.failures ?? 0) + 1;
    const delay = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(failures - 1, 30));
    const entry = { failures, notBefore: this.clock.now() + delay, error };
    this.entries.set(credentialId, entry);
    return this.withRetryAfter(entry);
  }

  succeeded(credentialId: string): void {
    this.entries.delete(credentialId);
  }

  /** The not-before time of a credential, if it is backing off (for status views and tests). */
  notBefore(credentialId: string): number | undefined {
    return this.entries.get(credentialId)?.notBefore;
  }

  private withRetryAfter(entry: Entry): AuthError {
    const seconds = Math.max(1, Math.ceil((entry.notBefore - this.clock.now()) / 1000));
    return new AuthError({ ...entry.error.info, retryAfterSeconds: seconds }, { cause: entry.error });
  }
}
