import type * as client from 'openid-client';
import type { ResolvedOAuthConfig } from '../../config/config-types.js';
import type { Logger } from '../../log/logger.js';
import { silentLogger } from '../../log/logger.js';
import { AuthError } from '../auth-error.js';
import { IdTokenSignatures } from './id-token-signature.js';
import { toOAuthError } from './oauth-errors.js';
import type { OAuthProviderContext } from './oauth-types.js';
import { openIdClient, type OpenIdClientModule } from './openid-client-module.js';

/**
 * openid-client `Configuration`s, one per provider and client registration, built from OIDC
 * discovery where the provider publishes it and from the definition + configuration where it does
 * not (Anthropic). Discovery is network, so results are cached for the process; a failed
 * discovery is not cached.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface OAuthClientsOptions {
  /** Replaces the global fetch for every OAuth request (tests count or break requests with it). */
  readonly fetch?: typeof fetch;
  readonly logger?: Logger;
}

/** Whether a URL may be used: https anywhere, plain http only on loopback and only when allowed. */
function checkEndpoint(provider: string, what: string, value: string, allowInsecureLoopback: boolean): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw AuthError.of('config_invalid', `The ${what} configured for ${provider} is not a URL.`, { provider });
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && allowInsecureLoopback && LOOPBACK_HOSTS.has(url.hostname)) return;
  throw AuthError.of(
    'config_invalid',
    `The ${what} configured for ${provider} must use https (plain http is allowed only on a loopback address with THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER=1).`,
    { provider },
  );
}

/** Client authentication at the token endpoint: Google's installed-app secret, else a public client. */
function clientAuthOf(openid: OpenIdClientModule, oauth: ResolvedOAuthConfig): client.ClientAuth {
  return oauth.clientSecret !== null ? openid.ClientSecretPost(oauth.clientSecret) : openid.None();
}

/**
 * Wraps fetch so token-endpoint requests of JSON-body providers (Anthropic) carry the same
 * parameters as a JSON object instead of a form. openid-client builds and checks the protocol;
 * only the encoding changes here.
 */
function makeFetch(base: typeof fetch, jsonTokenEndpoint: string | undefined): client.CustomFetch {
  return (url, options) => {
    if (jsonTokenEndpoint !== undefined && url === jsonTokenEndpoint && options.body instanceof URLSearchParams) {
      const headers = { ...options.headers, 'content-type': 'application/json' };
      const body = JSON.stringify(Object.fromEntries(options.body));
      return base(url, { ...options, headers, body });
    }
    return base(url, options as RequestInit);
  };
}

/** The client a provider's configuration is built for: the configured one, else a plan sign-in's registration client. */
function baseClientId(context: OAuthProviderContext): string | null {
  return context.config.oauth.clientId ?? context.definition.oauth.planSignIn?.registrationClientId ?? null;
}

function timeoutSeconds(context: OAuthProviderContext): number {
  return Math.max(1, Math.ceil(context.config.requestTimeoutMs / 1000));
}

function cacheKey(context: OAuthProviderContext): string {
  const { oauth } = context.config;
  return JSON.stringify([
    context.definition.id,
    oauth.clientId,
    oauth.clientSecret !== null,
    oauth.issuer,
    oauth.discovery,
    oauth.authorizationEndpoint,
    oauth.tokenEndpoint,
    oauth.revocationEndpoint,
    oauth.allowInsecureLoopbackIssuer,
  ]);
}

/** Builds and caches openid-client configurations per provider. One instance per process is enough. */
export class OAuthClients {
  private readonly cache = new Map<string, Promise<client.Configuration>>();
  private readonly fetchImpl: typeof fetch;
  private readonly logger: Logger;
  /** Verifies plan sign-ins' ID-token signatures against the issuers' key sets (fetched through the same fetch). */
  readonly signatures: IdTokenSignatures;

  constructor(options: OAuthClientsOptions = {}) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.logger = options.logger ?? silentLogger;
    this.signatures = new IdTokenSignatures(this.fetchImpl);
  }

  /**
   * The configuration for a provider and its configured client, or for `clientId` when given (the
   * client a plan sign-in registered: same server metadata, no second discovery). Throws AuthError
   * (`not_configured`, `config_invalid`, network codes).
   */
  get(context: OAuthProviderContext, clientId?: string): Promise<client.Configuration> {
    const key = cacheKey(context);
    if (clientId !== undefined && clientId !== baseClientId(context))
      return this.cached(`${key}\u0000${clientId}`, () => this.forClient(context, clientId));
    return this.cached(key, () => this.create(context));
  }

  private cached(key: string, create: () => Promise<client.Configuration>): Promise<client.Configuration> {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const created = create();
    this.cache.set(key, created);
    created.catch(() => {
      if (this.cache.get(key) === created) this.cache.delete(key);
    });
    return created;
  }

  /** A configuration for another client of the same server, built from the provider's discovered metadata. */
  private async forClient(context: OAuthProviderContext, clientId: string): Promise<client.Configuration> {
    const base = await this.get(context);
    const openid = await openIdClient();
    // A JSON round trip drops the helper methods and undefined members the constructor rejects.
    const metadata = JSON.parse(JSON.stringify(base.serverMetadata())) as client.ServerMetadata;
    const configuration = new openid.Configuration(metadata, clientId, undefined, openid.None());
    this.finish(openid, context, configuration);
    return configuration;
  }

  /** Forgets a provider's cached configurations and key sets (e.g. after its endpoints failed, or its signing key rotated). */
  invalidate(provider: string): void {
    this.signatures.forget(provider);
    for (const key of [...this.cache.keys()]) {
      if ((JSON.parse(key.split('\u0000')[0] ?? '[]') as unknown[])[0] === provider) this.cache.delete(key);
    }
  }

  private async create(context: OAuthProviderContext): Promise<client.Configuration> {
    const provider = context.definition.id;
    const oauth = context.config.oauth;
    const clientId = baseClientId(context);
    if (clientId === null) {
      throw AuthError.of(
        'not_configured',
        `OAuth for ${context.definition.displayName} needs a client id: ${oauth.clientIdHint}.`,
        { provider },
      );
    }
    const insecure = oauth.allowInsecureLoopbackIssuer;
    checkEndpoint(provider, 'OAuth issuer', oauth.issuer, insecure);
    const timeout = timeoutSeconds(context);
    const openid = await openIdClient();
    const configuration = oauth.discovery
      ? await this.discover(openid, context, clientId, timeout)
      : this.manual(openid, context, clientId);
    const metadata = configuration.serverMetadata();
    const endpoints = [
      ['authorization endpoint', metadata.authorization_endpoint],
      ['token endpoint', metadata.token_endpoint],
      ['revocation endpoint', metadata.revocation_endpoint],
    ] as const;
    for (const [what, value] of endpoints) {
      if (value !== undefined) checkEndpoint(provider, what, value, insecure);
    }
    if (metadata.jwks_uri !== undefined) checkEndpoint(provider, 'key set (jwks_uri)', metadata.jwks_uri, insecure);
    this.finish(openid, context, configuration);
    return configuration;
  }

  /** What every configuration of a provider shares: plain http only where allowed, the timeout, fetch, ID-token signature checks. */
  private finish(openid: OpenIdClientModule, context: OAuthProviderContext, configuration: client.Configuration): void {
    const metadata = configuration.serverMetadata();
    const urls = [
      context.config.oauth.issuer,
      metadata.authorization_endpoint,
      metadata.token_endpoint,
      metadata.revocation_endpoint,
      metadata.jwks_uri,
    ];
    const plainHttp = urls.some((value) => value !== undefined && new URL(value).protocol === 'http:');
    // Only reachable for loopback test servers and gateways, and only when explicitly allowed (checkEndpoint).
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated only to stand out; checkEndpoint allowed it for loopback
    if (plainHttp) openid.allowInsecureRequests(configuration);
    configuration.timeout = timeoutSeconds(context);
    const jsonEndpoint = context.definition.oauth.tokenRequestBody === 'json' ? metadata.token_endpoint : undefined;
    configuration[openid.customFetch] = makeFetch(this.fetchImpl, jsonEndpoint);
  }

  /** Server metadata from the definition + configuration, for providers without discovery. */
  private manual(openid: OpenIdClientModule, context: OAuthProviderContext, clientId: string): client.Configuration {
    const oauth = context.config.oauth;
    const server: client.ServerMetadata = {
      issuer: oauth.issuer,
      authorization_endpoint: oauth.authorizationEndpoint,
      token_endpoint: oauth.tokenEndpoint,
      ...(oauth.revocationEndpoint !== null ? { revocation_endpoint: oauth.revocationEndpoint } : {}),
      code_challenge_methods_supported: ['S256'],
    };
    return new openid.Configuration(server, clientId, undefined, clientAuthOf(openid, oauth));
  }

  /** OIDC discovery; openid-client checks the document's issuer equals the configured one. */
  private async discover(
    openid: OpenIdClientModule,
    context: OAuthProviderContext,
    clientId: string,
    timeout: number,
  ): Promise<client.Configuration> {
    const provider = context.definition.id;
    const oauth = context.config.oauth;
    const insecure = oauth.allowInsecureLoopbackIssuer && new URL(oauth.issuer).protocol === 'http:';
    let discovered: client.Configuration;
    try {
      discovered = await openid.discovery(new URL(oauth.issuer), clientId, undefined, clientAuthOf(openid, oauth), {
        [openid.customFetch]: makeFetch(this.fetchImpl, undefined),
        timeout,
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated only to stand out; a loopback issuer explicitly allowed
        ...(insecure ? { execute: [openid.allowInsecureRequests] } : {}),
      });
    } catch (error) {
      this.logger.warn('OAuth discovery failed', { provider, issuer: oauth.issuer, error });
      throw await toOAuthError(error, { provider, displayName: context.definition.displayName, phase: 'discovery' });
    }
    const metadata = discovered.serverMetadata();
    if (metadata.revocation_endpoint !== undefined || oauth.revocationEndpoint === null) return discovered;
    // The discovery document does not list revocation but the provider documents an endpoint.
    // A JSON round trip drops the helper methods and undefined members the constructor rejects.
    const withRevocation = {
      ...(JSON.parse(JSON.stringify(metadata)) as client.ServerMetadata),
      revocation_endpoint: oauth.revocationEndpoint,
    };
    return new openid.Configuration(withRevocation, clientId, undefined, clientAuthOf(openid, oauth));
  }
}
