/**
 * A recording AuthService for the shell's unit tests, which check wiring (what Electron is told,
 * what reaches the core), not the core itself — the smoke test runs the real core.
 */
import type { Result } from '../../../../src-shared/errors.js';
import type { AccountPageView, LoginResultView, ProviderStatusView, StatusView } from '../../../../src-shared/view-models.js';
import type { AuthService, CoreSettings } from '../../../../src-main/core/auth-service.js';
import type { FlowFinishedEvent } from '../../../../src-main/core/oauth/oauth-types.js';

export function providerView(overrides: Partial<ProviderStatusView> & { readonly id: string }): ProviderStatusView {
  return {
    displayName: overrides.id.charAt(0).toUpperCase() + overrides.id.slice(1),
    availableMethods: ['api_key'],
    unavailableMethods: [],
    activeMethod: null,
    source: null,
    state: 'missing',
    account: null,
    accounts: [],
    accountTotal: 0,
    maskedKey: null,
    expiresAt: null,
    selectedModel: null,
    lastError: null,
    consoleUrl: `https://console.${overrides.id}.example/keys`,
    ...overrides,
  };
}

export function statusView(overrides: Partial<StatusView> = {}): StatusView {
  return {
    activeProvider: null,
    providers: [providerView({ id: 'anthropic' }), providerView({ id: 'google' }), providerView({ id: 'openai' })],
    storage: { level: 'os_keychain', persistent: true, description: 'the system keychain', warnings: [] },
    configProblems: [],
    ...overrides,
  };
}

const notUsed = <T>(): Promise<Result<T>> => Promise.resolve({ ok: false, error: { code: 'internal', message: 'not used in this test' } });

export class FakeAuthService implements AuthService {
  current: StatusView = statusView();
  readonly deepLinks: string[] = [];
  readonly activations: { provider: string; account?: string }[] = [];
  disposed = 0;
  private readonly statusListeners = new Set<(status: StatusView) => void>();
  private readonly flowListeners = new Set<(event: FlowFinishedEvent) => void>();

  status(): Promise<StatusView> {
    return Promise.resolve(this.current);
  }
  /** Plays a status change in the core. */
  changeStatus(next: StatusView): void {
    this.current = next;
    for (const listener of [...this.statusListeners]) listener(next);
  }
  finishFlow(event: FlowFinishedEvent): void {
    for (const listener of [...this.flowListeners]) listener(event);
  }
  get listenerCount(): number {
    return this.statusListeners.size + this.flowListeners.size;
  }
  providerStatus = (): Promise<Result<ProviderStatusView>> => notUsed();
  saveApiKey = (): Promise<Result<LoginResultView>> => notUsed();
  startOAuth: AuthService['startOAuth'] = () => notUsed();
  submitPastedCode = (): Promise<Result<LoginResultView>> => notUsed();
  waitForOAuth = (): Promise<Result<LoginResultView>> => notUsed();
  cancelOAuth = (): Result<boolean> => ({ ok: true, value: false });
  handleDeepLink(url: string): Promise<Result<LoginResultView>> {
    this.deepLinks.push(url);
    return notUsed();
  }
  logout: AuthService['logout'] = () => notUsed();
  validate = (): Promise<Result<ProviderStatusView>> => notUsed();
  resolve: AuthService['resolve'] = () => notUsed();
  listModels: AuthService['listModels'] = () => notUsed();
  selectModel = (): Promise<Result<ProviderStatusView>> => notUsed();
  setActiveProvider(input: { readonly provider: string; readonly account?: string }): Promise<Result<StatusView>> {
    this.activations.push({ ...input });
    return Promise.resolve({ ok: true, value: { ...this.current, activeProvider: input.provider } });
  }
  renameAccount = (): Promise<Result<ProviderStatusView>> => notUsed();
  listAccounts = (): Promise<Result<AccountPageView>> => notUsed();
  getSettings(): CoreSettings {
    return { fallbackOrder: ['oauth', 'api_key', 'env'] };
  }
  updateSettings(patch: Partial<CoreSettings>): Result<CoreSettings> {
    return { ok: true, value: { ...this.getSettings(), ...patch } };
  }
  onDidChangeStatus(listener: (status: StatusView) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
  onDidFinishFlow(listener: (event: FlowFinishedEvent) => void): () => void {
    this.flowListeners.add(listener);
    return () => this.flowListeners.delete(listener);
  }
  dispose(): Promise<void> {
    this.disposed += 1;
    return Promise.resolve();
  }
}
