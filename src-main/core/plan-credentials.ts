import type { ErrorInfo } from '../../src-shared/errors.js';

/**
 * THE rule for where a plan credential may go — one place, asked by every hand-off.
 *
 * A plan credential spends the person's subscription (a ChatGPT plan sign-in). OpenAI's terms for
 * open-source apps allow that usage in the app itself and in tools the app runs for the person;
 * they do not allow offering it as general API access for anything else ("connected application
 * only", openai-siwc.md §9). So:
 * - `app` (The Maestro's own requests: model lists), `model_test` (the model test) and `exec` (a
 *   tool The Maestro starts for the person, with the credential in its environment): allowed;
 * - `token` (printed for the person at their terminal): allowed, with a one-line label on stderr
 *   saying what it is and where it may go;
 * - `gateway` (a local HTTP endpoint any program may call) and any other general hand-off: refused.
 * Credentials that spend no plan (API keys, ordinary OAuth) go anywhere their owner sends them.
 */
export type CredentialUse = 'app' | 'model_test' | 'exec' | 'token' | 'gateway';

export type PlanCredentialDecision =
  { readonly allowed: true; readonly label?: string } | { readonly allowed: false; readonly error: ErrorInfo };

/** What the rule needs to know of a credential: its provider, and the plan it spends (null for none). */
export interface PlanCredentialFacts {
  readonly provider: string;
  readonly plan: string | null;
}

/** Decides whether `credential` may be used for `use` (see the rule above). */
export function planCredentialUse(credential: PlanCredentialFacts, use: CredentialUse): PlanCredentialDecision {
  const { plan, provider } = credential;
  if (plan === null) return { allowed: true };
  switch (use) {
    case 'app':
    case 'model_test':
    case 'exec':
      return { allowed: true };
    case 'token':
      return {
        allowed: true,
        label: `This ${provider} token spends your ${plan}: use it only in tools you run yourself, never as shared API access.`,
      };
    case 'gateway':
      return {
        allowed: false,
        error: {
          code: 'policy_blocked',
          provider,
          message: `A ${plan} sign-in may be used by The Maestro and the tools it runs for you, not offered to other programs as general API access. Use an ${provider} API key for that.`,
        },
      };
  }
}
