import type { ModelInfo } from '../../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../../src-shared/errors.js';

/** How the browser comes back to the app after an OAuth authorization. */
export const REDIRECT_MODES = ['loopback', 'deep_link', 'paste'] as const;
export type RedirectMode = (typeof REDIRECT_MODES)[number];

/** A provider's HTTP error, as received, for `mapError`. The body is parsed JSON or raw text. */
export interface ProviderErrorResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

/** Fetches one page of a provider's API (path + query appended to the base URL) and returns its parsed JSON. */
export type FetchJsonPage = (pathAndQuery: string) => Promise<unknown>;

/**
 * Request settings a person can configure per provider (config file field, environment override),
 * applied to the headers of every request made with a credential.
 */
export interface RequestSettings {
  /** Anthropic's `anthropic-version`; absent means the definition's default. */
  readonly apiVersion?: string;
  /** Google's quota project, sent as `x-goog-user-project` with OAuth access tokens. */
  readonly quotaProject?: string;
}

/** Who signed in, when the provider says. */
export interface AccountIdentity {
  readonly accountId?: string;
  readonly email?: string;
}

/**
 * A sign-in that spends the person's subscription plan, registered by the app itself at the first
 * sign-in to each account (OpenAI's "Sign in with ChatGPT" for open-source apps, openai-siwc.md).
 */
export interface PlanSignInDefinition {
  /** What a person calls the plan: "ChatGPT plan". */
  readonly planName: string;
  /** The sign-in button's label, as the provider's guidelines require: "Continue with ChatGPT". */
  readonly buttonLabel: string;
  /** Where the person manages the plan's usage for this app ("Manage usage"). */
  readonly manageUsageUrl: string;
  /** The client id of a first sign-in, never stored or used after the redirect (`dynamic_agent_client`). */
  readonly registrationClientId: string;
  /** The app's name shown on the consent screen of a first sign-in (`agent_name_hint`). */
  readonly agentName: string;
  /** The resource indicator (RFC 8707) sent at authorization, exchange and refresh. */
  readonly resource: string;
  /** The granted scope without which the tokens may not spend the plan. */
  readonly planScope: string;
  /** Where to say the app's owner may disconnect it (after an unconfirmed revocation). */
  readonly disconnectAdvice: string;
}

/**
 * The OAuth registration of a provider, as shipped. Every field can be overridden by
 * configuration; a client id is never shipped (see providers.md: other products' client ids
 * must not be reused), so OAuth is available only once one is configured.
 */
export interface OAuthDefinition {
  /** Expected issuer; checked against `iss` when the provider sends it (RFC 9207). */
  readonly issuer: string;
  /** Whether the issuer publishes `/.well-known/openid-configuration` (or RFC 8414 metadata). */
  readonly discovery: boolean;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  /** RFC 7009 revocation endpoint, when the provider documents one. */
  readonly revocationEndpoint?: string;
  /** Anthropic's token endpoint takes JSON; the standard is `application/x-www-form-urlencoded`. */
  readonly tokenRequestBody: 'form' | 'json';
  readonly scopes: readonly string[];
  /** Redirect modes the provider's registration allows, preferred first. Paste is always accepted as well. */
  readonly redirectModes: readonly RedirectMode[];
  /** Loopback redirect (RFC 8252 §7.3): host as registered, ports to try in order (0 = any free port), exact path. */
  readonly loopback: {
    readonly host: '127.0.0.1' | 'localhost';
    readonly ports: readonly number[];
    readonly path: string;
  };
  /** For paste mode: the provider-hosted page that shows the code to copy (`code#state`). */
  readonly pasteRedirectUri?: string;
  /** Extra authorization request parameters (e.g. Google's `access_type=offline`). */
  readonly extraAuthorizationParams: Readonly<Record<string, string>>;
  /** Environment variables that configure the client (the story's `{:system, "…"}`). */
  readonly clientIdEnv: string;
  readonly clientSecretEnv?: string;
  /** Whether a refresh returns a new refresh token that replaces the old one (single use). */
  readonly rotatesRefreshTokens: boolean;
  /** Token-endpoint error codes after which refreshing again can never succeed. */
  readonly permanentRefreshErrors: readonly string[];
  /** Said wherever OAuth is unavailable for want of a client: what the provider's terms allow, where to get a client. */
  readonly unconfiguredNote?: string;
  /** Sentences explaining a refused refresh, by token-endpoint error code (e.g. Google's `invalid_grant`). */
  readonly refreshRefusedAdvice?: Readonly<Record<string, string>>;
  /**
   * Sign in with ChatGPT's open-source flow (openai-siwc.md): a client registered per account at
   * the first sign-in, plan scopes and a resource. Absent for ordinary OAuth clients.
   */
  readonly planSignIn?: PlanSignInDefinition;
  /** Extracts who signed in from the token response and the id_token's claims, if any. */
  accountIdentity(
    tokenResponse: Readonly<Record<string, unknown>>,
    idTokenClaims: Readonly<Record<string, unknown>> | undefined,
  ): AccountIdentity;
}

/**
 * One provider, one definition value: everything The Maestro knows about it, as documented in
 * `providers.md`. Adding a provider is one new file with one of these plus one line in the registry.
 */
export interface ProviderDefinition {
  readonly id: string;
  readonly displayName: string;
  /** Origin plus optional path prefix; documented paths (e.g. `/v1/models`) are appended. */
  readonly defaultApiBaseUrl: string;
  /** Where a person creates an API key. */
  readonly consoleUrl: string;
  /** Environment variables holding an API key, first match wins (story: fallback to environment). */
  readonly apiKeyEnvVars: readonly string[];
  /** Typical key prefix, shown as a hint only; keys are never rejected on it. */
  readonly apiKeyPrefixHint?: string;
  /** Headers that authenticate a request with an API key. */
  apiKeyHeaders(apiKey: string, settings?: RequestSettings): Readonly<Record<string, string>>;
  /** Headers that authenticate a request with an OAuth access token. */
  bearerHeaders(accessToken: string, settings?: RequestSettings): Readonly<Record<string, string>>;
  /** The provider's API version header, when it has one: the default and how to override it. */
  readonly apiVersion?: { readonly default: string; readonly env: string };
  /** Whether the provider takes a quota project (Google), and the environment variable that sets it. */
  readonly quotaProject?: { readonly env: string };
  /** Path and query of the cheapest authenticated request, used to validate a credential. */
  readonly validationPath: string;
  /** Lists every model (following pagination) through `fetchPage`, keeping only usable chat models. */
  listModels(fetchPage: FetchJsonPage): Promise<ModelInfo[]>;
  /** Maps an HTTP error from the provider's API to our error value (codes from src-shared/errors). */
  mapError(response: ProviderErrorResponse): ErrorInfo;
  /** The provider's OAuth for other apps; absent when it offers none (API keys only). */
  readonly oauth?: OAuthDefinition;
}

/** A provider that offers OAuth: what the OAuth machinery works with. */
export type OAuthCapableDefinition = ProviderDefinition & { readonly oauth: OAuthDefinition };

export function offersOAuth(definition: ProviderDefinition): definition is OAuthCapableDefinition {
  return definition.oauth !== undefined;
}
