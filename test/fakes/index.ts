import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ResolvedProviderConfig } from '../../src-main/config/config-types.js';
import type { OAuthCapableDefinition } from '../../src-main/core/providers/definition.js';

/**
 * Local fakes of the three providers' REST APIs, for tests and for driving the real core from
 * Playwright. Each is a real HTTP server on 127.0.0.1; behaviour is set in-process.
 */
export * from './fake-server.js';
export * from './anthropic-api.js';
export * from './google-api.js';
export * from './openai-api.js';

/** A base URL where nothing listens: binds a free port on 127.0.0.1, then closes it. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * A resolved configuration for one provider pointing its API at `apiBaseUrl`, everything else
 * taken from the definition (OAuth without a client id), for tests of the provider API.
 */
export function providerConfigFor(
  definition: OAuthCapableDefinition,
  apiBaseUrl: string,
  overrides: Partial<Omit<ResolvedProviderConfig, 'oauth'>> = {},
): ResolvedProviderConfig {
  const { oauth } = definition;
  return {
    provider: definition.id,
    apiBaseUrl,
    apiKeyEnvVars: definition.apiKeyEnvVars,
    requestTimeoutMs: 5_000,
    ...overrides,
    oauth: {
      clientId: null,
      clientIdHint: `set ${oauth.clientIdEnv}`,
      clientSecret: null,
      issuer: oauth.issuer,
      discovery: oauth.discovery,
      authorizationEndpoint: oauth.authorizationEndpoint,
      tokenEndpoint: oauth.tokenEndpoint,
      revocationEndpoint: oauth.revocationEndpoint ?? null,
      scopes: oauth.scopes,
      redirectMode: oauth.redirectModes[0] ?? 'loopback',
      loopbackHost: oauth.loopback.host,
      loopbackPorts: oauth.loopback.ports,
      loopbackPath: oauth.loopback.path,
      pasteRedirectUri: oauth.pasteRedirectUri ?? null,
      deepLinkScheme: 'app.themaestro.desktop',
      extraAuthorizationParams: oauth.extraAuthorizationParams,
      allowInsecureLoopbackIssuer: false,
    },
  };
}
