import type { StoredAuthMethod } from '../../src-shared/auth-types.js';
import type { ErrorInfo, Result } from '../../src-shared/errors.js';
import { isAvailabilityProblem, isCredentialProblem, ok } from '../../src-shared/errors.js';
import type {
  AccountPageView,
  LoginResultView,
  ModelListView,
  OAuthFlowView,
  ProviderStatusView,
  StatusView,
  StorageProtectionView,
} from '../../src-shared/view-models.js';
import { STATUS_ACCOUNT_LIMIT } from '../../src-shared/view-models.js';
import type { ResolvedConfig } from '../config/config-types.js';
import type { Clock } from './clock.js';
import type { Logger } from '../log/logger.js';
import { AuthError, toErrorInfo } from './auth-error.js';
import { LoginOperations, checkAccountLabel } from './logins.js';
import type { AuthService, CoreSettings, Disposer, ResolvedCredential } from './auth-service.js';
import { CoreSettingsStore } from './session/settings.js';
import type { CredentialStore } from './store/credential-store.js';
import type { Credential } from './credentials.js';
import { CredentialResolver } from './credential-resolver.js';
import { ModelCatalog } from './session/model-catalog.js';
import type { FlowFinishedEvent, OAuthFlowManager, RevokeCredential, TokenRefresher } from './oauth/oauth-types.js';
import type { ProviderApi } from './providers/api-types.js';
import type { ProviderContext } from './provider-contexts.js';
import { ProviderContexts } from './provider-contexts.js';
import type { RedirectMode } from './providers/definition.js';
import type { ProviderAuth, ProviderRegistry } from './providers/registry.js';
import type { SessionManager } from './session/session-manager.js';
import { accountViewOf, providerStatusOf } from './status-view.js';

/** Everything the coordinator works with; built by the composition root (create-core.ts). */
export interface AuthDeps {
  readonly registry: ProviderRegistry;
  readonly providers: ReadonlyMap<string, ProviderAuth>;
  readonly config: ResolvedConfig;
  readonly store: CredentialStore;
  readonly sessions: SessionManager;
  readonly api: ProviderApi;
  readonly flows: OAuthFlowManager;
  readonly refresher: TokenRefresher;
  readonly revoke: RevokeCredential;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly protection: StorageProtectionView;
}

function credentialOf(resolved: ResolvedCredential): Credential {
  return resolved.method === 'api_key'
    ? { kind: 'api_key', apiKey: resolved.secret }
    : { kind: 'oauth', accessToken: resolved.secret, tokenType: 'Bearer' };
}

/**
 * The coordinator: the story's unified interface over every provider and method. Failures come
 * back as result values with codes; one provider's trouble never reaches another.
 */
export class Auth implements AuthService {
  private readonly contexts: ProviderContexts;
  private readonly logins: LoginOperations;
  private readonly resolver: CredentialResolver;
  private readonly catalog: ModelCatalog;
  private readonly settings: CoreSettingsStore;
  private readonly statusListeners = new Set<(status: StatusView) => void>();
  private readonly flowListeners = new Set<(event: FlowFinishedEvent) => void>();
  private readonly disposers: Disposer[] = [];
  private readonly resolving = new Map<string, Promise<Result<ResolvedCredential>>>();
  private statusQueued = false;

  constructor(private readonly deps: AuthDeps) {
    this.contexts = new ProviderContexts(deps.registry, deps.providers, deps.config, deps.logger);
    const { store, sessions, flows, revoke, logger } = deps;
    this.logins = new LoginOperations({ contexts: this.contexts, store, sessions, flows, revoke, logger, changed: () => this.queueStatus() });
    this.resolver = new CredentialResolver(store, deps.refresher, deps.env, deps.clock);
    this.catalog = new ModelCatalog(store, deps.api, deps.clock);
    this.settings = new CoreSettingsStore(store, deps.config.fallbackOrder);
    this.disposers.push(sessions.onDidChange(() => this.queueStatus()));
    this.disposers.push(flows.onDidFinish((event) => this.onFlowFinished(event)));
  }

  async status(): Promise<StatusView> {
    return {
      activeProvider: this.deps.sessions.activeProvider(),
      providers: this.contexts.ids.map((id) => this.statusOf(this.contexts.require(id))),
      storage: this.deps.protection,
      configProblems: this.deps.config.problems,
    };
  }

  async providerStatus(provider: string): Promise<Result<ProviderStatusView>> {
    return this.contexts.guard(provider, (context) => this.statusOf(context));
  }

  async listAccounts(input: { provider: string; offset?: number; limit?: number }): Promise<Result<AccountPageView>> {
    return this.contexts.guard(input.provider, (context) => {
      const offset = input.offset ?? 0;
      const limit = input.limit ?? STATUS_ACCOUNT_LIMIT;
      const now = this.deps.clock.now();
      const metas = this.deps.store.list({ provider: context.auth.id }, { offset, limit });
      return { provider: context.auth.id, offset, accounts: metas.map((meta) => accountViewOf(meta, now)), total: this.deps.store.count({ provider: context.auth.id }) };
    });
  }

  private statusOf(context: ProviderContext): ProviderStatusView {
    const id = context.auth.id;
    const account = this.deps.sessions.activeAccount(id);
    return providerStatusOf({
      auth: context.auth,
      config: context.config,
      env: this.deps.env,
      active: this.deps.store.list({ provider: id, accountLabel: account }),
      listed: this.deps.store.list({ provider: id }, { offset: 0, limit: STATUS_ACCOUNT_LIMIT }),
      total: this.deps.store.count({ provider: id }),
      account,
      fallbackOrder: this.settings.get().fallbackOrder,
      selectedModel: this.deps.sessions.selectedModel(id),
      outcome: this.deps.sessions.outcome(id),
      now: this.deps.clock.now(),
    });
  }

  saveApiKey(input: { provider: string; apiKey: string; account?: string; validate?: boolean }): Promise<Result<LoginResultView>> {
    return this.logins.saveApiKey(input);
  }

  startOAuth(input: { provider: string; account?: string; redirectMode?: RedirectMode }): Promise<Result<OAuthFlowView>> {
    return this.logins.startOAuth(input);
  }

  submitPastedCode(input: { flowId: string; pasted: string }): Promise<Result<LoginResultView>> {
    return this.logins.submitPastedCode(input);
  }

  waitForOAuth(flowId: string): Promise<Result<LoginResultView>> {
    return this.logins.waitForOAuth(flowId);
  }

  cancelOAuth(flowId: string): Result<boolean> {
    return this.logins.cancelOAuth(flowId);
  }

  handleDeepLink(url: string): Promise<Result<LoginResultView>> {
    return this.logins.handleDeepLink(url);
  }

  logout(input: { provider: string; account?: string; method?: StoredAuthMethod }): Promise<Result<{ removed: number; revoked: boolean }>> {
    return this.logins.logout(input);
  }

  private onFlowFinished(event: FlowFinishedEvent): void {
    this.logins.onFlowFinished(event);
    for (const listener of [...this.flowListeners]) listener(event);
  }

  onDidFinishFlow(listener: (event: FlowFinishedEvent) => void): Disposer {
    this.flowListeners.add(listener);
    return () => this.flowListeners.delete(listener);
  }

  async validate(input: { provider: string; account?: string }): Promise<Result<ProviderStatusView>> {
    return this.contexts.guardAsync(input.provider, async (context) => {
      const resolved = await this.resolveIn(context, input.account, false);
      try {
        await context.auth.validateCredentials(credentialOf(resolved));
      } catch (error) {
        await this.afterValidationFailure(context, resolved, toErrorInfo(error, context.auth.id));
      }
      return this.statusOf(context);
    });
  }

  /** A refused OAuth token gets one forced refresh; a refused stored key is marked invalid. */
  private async afterValidationFailure(context: ProviderContext, resolved: ResolvedCredential, info: ErrorInfo): Promise<void> {
    const { store, sessions } = this.deps;
    if (resolved.method === 'oauth' && (info.code === 'expired_token' || info.code === 'invalid_credentials')) {
      const refreshed = await this.resolveIn(context, resolved.account ?? undefined, true);
      await context.auth.validateCredentials(credentialOf(refreshed));
      return;
    }
    if (isCredentialProblem(info.code) && resolved.source !== 'env' && resolved.account !== null) {
      const meta = store.list({ provider: context.auth.id, authMethod: resolved.method, accountLabel: resolved.account })[0];
      if (meta !== undefined) store.markInvalid(meta.id, info);
    }
    const state = isAvailabilityProblem(info.code) ? 'unavailable' : 'invalid';
    sessions.recordOutcome(context.auth.id, { source: resolved.source, method: resolved.method, account: resolved.account, state, lastError: info });
  }

  /**
   * Concurrent calls for the same provider, account and mode share one walk of the chain: a
   * thousand callers waiting on an expired token cost one refresh and one decryption.
   */
  resolve(provider: string, options: { account?: string; forceRefresh?: boolean } = {}): Promise<Result<ResolvedCredential>> {
    const key = `${provider}\u0000${options.account ?? ''}\u0000${options.forceRefresh === true ? 'force' : ''}`;
    const running = this.resolving.get(key);
    if (running !== undefined) return running;
    const started = this.contexts.guardAsync(provider, (context) => this.resolveIn(context, options.account, options.forceRefresh ?? false));
    this.resolving.set(key, started);
    // guardAsync never rejects: every failure is a result value.
    void started.then(() => this.resolving.delete(key));
    return started;
  }

  private resolveIn(context: ProviderContext, account: string | undefined, forceRefresh: boolean): Promise<ResolvedCredential> {
    const id = context.auth.id;
    const request = {
      definition: context.auth.definition,
      config: context.config,
      account: account ?? this.deps.sessions.activeAccount(id),
      order: this.settings.get().fallbackOrder,
      forceRefresh,
    };
    return this.resolver.resolve(request).then(
      (resolved) => {
        this.recordSuccess(id, resolved);
        return resolved;
      },
      (error: unknown) => {
        this.recordFailure(id, toErrorInfo(error, id));
        throw error;
      },
    );
  }

  /** Notes the outcome only when it changed, so the hot path neither writes nor floods listeners. */
  private recordSuccess(provider: string, resolved: ResolvedCredential): void {
    const previous = this.deps.sessions.outcome(provider);
    if (previous?.state === 'valid' && previous.lastError === null && previous.source === resolved.source && previous.account === resolved.account) return;
    this.deps.sessions.recordOutcome(provider, { source: resolved.source, method: resolved.method, account: resolved.account, state: 'valid', lastError: null });
  }

  private recordFailure(provider: string, info: ErrorInfo): void {
    const previous = this.deps.sessions.outcome(provider);
    if (previous?.lastError?.code === info.code && previous.lastError.message === info.message) return;
    const state = isAvailabilityProblem(info.code) ? 'unavailable' : info.code === 'not_authenticated' ? 'missing' : 'invalid';
    this.deps.sessions.recordOutcome(provider, { source: null, method: null, account: null, state, lastError: info });
  }

  async listModels(input: { provider: string; refresh?: boolean }): Promise<Result<ModelListView>> {
    const context = this.contexts.lookup(input.provider);
    if (!context.ok) return context;
    return this.catalog.list({
      definition: context.value.auth.definition,
      config: context.value.config,
      refresh: input.refresh ?? false,
      selectedModel: this.deps.sessions.selectedModel(input.provider),
      credential: () => this.resolve(input.provider),
    });
  }

  async selectModel(input: { provider: string; model: string }): Promise<Result<ProviderStatusView>> {
    return this.contexts.guard(input.provider, (context) => {
      const cached = this.deps.store.loadModels(context.auth.id);
      if (cached !== null && !cached.models.some((model) => model.id === input.model)) {
        throw AuthError.of('invalid_input', `${context.auth.definition.displayName} has no model "${input.model.slice(0, 128)}" in its list. Refresh the list or pick one from it.`);
      }
      this.deps.sessions.selectModel(context.auth.id, input.model);
      return this.statusOf(context);
    });
  }

  async setActiveProvider(input: { provider: string; account?: string }): Promise<Result<StatusView>> {
    const checked = this.contexts.guard(input.provider, (context) => {
      if (input.account !== undefined && this.deps.store.list({ provider: context.auth.id, accountLabel: input.account }).length === 0) {
        throw AuthError.of('unknown_account', `There is no ${context.auth.definition.displayName} account "${input.account.slice(0, 64)}".`);
      }
      this.deps.sessions.setActiveProvider(context.auth.id, input.account);
      return true;
    });
    return checked.ok ? ok(await this.status()) : checked;
  }

  async renameAccount(input: { provider: string; from: string; to: string }): Promise<Result<ProviderStatusView>> {
    return this.contexts.guard(input.provider, (context) => {
      const to = checkAccountLabel(input.to);
      const wasActive = this.deps.sessions.activeAccount(context.auth.id) === input.from;
      if (this.deps.store.renameAccount(context.auth.id, input.from, to) === 0) {
        throw AuthError.of('unknown_account', `There is no ${context.auth.definition.displayName} account "${input.from.slice(0, 64)}".`);
      }
      if (wasActive) this.deps.sessions.setActiveAccount(context.auth.id, to);
      this.queueStatus();
      return this.statusOf(context);
    });
  }

  getSettings(): CoreSettings {
    return this.settings.get();
  }

  updateSettings(patch: Partial<CoreSettings>): Result<CoreSettings> {
    const result = this.settings.update(patch);
    if (result.ok) this.queueStatus();
    return result;
  }

  onDidChangeStatus(listener: (status: StatusView) => void): Disposer {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Coalesces bursts of changes into one status event. */
  private queueStatus(): void {
    if (this.statusQueued || this.statusListeners.size === 0) return;
    this.statusQueued = true;
    queueMicrotask(() => {
      this.statusQueued = false;
      void this.status().then((status) => {
        for (const listener of [...this.statusListeners]) listener(status);
      });
    });
  }

  async dispose(): Promise<void> {
    for (const dispose of this.disposers.splice(0).reverse()) dispose();
    this.statusListeners.clear();
    this.flowListeners.clear();
    await this.deps.flows.dispose();
  }
}
