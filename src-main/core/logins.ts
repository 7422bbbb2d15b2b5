import type { StoredAuthMethod } from '../../src-shared/auth-types.js';
import { DEFAULT_ACCOUNT } from '../../src-shared/auth-types.js';
import type { Result } from '../../src-shared/errors.js';
import { err, ok } from '../../src-shared/errors.js';
import type { LoginResultView, OAuthFlowView } from '../../src-shared/view-models.js';
import type { Logger } from '../log/logger.js';
import { parseAccountLabel } from './account-label.js';
import { checkApiKey } from './api-key-check.js';
import { AuthError, toErrorInfo } from './auth-error.js';
import type { CredentialMeta, CredentialStore } from './store/credential-store.js';
import type { StateStore } from './store/state-store.js';
import { PlanRegistrations } from './oauth/plan-registrations.js';
import { deepLinkProvider, notASignInCallback } from './oauth/deep-link.js';
import type { ProviderGuard } from './provider-guard.js';
import type { RedirectMode } from './providers/definition.js';
import type { CompletedSignIn, FlowFinishedEvent, ProviderAuth } from './providers/provider-auth.js';
import type { OAuthCredential } from './credentials.js';
import { noSuchSignIn, signInNotWaiting } from './providers/provider-auth.js';
import type { ProviderAuthRegistry } from './providers/provider-auth-registry.js';
import type { SessionManager } from './session/session-manager.js';

export interface LoginDeps {
  readonly providers: ProviderAuthRegistry;
  readonly guard: ProviderGuard;
  readonly store: CredentialStore & StateStore;
  readonly sessions: SessionManager;
  readonly logger: Logger;
  /** Called after anything a person would see changed. */
  readonly changed: () => void;
}

function loginView(meta: CredentialMeta, validated: boolean, planProvider = false): LoginResultView {
  const plan = planProvider && meta.authMethod === 'oauth' ? { plan: planState(meta) } : {};
  return {
    ...plan,
    provider: meta.provider,
    account: meta.accountLabel,
    method: meta.authMethod,
    validated,
    maskedKey: meta.maskedSecret,
    identity: meta.identity,
    expiresAt: meta.expiresAt === null ? null : new Date(meta.expiresAt).toISOString(),
  };
}

function planState(meta: CredentialMeta): 'enabled' | 'not_enabled' {
  return meta.invalidReason?.code === 'plan_not_enabled' ? 'not_enabled' : 'enabled';
}

/** What a logout reports. */
export interface LogoutOutcome {
  readonly removed: number;
  readonly revoked: boolean;
  /** The account whose credentials were removed (the active one when none was named). */
  readonly account: string;
  readonly warning?: string;
}

/**
 * Signing in and out, through each provider's ProviderAuth: API keys (validated live before they
 * are stored), OAuth sign-ins (started here; completed by the route the browser comes back by,
 * each routed to the provider that owns the sign-in), and logout (revoke best effort, delete
 * locally whatever happens). A login counts only once the store has committed it.
 */
export class LoginOperations {
  private readonly registrations: PlanRegistrations;

  constructor(private readonly deps: LoginDeps) {
    this.registrations = new PlanRegistrations(deps.store);
  }

  async saveApiKey(input: {
    provider: string;
    apiKey: string;
    account?: string;
    validate?: boolean;
  }): Promise<Result<LoginResultView>> {
    return this.deps.guard.guardAsync(input.provider, async (auth) => {
      const account = parseAccountLabel(input.account ?? DEFAULT_ACCOUNT, auth.id);
      const apiKey = checkApiKey(input.apiKey, auth.id);
      const validate = input.validate ?? true;
      const credential = await auth.authenticate({ method: 'api_key', apiKey, validate });
      const meta = this.deps.store.put({
        provider: auth.id,
        authMethod: 'api_key',
        accountLabel: account,
        credential,
        expiresAt: null,
        // `unverified` until a provider accepts it: nothing was asked.
        verified: validate,
      });
      this.afterLogin(meta, validate);
      return loginView(meta, validate);
    });
  }

  async startOAuth(input: {
    provider: string;
    account?: string;
    redirectMode?: RedirectMode;
    consent?: boolean;
  }): Promise<Result<OAuthFlowView>> {
    return this.deps.guard.guardAsync(input.provider, async (auth) => {
      const accountLabel = parseAccountLabel(input.account ?? DEFAULT_ACCOUNT, auth.id);
      return auth.startSignIn({
        accountLabel,
        ...(input.redirectMode !== undefined ? { redirectMode: input.redirectMode } : {}),
        ...(input.consent === true ? { consent: true } : {}),
      });
    });
  }

  submitPastedCode(input: { flowId: string; pasted: string }): Promise<Result<LoginResultView>> {
    return this.completion(async () => {
      const owner = this.deps.providers.signInOwner(input.flowId);
      if (owner === undefined) throw signInNotWaiting();
      return owner.completeSignIn({ route: 'paste', flowId: input.flowId, pasted: input.pasted });
    });
  }

  waitForOAuth(flowId: string): Promise<Result<LoginResultView>> {
    return this.completion(async () => {
      const owner = this.deps.providers.signInOwner(flowId);
      if (owner === undefined) throw noSuchSignIn();
      return owner.waitForSignIn(flowId);
    });
  }

  cancelOAuth(flowId: string): Result<boolean> {
    return ok(this.deps.providers.signInOwner(flowId)?.cancelSignIn(flowId) ?? false);
  }

  /** A deep link goes to the provider whose callback path it names; that provider's sign-in parses it exactly. */
  handleDeepLink(url: string): Promise<Result<LoginResultView>> {
    return this.completion(async () => {
      const target = deepLinkProvider(url);
      const owner = target.ok ? this.deps.providers.get(target.provider) : undefined;
      if (owner === undefined) {
        this.deps.logger.warn('Ignored a deep link that is not a sign-in callback', {
          reason: target.ok ? 'unknown provider' : target.reason,
        });
        throw notASignInCallback();
      }
      return owner.completeSignIn({ route: 'deep_link', url });
    });
  }

  /** Every sign-in that finishes (by any route, the loopback receiver included) updates the session before listeners hear of it. */
  onFlowFinished(event: FlowFinishedEvent): void {
    if (!event.ok) return;
    const meta = this.deps.store.getMeta(event.credentialId);
    if (meta !== null) this.afterLogin(meta, true);
  }

  private async completion(run: () => Promise<CompletedSignIn>): Promise<Result<LoginResultView>> {
    try {
      const signedIn = await run();
      const meta = this.deps.store.getMeta(signedIn.credentialId);
      if (meta === null)
        throw AuthError.of('not_authenticated', 'This sign-in no longer exists. Sign in again.', {
          provider: signedIn.provider,
        });
      const planProvider = this.deps.providers.get(meta.provider)?.definition.oauth?.planSignIn !== undefined;
      return ok(loginView(meta, true, planProvider));
    } catch (error) {
      return err(this.deps.guard.report(error));
    }
  }

  /** After a committed login: this account becomes the provider's, and the provider active if none is. */
  private afterLogin(meta: CredentialMeta, validated: boolean): void {
    const { sessions } = this.deps;
    sessions.setActiveAccount(meta.provider, meta.accountLabel);
    if (sessions.activeProvider() === null) sessions.setActiveProvider(meta.provider);
    sessions.recordOutcome(meta.provider, {
      source: meta.authMethod,
      method: meta.authMethod,
      account: meta.accountLabel,
      state: validated ? 'valid' : 'unverified',
      lastError: null,
    });
    this.deps.logger.info('credential stored', {
      provider: meta.provider,
      account: meta.accountLabel,
      method: meta.authMethod,
      validated,
    });
  }

  async logout(input: {
    provider: string;
    account?: string;
    method?: StoredAuthMethod;
  }): Promise<Result<LogoutOutcome>> {
    return this.deps.guard.guardAsync(input.provider, async (auth) => {
      const account = input.account ?? this.deps.sessions.activeAccount(auth.id);
      const metas = this.deps.store
        .list({ provider: auth.id, accountLabel: account })
        .filter((meta) => input.method === undefined || meta.authMethod === input.method);
      if (metas.length === 0) throw this.nothingToLogOut(auth, input.account, account);
      let revoked = false;
      let unconfirmed: string | undefined;
      for (const meta of metas) {
        const outcome = await this.revokeAndDelete(auth, meta);
        revoked ||= outcome.revoked;
        unconfirmed ??= outcome.unconfirmed;
      }
      this.deps.sessions.clearOutcome(auth.id);
      this.deps.changed();
      return {
        removed: metas.length,
        revoked,
        account,
        ...(unconfirmed !== undefined ? { warning: unconfirmed } : {}),
      };
    });
  }

  /** Names an account only when the person named it: which one is in use is not theirs to guess. */
  private nothingToLogOut(auth: ProviderAuth, named: string | undefined, account: string): AuthError {
    const name = auth.definition.displayName;
    if (named !== undefined)
      return AuthError.of('unknown_account', `Nothing is stored for ${name} account "${account}".`);
    const others = [...new Set(this.deps.store.list({ provider: auth.id }).map((meta) => meta.accountLabel))];
    return AuthError.of(
      'unknown_account',
      others.length === 0
        ? `Nothing is stored for ${name}; there is nothing to log out of.`
        : `Nothing is stored for ${name} under the account in use. Stored accounts: ${others.map((label) => `"${label}"`).join(', ')}; name the one to log out of.`,
    );
  }

  /**
   * Revokes best effort (only what this install owns: OAuth tokens), then deletes locally whatever
   * happened. A plan sign-in keeps its registration (and remembers its account for the next
   * sign-in's checks), and says so when the provider did not confirm the revocation.
   */
  private async revokeAndDelete(
    auth: ProviderAuth,
    meta: CredentialMeta,
  ): Promise<{ revoked: boolean; unconfirmed?: string }> {
    let revoked = false;
    let reason: string | undefined;
    const plan = auth.definition.oauth?.planSignIn;
    if (meta.authMethod === 'oauth') {
      try {
        const record = this.deps.store.get(meta.id);
        if (record !== null && record.credential.kind === 'oauth') {
          const credential = record.credential;
          if (plan !== undefined) this.rememberAccount(auth.id, meta.accountLabel, credential);
          const outcome = await auth.revokeCredentials(credential);
          revoked = outcome.revoked;
          reason = outcome.reason;
        }
      } catch (error) {
        this.deps.logger.warn('revocation skipped', { provider: meta.provider, error: toErrorInfo(error) });
      }
    }
    this.deps.store.delete(meta.id);
    if (plan === undefined || meta.authMethod !== 'oauth' || revoked) return { revoked };
    return {
      revoked,
      unconfirmed: `The tokens were removed from this computer, but ${auth.definition.displayName} did not confirm that it revoked them${reason !== undefined ? ` (${reason})` : ''}. ${plan.disconnectAdvice}`,
    };
  }

  /** Keeps what the next sign-in to this account is checked against: its client, subject and email. */
  private rememberAccount(provider: string, account: string, credential: OAuthCredential): void {
    if (credential.issuer === undefined || credential.clientId === undefined) return;
    this.registrations.save(provider, account, credential.issuer, {
      clientId: credential.clientId,
      ...(credential.subject !== undefined ? { subject: credential.subject } : {}),
      ...(credential.email !== undefined ? { email: credential.email } : {}),
    });
  }
}
