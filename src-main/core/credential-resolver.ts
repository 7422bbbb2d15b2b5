import type { CredentialSource } from '../../src-shared/auth-types.js';
import type { ErrorCode, ErrorInfo } from '../../src-shared/errors.js';
import type { Clock } from './clock.js';
import { AuthError, toErrorInfo } from './auth-error.js';
import type { ResolvedCredential } from './auth-service.js';
import type { CredentialMeta, CredentialStore, SealedCredential } from './store/credential-store.js';
import type { Credential } from './credentials.js';
import type { ProviderAuth } from './providers/provider-auth.js';
import { apiAuthOf, credentialStateOf } from './credentials.js';
import { authHeaders } from './providers/api.js';
import { planGranted, planNotEnabled } from './oauth/plan-sign-in.js';

/** What one step of the fallback chain found, for the error that lists them. */
export interface ChainStep {
  readonly source: CredentialSource;
  readonly found: string;
  /** The error this step met, if any (kept whole so a retry-after survives into the summary). */
  readonly error?: ErrorInfo;
}

export interface ResolveRequest {
  readonly auth: ProviderAuth;
  readonly account: string;
  readonly order: readonly CredentialSource[];
  readonly forceRefresh: boolean;
}

/** Which error code sums up a failed chain: the most actionable one any step met. */
const SUMMARY_PRIORITY: readonly ErrorCode[] = [
  'reauth_required',
  'plan_not_enabled',
  'credential_corrupt',
  'encryption_unavailable',
  'provider_unavailable',
  'network_error',
  'invalid_credentials',
];

/**
 * The fallback chain OAuth → stored API key → environment (order configurable). The hot path —
 * a valid stored credential — is one indexed SELECT and one decrypt (none while the database is
 * unchanged: the store keeps what `find` opened): no write, no network.
 */
export class CredentialResolver {
  constructor(
    private readonly store: CredentialStore,
    private readonly clock: Clock,
  ) {}

  resolve(request: ResolveRequest): Promise<ResolvedCredential> {
    return this.walk(request, 0, []);
  }

  /**
   * Tries the sources from `index` on. Written without `async` on purpose: a credential that needs
   * no refresh is found synchronously, so the hot path pays for one promise, not one per step.
   */
  private walk(request: ResolveRequest, index: number, steps: ChainStep[]): Promise<ResolvedCredential> {
    for (let position = index; position < request.order.length; position += 1) {
      const source = request.order[position];
      if (source === undefined) break;
      const found = this.trySource(source, request, steps);
      if (found instanceof Promise) return found.then((value) => value ?? this.walk(request, position + 1, steps));
      if (found !== null) return Promise.resolve(found);
    }
    return Promise.reject(this.chainError(request, steps));
  }

  /** One step of the chain: the credential, null (with the finding noted), or a refresh under way. */
  private trySource(
    source: CredentialSource,
    request: ResolveRequest,
    steps: ChainStep[],
  ): ResolvedCredential | null | Promise<ResolvedCredential | null> {
    if (source === 'env') return this.fromEnv(request, steps);
    const what = source === 'oauth' ? 'OAuth sign-in' : 'stored API key';
    let found: SealedCredential | null = null;
    try {
      found = this.store.find({ provider: request.auth.id, authMethod: source, accountLabel: request.account });
      if (found === null) {
        steps.push({ source, found: `no ${what} for account "${request.account}"` });
        return null;
      }
      const { meta } = found;
      if (meta.invalidReason !== null) {
        steps.push({
          source,
          found: `the ${what} needs attention: ${meta.invalidReason.message}`,
          error: meta.invalidReason,
        });
        return null;
      }
      if (this.needsRefresh(meta, request.forceRefresh)) return this.refreshed(source, request, meta, steps);
      return this.usable(request, source, meta, found.open(), steps);
    } catch (error) {
      this.failedStep(source, request, found?.meta ?? null, error, steps);
      return null;
    }
  }

  private needsRefresh(meta: CredentialMeta, forceRefresh: boolean): boolean {
    if (meta.authMethod !== 'oauth') return false;
    const state = credentialStateOf(meta, this.clock.now());
    return forceRefresh || state === 'expired' || state === 'expiring';
  }

  private async refreshed(
    source: CredentialSource,
    request: ResolveRequest,
    meta: CredentialMeta,
    steps: ChainStep[],
  ): Promise<ResolvedCredential | null> {
    try {
      const credential = await request.auth.refreshCredentials({ credentialId: meta.id, force: request.forceRefresh });
      return this.usable(request, source, meta, credential, steps);
    } catch (error) {
      this.failedStep(source, request, meta, error, steps);
      return null;
    }
  }

  private failedStep(
    source: CredentialSource,
    request: ResolveRequest,
    meta: CredentialMeta | null,
    error: unknown,
    steps: ChainStep[],
  ): void {
    const info = toErrorInfo(error, request.auth.id);
    // An undecryptable row stays listed, marked "sign in again"; the others are untouched.
    if (info.code === 'credential_corrupt' && meta !== null) this.store.markInvalid(meta.id, info);
    steps.push({ source, found: info.message, error: info });
  }

  /**
   * A plan provider's OAuth tokens without the plan scope (signed in before plan usage was allowed,
   * or by the identity-only flow of earlier versions) are never used: marked once, then skipped.
   */
  private usable(
    request: ResolveRequest,
    source: CredentialSource,
    meta: CredentialMeta,
    credential: Credential,
    steps: ChainStep[],
  ): ResolvedCredential | null {
    const plan = request.auth.definition.oauth?.planSignIn;
    if (plan !== undefined && credential.kind === 'oauth' && !planGranted(credential.scope, plan)) {
      const reason = planNotEnabled(plan, request.auth.id);
      this.store.markInvalid(meta.id, reason);
      steps.push({ source, found: reason.message, error: reason });
      return null;
    }
    return this.toResolved(request, source, meta.accountLabel, credential);
  }

  private fromEnv(request: ResolveRequest, steps: ChainStep[]): ResolvedCredential | null {
    const found = request.auth.environmentKey();
    if (found === null) {
      steps.push({ source: 'env', found: `${request.auth.config.apiKeyEnvVars.join(' and ')} not set` });
      return null;
    }
    return this.toResolved(request, 'env', null, { kind: 'api_key', apiKey: found.apiKey });
  }

  private toResolved(
    request: ResolveRequest,
    source: CredentialSource,
    account: string | null,
    credential: Credential,
  ): ResolvedCredential {
    const { definition, config } = request.auth;
    const isKey = credential.kind === 'api_key';
    return {
      provider: definition.id,
      source,
      method: isKey ? 'api_key' : 'oauth',
      account,
      headers: authHeaders(definition, config, apiAuthOf(credential)),
      secret: isKey ? credential.apiKey : credential.accessToken,
      expiresAt: isKey ? null : (credential.expiresAt ?? null),
      apiBaseUrl: config.apiBaseUrl,
      // Only plan-scoped tokens get this far for a plan provider (see `usable`).
      plan: !isKey ? (definition.oauth?.planSignIn?.planName ?? null) : null,
    };
  }

  private chainError(request: ResolveRequest, steps: readonly ChainStep[]): AuthError {
    const { definition } = request.auth;
    const errors = steps.map((step) => step.error).filter((error) => error !== undefined);
    const code =
      SUMMARY_PRIORITY.find((candidate) => errors.some((error) => error.code === candidate)) ?? 'not_authenticated';
    const cause = errors.find((error) => error.code === code);
    const detail = steps.map((step) => `${step.source}: ${step.found}`).join('; ');
    const info: ErrorInfo = {
      code,
      message: `No working ${definition.displayName} credential (${detail}). Sign in with \`the-maestro login ${definition.id}\` or in the window.`,
      provider: definition.id,
      ...(cause?.retryAfterSeconds !== undefined ? { retryAfterSeconds: cause.retryAfterSeconds } : {}),
      ...(cause?.retryable !== undefined ? { retryable: cause.retryable } : {}),
    };
    return new AuthError(info);
  }
}
