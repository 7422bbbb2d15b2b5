import type { CredentialSource, StoredAuthMethod } from '../../../src-shared/auth-types.js';
import { ACCOUNT_LABEL_PATTERN, DEFAULT_ACCOUNT } from '../../../src-shared/auth-types.js';
import type { ErrorInfo, Result } from '../../../src-shared/errors.js';
import { err, isAvailabilityProblem, isCredentialProblem, ok } from '../../../src-shared/errors.js';
import type {
  LoginResultView,
  ModelListView,
  OAuthFlowView,
  ProviderStatusView,
  StatusView,
  StorageProtectionView,
} from '../../../src-shared/view-models.js';
import type { ResolvedConfig, ResolvedProviderConfig } from '../../config/config-types.js';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log/logger.js';
import { AuthError, toErrorInfo } from './auth-error.js';
import type { AuthService, CoreSettings, Disposer, ResolvedCredential } from './auth-service.js';
import { CoreSettingsStore } from './core-settings.js';
import type { CredentialMeta, CredentialStore } from './credential-store.js';
import { CredentialResolver } from './credential-resolver.js';
import { ModelCatalog } from './model-catalog.js';
import type { CompletedLogin, FlowFinishedEvent, OAuthFlowManager, RevokeCredential, TokenRefresher } from './oauth/oauth-types.js';
import type { ProviderApi } from './provider-api-types.js';
import type { RedirectMode } from './provider-definition.js';
import type { ProviderAuth, ProviderRegistry } from './provider-registry.js';
import type { SessionManager } from './session-manager.js';
import { providerStatusOf } from './status-view.js';

/** Everything the coordinator works with; built by the composition root (src-main/core.ts). */
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

interface ProviderContext {
  readonly auth: ProviderAuth;
  readonly config: ResolvedProviderConfig;
}

/**
 * The coordinator: the story's unified interface over every provider and method. Failures come
 * back as result values with codes; one provider's trouble never reaches another.
 */
export class Auth implements AuthService {
  private readonly resolver: CredentialResolver;
  private readonly catalog: ModelCatalog;
  private readonly settings: CoreSettingsStore;
  private readonly statusListeners = new Set<(status: StatusView) => void>();
  private readonly disposers: Disposer[] = [];
  private statusQueued = false;

  constructor(private readonly deps: AuthDeps) {
    this.resolver = new CredentialResolver(deps.store, deps.refresher, deps.env, deps.clock);
    this.catalog = new ModelCatalog(deps.store, deps.api, deps.clock);
    this.settings = new CoreSettingsStore(deps.store, deps.config.fallbackOrder);
    this.disposers.push(deps.sessions.onDidChange(() => this.queueStatus()));
    this.disposers.push(deps.flows.onDidFinish((event) => this.onFlowFinished(event)));
  }

  // ── status ──────────────────────────────────────────────────────────────────────────────

  async status(): Promise<StatusView> {
    const providers = this.deps.registry.ids.map((id) => this.statusOf(this.context(id)));
    return {
      activeProvider: this.deps.sessions.activeProvider(),
      providers,
      storage: this.deps.protection,
      configProblems: this.deps.config.problems,
    };
  }

  async providerStatus(provider: string): Promise<Result<ProviderStatusView>> {
    return this.guard(provider, (context) => this.statusOf(context));
  }

  private statusOf(context: ProviderContext): ProviderStatusView {
    const id = context.auth.id;
    return providerStatusOf({
      auth: context.auth,
      config: context.config,
      env: this.deps.env,
      metas: this.deps.store.list({ provider: id }),
      account: this.deps.sessions.activeAccount(id),
      fallbackOrder: this.settings.get().fallbackOrder,
      selectedModel: this.deps.sessions.selectedModel(id),
      outcome: this.deps.sessions.outcome(id),
      now: this.deps.clock.now(),
    });
  }

  // ── API keys ────────────────────────────────────────────────────────────────────────────

  async saveApiKey(input: { provider: string; apiKey: string; account?: string; validate?: boolean }): Promise<Result<LoginResultView>> {
    return this.guardAsync(input.provider, async (context) => {
      const account = checkAccountLabel(input.account ?? DEFAULT_ACCOUNT);
      const validate = input.validate ?? true;
      const credential = await context.auth.authenticate({ method: 'api_key', apiKey: input.apiKey, validate });
      const meta = this.deps.store.put({ provider: context.auth.id, authMethod: 'api_key', accountLabel: account, credential, expiresAt: null });
      this.afterLogin(meta, validate);
      return this.loginView(meta, validate);
    });
  }

  // ── OAuth ───────────────────────────────────────────────────────────────────────────────

  async startOAuth(input: { provider: string; account?: string; redirectMode?: RedirectMode }): Promise<Result<OAuthFlowView>> {
    return this.guardAsync(input.provider, async (context) => {
      const account = checkAccountLabel(input.account ?? DEFAULT_ACCOUNT);
      if (context.config.oauth.clientId === null) {
        throw AuthError.of('not_configured', `OAuth for ${context.auth.definition.displayName} is not configured: ${context.config.oauth.clientIdHint}.`);
      }
      return this.deps.flows.start(context.auth.id, { accountLabel: account, ...(input.redirectMode !== undefined ? { redirectMode: input.redirectMode } : {}) });
    });
  }

  async submitPastedCode(input: { flowId: string; pasted: string }): Promise<Result<LoginResultView>> {
    return this.completion(() => this.deps.flows.submitPasted(input.flowId, input.pasted));
  }

  async waitForOAuth(flowId: string): Promise<Result<LoginResultView>> {
    return this.completion(() => this.deps.flows.waitFor(flowId));
  }

  cancelOAuth(flowId: string): Result<boolean> {
    return ok(this.deps.flows.cancel(flowId));
  }

  async handleDeepLink(url: string): Promise<Result<LoginResultView>> {
    return this.completion(() => this.deps.flows.handleDeepLink(url));
  }

  private async completion(run: () => Promise<CompletedLogin>): Promise<Result<LoginResultView>> {
    try {
      const { meta } = await run();
      this.afterLogin(meta, true);
      return ok(this.loginView(meta, true));
    } catch (error) {
      return err(toErrorInfo(error));
    }
  }

  private onFlowFinished(event: FlowFinishedEvent): void {
    if (event.ok) {
      const meta = this.deps.store.getMeta(event.credentialId);
      if (meta !== null) this.afterLogin(meta, true);
    }
    for (const listener of [...this.flowListeners]) listener(event);
  }

  private readonly flowListeners = new Set<(event: FlowFinishedEvent) => void>();

  onDidFinishFlow(listener: (event: FlowFinishedEvent) => void): Disposer {
    this.flowListeners.add(listener);
    return () => this.flowListeners.delete(listener);
  }

  /** After a committed login: this account becomes the provider's, and the provider active if none is. */
  private afterLogin(meta: CredentialMeta, validated: boolean): void {
    const { sessions } = this.deps;
    sessions.setActiveAccount(meta.provider, meta.accountLabel);
    if (sessions.activeProvider() === null || sessions.activeProvider() === meta.provider) sessions.setActiveProvider(meta.provider);
    sessions.recordOutcome(meta.provider, {
      source: meta.authMethod,
      method: meta.authMethod,
      account: meta.accountLabel,
      state: 'valid',
      lastError: null,
    });
    this.deps.logger.info('credential stored', { provider: meta.provider, account: meta.accountLabel, method: meta.authMethod, validated });
  }

  private loginView(meta: CredentialMeta, validated: boolean): LoginResultView {
    return {
      provider: meta.provider,
      account: meta.accountLabel,
      method: meta.authMethod,
      validated,
      maskedKey: meta.maskedSecret,
      identity: meta.identity,
      expiresAt: meta.expiresAt === null ? null : new Date(meta.expiresAt).toISOString(),
    };
  }

  // ── logout, validate, resolve ───────────────────────────────────────────────────────────

  async logout(input: { provider: string; account?: string; method?: StoredAuthMethod }): Promise<Result<{ removed: number; revoked: boolean }>> {
    return this.guardAsync(input.provider, async (context) => {
      const account = input.account ?? this.deps.sessions.activeAccount(context.auth.id);
      const metas = this.deps.store
        .list({ provider: context.auth.id, accountLabel: account })
        .filter((meta) => input.method === undefined || meta.authMethod === input.method);
      if (metas.length === 0) throw AuthError.of('unknown_account', `Nothing is stored for ${context.auth.definition.displayName} account "${account}".`);
      let revoked = false;
      for (const meta of metas) revoked = (await this.revokeAndDelete(meta)) || revoked;
      this.deps.sessions.clearOutcome(context.auth.id);
      this.queueStatus();
      return { removed: metas.length, revoked };
    });
  }

  /** Revokes best effort (only what this install owns), then deletes locally whatever happened. */
  private async revokeAndDelete(meta: CredentialMeta): Promise<boolean> {
    let revoked = false;
    if (meta.authMethod === 'oauth') {
      try {
        const record = this.deps.store.get(meta.id);
        if (record !== null && record.credential.kind === 'oauth') revoked = (await this.deps.revoke(meta.provider, record.credential)).revoked;
      } catch (error) {
        this.deps.logger.warn('revocation skipped', { provider: meta.provider, error: toErrorInfo(error) });
      }
    }
    this.deps.store.delete(meta.id);
    return revoked;
  }

  async validate(input: { provider: string; account?: string }): Promise<Result<ProviderStatusView>> {
    return this.guardAsync(input.provider, async (context) => {
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
      this.record(context.auth.id, refreshed, null);
      return;
    }
    if (isCredentialProblem(info.code) && resolved.source !== 'env' && resolved.account !== null) {
      const meta = store.list({ provider: context.auth.id, authMethod: resolved.method, accountLabel: resolved.account })[0];
      if (meta !== undefined) store.markInvalid(meta.id, info);
    }
    sessions.recordOutcome(context.auth.id, {
      source: resolved.source,
      method: resolved.method,
      account: resolved.account,
      state: isAvailabilityProblem(info.code) ? 'unavailable' : 'invalid',
      lastError: info,
    });
  }

  async resolve(provider: string, options: { account?: string; forceRefresh?: boolean } = {}): Promise<Result<ResolvedCredential>> {
    return this.guardAsync(provider, (context) => this.resolveIn(context, options.account, options.forceRefresh ?? false));
  }

  private async resolveIn(context: ProviderContext, account: string | undefined, forceRefresh: boolean): Promise<ResolvedCredential> {
    const id = context.auth.id;
    try {
      const resolved = await this.resolver.resolve({
        definition: context.auth.definition,
        config: context.config,
        account: account ?? this.deps.sessions.activeAccount(id),
        order: this.settings.get().fallbackOrder,
        forceRefresh,
      });
      this.record(id, resolved, null);
      return resolved;
    } catch (error) {
      this.recordFailure(id, toErrorInfo(error, id));
      throw error;
    }
  }

  /** Notes the outcome only when it changed, so the hot path neither writes nor floods listeners. */
  private record(provider: string, resolved: ResolvedCredential, lastError: ErrorInfo | null): void {
    const previous = this.deps.sessions.outcome(provider);
    if (previous !== null && previous.source === resolved.source && previous.account === resolved.account && previous.lastError === lastError && previous.state === 'valid') return;
    this.deps.sessions.recordOutcome(provider, { source: resolved.source, method: resolved.method, account: resolved.account, state: 'valid', lastError });
  }

  private recordFailure(provider: string, info: ErrorInfo): void {
    const previous = this.deps.sessions.outcome(provider);
    if (previous?.lastError?.code === info.code && previous.lastError.message === info.message) return;
    const state = isAvailabilityProblem(info.code) ? 'unavailable' : info.code === 'not_authenticated' ? 'missing' : 'invalid';
    this.deps.sessions.recordOutcome(provider, { source: null, method: null, account: null, state, lastError: info });
  }

  // ── models, session, accounts, settings ─────────────────────────────────────────────────

  async listModels(input: { provider: string; refresh?: boolean }): Promise<Result<ModelListView>> {
    const context = this.lookup(input.provider);
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
    return this.guard(input.provider, (context) => {
      const cached = this.deps.store.loadModels(context.auth.id);
      if (cached !== null && !cached.models.some((model) => model.id === input.model)) {
        throw AuthError.of('invalid_input', `${context.auth.definition.displayName} has no model "${input.model}" in its list. Refresh the list or pick one from it.`);
      }
      this.deps.sessions.selectModel(context.auth.id, input.model);
      return this.statusOf(context);
    });
  }

  async setActiveProvider(input: { provider: string; account?: string }): Promise<Result<StatusView>> {
    const checked = this.guard(input.provider, (context) => {
      if (input.account !== undefined && this.deps.store.list({ provider: context.auth.id, accountLabel: input.account }).length === 0) {
        throw AuthError.of('unknown_account', `There is no ${context.auth.definition.displayName} account "${input.account}".`);
      }
      this.deps.sessions.setActiveProvider(context.auth.id, input.account);
      return true;
    });
    return checked.ok ? ok(await this.status()) : checked;
  }

  async renameAccount(input: { provider: string; from: string; to: string }): Promise<Result<ProviderStatusView>> {
    return this.guard(input.provider, (context) => {
      const to = checkAccountLabel(input.to);
      const wasActive = this.deps.sessions.activeAccount(context.auth.id) === input.from;
      if (this.deps.store.renameAccount(context.auth.id, input.from, to) === 0) {
        throw AuthError.of('unknown_account', `There is no ${context.auth.definition.displayName} account "${input.from}".`);
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

  // ── events and plumbing ─────────────────────────────────────────────────────────────────

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

  private lookup(provider: string): Result<ProviderContext> {
    const auth = this.deps.providers.get(provider);
    const config = this.deps.config.providers.get(provider);
    if (auth === undefined || config === undefined) {
      return err({ code: 'unknown_provider', message: `Unknown provider "${provider}". Known providers: ${this.deps.registry.ids.join(', ')}.` });
    }
    return ok({ auth, config });
  }

  private context(provider: string): ProviderContext {
    const found = this.lookup(provider);
    if (!found.ok) throw new AuthError(found.error);
    return found.value;
  }

  private guard<T>(provider: string, run: (context: ProviderContext) => T): Result<T> {
    const context = this.lookup(provider);
    if (!context.ok) return context;
    try {
      return ok(run(context.value));
    } catch (error) {
      return err(this.report(error, provider));
    }
  }

  private async guardAsync<T>(provider: string, run: (context: ProviderContext) => Promise<T>): Promise<Result<T>> {
    const context = this.lookup(provider);
    if (!context.ok) return context;
    try {
      return ok(await run(context.value));
    } catch (error) {
      return err(this.report(error, provider));
    }
  }

  private report(error: unknown, provider: string): ErrorInfo {
    const info = toErrorInfo(error, provider);
    if (info.code === 'internal') this.deps.logger.error('unexpected failure', { provider, error });
    return info;
  }
}

function checkAccountLabel(label: string): string {
  const trimmed = label.trim();
  if (!ACCOUNT_LABEL_PATTERN.test(trimmed)) {
    throw AuthError.of('invalid_input', 'An account label is 1–64 letters, digits, spaces or . _ @ + - and starts with a letter or digit.');
  }
  return trimmed;
}

function credentialOf(resolved: ResolvedCredential): import('./credentials.js').Credential {
  return resolved.method === 'api_key'
    ? { kind: 'api_key', apiKey: resolved.secret }
    : { kind: 'oauth', accessToken: resolved.secret, tokenType: 'Bearer' };
}

export type { CredentialSource };
