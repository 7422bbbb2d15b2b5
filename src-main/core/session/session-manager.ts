import * as z from 'zod/mini';
import type { CredentialSource, CredentialState, StoredAuthMethod } from '../../../src-shared/auth-types.js';
import { DEFAULT_ACCOUNT } from '../../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../../src-shared/errors.js';
import type { Clock } from '../clock.js';
import type { CredentialStore } from '../store/credential-store.js';
import type { StateStore } from '../store/state-store.js';
import { DerivedCache } from './derived-cache.js';
import type { ProviderRegistry } from '../providers/registry.js';

/** What the session reads and writes: its state record, and which accounts have credentials (metadata only). */
export type SessionStore = StateStore & Pick<CredentialStore, 'hasAccount' | 'newestAccount'>;

const SESSION_KEY = 'session';

const persistedSessionSchema = z.object({
  activeProvider: z.nullable(z.string()),
  providers: z.record(
    z.string(),
    z.object({ activeAccount: z.optional(z.string()), selectedModel: z.optional(z.string()) }),
  ),
});
type PersistedSession = z.infer<typeof persistedSessionSchema>;

/** The stored session, or an empty one when there is none or it is damaged (it holds no secret). */
function parseSession(value: unknown): PersistedSession {
  const parsed = persistedSessionSchema.safeParse(value);
  return parsed.success ? parsed.data : { activeProvider: null, providers: {} };
}

/** What happened the last time a provider's credential was used, validated or resolved (in memory). */
export interface ProviderOutcome {
  readonly source: CredentialSource | null;
  readonly method: StoredAuthMethod | null;
  readonly account: string | null;
  readonly state: CredentialState;
  readonly lastError: ErrorInfo | null;
  readonly at: number;
}

export type SessionChange =
  | { readonly kind: 'active-provider'; readonly provider: string | null }
  | { readonly kind: 'account'; readonly provider: string; readonly account: string }
  | { readonly kind: 'model'; readonly provider: string; readonly model: string }
  | { readonly kind: 'outcome'; readonly provider: string };

/**
 * The multi-provider session: which provider is active, which account and model each provider
 * uses (persisted in the store, so the CLI and the app agree), and the latest outcome per
 * provider (in memory). Emits a change event whenever any of it changes.
 */
export class SessionManager {
  private readonly outcomes = new Map<string, ProviderOutcome>();
  private readonly listeners = new Set<(change: SessionChange) => void>();
  private readonly cache: DerivedCache;

  constructor(
    private readonly store: SessionStore,
    private readonly registry: ProviderRegistry,
    private readonly clock: Clock,
  ) {
    this.cache = new DerivedCache(store);
  }

  private read(): PersistedSession {
    return this.cache.get(SESSION_KEY, () => parseSession(this.store.getState(SESSION_KEY)));
  }

  /** Changes the persisted session atomically: another process's change to it is never lost. */
  private update(mutate: (session: PersistedSession) => void): void {
    this.store.updateState(SESSION_KEY, (current) => {
      const session = parseSession(current);
      mutate(session);
      return session;
    });
  }

  /** The active provider: as chosen, else the first provider with a stored credential, else null. */
  activeProvider(): string | null {
    return this.cache.get('active-provider', () => {
      const chosen = this.read().activeProvider;
      if (chosen !== null && this.registry.has(chosen)) return chosen;
      return this.registry.ids.find((id) => this.store.hasAccount(id)) ?? null;
    });
  }

  setActiveProvider(provider: string, account?: string): void {
    this.update((session) => {
      session.activeProvider = provider;
      if (account !== undefined)
        session.providers[provider] = { ...session.providers[provider], activeAccount: account };
    });
    this.emit({ kind: 'active-provider', provider });
    if (account !== undefined) this.emit({ kind: 'account', provider, account });
  }

  /** The account a provider uses: as chosen if it still exists, else the default, else the most recent. */
  activeAccount(provider: string): string {
    return this.cache.get(`account:${provider}`, () => this.findActiveAccount(provider));
  }

  private findActiveAccount(provider: string): string {
    const chosen = this.read().providers[provider]?.activeAccount;
    const newest = this.store.newestAccount(provider);
    if (newest === null) return chosen ?? DEFAULT_ACCOUNT;
    if (chosen !== undefined && this.store.hasAccount(provider, chosen)) return chosen;
    return this.store.hasAccount(provider, DEFAULT_ACCOUNT) ? DEFAULT_ACCOUNT : newest;
  }

  setActiveAccount(provider: string, account: string): void {
    this.update((session) => {
      session.providers[provider] = { ...session.providers[provider], activeAccount: account };
    });
    this.emit({ kind: 'account', provider, account });
  }

  selectedModel(provider: string): string | null {
    return this.read().providers[provider]?.selectedModel ?? null;
  }

  selectModel(provider: string, model: string): void {
    this.update((session) => {
      session.providers[provider] = { ...session.providers[provider], selectedModel: model };
    });
    this.emit({ kind: 'model', provider, model });
  }

  outcome(provider: string): ProviderOutcome | null {
    return this.outcomes.get(provider) ?? null;
  }

  recordOutcome(provider: string, outcome: Omit<ProviderOutcome, 'at'>): void {
    this.outcomes.set(provider, { ...outcome, at: this.clock.now() });
    this.emit({ kind: 'outcome', provider });
  }

  clearOutcome(provider: string): void {
    if (this.outcomes.delete(provider)) this.emit({ kind: 'outcome', provider });
  }

  onDidChange(listener: (change: SessionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: SessionChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}
