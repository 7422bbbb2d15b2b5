/**
 * The one stand-in for the AuthService, for the unit tests of what sits on top of the core: the
 * IPC handlers (which check that a refused payload reached nothing) and the Electron shell (which
 * checks what it hands the core: deep links, tray clicks, subscriptions). It records every call,
 * answers with fixed view models built from `current`, and lets a test play the core's events.
 * Where a test needs another answer, it passes `overrides`. The end-to-end, smoke and canary
 * tests use the real core instead.
 */
import type { Result } from '../../src-shared/errors.js';
import type { ProviderStatusView, StatusView } from '../../src-shared/view-models.js';
import type { AuthService, CoreSettings } from '../../src-main/core/auth-service.js';
import type { FlowFinishedEvent } from '../../src-main/core/oauth/oauth-types.js';

/** A provider's view as the core would show it before any sign-in. */
export function providerView(id: string, overrides: Partial<ProviderStatusView> = {}): ProviderStatusView {
  return {
    id,
    displayName: id.charAt(0).toUpperCase() + id.slice(1),
    availableMethods: ['api_key'],
    unavailableMethods: [{ method: 'oauth', reason: 'Set ANTHROPIC_OAUTH_CLIENT_ID to sign in with the browser.' }],
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
    consoleUrl: `https://console.${id}.example/keys`,
    ...overrides,
  };
}

/** The three built-in providers, none active, credentials in the system keychain. */
export function statusView(overrides: Partial<StatusView> = {}): StatusView {
  return {
    activeProvider: null,
    providers: [providerView('anthropic'), providerView('google'), providerView('openai')],
    storage: { level: 'os_keychain', persistent: true, description: 'the system keychain', warnings: [] },
    storageNotices: [],
    configProblems: [],
    overrides: [],
    ...overrides,
  };
}

/** One call the double answered itself (calls to `overrides` and subscriptions are not recorded). */
export interface AuthServiceCall {
  readonly method: keyof AuthService;
  readonly args: readonly unknown[];
}

// Function-valued members, so a test may pass them around detached from the double.
export interface AuthServiceDouble extends AuthService {
  /** Every call, in order. */
  readonly calls: readonly AuthServiceCall[];
  /** The first argument of each call to `method`, in order (the deep links handled, the providers activated …). */
  readonly argsOf: (method: keyof AuthService) => unknown[];
  /** The status the core is in: what `status()` answers and `setActiveProvider` builds on. */
  current: StatusView;
  /** Status and flow listeners subscribed now. */
  readonly listenerCount: number;
  /** Plays a status change in the core: `current` becomes `status`, and every listener hears it. */
  readonly emitStatus: (status: StatusView) => void;
  /** Plays a finished sign-in flow in the core. */
  readonly emitFlow: (event: FlowFinishedEvent) => void;
}

const LOGIN = {
  provider: 'anthropic',
  account: 'default',
  method: 'api_key',
  validated: true,
  maskedKey: '…abcd',
  identity: null,
  expiresAt: null,
} as const;

/** Builds the double; `overrides` replace single methods (e.g. to return an error or throw). */
export function createAuthServiceDouble(overrides: Partial<AuthService> = {}): AuthServiceDouble {
  const calls: AuthServiceCall[] = [];
  const statusListeners = new Set<(status: StatusView) => void>();
  const flowListeners = new Set<(event: FlowFinishedEvent) => void>();
  let current = statusView();
  let settings: CoreSettings = { fallbackOrder: ['oauth', 'api_key', 'env'] };
  const record = <T>(method: keyof AuthService, args: readonly unknown[], value: T): T => {
    calls.push({ method, args });
    return value;
  };
  const okProvider = (provider: string): Promise<Result<ProviderStatusView>> =>
    Promise.resolve({ ok: true, value: providerView(provider) });
  const base: AuthService = {
    status: async () => record('status', [], current),
    providerStatus: (provider) => record('providerStatus', [provider], okProvider(provider)),
    saveApiKey: async (input) =>
      record('saveApiKey', [input], { ok: true, value: { ...LOGIN, provider: input.provider } }),
    startOAuth: async (input) =>
      record('startOAuth', [input], {
        ok: true,
        value: {
          flowId: 'flow-1',
          provider: input.provider,
          account: input.account ?? 'default',
          authorizationUrl: 'https://auth.example/authorize?state=s',
          redirectMode: 'loopback',
          acceptsPaste: true,
          expiresAt: '2026-11-24T12:10:00.000Z',
        },
      }),
    submitPastedCode: async (input) =>
      record('submitPastedCode', [input], { ok: true, value: { ...LOGIN, method: 'oauth' } }),
    waitForOAuth: async (flowId) =>
      record('waitForOAuth', [flowId], { ok: true, value: { ...LOGIN, method: 'oauth' } }),
    cancelOAuth: (flowId) => record('cancelOAuth', [flowId], { ok: true, value: true }),
    handleDeepLink: async (url) => record('handleDeepLink', [url], { ok: true, value: { ...LOGIN, method: 'oauth' } }),
    logout: async (input) =>
      record('logout', [input], { ok: true, value: { removed: 1, revoked: false, account: 'default' } }),
    validate: (input) => record('validate', [input], okProvider(input.provider)),
    noteProviderAnswer: (resolved, status) => record('noteProviderAnswer', [resolved.provider, status], undefined),
    resolve: async (provider) =>
      record('resolve', [provider], { ok: false, error: { code: 'not_authenticated', message: 'Not signed in.' } }),
    listModels: async (input) =>
      record('listModels', [input], {
        ok: true,
        value: {
          provider: input.provider,
          models: [{ id: 'm-1', displayName: 'Model One', contextWindow: 200_000 }],
          fetchedAt: null,
          stale: false,
          selectedModel: null,
          error: null,
        },
      }),
    selectModel: (input) => record('selectModel', [input], okProvider(input.provider)),
    testModel: async (input) =>
      record('testModel', [input], {
        ok: true,
        value: {
          provider: input.provider,
          model: input.model ?? 'm-1',
          source: 'api_key',
          method: 'api_key',
          account: 'default',
          plan: null,
          reply: 'Hello there!',
          firstTokenMs: 120,
          totalMs: 340,
        },
      }),
    acknowledgePlanNotice: (provider) => record('acknowledgePlanNotice', [provider], okProvider(provider)),
    acknowledgeStorageNotices: async () => record('acknowledgeStorageNotices', [], { ...current, storageNotices: [] }),
    setActiveProvider: async (input) =>
      record('setActiveProvider', [input], { ok: true, value: { ...current, activeProvider: input.provider } }),
    renameAccount: (input) => record('renameAccount', [input], okProvider(input.provider)),
    listAccounts: async (input) =>
      record('listAccounts', [input], {
        ok: true,
        value: { provider: input.provider, offset: input.offset ?? 0, accounts: [], total: 0 },
      }),
    getSettings: () => record('getSettings', [], settings),
    updateSettings: (patch) => {
      settings = { ...settings, ...patch };
      return record('updateSettings', [patch], { ok: true, value: settings });
    },
    getQuotaProject: (provider) =>
      record('getQuotaProject', [provider], {
        ok: true,
        value: { provider, quotaProject: null, source: null, envVar: 'GOOGLE_CLOUD_QUOTA_PROJECT' },
      }),
    setQuotaProject: (input) =>
      record('setQuotaProject', [input], {
        ok: true,
        value: {
          provider: input.provider,
          quotaProject: input.quotaProject,
          source: input.quotaProject === null ? null : 'window',
          envVar: 'GOOGLE_CLOUD_QUOTA_PROJECT',
        },
      }),
    onDidChangeStatus: (listener) => {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    onDidFinishFlow: (listener) => {
      flowListeners.add(listener);
      return () => flowListeners.delete(listener);
    },
    dispose: async () => undefined,
  };
  return {
    ...base,
    ...overrides,
    calls,
    argsOf: (method) => calls.filter((call) => call.method === method).map((call) => call.args[0]),
    get current() {
      return current;
    },
    set current(status) {
      current = status;
    },
    get listenerCount() {
      return statusListeners.size + flowListeners.size;
    },
    // Copies: a listener may unsubscribe while it is told.
    emitStatus: (status) => {
      current = status;
      for (const listener of [...statusListeners]) listener(status);
    },
    emitFlow: (event) => {
      for (const listener of [...flowListeners]) listener(event);
    },
  };
}
