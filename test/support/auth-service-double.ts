/**
 * A small stand-in for the AuthService, for the handler unit tests only: it records every call
 * (so a test can prove an invalid payload reached nothing) and answers with fixed view models.
 * The end-to-end and canary tests use the real core instead.
 */
import type { Result } from '../../src-shared/errors.js';
import type { ProviderStatusView, StatusView } from '../../src-shared/view-models.js';
import type { AuthService, CoreSettings } from '../../src-main/core/auth-service.js';
import type { FlowFinishedEvent } from '../../src-main/core/oauth/oauth-types.js';

export function providerView(id: string, overrides: Partial<ProviderStatusView> = {}): ProviderStatusView {
  return {
    id,
    displayName: id[0]?.toUpperCase() + id.slice(1),
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
    consoleUrl: `https://console.example/${id}`,
    ...overrides,
  };
}

export function statusView(): StatusView {
  return {
    activeProvider: null,
    providers: [providerView('anthropic'), providerView('google'), providerView('openai')],
    storage: { level: 'key_file', persistent: true, description: 'Key file (0600)', warnings: [] },
    configProblems: [],
  };
}

export interface AuthServiceDouble extends AuthService {
  readonly calls: { readonly method: string; readonly args: readonly unknown[] }[];
  emitStatus(status: StatusView): void;
  emitFlow(event: FlowFinishedEvent): void;
}

const LOGIN = { provider: 'anthropic', account: 'default', method: 'api_key', validated: true, maskedKey: '…abcd', identity: null, expiresAt: null } as const;

/** Builds the double; `overrides` replace single methods (e.g. to return an error). */
export function createAuthServiceDouble(overrides: Partial<AuthService> = {}): AuthServiceDouble {
  const calls: { method: string; args: readonly unknown[] }[] = [];
  const statusListeners = new Set<(status: StatusView) => void>();
  const flowListeners = new Set<(event: FlowFinishedEvent) => void>();
  let settings: CoreSettings = { fallbackOrder: ['oauth', 'api_key', 'env'] };
  const record = <T>(method: string, args: readonly unknown[], value: T): T => {
    calls.push({ method, args });
    return value;
  };
  const okProvider = (provider: string): Promise<Result<ProviderStatusView>> => Promise.resolve({ ok: true, value: providerView(provider) });
  const base: AuthService = {
    status: async () => record('status', [], statusView()),
    providerStatus: (provider) => record('providerStatus', [provider], okProvider(provider)),
    saveApiKey: async (input) => record('saveApiKey', [input], { ok: true, value: { ...LOGIN, provider: input.provider } }),
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
    submitPastedCode: async (input) => record('submitPastedCode', [input], { ok: true, value: { ...LOGIN, method: 'oauth' } }),
    waitForOAuth: async (flowId) => record('waitForOAuth', [flowId], { ok: true, value: { ...LOGIN, method: 'oauth' } }),
    cancelOAuth: (flowId) => record('cancelOAuth', [flowId], { ok: true, value: true }),
    handleDeepLink: async (url) => record('handleDeepLink', [url], { ok: true, value: { ...LOGIN, method: 'oauth' } }),
    logout: async (input) => record('logout', [input], { ok: true, value: { removed: 1, revoked: false } }),
    validate: (input) => record('validate', [input], okProvider(input.provider)),
    resolve: async (provider) => record('resolve', [provider], { ok: false, error: { code: 'not_authenticated', message: 'Not signed in.' } }),
    listModels: async (input) =>
      record('listModels', [input], {
        ok: true,
        value: { provider: input.provider, models: [{ id: 'm-1', displayName: 'Model One', contextWindow: 200_000 }], fetchedAt: null, stale: false, selectedModel: null, error: null },
      }),
    selectModel: (input) => record('selectModel', [input], okProvider(input.provider)),
    setActiveProvider: async (input) => record('setActiveProvider', [input], { ok: true, value: { ...statusView(), activeProvider: input.provider } }),
    renameAccount: (input) => record('renameAccount', [input], okProvider(input.provider)),
    listAccounts: async (input) => record('listAccounts', [input], { ok: true, value: { provider: input.provider, offset: input.offset ?? 0, accounts: [], total: 0 } }),
    getSettings: () => record('getSettings', [], settings),
    updateSettings: (patch) => {
      settings = { ...settings, ...patch };
      return record('updateSettings', [patch], { ok: true, value: settings });
    },
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
    emitStatus: (status) => statusListeners.forEach((listener) => listener(status)),
    emitFlow: (event) => flowListeners.forEach((listener) => listener(event)),
  };
}
