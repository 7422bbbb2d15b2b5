import type { AuthMethod } from '../../../src-shared/auth-types.js';
import type { OAuthFlowView, UnavailableMethod } from '../../../src-shared/view-models.js';
import type { ResolvedProviderConfig } from '../../config/config-types.js';
import { AuthError } from '../auth-error.js';
import type { Credential, OAuthCredential } from '../credentials.js';
import { apiAuthOf } from '../credentials.js';
import type { ProviderApi } from './api-types.js';
import type { ProviderDefinition } from './definition.js';
import type {
  AuthenticateParams,
  CompletedSignIn,
  EnvironmentKey,
  FlowFinishedEvent,
  MethodAvailability,
  ProviderAuth,
  RefreshRequest,
  RevokeOutcome,
  SignInCallback,
  StartSignInOptions,
} from './provider-auth.js';
import { noSuchSignIn } from './provider-auth.js';
import type { ProviderOAuth } from './provider-oauth.js';

export interface DefinedProviderAuthDeps {
  readonly definition: ProviderDefinition;
  readonly config: ResolvedProviderConfig;
  readonly api: ProviderApi;
  readonly env: NodeJS.ProcessEnv;
  /** The shared OAuth machinery bound to this provider; null when the definition offers no OAuth. */
  readonly oauth: ProviderOAuth | null;
  /** The quota project chosen in the window, if any (Google); read on every use, as another process may change it. */
  readonly chosenQuotaProject?: () => string | null;
}

/**
 * The `ProviderAuth` behaviour for any provider described by a `ProviderDefinition`: all three
 * built-in providers (and any added one) are this class with a different definition. API keys
 * and validation go through the provider's HTTP API; OAuth goes through the shared machinery,
 * after the checks that belong to the provider (is OAuth offered, is a client configured).
 */
export class DefinedProviderAuth implements ProviderAuth {
  readonly definition: ProviderDefinition;
  private overlaid: { readonly quotaProject: string; readonly config: ResolvedProviderConfig } | null = null;

  constructor(private readonly deps: DefinedProviderAuthDeps) {
    this.definition = deps.definition;
  }

  /**
   * The resolved configuration, with the quota project chosen in the window over the file's
   * value; an environment variable still wins over both.
   */
  get config(): ResolvedProviderConfig {
    const base = this.deps.config;
    const chosen = base.quotaProjectSource === 'env' ? null : (this.deps.chosenQuotaProject?.() ?? null);
    if (chosen === null) return base;
    if (this.overlaid?.quotaProject !== chosen) {
      const requestSettings = { ...base.requestSettings, quotaProject: chosen };
      this.overlaid = { quotaProject: chosen, config: { ...base, requestSettings } };
    }
    return this.overlaid.config;
  }

  get id(): string {
    return this.definition.id;
  }

  availableMethods(): MethodAvailability {
    const available: AuthMethod[] = [];
    const unavailable: UnavailableMethod[] = [];
    if (this.oauthReady()) available.push('oauth');
    else unavailable.push({ method: 'oauth', reason: this.oauthUnavailableReason() });
    available.push('api_key');
    if (this.environmentKey() !== null) available.push('env');
    else
      unavailable.push({
        method: 'env',
        reason: `No ${this.config.apiKeyEnvVars.join(' or ')} is set in the environment.`,
      });
    return { available, unavailable };
  }

  /** A configured client, or a plan sign-in that registers its own client at the first sign-in (no configuration). */
  private oauthReady(): boolean {
    return this.config.oauth.clientId !== null || this.definition.oauth?.planSignIn !== undefined;
  }

  private oauthUnavailableReason(): string {
    if (this.definition.oauth === undefined) return this.noBrowserSignIn();
    return `Signing in to ${this.definition.displayName} with your browser needs an OAuth client id: ${this.config.oauth.clientIdHint}. The Maestro ships none of its own.${this.unconfiguredNote()}`;
  }

  /** The provider's own word on getting a client (Anthropic's terms, Google's quickstart), with a leading space. */
  private unconfiguredNote(): string {
    const note = this.definition.oauth?.unconfiguredNote;
    return note !== undefined ? ` ${note}` : '';
  }

  private noBrowserSignIn(): string {
    return `${this.definition.displayName} offers no browser sign-in for other apps; use an API key.`;
  }

  environmentKey(): EnvironmentKey | null {
    for (const variable of this.config.apiKeyEnvVars) {
      const apiKey = this.deps.env[variable]?.trim();
      if (apiKey !== undefined && apiKey !== '') return { variable, apiKey };
    }
    return null;
  }

  async authenticate(params: AuthenticateParams): Promise<Credential> {
    const credential: Credential = { kind: 'api_key', apiKey: params.apiKey.trim() };
    if (credential.apiKey === '') throw AuthError.of('invalid_input', 'The API key is empty.', { provider: this.id });
    if (params.validate) await this.validateCredentials(credential);
    return credential;
  }

  async validateCredentials(credential: Credential): Promise<Credential> {
    await this.deps.api.validate(this.definition, this.config, apiAuthOf(credential));
    return credential;
  }

  /** The shared OAuth machinery, or `unsupported_method` for a provider that offers no OAuth. */
  private oauth(): ProviderOAuth {
    if (this.deps.oauth === null)
      throw AuthError.of('unsupported_method', this.noBrowserSignIn(), { provider: this.id });
    return this.deps.oauth;
  }

  /** A new sign-in needs a configured client first (unless it registers one): the message says what to set. */
  async startSignIn(options: StartSignInOptions): Promise<OAuthFlowView> {
    if (!this.oauthReady()) {
      throw AuthError.of(
        'not_configured',
        `OAuth for ${this.definition.displayName} is not configured: ${this.config.oauth.clientIdHint}.${this.unconfiguredNote()}`,
        { provider: this.id },
      );
    }
    return this.oauth().start(options);
  }

  async completeSignIn(callback: SignInCallback): Promise<CompletedSignIn> {
    return this.oauth().complete(callback);
  }

  waitForSignIn(flowId: string): Promise<CompletedSignIn> {
    return this.deps.oauth?.waitFor(flowId) ?? Promise.reject(noSuchSignIn());
  }

  cancelSignIn(flowId: string): boolean {
    return this.deps.oauth?.cancel(flowId) ?? false;
  }

  hasSignIn(flowId: string): boolean {
    return this.deps.oauth?.owns(flowId) ?? false;
  }

  onDidFinishSignIn(listener: (event: FlowFinishedEvent) => void): () => void {
    return this.deps.oauth?.onDidFinish(listener) ?? (() => undefined);
  }

  async refreshCredentials(request: RefreshRequest): Promise<OAuthCredential> {
    return this.oauth().refresh(request);
  }

  async revokeCredentials(credential: OAuthCredential): Promise<RevokeOutcome> {
    if (this.deps.oauth === null) return { revoked: false, reason: this.noBrowserSignIn() };
    return this.deps.oauth.revoke(credential);
  }
}
