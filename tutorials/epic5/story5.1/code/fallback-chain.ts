/**
 * Chapter 4: the fallback chain as a caller sees it. `resolve()` walks OAuth → stored API key →
 * environment for the provider's active account (order configurable) and says where the
 * credential came from — or, when nothing works, what each step found.
 */
import type { AuthService } from '../../../../src-main/core/auth-service.js';

/** `oauth (account "work")`, `env`, or the error code and message when no step produced a credential. */
export async function whereFrom(auth: AuthService, provider: string, account?: string): Promise<string> {
  const resolved = await auth.resolve(provider, account !== undefined ? { account } : {});
  if (!resolved.ok) return `${resolved.error.code}: ${resolved.error.message}`;
  const { source, account: used } = resolved.value;
  return used === null ? source : `${source} (account "${used}")`;
}

/** Makes `provider` active with `account`, as the tray's radio items and `the-maestro use` do. */
export async function switchTo(auth: AuthService, provider: string, account: string): Promise<string | null> {
  const switched = await auth.setActiveProvider({ provider, account });
  if (!switched.ok) throw new Error(`${switched.error.code}: ${switched.error.message}`);
  return switched.value.activeProvider;
}
