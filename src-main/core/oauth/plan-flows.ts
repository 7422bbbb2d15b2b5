import { AuthError } from '../auth-error.js';
import type { RedirectMode } from '../providers/definition.js';
import type { CredentialStore } from '../store/credential-store.js';
import type { StateStore } from '../store/state-store.js';
import type { OAuthProviderContext } from './oauth-types.js';
import type { PendingFlow } from './pending-flows.js';
import { PlanRegistrations } from './plan-registrations.js';
import type { PlanAttempt } from './plan-sign-in.js';
import { planAttempt, planCallbackClient } from './plan-sign-in.js';

/** What the flow manager knows of an attempt when it starts one. */
export interface PlanAttemptRequest {
  readonly accountLabel: string;
  readonly issuer: string;
  readonly mode: RedirectMode;
  readonly consent: boolean;
}

/**
 * The flow manager's side of plan sign-ins (plan-sign-in.ts holds the steps): the attempt a new
 * flow carries, the client its callback is exchanged with, and the refusal of a declined one.
 */
export class PlanFlows {
  private readonly registrations: PlanRegistrations;

  constructor(private readonly store: CredentialStore & StateStore) {
    this.registrations = new PlanRegistrations(store);
  }

  /**
   * A plan sign-in's client and extra parameters, or undefined for ordinary OAuth. A registering
   * client comes back only to http://127.0.0.1:<port>/auth/callback, so no other way back is offered.
   */
  attempt(context: OAuthProviderContext, request: PlanAttemptRequest): PlanAttempt | undefined {
    const plan = context.definition.oauth.planSignIn;
    if (plan === undefined) return undefined;
    if (context.config.oauth.clientId === null && request.mode !== 'loopback') {
      throw AuthError.of(
        'unsupported_method',
        `Sign in with ${plan.planName.replace(/ plan$/, '')} comes back to this computer only (http://127.0.0.1); use the browser sign-in that returns by itself.`,
        { provider: context.definition.id },
      );
    }
    return planAttempt({
      context,
      plan,
      registrations: this.registrations,
      store: this.store,
      accountLabel: request.accountLabel,
      issuer: request.issuer,
      consent: request.consent,
    });
  }

  /**
   * For a plan sign-in: the client the code goes to. A first sign-in's issued client id is saved
   * with the account BEFORE the exchange, so a failed exchange is retried with the same registration.
   */
  clientFor(params: URLSearchParams, flow: PendingFlow): string | undefined {
    const plan = flow.context.definition.oauth.planSignIn;
    if (flow.plan === undefined || plan === undefined) return undefined;
    const clientId = planCallbackClient(params, flow.plan, plan, flow.provider);
    if (flow.plan.registering) this.registrations.save(flow.provider, flow.accountLabel, flow.issuer, { clientId });
    return clientId;
  }

  /** A plan sign-in the person declined: nothing stored, and what they can do instead (openai-siwc.md §3, §7.3). */
  static denied(flow: PendingFlow): AuthError {
    const planName = flow.context.definition.oauth.planSignIn?.planName ?? 'plan';
    return AuthError.of(
      'oauth_denied',
      `You did not allow The Maestro to use your ${planName}, so nothing was stored. Sign in again to allow it, or use an ${flow.context.definition.displayName} API key instead.`,
      { provider: flow.provider, providerCode: 'access_denied' },
    );
  }
}
