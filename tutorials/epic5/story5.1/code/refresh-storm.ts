/**
 * Chapter 5: many callers asking for the same credential at the moment its access token is due.
 * The refresher lets exactly one refresh happen; everyone else gets its result.
 */
import type { AuthService } from '../../../../src-main/core/auth-service.js';

/** Fires `callers` concurrent `resolve()` calls; returns the distinct tokens they received and any error codes. */
export async function resolveConcurrently(
  auth: AuthService,
  provider: string,
  callers: number,
): Promise<{ tokens: Set<string>; errors: string[] }> {
  const results = await Promise.all(Array.from({ length: callers }, () => auth.resolve(provider)));
  const tokens = new Set<string>();
  const errors: string[] = [];
  for (const result of results) {
    if (result.ok) tokens.add(result.value.secret);
    else errors.push(result.error.code);
  }
  return { tokens, errors };
}
