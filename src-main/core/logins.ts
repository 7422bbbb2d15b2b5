import type { StoredAuthMethod } from '../../src-shared/auth-types.js';
import { ACCOUNT_LABEL_PATTERN, DEFAULT_ACCOUNT } from '../../src-shared/auth-types.js';
import type { Result } from '../../src-shared/errors.js';
import { err, ok } from '../../src-shared/errors.js';
import type { LoginResultView, OAuthFlowView } from '../../src-shared/view-models.js';
import type { Logger } from '../log/logger.js';
import { AuthError, toErrorInfo } from './auth-error.js';
import type { CredentialMeta, CredentialStore } from './store/credential-store.js';
import type { CompletedLogin, FlowFinishedEvent, OAuthFlowManager, RevokeCredential } from './oauth/oauth-types.js';
import type { ProviderContexts } from './provider-contexts.js';
import type { RedirectMode } from './providers/definition.js';
import type { SessionManager } from './session/session-manager.js';

export interface LoginDeps {
  readonly contexts: ProviderContexts;
  readonly store: CredentialStore;
  readonly sessions: SessionManager;
  readonly flows: OAuthFlowManager;
  readonly revoke: RevokeCredential;
  readonly logger: Logger;
  /** Called after anything a person would see changed. */
  readonly changed: () => void;
}

/** Checks a person-chosen account label; throws AuthError `invalid_input`. */
export function checkAccountLabel(label: string): string {
  const trimmed = label.trim();
  if (!ACCOUNT_LABEL_PATTERN.test(trimmed)) {
    throw AuthError.of('invalid_input', 'An account label is 1–64 letters, digits, spaces or . _ @ + - and starts with a letter or digit.');
  }
  return trimmed;
}

function loginView(meta: CredentialMeta, validated: boolean): LoginResultView {
  return {
    provider: meta.provider,
    account: meta.accountLabel,
    method: meta.authMethod,
    validated,
    maskedKey: meta.maskedSecret,
    identity: meta.identity,
    expiresAt: meta.expiresAt === null ? null : new Date(meta.expiresAt).toISOString(),
  };
}

/**
 * Signing in and out: API keys (validated live before they are stored), OAuth flows (three ways
 * back, one completion), and logout (revoke best effort, delete locally whatever happens).
 * A login counts only once the store has committed it.
 */
export class LoginOperations {
  constructor(private readonly deps: LoginDeps) {}

  async saveApiKey(input: { provider: string; apiKey: string; account?: string; validate?: boolean }): Promise<Result<LoginResultView>> {
    return this.deps.contexts.guardAsync(input.provider, async (context) => {
      const account = checkAccountLabel(input.account ?? DEFAULT_ACCOUNT);
      const validate = input.validate ?? true;
      const credential = await context.auth.authenticate({ method: 'api_key', apiKey: input.apiKey, validate });
      const meta = this.deps.store.put({ provider: context.auth.id, authMethod: 'api_key', accountLabel: account, credential, expiresAt: null });
      this.afterLogin(meta, validate);
      return loginView(meta, validate);
    });
  }

  async startOAuth(input: { provider: string; account?: string; redirectMode?: RedirectMode }): Promise<Result<OAuthFlowView>> {
    return this.deps.contexts.guardAsync(input.provider, async (context) => {
      const account = checkAccountLabel(input.account ?? DEFAULT_ACCOUNT);
      if (context.config.oauth.clientId === null) {
        throw AuthError.of('not_configured', `OAuth for ${context.auth.definition.displayName} is not configured: ${context.config.oauth.clientIdHint}.`);
      }
      const mode = input.redirectMode !== undefined ? { redirectMode: input.redirectMode } : {};
      return this.deps.flows.start(context.auth.id, { accountLabel: account, ...mode });
    });
  }

  submitPastedCode(input: { flowId: string; pasted: string }): Promise<Result<LoginResultView>> {
    return this.completion(() => this.deps.flows.submitPasted(input.flowId, input.pasted));
  }

  waitForOAuth(flowId: string): Promise<Result<LoginResultView>> {
    return this.completion(() => this.deps.flows.waitFor(flowId));
  }

  cancelOAuth(flowId: string): Result<boolean> {
    return ok(this.deps.flows.cancel(flowId));
  }

  handleDeepLink(url: string): Promise<Result<LoginResultView>> {
    return this.completion(() => this.deps.flows.handleDeepLink(url));
  }

  /** Every flow that finishes (by any route) updates the session before listeners hear of it. */
  onFlowFinished(event: FlowFinishedEvent): void {
    if (!event.ok) return;
    const meta = this.deps.store.getMeta(event.credentialId);
    if (meta !== null) this.afterLogin(meta, true);
  }

  private async completion(run: () => Promise<CompletedLogin>): Promise<Result<LoginResultView>> {
    try {
      const { meta } = await run();
      return ok(loginView(meta, true));
    } catch (error) {
      return err(this.deps.contexts.report(error));
    }
  }

  /** After a committed login: this account becomes the provider's, and the provider active if none is. */
  private afterLogin(meta: CredentialMeta, validated: boolean): void {
    const { sessions } = this.deps;
    sessions.setActiveAccount(meta.provider, meta.accountLabel);
    if (sessions.activeProvider() === null) sessions.setActiveProvider(meta.provider);
    sessions.recordOutcome(meta.provider, { source: meta.authMethod, method: meta.authMethod, account: meta.accountLabel, state: 'valid', lastError: null });
    this.deps.logger.info('credential stored', { provider: meta.provider, account: meta.accountLabel, method: meta.authMethod, validated });
  }

  async logout(input: { provider: string; account?: string; method?: StoredAuthMethod }): Promise<Result<{ removed: number; revoked: boolean }>> {
    return this.deps.contexts.guardAsync(input.provider, async (context) => {
      const account = input.account ?? this.deps.sessions.activeAccount(context.auth.id);
      const metas = this.deps.store
        .list({ provider: context.auth.id, accountLabel: account })
        .filter((meta) => input.method === undefined || meta.authMethod === input.method);
      if (metas.length === 0) throw AuthError.of('unknown_account', `Nothing is stored for ${context.auth.definition.displayName} account "${account}".`);
      let revoked = false;
      for (const meta of metas) revoked = (await this.revokeAndDelete(meta)) || revoked;
      this.deps.sessions.clearOutcome(context.auth.id);
      this.deps.changed();
      return { removed: metas.length, revoked };
    });
  }

  /** Revokes best effort (only what this install owns), then deletes locally whatever happened. */
  private async revokeAndDelete(meta: CredentialMeta): Promise<boolean> {
    let revoked = false;
    if (meta.authMethod === 'oauth') {
      try {
        const record = this.deps.store.get(meta.id);
        if (record !== null && record.credential.kind === 'oauth') revoked = (await this.deps.revoke(meta.provider, record.credential)).revoked;
      } catch (error) {
        this.deps.logger.warn('revocation skipped', { provider: meta.provider, error: toErrorInfo(error) });
      }
    }
    this.deps.store.delete(meta.id);
    return revoked;
  }
}
