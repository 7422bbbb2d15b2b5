import type { AuthMethod } from '../../../src-shared/auth-types.js';
import type { UnavailableMethod } from '../../../src-shared/view-models.js';
import { anthropicDefinition } from './anthropic.js';
import type { Credential, OAuthCredential } from '../credentials.js';
import { googleDefinition } from './google.js';
import { openaiDefinition } from './openai.js';
import type { ProviderDefinition } from './definition.js';

/**
 * Every provider The Maestro knows, in display order. An explicit list: no registration by
 * import side effect. Adding a provider is one new file and one line here.
 */
export const PROVIDER_DEFINITIONS = [anthropicDefinition, googleDefinition, openaiDefinition] as const;

export type ProviderId = (typeof PROVIDER_DEFINITIONS)[number]['id'];

/** Which methods a provider offers right now, and why the others are not offered. */
export interface MethodAvailability {
  readonly available: readonly AuthMethod[];
  readonly unavailable: readonly UnavailableMethod[];
}

/** Parameters of `authenticate`, by method. */
export type AuthenticateParams =
  | { readonly method: 'api_key'; readonly apiKey: string; readonly validate: boolean }
  | { readonly method: 'env' }
  | {
      readonly method: 'oauth';
      /** The callback's parameters (code, state, iss), already matched to a pending flow. */
      readonly callbackParams: URLSearchParams;
      readonly redirectUri: string;
      readonly codeVerifier: string;
      readonly expectedState: string;
    };

/**
 * The story's `ProviderAuth` behaviour: one implementation per provider, most mechanics shared
 * and parameterised by the provider's definition.
 */
export interface ProviderAuth {
  readonly id: string;
  readonly definition: ProviderDefinition;
  availableMethods(): MethodAvailability;
  /** Produces a credential by the given method; throws AuthError with a code on failure. */
  authenticate(params: AuthenticateParams): Promise<Credential>;
  /** Asks the provider whether the credential works now; throws AuthError when it does not. */
  validateCredentials(credential: Credential): Promise<Credential>;
  /** Exchanges a refresh token for new tokens (keeping the old refresh token if none is returned). */
  refreshCredentials(credential: OAuthCredential): Promise<OAuthCredential>;
}

/** Registry of provider definitions, looked up by id. */
export class ProviderRegistry {
  private readonly byId: ReadonlyMap<string, ProviderDefinition>;

  constructor(readonly definitions: readonly ProviderDefinition[] = PROVIDER_DEFINITIONS) {
    const map = new Map<string, ProviderDefinition>();
    for (const definition of definitions) {
      if (map.has(definition.id)) throw new Error(`Duplicate provider id in registry: ${definition.id}`);
      map.set(definition.id, definition);
    }
    this.byId = map;
  }

  get ids(): readonly string[] {
    return this.definitions.map((definition) => definition.id);
  }

  get(id: string): ProviderDefinition | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }
}
