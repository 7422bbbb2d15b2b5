/**
 * Chapter 2: signing in with an API key through the unified interface, then asking for a
 * credential the way any other part of The Maestro does. Every call returns a result value.
 */
import type { ProviderStatusView } from '../../../../src-shared/view-models.js';
import type { AuthService, ResolvedCredential } from '../../../../src-main/core/auth-service.js';

export interface KeySignIn {
  /** What the window shows afterwards: a masked key, never the key. */
  readonly status: ProviderStatusView;
  /** What a caller gets from `resolve()`: ready-to-send headers and the base URL. */
  readonly credential: ResolvedCredential;
}

/** Saves a key (validated live first), then resolves it. Throws the core's message if either step fails. */
export async function signInWithApiKey(
  auth: AuthService,
  provider: string,
  apiKey: string,
  account?: string,
): Promise<KeySignIn> {
  const saved = await auth.saveApiKey({ provider, apiKey, ...(account !== undefined ? { account } : {}) });
  if (!saved.ok) throw new Error(`${saved.error.code}: ${saved.error.message}`);
  const status = await auth.providerStatus(provider);
  if (!status.ok) throw new Error(status.error.message);
  const credential = await auth.resolve(provider);
  if (!credential.ok) throw new Error(credential.error.message);
  return { status: status.value, credential: credential.value };
}
