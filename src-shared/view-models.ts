/**
 * What the window, the tray and `the-maestro status --json` see. Never a secret: keys appear only
 * as a masked tail (`…3f9a`), tokens not at all.
 */
import type { AuthMethod, CredentialSource, CredentialState, ModelInfo, StoredAuthMethod } from './auth-types.js';
import type { ErrorInfo } from './errors.js';
import type { PlanSignInView } from './plan.js';

export interface UnavailableMethod {
  readonly method: AuthMethod;
  /** Why it is not available now, and what to do about it, in one sentence. */
  readonly reason: string;
}

/** One stored credential (an account's OAuth sign-in or API key), as metadata only. */
export interface AccountView {
  readonly credentialId: string;
  readonly provider: string;
  readonly account: string;
  readonly method: StoredAuthMethod;
  readonly state: CredentialState;
  readonly maskedKey: string | null;
  /** Identity the provider told us (email or account id), when it did. */
  readonly identity: string | null;
  readonly expiresAt: string | null;
  readonly updatedAt: string;
  readonly lastError: ErrorInfo | null;
  /** True for a sign-in that spends the person's plan (a ChatGPT plan sign-in); absent otherwise. */
  readonly plan?: boolean;
}

export interface ProviderStatusView {
  readonly id: string;
  readonly displayName: string;
  readonly availableMethods: readonly AuthMethod[];
  readonly unavailableMethods: readonly UnavailableMethod[];
  /** The method the resolved credential uses (`api_key` for both stored and environment keys). */
  readonly activeMethod: StoredAuthMethod | null;
  readonly source: CredentialSource | null;
  readonly state: CredentialState;
  /** The account in use (its label). */
  readonly account: string | null;
  /**
   * The first `STATUS_ACCOUNT_LIMIT` stored credentials in listing order (account, then method),
   * plus the account in use when it is further down; `accountTotal` says how many there are.
   * The rest are read a page at a time (`accounts.list`).
   */
  readonly accounts: readonly AccountView[];
  readonly accountTotal: number;
  readonly maskedKey: string | null;
  readonly expiresAt: string | null;
  readonly selectedModel: string | null;
  readonly lastError: ErrorInfo | null;
  /** Where a person gets an API key for this provider. */
  readonly consoleUrl: string;
  /** Present when the provider's OAuth is a plan sign-in ("Continue with ChatGPT"). */
  readonly planSignIn?: PlanSignInView;
}

/** How many stored credentials a provider's status carries; a person with more pages through them. */
export const STATUS_ACCOUNT_LIMIT = 50;

/** One page of a provider's stored credentials, in listing order. */
export interface AccountPageView {
  readonly provider: string;
  readonly offset: number;
  readonly accounts: readonly AccountView[];
  readonly total: number;
}

/** A setting that sends a provider's credentials somewhere other than its defaults, and where it was set. */
export interface EndpointOverrideView {
  /** The provider concerned; null for a switch that concerns every provider. */
  readonly provider: string | null;
  /** e.g. "API base URL", "OAuth issuer". */
  readonly setting: string;
  /** The server (origin and path only), or "allowed" for a switch. */
  readonly value: string;
  /** The environment variable or config-file field it came from. */
  readonly source: string;
}

export interface StatusView {
  readonly activeProvider: string | null;
  readonly providers: readonly ProviderStatusView[];
  /** What protects stored credentials on this machine, in words. */
  readonly storage: StorageProtectionView;
  /**
   * What happened to the stored data (a damaged database moved aside), repeated by the window and
   * every command until the person acknowledges it; also among `storage.warnings`.
   */
  readonly storageNotices: readonly string[];
  /** Problems found in the configuration file: the app still runs, these providers use defaults. */
  readonly configProblems: readonly ErrorInfo[];
  /** Every endpoint override in effect, so none redirects credentials unseen. */
  readonly overrides: readonly EndpointOverrideView[];
  /** The log file of the process that answered (the app or `the-maestro agent`), when it keeps one. */
  readonly logFile?: string;
}

export type ProtectionLevel = 'os_keychain' | 'key_file' | 'env_key' | 'memory_only' | 'weak';

export interface StorageProtectionView {
  readonly level: ProtectionLevel;
  /** True when credentials are written to disk (sealed); false when they live in memory only. */
  readonly persistent: boolean;
  readonly description: string;
  /** Something the person should know (e.g. a database moved aside after corruption). */
  readonly warnings: readonly string[];
}

export interface ModelListView {
  readonly provider: string;
  readonly models: readonly ModelInfo[];
  readonly fetchedAt: string | null;
  /** True when served from cache because the provider could not be asked. */
  readonly stale: boolean;
  readonly selectedModel: string | null;
  readonly error: ErrorInfo | null;
}

/** What a successful login reports. */
export interface LoginResultView {
  readonly provider: string;
  readonly account: string;
  readonly method: StoredAuthMethod;
  readonly validated: boolean;
  readonly maskedKey: string | null;
  readonly identity: string | null;
  readonly expiresAt: string | null;
  /** For a plan sign-in: whether the tokens may spend the plan (`not_enabled`: kept, but unusable until enabled). */
  readonly plan?: 'enabled' | 'not_enabled';
}

/** What `the-maestro test` and the window's "Test this model" report: one streamed request, answered. */
export interface ModelTestView {
  readonly provider: string;
  readonly model: string;
  /** Which credential answered: its source, method and account (null for an environment key). */
  readonly source: CredentialSource;
  readonly method: StoredAuthMethod;
  readonly account: string | null;
  /** The plan the credential spends ("ChatGPT plan"), when it does. */
  readonly plan: string | null;
  /** The first words of the reply. */
  readonly reply: string;
  /** Milliseconds from sending the request to the first token of the reply. */
  readonly firstTokenMs: number;
  /** Milliseconds until the provider said the reply was complete. */
  readonly totalMs: number;
}

/** An OAuth flow that has started and waits for the browser to come back. */
export interface OAuthFlowView {
  readonly flowId: string;
  readonly provider: string;
  readonly account: string;
  readonly authorizationUrl: string;
  readonly redirectMode: 'loopback' | 'deep_link' | 'paste';
  /** Whether a pasted code or redirect URL is accepted for this flow (always true today). */
  readonly acceptsPaste: boolean;
  readonly expiresAt: string;
}
