import type { StoredAuthMethod } from '../../src-shared/auth-types.js';
import type { ErrorInfo, Result } from '../../src-shared/errors.js';
import { err, isAvailabilityProblem, isCredentialProblem, ok } from '../../src-shared/errors.js';
import type {
  AccountPageView,
  LoginResultView,
  ModelListView,
  ModelTestView,
  OAuthFlowView,
  ProviderStatusView,
  StatusView,
  StorageProtectionView,
} from '../../src-shared/view-models.js';
import { STATUS_ACCOUNT_LIMIT } from '../../src-shared/view-models.js';
import type { ResolvedConfig } from '../config/config-types.js';
import type { Clock } from './clock.js';
import type { Logger } from '../log/logger.js';
import { parseAccountLabel } from './account-label.js';
import { AuthError, toErrorInfo } from './auth-error.js';
import { LoginOperations } from './logins.js';
import type { AuthService, CoreSettings, Disposer, ResolvedCredential } from './auth-service.js';
import { CoreSettingsStore } from './session/settings.js';
import { QuotaProjectStore, quotaProjectView } from './session/quota-projects.js';
import type { QuotaProjectView } from '../../src-shared/quota-project.js';
import type { CredentialStore } from './store/credential-store.js';
import type { ModelCache } from './store/model-cache.js';
import type { StateStore } from './store/state-store.js';
import type { StorageNoticeStore } from './store/storage-notice-store.js';
import type { Credential } from './credentials.js';
import { CredentialResolver } from './credential-resolver.js';
import { ModelCatalog } from './session/model-catalog.js';
import type { ProviderApi } from './providers/api-types.js';
import { ProviderGuard } from './provider-guard.js';
import type { RedirectMode } from './providers/definition.js';
import type { FlowFinishedEvent, ProviderAuth } from './providers/provider-auth.js';
import type { ProviderAuthRegistry } from './providers/provider-auth-registry.js';
import type { SessionManager } from './session/session-manager.js';
import { accountViewOf, isPlanSignIn, providerStatusOf } from './status-view.js';
import { runModelTest } from './model-test.js';
import { PlanRegistrations } from './oauth/plan-registrations.js';
import type { StreamingApi } from './providers/api-stream.js';
import { PlanNotice } from './session/plan-notice.js';
import { StoreChangeWatcher } from './session/store-change-watcher.js';

/** Everything the coordinator works with; built by the composition root (create-core.ts). */
export interface AuthDeps {
  /** The composed providers: the one lookup, and the only way to a provider's sign-in, refresh, validation and revocation. */
  readonly providers: ProviderAuthRegistry;
  readonly config: ResolvedConfig;
  readonly store: CredentialStore & StateStore & ModelCache & StorageNoticeStore;
  readonly sessions: SessionManager;
  readonly api: ProviderApi;
  /** Streamed generation requests (the model test). */
  readonly stream: StreamingApi;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly protection: StorageProtectionView;
  /** How often a change made by another process is looked for while status listeners exist (default 500 ms). */
  readonly changePollMs?: number;
  /** This process's log file, said in status. */
  readonly logFile?: string;
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
  private readonly guard: ProviderGuard;
  private readonly logins: LoginOperations;
  private readonly resolver: CredentialResolver;
  private readonly catalog: ModelCatalog;
  private readonly settings: CoreSettingsStore;
  private readonly quotaProjects: QuotaProjectStore;
  private readonly planNotice: PlanNotice;
  private readonly registrations: PlanRegistrations;
  private readonly statusListeners = new Set<(status: StatusView) => void>();
  private readonly flowListeners = new Set<(event: FlowFinishedEvent) => void>();
  private readonly disposers: Disposer[] = [];
  private readonly resolving = new Map<string, Promise<Result<ResolvedCredential>>>();
  private statusQueued = false;
  /** Changes made by other processes reach the status listeners too. */
  private readonly watcher: StoreChangeWatcher;
  /** The storage notices pending when the store opened, which `deps.protection.warnings` carries. */
  private readonly noticesAtOpen: ReadonlySet<string>;

  constructor(private readonly deps: AuthDeps) {
    const { providers, store, sessions, logger } = deps;
    this.guard = new ProviderGuard(providers, logger);
    this.logins = new LoginOperations({
      providers,
      guard: this.guard,
      store,
      sessions,
      logger,
      changed: () => this.queueStatus(),
    });
    this.resolver = new CredentialResolver(store, deps.clock);
    this.catalog = new ModelCatalog(store, deps.api, deps.clock);
    this.settings = new CoreSettingsStore(store, deps.config.fallbackOrder);
    this.quotaProjects = new QuotaProjectStore(store);
    this.planNotice = new PlanNotice(store);
    this.registrations = new PlanRegistrations(store);
    this.disposers.push(sessions.onDidChange(() => this.queueStatus()));
    this.watcher = new StoreChangeWatcher(store, () => this.queueStatus(), deps.changePollMs);
    this.noticesAtOpen = new Set(store.storageNotices());
    // Sign-ins end where no call waits for them too (the loopback receiver, a deep link): hear all of them.
    for (const provider of providers.all)
      this.disposers.push(provider.onDidFinishSignIn((event) => this.onFlowFinished(event)));
  }

  async status(): Promise<StatusView> {
    const storageNotices = this.deps.store.storageNotices();
    return {
      activeProvider: this.deps.sessions.activeProvider(),
      providers: this.deps.providers.all.map((auth) => this.statusOf(auth)),
      storage: this.storageView(storageNotices),
      storageNotices,
      configProblems: this.deps.config.problems,
      overrides: this.deps.config.overrides,
      ...(this.deps.logFile !== undefined ? { logFile: this.deps.logFile } : {}),
    };
  }

  /** The protection with the storage notices pending now (one acknowledged anywhere is gone), not those of when it opened. */
  private storageView(notices: readonly string[]): StorageProtectionView {
    const standing = this.deps.protection.warnings.filter((warning) => !this.noticesAtOpen.has(warning));
    return { ...this.deps.protection, warnings: [...notices, ...standing] };
  }

  async acknowledgeStorageNotices(): Promise<StatusView> {
    const count = this.deps.store.acknowledgeStorageNotices();
    if (count > 0) this.deps.logger.info('storage notices acknowledged', { count });
    this.queueStatus();
    return this.status();
  }

  async providerStatus(provider: string): Promise<Result<ProviderStatusView>> {
    return this.guard.guard(provider, (auth) => this.statusOf(auth));
  }

  async listAccounts(input: { provider: string; offset?: number; limit?: number }): Promise<Result<AccountPageView>> {
    return this.guard.guard(input.provider, (auth) => {
      const offset = input.offset ?? 0;
      const limit = input.limit ?? STATUS_ACCOUNT_LIMIT;
      const now = this.deps.clock.now();
      const metas = this.deps.store.list({ provider: auth.id }, { offset, limit });
      return {
        provider: auth.id,
        offset,
        accounts: metas.map((meta) => accountViewOf(meta, now, auth.definition.oauth?.planSignIn !== undefined)),
        total: this.deps.store.count({ provider: auth.id }),
      };
    });
  }

  private statusOf(auth: ProviderAuth): ProviderStatusView {
    const id = auth.id;
    const account = this.deps.sessions.activeAccount(id);
    return providerStatusOf({
      auth,
      active: this.deps.store.list({ provider: id, accountLabel: account }),
      listed: this.deps.store.list({ provider: id }, { offset: 0, limit: STATUS_ACCOUNT_LIMIT }),
      total: this.deps.store.count({ provider: id }),
      account,
      fallbackOrder: this.settings.get().fallbackOrder,
      selectedModel: this.deps.sessions.selectedModel(id),
      outcome: this.deps.sessions.outcome(id),
      now: this.deps.clock.now(),
      planNoticeAcknowledged: this.planNotice.acknowledged(id),
    });
  }

  saveApiKey(input: {
    provider: string;
    apiKey: string;
    account?: string;
    validate?: boolean;
  }): Promise<Result<LoginResultView>> {
    return this.logins.saveApiKey(input);
  }

  startOAuth(input: {
    provider: string;
    account?: string;
    redirectMode?: RedirectMode;
    consent?: boolean;
  }): Promise<Result<OAuthFlowView>> {
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

  logout(input: {
    provider: string;
    account?: string;
    method?: StoredAuthMethod;
  }): Promise<Result<{ removed: number; revoked: boolean; account: string; warning?: string }>> {
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
    return this.guard.guardAsync(input.provider, async (auth) => {
      const resolved = await this.resolveIn(auth, input.account, false);
      try {
        await auth.validateCredentials(credentialOf(resolved));
        this.noteAccepted(auth.id, resolved);
      } catch (error) {
        await this.afterValidationFailure(auth, resolved, toErrorInfo(error, auth.id));
      }
      return this.statusOf(auth);
    });
  }

  noteProviderAnswer(resolved: ResolvedCredential, status: number): void {
    if (status >= 200 && status < 300) {
      this.noteAccepted(resolved.provider, resolved);
      return;
    }
    const auth = this.deps.providers.get(resolved.provider);
    if (status !== 401 || resolved.method !== 'api_key' || auth === undefined) return;
    const info: ErrorInfo = {
      code: 'invalid_credentials',
      message: `${auth.definition.displayName} refused the API key (HTTP 401). Store a working key.`,
      provider: auth.id,
    };
    // A stored key is marked at once (no refresh to try); nothing here waits on the network.
    this.afterValidationFailure(auth, resolved, info).catch((error: unknown) =>
      this.deps.logger.warn('could not record a refused key', { provider: auth.id, error }),
    );
  }

  /** The provider accepted a stored credential: it is no longer `unverified` (written only when it was). */
  private noteAccepted(provider: string, resolved: ResolvedCredential): void {
    if (resolved.source === 'env' || resolved.account === null) return;
    const { store } = this.deps;
    const meta = store.find({ provider, authMethod: resolved.method, accountLabel: resolved.account })?.meta;
    if (meta === undefined || meta.verified) return;
    store.markVerified(meta.id);
    this.queueStatus();
  }

  /** A refused OAuth token gets one forced refresh; a refused stored key is marked invalid. */
  private async afterValidationFailure(
    auth: ProviderAuth,
    resolved: ResolvedCredential,
    info: ErrorInfo,
  ): Promise<void> {
    const { store, sessions } = this.deps;
    if (resolved.method === 'oauth' && (info.code === 'expired_token' || info.code === 'invalid_credentials')) {
      const refreshed = await this.resolveIn(auth, resolved.account ?? undefined, true);
      await auth.validateCredentials(credentialOf(refreshed));
      return;
    }
    if (isCredentialProblem(info.code) && resolved.source !== 'env' && resolved.account !== null) {
      const meta = store.list({ provider: auth.id, authMethod: resolved.method, accountLabel: resolved.account })[0];
      if (meta !== undefined) store.markInvalid(meta.id, info);
    }
    const state = isAvailabilityProblem(info.code) ? 'unavailable' : 'invalid';
    sessions.recordOutcome(auth.id, {
      source: resolved.source,
      method: resolved.method,
      account: resolved.account,
      state,
      lastError: info,
    });
  }

  /**
   * Concurrent calls for the same provider, account and mode share one walk of the chain: a
   * thousand callers waiting on an expired token cost one refresh and one decryption.
   */
  resolve(
    provider: string,
    options: { account?: string; forceRefresh?: boolean } = {},
  ): Promise<Result<ResolvedCredential>> {
    const key = `${provider}\u0000${options.account ?? ''}\u0000${options.forceRefresh === true ? 'force' : ''}`;
    const running = this.resolving.get(key);
    if (running !== undefined) return running;
    const started = this.guard.guardAsync(provider, (auth) =>
      this.resolveIn(auth, options.account, options.forceRefresh ?? false),
    );
    this.resolving.set(key, started);
    // guardAsync never rejects: every failure is a result value.
    void started.then(() => this.resolving.delete(key));
    return started;
  }

  private resolveIn(
    auth: ProviderAuth,
    account: string | undefined,
    forceRefresh: boolean,
  ): Promise<ResolvedCredential> {
    const id = auth.id;
    const request = {
      auth,
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
    if (
      previous?.state === 'valid' &&
      previous.lastError === null &&
      previous.source === resolved.source &&
      previous.account === resolved.account
    )
      return;
    this.deps.sessions.recordOutcome(provider, {
      source: resolved.source,
      method: resolved.method,
      account: resolved.account,
      state: 'valid',
      lastError: null,
    });
  }

  private recordFailure(provider: string, info: ErrorInfo): void {
    const previous = this.deps.sessions.outcome(provider);
    if (previous?.lastError?.code === info.code && previous.lastError.message === info.message) return;
    const state = isAvailabilityProblem(info.code)
      ? 'unavailable'
      : info.code === 'not_authenticated'
        ? 'missing'
        : 'invalid';
    this.deps.sessions.recordOutcome(provider, { source: null, method: null, account: null, state, lastError: info });
  }

  async listModels(input: { provider: string; refresh?: boolean }): Promise<Result<ModelListView>> {
    const found = this.deps.providers.lookup(input.provider);
    if (!found.ok) return found;
    const seen: { credential: ResolvedCredential | null } = { credential: null };
    const listed = await this.catalog.list({
      definition: found.value.definition,
      config: found.value.config,
      cacheKey: this.catalogKey(found.value),
      refresh: input.refresh ?? false,
      selectedModel: this.deps.sessions.selectedModel(input.provider),
      credential: async () => {
        const resolved = await this.resolve(input.provider);
        if (resolved.ok) seen.credential = resolved.value;
        return resolved;
      },
    });
    // A stored key the provider refused (401) is invalid from now on, whichever command found out.
    const refusal = listed.ok ? listed.value.error : listed.error;
    const resolvedKey = seen.credential;
    if (resolvedKey?.method === 'api_key' && refusal?.code === 'invalid_credentials')
      await this.afterValidationFailure(found.value, resolvedKey, refusal);
    // A list the provider just served with this credential means the provider accepted it.
    if (resolvedKey !== null && listed.ok && !listed.value.stale && listed.value.error === null)
      this.noteAccepted(input.provider, resolvedKey);
    return listed;
  }

  /**
   * Where a provider's model list is cached: per provider, except that a plan sign-in has its own
   * catalogue per account (openai-siwc.md §6.1: refetch when the account changes).
   */
  private catalogKey(auth: ProviderAuth): string {
    const account = this.deps.sessions.activeAccount(auth.id);
    const planProvider = auth.definition.oauth?.planSignIn !== undefined;
    const order = this.settings.get().fallbackOrder;
    if (!planProvider || order[0] !== 'oauth') return auth.id;
    const meta = this.deps.store.list({ provider: auth.id, authMethod: 'oauth', accountLabel: account })[0];
    return meta !== undefined && isPlanSignIn(meta, true) && meta.invalidReason === null
      ? `${auth.id}#plan:${account}`
      : auth.id;
  }

  async testModel(input: { provider: string; model?: string; account?: string }): Promise<Result<ModelTestView>> {
    return this.guard.guardAsync(input.provider, async (auth) => {
      const model = input.model ?? this.deps.sessions.selectedModel(auth.id) ?? (await this.firstModel(auth));
      const run = async (forceRefresh: boolean): Promise<ModelTestView> => {
        const credential = await this.resolveIn(auth, input.account, forceRefresh);
        const view = await runModelTest({
          auth,
          credential,
          model,
          stream: this.deps.stream,
          now: () => performance.now(),
        });
        // The model answered: the provider accepted the credential.
        this.noteAccepted(auth.id, credential);
        return view;
      };
      try {
        return await run(false);
      } catch (error) {
        // A refused OAuth access token gets one forced refresh, as everywhere else; a refused key is invalid.
        const info = toErrorInfo(error, auth.id);
        if (info.code !== 'expired_token' && info.code !== 'invalid_credentials') throw error;
        const resolved = await this.resolveIn(auth, input.account, false);
        if (resolved.method !== 'oauth') {
          if (info.code === 'invalid_credentials') await this.afterValidationFailure(auth, resolved, info);
          throw error;
        }
        return run(true);
      }
    });
  }

  /** The model a test uses when none is chosen: the first the provider lists. */
  private async firstModel(auth: ProviderAuth): Promise<string> {
    const listed = await this.listModels({ provider: auth.id });
    const first = listed.ok ? listed.value.models[0]?.id : undefined;
    if (first !== undefined) return first;
    if (!listed.ok) throw new AuthError(listed.error);
    throw AuthError.of(
      'invalid_input',
      `${auth.definition.displayName} lists no model to test. Choose one with --model.`,
      {
        provider: auth.id,
      },
    );
  }

  async acknowledgePlanNotice(provider: string): Promise<Result<ProviderStatusView>> {
    return this.guard.guard(provider, (auth) => {
      this.planNotice.acknowledge(auth.id);
      this.queueStatus();
      return this.statusOf(auth);
    });
  }

  async selectModel(input: { provider: string; model: string }): Promise<Result<ProviderStatusView>> {
    return this.guard.guard(input.provider, (auth) => {
      const cached = this.deps.store.loadModels(this.catalogKey(auth));
      if (cached !== null && !cached.models.some((model) => model.id === input.model)) {
        throw AuthError.of(
          'invalid_input',
          `${auth.definition.displayName} has no model "${input.model.slice(0, 128)}" in its list. Refresh the list or pick one from it.`,
        );
      }
      this.deps.sessions.selectModel(auth.id, input.model);
      return this.statusOf(auth);
    });
  }

  async setActiveProvider(input: { provider: string; account?: string }): Promise<Result<StatusView>> {
    const checked = this.guard.guard(input.provider, (auth) => {
      if (
        input.account !== undefined &&
        this.deps.store.list({ provider: auth.id, accountLabel: input.account }).length === 0
      ) {
        throw AuthError.of(
          'unknown_account',
          `There is no ${auth.definition.displayName} account "${input.account.slice(0, 64)}".`,
        );
      }
      this.deps.sessions.setActiveProvider(auth.id, input.account);
      return true;
    });
    return checked.ok ? ok(await this.status()) : checked;
  }

  async renameAccount(input: { provider: string; from: string; to: string }): Promise<Result<ProviderStatusView>> {
    return this.guard.guard(input.provider, (auth) => {
      const to = parseAccountLabel(input.to, auth.id);
      const wasActive = this.deps.sessions.activeAccount(auth.id) === input.from;
      if (this.deps.store.renameAccount(auth.id, input.from, to) === 0) {
        throw AuthError.of(
          'unknown_account',
          `There is no ${auth.definition.displayName} account "${input.from.slice(0, 64)}".`,
        );
      }
      if (wasActive) this.deps.sessions.setActiveAccount(auth.id, to);
      // A plan sign-in's registration belongs to the account, whatever it is called.
      if (auth.definition.oauth?.planSignIn !== undefined) this.registrations.rename(auth.id, input.from, to);
      this.queueStatus();
      return this.statusOf(auth);
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

  getQuotaProject(provider: string): Result<QuotaProjectView> {
    const found = this.takesQuotaProject(provider);
    return found.ok ? ok(quotaProjectView(found.value, this.quotaProjects.get(found.value.id))) : found;
  }

  setQuotaProject(input: { provider: string; quotaProject: string | null }): Result<QuotaProjectView> {
    const found = this.takesQuotaProject(input.provider);
    if (!found.ok) return found;
    this.quotaProjects.set(found.value.id, input.quotaProject);
    this.queueStatus();
    return this.getQuotaProject(found.value.id);
  }

  private takesQuotaProject(provider: string): Result<ProviderAuth> {
    const found = this.deps.providers.lookup(provider);
    if (!found.ok || found.value.definition.quotaProject !== undefined) return found;
    return err({
      code: 'invalid_input',
      message: `${found.value.definition.displayName} takes no quota project.`,
      provider: found.value.id,
    });
  }

  onDidChangeStatus(listener: (status: StatusView) => void): Disposer {
    this.statusListeners.add(listener);
    this.watcher.start();
    return () => {
      this.statusListeners.delete(listener);
      if (this.statusListeners.size === 0) this.watcher.stop();
    };
  }

  /** Coalesces bursts of changes into one status event. */
  private queueStatus(): void {
    if (this.statusQueued || this.statusListeners.size === 0) return;
    this.statusQueued = true;
    queueMicrotask(() => {
      this.statusQueued = false;
      this.watcher.markSeen();
      void this.status().then((status) => {
        for (const listener of [...this.statusListeners]) listener(status);
      });
    });
  }

  /** Stops listening. The shared OAuth machinery (pending sign-ins, loopback receivers) belongs to the composition root, which disposes it next. */
  async dispose(): Promise<void> {
    for (const dispose of this.disposers.splice(0).reverse()) dispose();
    this.watcher.stop();
    this.statusListeners.clear();
    this.flowListeners.clear();
  }
}
