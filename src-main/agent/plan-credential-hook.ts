import type { ErrorInfo } from '../../src-shared/errors.js';
import type { ResolvedCredential } from '../core/auth-service.js';
import { planCredentialUse } from '../core/plan-credentials.js';

/** Where a credential is about to go: printed by `token`, put in a child's environment by `exec`, or answered by the agent. */
export type CredentialDestination = 'token' | 'exec' | 'agent';

export type HandOutDecision =
  { readonly allowed: true; readonly notice: string | null } | { readonly allowed: false; readonly error: ErrorInfo };

/**
 * The one place `token`, `exec` and the agent ask whether a credential may leave the core; the
 * rule itself is the core's (plan-credentials.ts). The agent answers only its owner's local
 * clients over a private socket — the same reach as `the-maestro token` — so it is held to the
 * `token` rule (the client that prints the credential adds the label).
 */
export function decideHandOut(credential: ResolvedCredential, destination: CredentialDestination): HandOutDecision {
  const decision = planCredentialUse(credential, destination === 'exec' ? 'exec' : 'token');
  if (!decision.allowed) return decision;
  return { allowed: true, notice: decision.label !== undefined ? `the-maestro: ${decision.label}` : null };
}
