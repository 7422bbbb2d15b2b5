import type { CredentialSource } from '../../../src-shared/auth-types.js';
import type { ErrorCode, ErrorInfo } from '../../../src-shared/errors.js';
import type { ResolvedProviderConfig } from '../../config/config-types.js';
import type { Clock } from '../../clock.js';
import { AuthError, toErrorInfo } from './auth-error.js';
import type { ResolvedCredential } from './auth-service.js';
import type { CredentialStore, SealedCredential } from './credential-store.js';
import type { Credential } from './credentials.js';
import { envApiKey } from './defined-provider-auth.js';
import type { TokenRefresher } from './oauth/oauth-types.js';
import type { ProviderDefinition } from './provider-definition.js';
import { credentialStateOf } from './session-manager.js';

/** What one step of the fallback chain found, for the error that lists them. */
export interface ChainStep {
  readonly source: CredentialSource;
  readonly found: string;
  /** The error this step met, if any (kept whole so a retry-after survives into the summary). */
  readonly error?: ErrorInfo;
}

export interface ResolveRequest {
  readonly definition: ProviderDefinition;
  readonly config: ResolvedProviderConfig;
  readonly account: string;
  readonly order: readonly CredentialSource[];
  readonly forceRefresh: boolean;
}

/** Which error code sums up a failed chain: the most actionable one any step met. */
const SUMMARY_PRIORITY: readonly ErrorCode[] = ['reauth_required', 'credential_corrupt', 'encryption_unavailable', 'provider_unavailable', 'network_error', 'invalid_credentials'];

/**
 * The fallback chain OAuth → stored API key → environment (order configurable). The hot path —
 * a valid stored credential — is one indexed SELECT and one decrypt: no write, no network.
 */
export class CredentialResolver {
  constructor(
    private readonly store: CredentialStore,
    private readonly refresher: TokenRefresher,
    private readonly env: NodeJS.ProcessEnv,
    private readonly clock: Clock,
  ) {}

  async resolve(request: ResolveRequest): Promise<ResolvedCredential> {
    const steps: ChainStep[] = [];
    for (const source of request.order) {
      const found = await this.trySource(source, request, steps);
      if (found !== null) return found;
    }
    throw this.chainError(request, steps);
  }

  private async trySource(source: CredentialSource, request: ResolveRequest, steps: ChainStep[]): Promise<ResolvedCredential | null> {
    if (source === 'env') return this.fromEnv(request, steps);
    const what = source === 'oauth' ? 'OAuth sign-in' : 'stored API key';
    let found: SealedCredential | null = null;
    try {
      found = this.store.find({ provider: request.definition.id, authMethod: source, accountLabel: request.account });
      if (found === null) {
        steps.push({ source, found: `no ${what} for account "${request.account}"` });
        return null;
      }
      const { meta } = found;
      if (meta.invalidReason !== null) {
        steps.push({ source, found: `the ${what} needs attention: ${meta.invalidReason.message}`, error: meta.invalidReason });
        return null;
      }
      const credential = await this.open(found, request.forceRefresh);
      return this.toResolved(request, source, meta.accountLabel, credential);
    } catch (error) {
      const info = toErrorInfo(error, request.definition.id);
      // An undecryptable row stays listed, marked "sign in again"; the others are untouched.
      if (info.code === 'credential_corrupt' && found !== null) this.store.markInvalid(found.meta.id, info);
      steps.push({ source, found: info.message, error: info });
      return null;
    }
  }

  /** Decrypts a valid credential, or refreshes an OAuth one that is due (or after a 401). */
  private async open(found: SealedCredential, forceRefresh: boolean): Promise<Credential> {
    const { meta } = found;
    if (meta.authMethod === 'oauth') {
      const state = credentialStateOf(meta, this.clock.now());
      if (forceRefresh || state === 'expired' || state === 'expiring') {
        return (await this.refresher.ensureFresh(meta.id, { force: forceRefresh })).credential;
      }
    }
    return found.open();
  }

  private fromEnv(request: ResolveRequest, steps: ChainStep[]): ResolvedCredential | null {
    const found = envApiKey(request.config, this.env);
    if (found === null) {
      steps.push({ source: 'env', found: `${request.config.apiKeyEnvVars.join(' and ')} not set` });
      return null;
    }
    return this.toResolved(request, 'env', null, { kind: 'api_key', apiKey: found.value });
  }

  private toResolved(request: ResolveRequest, source: CredentialSource, account: string | null, credential: Credential): ResolvedCredential {
    const { definition } = request;
    const isKey = credential.kind === 'api_key';
    return {
      provider: definition.id,
      source,
      method: isKey ? 'api_key' : 'oauth',
      account,
      headers: isKey ? definition.apiKeyHeaders(credential.apiKey) : definition.bearerHeaders(credential.accessToken),
      secret: isKey ? credential.apiKey : credential.accessToken,
      expiresAt: isKey ? null : (credential.expiresAt ?? null),
      apiBaseUrl: request.config.apiBaseUrl,
    };
  }

  private chainError(request: ResolveRequest, steps: readonly ChainStep[]): AuthError {
    const errors = steps.map((step) => step.error).filter((error) => error !== undefined);
    const code = SUMMARY_PRIORITY.find((candidate) => errors.some((error) => error.code === candidate)) ?? 'not_authenticated';
    const cause = errors.find((error) => error.code === code);
    const detail = steps.map((step) => `${step.source}: ${step.found}`).join('; ');
    const info: ErrorInfo = {
      code,
      message: `No working ${request.definition.displayName} credential (${detail}). Sign in with \`the-maestro login ${request.definition.id}\` or in the window.`,
      provider: request.definition.id,
      ...(cause?.retryAfterSeconds !== undefined ? { retryAfterSeconds: cause.retryAfterSeconds } : {}),
      ...(cause?.retryable !== undefined ? { retryable: cause.retryable } : {}),
    };
    return new AuthError(info);
  }
}
