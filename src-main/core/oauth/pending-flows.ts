import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AuthError } from '../auth-error.js';
import type { RedirectMode } from '../providers/definition.js';
import type { OAuthProviderContext } from './oauth-types.js';
import type { PlanAttempt } from './plan-sign-in.js';

/**
 * Authorizations that have started and wait for the browser to come back, keyed by `state`.
 * A flow is taken out (removed) BEFORE its code is exchanged, so no callback can ever be
 * exchanged twice; flows expire on the injected clock; their number is capped.
 */

/** One pending authorization. Secrets (verifier, state) live here and nowhere else. */
export interface PendingFlow {
  readonly flowId: string;
  readonly provider: string;
  /** The provider the flow was started for: the completion exchanges the code with its configuration. */
  readonly context: OAuthProviderContext;
  readonly accountLabel: string;
  readonly state: string;
  readonly codeVerifier: string;
  /** The redirect URI sent in the authorization request; the token request repeats it exactly. */
  readonly redirectUri: string;
  readonly redirectMode: RedirectMode;
  /** The issuer the flow was started with; a callback's `iss` must equal it (RFC 9207). */
  readonly issuer: string;
  readonly expiresAt: number;
  /** A plan sign-in's client, nonce and expected account (plan-sign-in.ts); absent for ordinary OAuth. */
  readonly plan?: PlanAttempt;
}

export type TakeResult =
  | { readonly status: 'taken'; readonly flow: PendingFlow }
  | { readonly status: 'expired'; readonly flow: PendingFlow }
  | { readonly status: 'unknown' };

/** Default lifetime of a pending flow: long enough to sign in, short enough to be useless if stolen. */
export const DEFAULT_FLOW_TTL_MS = 10 * 60 * 1000;
/** Default number of flows pending at once. */
export const DEFAULT_MAX_FLOWS = 8;

function equalSecrets(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class PendingFlows {
  private readonly byState = new Map<string, PendingFlow>();

  constructor(
    private readonly clock: Clock,
    private readonly maxFlows: number = DEFAULT_MAX_FLOWS,
  ) {}

  /** Registers a flow; throws `oauth_too_many_flows` when the cap of live flows is reached. */
  add(flow: PendingFlow): void {
    if (this.live().length >= this.maxFlows) {
      throw AuthError.of(
        'oauth_too_many_flows',
        `Too many sign-ins are in progress (${this.maxFlows}). Finish or cancel one first.`,
        { provider: flow.provider },
      );
    }
    this.byState.set(flow.state, flow);
  }

  /** Whether one more flow would be accepted now (checked before binding a loopback port). */
  hasRoom(): boolean {
    return this.live().length < this.maxFlows;
  }

  /** Looks a flow up by state without consuming it. The map lookup is followed by a constant-time comparison. */
  peek(state: string): PendingFlow | undefined {
    const flow = this.byState.get(state);
    return flow !== undefined && equalSecrets(flow.state, state) ? flow : undefined;
  }

  byId(flowId: string): PendingFlow | undefined {
    for (const flow of this.byState.values()) if (flow.flowId === flowId) return flow;
    return undefined;
  }

  /** Removes the flow for `state` and says whether it was still within its lifetime. */
  take(state: string): TakeResult {
    const flow = this.peek(state);
    if (flow === undefined) return { status: 'unknown' };
    this.byState.delete(flow.state);
    return this.clock.now() >= flow.expiresAt ? { status: 'expired', flow } : { status: 'taken', flow };
  }

  /** Removes a flow by id (cancel); undefined when it is not pending. */
  remove(flowId: string): PendingFlow | undefined {
    const flow = this.byId(flowId);
    if (flow !== undefined) this.byState.delete(flow.state);
    return flow;
  }

  /** Removes and returns every flow whose lifetime is over. */
  takeExpired(): PendingFlow[] {
    const now = this.clock.now();
    const expired = [...this.byState.values()].filter((flow) => now >= flow.expiresAt);
    for (const flow of expired) this.byState.delete(flow.state);
    return expired;
  }

  all(): PendingFlow[] {
    return [...this.byState.values()];
  }

  private live(): PendingFlow[] {
    const now = this.clock.now();
    return [...this.byState.values()].filter((flow) => now < flow.expiresAt);
  }
}
