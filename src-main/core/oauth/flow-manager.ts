import { randomUUID } from 'node:crypto';
import type { OAuthFlowView } from '../../../src-shared/view-models.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { Logger } from '../../log/logger.js';
import { silentLogger } from '../../log/logger.js';
import { isAvailabilityProblem } from '../../../src-shared/errors.js';
import { parseAccountLabel } from '../account-label.js';
import { AuthError, isAuthError, toErrorInfo } from '../auth-error.js';
import type { CredentialStore } from '../store/credential-store.js';
import type { StateStore } from '../store/state-store.js';
import type { RedirectMode } from '../providers/definition.js';
import { signInNotWaiting } from '../providers/provider-auth.js';
import { buildAuthorizationRequestUrl, newFlowSecrets } from './authorization-request.js';
import { callbackState, checkCallbackResponse } from './callback-checks.js';
import { deepLinkRedirectUri, notASignInCallback, parseDeepLink } from './deep-link.js';
import { FlowOutcomes } from './flow-outcomes.js';
import { startLoopbackReceiver } from './loopback-receiver.js';
import type { LoopbackReceiver } from './loopback-receiver.js';
import { OAuthClients } from './oauth-client.js';
import type {
  CompletedSignIn,
  FlowFinishedEvent,
  OAuthFlowManager,
  OAuthProviderContext,
  StartSignInOptions,
} from './oauth-types.js';
import { parsePastedCallback } from './paste.js';
import { DEFAULT_FLOW_TTL_MS, DEFAULT_MAX_FLOWS, PendingFlows } from './pending-flows.js';
import type { PendingFlow } from './pending-flows.js';
import { exchangeAuthorizationCode } from './token-exchange.js';
import { PlanFlows } from './plan-flows.js';
import { checkPlanAccount, planGranted, planNotEnabled } from './plan-sign-in.js';

export interface FlowManagerDeps {
  /** Credentials, and the non-secret state where plan sign-ins keep their registrations and the host id. */
  readonly store: CredentialStore & StateStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Replaces fetch for every OAuth request (tests count or break requests with it). */
  readonly fetch?: typeof fetch;
  readonly flowTtlMs?: number;
  readonly maxFlows?: number;
  /** Share one configuration cache with the refresher and revocation (optional). */
  readonly clients?: OAuthClients;
}

/** How a flow ended: the committed sign-in, or what went wrong. */
type FlowEnd =
  { readonly ok: true; readonly signedIn: CompletedSignIn } | { readonly ok: false; readonly error: unknown };

/**
 * Authorization code + PKCE flows for every provider, with the three ways back to the app
 * (loopback, deep link, paste) feeding one completion step. A login is done only once the store
 * has committed the credential. Shared by all providers (one cap, one set of receivers); each
 * flow remembers the provider it was started for.
 */
export class PkceFlowManager implements OAuthFlowManager {
  private readonly flows: PendingFlows;
  private readonly outcomes = new FlowOutcomes();
  private readonly receivers = new Map<string, LoopbackReceiver>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly listeners = new Set<(event: FlowFinishedEvent) => void>();
  private readonly clients: OAuthClients;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly flowTtlMs: number;
  private readonly plans: PlanFlows;

  constructor(private readonly deps: FlowManagerDeps) {
    this.plans = new PlanFlows(deps.store);
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
    this.flowTtlMs = deps.flowTtlMs ?? DEFAULT_FLOW_TTL_MS;
    this.flows = new PendingFlows(this.clock, deps.maxFlows ?? DEFAULT_MAX_FLOWS);
    this.clients =
      deps.clients ??
      new OAuthClients({ ...(deps.fetch !== undefined ? { fetch: deps.fetch } : {}), logger: this.logger });
  }

  async start(context: OAuthProviderContext, options: StartSignInOptions): Promise<OAuthFlowView> {
    const provider = context.definition.id;
    const accountLabel = parseAccountLabel(options.accountLabel, provider);
    const mode = this.modeFor(context, options.redirectMode);
    if (!this.flows.hasRoom())
      throw AuthError.of('oauth_too_many_flows', 'Too many sign-ins are in progress. Finish or cancel one first.', {
        provider,
      });
    const issuer = (await this.clients.get(context)).serverMetadata().issuer;
    const plan = this.plans.attempt(context, { accountLabel, issuer, mode, consent: options.consent === true });
    const configuration = await this.clients.get(context, plan?.clientId);
    const secrets = newFlowSecrets();
    const flowId = randomUUID();
    // The listener is bound before the address exists, so the browser can never come back to nothing.
    const receiver = mode === 'loopback' ? await this.startReceiver(context, secrets.state) : undefined;
    try {
      const redirectUri = this.redirectUriFor(context, mode, receiver);
      const url = await buildAuthorizationRequestUrl(
        configuration,
        context.config.oauth,
        redirectUri,
        secrets,
        plan?.parameters,
      );
      const flow: PendingFlow = {
        flowId,
        provider,
        context,
        accountLabel,
        ...secrets,
        redirectUri,
        redirectMode: mode,
        issuer,
        expiresAt: this.clock.now() + this.flowTtlMs,
        ...(plan !== undefined ? { plan } : {}),
      };
      this.flows.add(flow);
      this.track(flow, receiver);
      this.logger.info('OAuth flow started', { provider, flowId, redirectMode: mode });
      const view = {
        flowId,
        provider,
        account: accountLabel,
        authorizationUrl: url.href,
        redirectMode: mode,
        acceptsPaste: true,
      };
      return { ...view, expiresAt: new Date(flow.expiresAt).toISOString() };
    } catch (error) {
      await receiver?.close();
      throw error;
    }
  }

  complete(callbackParams: URLSearchParams): Promise<CompletedSignIn> {
    return this.completeCallback(callbackParams, undefined);
  }

  async submitPasted(flowId: string, pasted: string): Promise<CompletedSignIn> {
    const flow = this.flows.byId(flowId);
    if (flow === undefined) throw signInNotWaiting();
    const { params, fromUrl } = parsePastedCallback(pasted, flow);
    // A bare code carries no `iss`; it goes to the token endpoint of the flow's own issuer, so
    // there is nothing to mix up (RFC 9207 §2.4). A pasted URL keeps whatever the provider sent.
    if (!fromUrl && !params.has('iss')) params.set('iss', flow.issuer);
    return this.completeCallback(params, flow.provider);
  }

  /** A deep link for `context`'s provider, parsed exactly with the scheme that provider is configured for. */
  async handleDeepLink(context: OAuthProviderContext, url: string): Promise<CompletedSignIn> {
    const parsed = parseDeepLink(url, { scheme: context.config.oauth.deepLinkScheme });
    if (!parsed.ok) {
      this.logger.warn('Ignored a deep link that is not a sign-in callback', { reason: parsed.reason });
      throw notASignInCallback();
    }
    return this.completeCallback(parsed.params, parsed.provider);
  }

  waitFor(flowId: string): Promise<CompletedSignIn> {
    return this.outcomes.wait(flowId);
  }

  providerOf(flowId: string): string | undefined {
    return this.outcomes.providerOf(flowId);
  }

  cancel(flowId: string): boolean {
    const flow = this.flows.remove(flowId);
    if (flow === undefined) return false;
    this.finish(flow, {
      ok: false,
      error: AuthError.of('cancelled', 'The sign-in was cancelled.', { provider: flow.provider }),
    });
    return true;
  }

  onDidFinish(listener: (event: FlowFinishedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async dispose(): Promise<void> {
    const receivers = [...this.receivers.values()];
    for (const flow of this.flows.all()) this.cancel(flow.flowId);
    await Promise.all(receivers.map((receiver) => receiver.close()));
  }

  /**
   * The one completion step. Everything that can be refused without the network is refused
   * before a token request is made; the flow is removed from the pending set before the
   * exchange, so a second delivery of the same callback finds nothing.
   */
  private async completeCallback(
    params: URLSearchParams,
    arrivedForProvider: string | undefined,
  ): Promise<CompletedSignIn> {
    const flow = this.takeFlow(params, arrivedForProvider);
    try {
      const { context } = flow;
      checkCallbackResponse(params, flow, context.definition.displayName);
      const clientId = this.plans.clientFor(params, flow);
      const configuration = await this.clients.get(context, clientId);
      const credential = await exchangeAuthorizationCode({
        configuration,
        context,
        flow,
        params,
        clock: this.clock,
        logger: this.logger,
        signatures: this.clients.signatures,
        ...(clientId !== undefined && clientId !== context.config.oauth.clientId ? { clientId } : {}),
      });
      if (flow.plan !== undefined) checkPlanAccount(credential, flow.plan, flow.provider);
      const meta = this.deps.store.put({
        provider: flow.provider,
        authMethod: 'oauth',
        accountLabel: flow.accountLabel,
        credential,
        expiresAt: credential.expiresAt ?? null,
        identity: credential.email ?? credential.accountId ?? null,
      });
      const planSignIn = context.definition.oauth.planSignIn;
      // Kept, but marked: tokens without the plan scope must never be used (openai-siwc.md §7.3).
      if (planSignIn !== undefined && !planGranted(credential.scope, planSignIn))
        this.deps.store.markInvalid(meta.id, planNotEnabled(planSignIn, flow.provider));
      const signedIn: CompletedSignIn = {
        flowId: flow.flowId,
        provider: flow.provider,
        account: flow.accountLabel,
        credentialId: meta.id,
      };
      this.finish(flow, { ok: true, signedIn });
      return signedIn;
    } catch (caught) {
      // The provider's endpoints may have moved, or its signing key rotated (openid-client refetches
      // a key set only a minute after the last fetch): discover again next time.
      if (isAuthError(caught) && (isAvailabilityProblem(caught.code) || caught.code === 'oauth_id_token_invalid'))
        this.clients.invalidate(flow.provider);
      const error = flow.plan !== undefined && isAuthError(caught, 'oauth_denied') ? PlanFlows.denied(flow) : caught;
      this.finish(flow, { ok: false, error });
      throw error;
    }
  }

  /** Matches a callback to its pending flow by state and removes it; refusals leave other flows (and, for a wrong path, this one) untouched. */
  private takeFlow(params: URLSearchParams, arrivedForProvider: string | undefined): PendingFlow {
    const state = callbackState(params);
    const pending = this.flows.peek(state);
    if (pending === undefined) {
      throw AuthError.of(
        'oauth_state_invalid',
        'This sign-in response does not match a sign-in in progress (unknown, already used, or cancelled).',
      );
    }
    if (arrivedForProvider !== undefined && arrivedForProvider !== pending.provider) {
      // Mix-up defence: each provider has its own callback path; the flow stays pending.
      throw AuthError.of('oauth_state_invalid', 'This sign-in response arrived for another provider and was refused.', {
        provider: arrivedForProvider,
      });
    }
    const taken = this.flows.take(state);
    if (taken.status === 'unknown')
      throw AuthError.of('oauth_state_invalid', 'This sign-in response was already used.');
    if (taken.status === 'expired') {
      const error = AuthError.of('oauth_flow_expired', 'The sign-in took too long and expired. Start it again.', {
        provider: taken.flow.provider,
      });
      this.finish(taken.flow, { ok: false, error });
      throw error;
    }
    return taken.flow;
  }

  private async startReceiver(context: OAuthProviderContext, state: string): Promise<LoopbackReceiver> {
    const { oauth } = context.config;
    return startLoopbackReceiver({
      host: oauth.loopbackHost,
      ports: oauth.loopbackPorts.length > 0 ? oauth.loopbackPorts : [0],
      path: oauth.loopbackPath,
      expectedState: state,
      timeoutMs: this.flowTtlMs,
      // Failures reach the person through waitFor/onDidFinish; the browser only ever sees the static page.
      onCallback: (params) => void this.completeCallback(params, context.definition.id).catch(() => undefined),
    });
  }

  /** The configured mode, or a per-flow choice among the modes the provider's registration allows. */
  private modeFor(context: OAuthProviderContext, requested: RedirectMode | undefined): RedirectMode {
    if (requested === undefined) return context.config.oauth.redirectMode;
    const allowed = new Set<RedirectMode>([
      context.config.oauth.redirectMode,
      ...context.definition.oauth.redirectModes,
    ]);
    if (context.config.oauth.pasteRedirectUri !== null) allowed.add('paste');
    if (!allowed.has(requested)) {
      throw AuthError.of(
        'unsupported_method',
        `${context.definition.displayName} does not accept a ${requested.replace('_', ' ')} sign-in; use ${[...allowed].join(' or ').replace(/_/g, ' ')}.`,
        { provider: context.definition.id },
      );
    }
    return requested;
  }

  private redirectUriFor(
    context: OAuthProviderContext,
    mode: RedirectMode,
    receiver: LoopbackReceiver | undefined,
  ): string {
    const { oauth } = context.config;
    switch (mode) {
      case 'loopback':
        if (receiver === undefined) throw new Error('loopback flow without a receiver');
        return receiver.redirectUri;
      case 'deep_link':
        return deepLinkRedirectUri(oauth.deepLinkScheme, context.definition.id);
      case 'paste':
        if (oauth.pasteRedirectUri === null) {
          throw AuthError.of(
            'not_configured',
            `${context.definition.displayName} has no paste page configured; use the loopback sign-in.`,
            { provider: context.definition.id },
          );
        }
        return oauth.pasteRedirectUri;
    }
  }

  private track(flow: PendingFlow, receiver: LoopbackReceiver | undefined): void {
    this.outcomes.open(flow.flowId, flow.provider);
    if (receiver !== undefined) this.receivers.set(flow.flowId, receiver);
    const timer = setTimeout(() => this.expireFlows(), Math.max(0, flow.expiresAt - this.clock.now()) + 50);
    timer.unref();
    this.timers.set(flow.flowId, timer);
  }

  private expireFlows(): void {
    for (const flow of this.flows.takeExpired()) {
      this.finish(flow, {
        ok: false,
        error: AuthError.of('oauth_flow_expired', 'The sign-in took too long and expired. Start it again.', {
          provider: flow.provider,
        }),
      });
    }
  }

  /** Settles a flow exactly once: closes its receiver, clears its timer, tells waiters and listeners. */
  private finish(flow: PendingFlow, end: FlowEnd): void {
    if (this.outcomes.isSettled(flow.flowId)) return;
    const receiver = this.receivers.get(flow.flowId);
    this.receivers.delete(flow.flowId);
    // Closed right after this turn: the flow is already gone (a late callback finds nothing to
    // complete), and the person's sign-in does not wait for the socket to shut.
    if (receiver !== undefined) setImmediate(() => void receiver.close());
    clearTimeout(this.timers.get(flow.flowId));
    this.timers.delete(flow.flowId);
    let event: FlowFinishedEvent;
    if (end.ok) {
      this.outcomes.succeed(flow.flowId, end.signedIn);
      event = { ...end.signedIn, ok: true };
      this.logger.info('OAuth flow finished', {
        provider: flow.provider,
        flowId: flow.flowId,
        credentialId: end.signedIn.credentialId,
      });
    } else {
      this.outcomes.fail(flow.flowId, end.error);
      const error = toErrorInfo(end.error, flow.provider);
      event = { flowId: flow.flowId, provider: flow.provider, account: flow.accountLabel, ok: false, error };
      this.logger.warn('OAuth flow failed', { provider: flow.provider, flowId: flow.flowId, error });
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error('A flow listener threw', { error });
      }
    }
  }
}
