import type { AuthMethod } from '../../../src-shared/auth-types.js';
import type { UnavailableMethod } from '../../../src-shared/view-models.js';
import type { ResolvedProviderConfig } from '../../config/config-types.js';
import { AuthError } from '../auth-error.js';
import type { Credential, OAuthCredential } from '../credentials.js';
import { apiAuthOf } from '../credentials.js';
import type { ProviderApi } from './api-types.js';
import type { ProviderDefinition } from './definition.js';
import type { AuthenticateParams, MethodAvailability, ProviderAuth } from './registry.js';

/** The OAuth protocol steps a provider needs (implemented once in ./oauth, parameterised by provider). */
export interface OAuthProtocol {
  exchangeCode(params: Extract<AuthenticateParams, { method: 'oauth' }>): Promise<OAuthCredential>;
  refresh(credential: OAuthCredential): Promise<OAuthCredential>;
}

/** Reads a provider's API key from the environment: the first of its variables that is set. */
export function envApiKey(config: ResolvedProviderConfig, env: NodeJS.ProcessEnv): { name: string; value: string } | null {
  for (const name of config.apiKeyEnvVars) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') return { name, value };
  }
  return null;
}

/**
 * The `ProviderAuth` behaviour for any provider described by a `ProviderDefinition`: all three
 * built-in providers (and any added one) are this class with a different definition.
 */
export class DefinedProviderAuth implements ProviderAuth {
  constructor(
    readonly definition: ProviderDefinition,
    private readonly config: ResolvedProviderConfig,
    private readonly api: ProviderApi,
    private readonly env: NodeJS.ProcessEnv,
    private readonly oauth: OAuthProtocol,
  ) {}

  get id(): string {
    return this.definition.id;
  }

  availableMethods(): MethodAvailability {
    const available: AuthMethod[] = [];
    const unavailable: UnavailableMethod[] = [];
    if (this.config.oauth.clientId !== null) available.push('oauth');
    else unavailable.push({ method: 'oauth', reason: this.oauthUnavailableReason() });
    available.push('api_key');
    if (envApiKey(this.config, this.env) !== null) available.push('env');
    else
      unavailable.push({
        method: 'env',
        reason: `No ${this.config.apiKeyEnvVars.join(' or ')} is set in the environment.`,
      });
    return { available, unavailable };
  }

  private oauthUnavailableReason(): string {
    const name = this.definition.displayName;
    if (this.definition.oauth === undefined) return `${name} offers no browser sign-in for other apps; use an API key.`;
    return `Signing in to ${name} with your browser needs an OAuth client id: ${this.config.oauth.clientIdHint}. The Maestro ships none of its own.`;
  }

  async authenticate(params: AuthenticateParams): Promise<Credential> {
    switch (params.method) {
      case 'api_key': {
        const credential: Credential = { kind: 'api_key', apiKey: params.apiKey.trim() };
        if (credential.apiKey === '') throw AuthError.of('invalid_input', 'The API key is empty.', { provider: this.id });
        if (params.validate) await this.validateCredentials(credential);
        return credential;
      }
      case 'env': {
        const found = envApiKey(this.config, this.env);
        if (found === null) {
          throw AuthError.of('not_configured', `No ${this.config.apiKeyEnvVars.join(' or ')} is set in the environment.`, { provider: this.id });
        }
        const credential: Credential = { kind: 'api_key', apiKey: found.value };
        await this.validateCredentials(credential);
        return credential;
      }
      case 'oauth':
        if (this.config.oauth.clientId === null) {
          throw AuthError.of('not_configured', `OAuth for ${this.definition.displayName} is not configured: ${this.config.oauth.clientIdHint}.`, { provider: this.id });
        }
        return this.oauth.exchangeCode(params);
    }
  }

  async validateCredentials(credential: Credential): Promise<Credential> {
    await this.api.validate(this.definition, this.config, apiAuthOf(credential));
    return credential;
  }

  refreshCredentials(credential: OAuthCredential): Promise<OAuthCredential> {
    if (credential.refreshToken === undefined) {
      return Promise.reject(
        AuthError.of('reauth_required', `The ${this.definition.displayName} sign-in has no refresh token; sign in again.`, { provider: this.id }),
      );
    }
    return this.oauth.refresh(credential);
  }
}
