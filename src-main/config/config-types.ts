import type { CredentialSource } from '../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { EndpointOverrideView } from '../../src-shared/view-models.js';
import type { RedirectMode, RequestSettings } from '../core/providers/definition.js';

/** OAuth settings of one provider after overlaying definition ← config file ← environment. */
export interface ResolvedOAuthConfig {
  /** Null when none is configured: OAuth is then unavailable, and `clientIdHint` says what to set. */
  readonly clientId: string | null;
  /** e.g. "set ANTHROPIC_OAUTH_CLIENT_ID or providers.anthropic.oauth.clientId in config.json" */
  readonly clientIdHint: string;
  readonly clientSecret: string | null;
  readonly issuer: string;
  readonly discovery: boolean;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly revocationEndpoint: string | null;
  readonly scopes: readonly string[];
  readonly redirectMode: RedirectMode;
  readonly loopbackHost: '127.0.0.1' | 'localhost';
  readonly loopbackPorts: readonly number[];
  readonly loopbackPath: string;
  readonly pasteRedirectUri: string | null;
  /** The app's private-use URI scheme (RFC 8252 §7.1), e.g. `app.themaestro.desktop`. */
  readonly deepLinkScheme: string;
  readonly extraAuthorizationParams: Readonly<Record<string, string>>;
  /**
   * Plain-http issuers are accepted only on a loopback address and only when
   * THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER=1 (local test servers, development gateways).
   */
  readonly allowInsecureLoopbackIssuer: boolean;
}

export interface ResolvedProviderConfig {
  readonly provider: string;
  readonly apiBaseUrl: string;
  readonly apiKeyEnvVars: readonly string[];
  readonly requestTimeoutMs: number;
  readonly oauth: ResolvedOAuthConfig;
  /** Header settings (API version, quota project) after definition ← file ← environment; absent = defaults. */
  readonly requestSettings?: RequestSettings;
  /** Where the quota project came from: the environment wins over anything set in the window. */
  readonly quotaProjectSource?: 'env' | 'file';
}

export interface ResolvedConfig {
  /** Path of the config file that was read (it may not exist). */
  readonly file: string;
  readonly providers: ReadonlyMap<string, ResolvedProviderConfig>;
  readonly fallbackOrder: readonly CredentialSource[];
  readonly deepLinkScheme: string;
  /** Problems found; each names the file and the field. Affected providers fall back to defaults for that field. */
  readonly problems: readonly ErrorInfo[];
  /** Endpoint overrides in effect and where each was set (src-main/config/overrides.ts). */
  readonly overrides: readonly EndpointOverrideView[];
}
