import type { ErrorInfo } from '../../src-shared/errors.js';
import type { ResolvedCredential } from '../core/auth-service.js';

/** Where a credential is about to go: printed by `token`, put in a child's environment by `exec`, or answered by the agent. */
export type CredentialDestination = 'token' | 'exec' | 'agent';

export type HandOutDecision =
  { readonly allowed: true; readonly notice: string | null } | { readonly allowed: false; readonly error: ErrorInfo };

/**
 * The one place `token`, `exec` and the agent ask whether a credential may leave the core. The
 * rule for subscription-plan credentials (the Sign in with ChatGPT issue) plugs in here; until
 * then every credential this core can resolve (API keys and OAuth tokens) is handed out, without
 * a notice.
 */
export function decideHandOut(_credential: ResolvedCredential, _destination: CredentialDestination): HandOutDecision {
  return { allowed: true, notice: null };
}
