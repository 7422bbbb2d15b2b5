import type { CredentialSource, StoredAuthMethod } from '../../src-shared/auth-types.js';
import type { Result } from '../../src-shared/errors.js';
import type {
  AccountPageView,
  LoginResultView,
  ModelListView,
  ModelTestView,
  OAuthFlowView,
  ProviderStatusView,
  StatusView,
} from '../../src-shared/view-models.js';
import type { RedirectMode } from './providers/definition.js';
import type { FlowFinishedEvent } from './providers/provider-auth.js';
import type { CoreSettings } from './session/settings.js';
import type { QuotaProjectView } from '../../src-shared/quota-project.js';

/** A working credential for calling a provider, with where it came from. Main process only. */
export interface ResolvedCredential {
  readonly provider: string;
  readonly source: CredentialSource;
  readonly method: StoredAuthMethod;
  readonly account: string | null;
  /** Ready-to-send HTTP headers (x-api-key / Authorization / anthropic-beta …). */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw secret, for `the-maestro token`. */
  readonly secret: string;
  readonly expiresAt: number | null;
  readonly apiBaseUrl: string;
  /**
   * The plan this credential spends ("ChatGPT plan") for a plan sign-in, else null. Before handing
   * such a credential to anything, ask plan-credentials.ts where it may go.
   */
  readonly plan: string | null;
}

export type { CoreSettings } from './session/settings.js';

export type Disposer = () => void;

/**
 * The unified interface (the story's `TheMaestro.Providers.Auth`), as used by the command line,
 * the IPC handlers and the tray. Every method returns a result value; none throws for a
 * person's mistake or a provider's failure.
 */
export interface AuthService {
  status(): Promise<StatusView>;
  providerStatus(provider: string): Promise<Result<ProviderStatusView>>;

  saveApiKey(input: {
    readonly provider: string;
    readonly apiKey: string;
    readonly account?: string;
    /** Default true: validate live first; false stores unvalidated (the person chose to). */
    readonly validate?: boolean;
  }): Promise<Result<LoginResultView>>;

  startOAuth(input: {
    readonly provider: string;
    readonly account?: string;
    readonly redirectMode?: RedirectMode;
    /** Ask the provider for consent again: how a person (re-)enables plan usage. */
    readonly consent?: boolean;
  }): Promise<Result<OAuthFlowView>>;
  submitPastedCode(input: { readonly flowId: string; readonly pasted: string }): Promise<Result<LoginResultView>>;
  waitForOAuth(flowId: string): Promise<Result<LoginResultView>>;
  cancelOAuth(flowId: string): Result<boolean>;
  handleDeepLink(url: string): Promise<Result<LoginResultView>>;

  /** Revokes what this install owns (best effort) and deletes locally whatever the answer. */
  logout(input: {
    readonly provider: string;
    readonly account?: string;
    readonly method?: StoredAuthMethod;
  }): Promise<
    Result<{ readonly removed: number; readonly revoked: boolean; readonly account: string; readonly warning?: string }>
  >;
  /** Asks the provider whether the credential in use works now; updates the state shown. */
  validate(input: { readonly provider: string; readonly account?: string }): Promise<Result<ProviderStatusView>>;
  /** Walks the fallback chain (OAuth → stored API key → environment), refreshing when due. */
  resolve(
    provider: string,
    options?: { readonly account?: string; readonly forceRefresh?: boolean },
  ): Promise<Result<ResolvedCredential>>;

  /**
   * What a provider answered to a request another part of the program made with `resolved` (the
   * gateway): 2xx means it accepted the credential (no longer `unverified`); a 401 to a stored API
   * key marks it invalid, as a 401 to any command does.
   */
  noteProviderAnswer(resolved: ResolvedCredential, status: number): void;

  listModels(input: { readonly provider: string; readonly refresh?: boolean }): Promise<Result<ModelListView>>;
  selectModel(input: { readonly provider: string; readonly model: string }): Promise<Result<ProviderStatusView>>;
  /**
   * "Test this model": one minimal streamed request to the provider's generation API with the
   * credential in use (or the account's), read until the provider says the reply is complete.
   * The model defaults to the selected one, else the first listed.
   */
  testModel(input: {
    readonly provider: string;
    readonly model?: string;
    readonly account?: string;
  }): Promise<Result<ModelTestView>>;
  /** The person has seen the one-time "You're using your ChatGPT plan" notice. */
  acknowledgePlanNotice(provider: string): Promise<Result<ProviderStatusView>>;
  /** The person has read the storage notices (a damaged database moved aside): no process repeats them. */
  acknowledgeStorageNotices(): Promise<StatusView>;
  setActiveProvider(input: { readonly provider: string; readonly account?: string }): Promise<Result<StatusView>>;
  renameAccount(input: {
    readonly provider: string;
    readonly from: string;
    readonly to: string;
  }): Promise<Result<ProviderStatusView>>;
  /** A page of the provider's stored credentials in listing order (status carries only the first). */
  listAccounts(input: {
    readonly provider: string;
    readonly offset?: number;
    readonly limit?: number;
  }): Promise<Result<AccountPageView>>;

  getSettings(): CoreSettings;
  updateSettings(patch: Partial<CoreSettings>): Result<CoreSettings>;
  /** Google's quota project (`x-goog-user-project`): the value in use and where it comes from. */
  getQuotaProject(provider: string): Result<QuotaProjectView>;
  /** Sets the quota project chosen in the window, or clears it with null; an environment variable still wins. */
  setQuotaProject(input: { readonly provider: string; readonly quotaProject: string | null }): Result<QuotaProjectView>;

  onDidChangeStatus(listener: (status: StatusView) => void): Disposer;
  onDidFinishFlow(listener: (event: FlowFinishedEvent) => void): Disposer;
  dispose(): Promise<void>;
}
