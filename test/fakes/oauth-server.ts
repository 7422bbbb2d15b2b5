/**
 * A real OAuth 2.0 / OpenID Connect authorization server on 127.0.0.1 for tests: npm
 * `oidc-provider`, configured like OpenAI's and Google's servers (discovery, PKCE required,
 * loopback and private-use-scheme redirects for native clients, rotating refresh tokens with
 * reuse detection, revocation). Login and consent are finished programmatically by the test
 * browser (test/fakes/browser-login.ts) through `interactionDetails` / `interactionFinished`;
 * `devInteractions` is off.
 *
 * Deliberate deviations, documented: a refresh token is issued to every client allowed the
 * `refresh_token` grant (the real servers need `offline_access` + consent, or Google's
 * `access_type=offline`); the Google-style client gets its refresh responses WITHOUT
 * `refresh_token` through a middleware, as Google does.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { KoaContext } from 'oidc-provider';
import { memoryAdapterFactory } from './oauth-server-adapter.js';

export const FAKE_DEEP_LINK_SCHEME = 'app.themaestro.test';

/** OpenAI-style public native client: PKCE, loopback on localhost, rotating refresh tokens. */
export const PUBLIC_CLIENT_ID = 'maestro-public-client';
/** Google-style installed app: client_secret_post, loopback on 127.0.0.1, refresh tokens do not rotate and are omitted on refresh. */
export const GOOGLE_STYLE_CLIENT_ID = 'maestro-google-client';
export const GOOGLE_STYLE_CLIENT_SECRET = 'maestro-google-secret-not-confidential';

export interface FakeClient {
  readonly clientId: string;
  /** Present for a client_secret_post client; absent for a public client (`none`). */
  readonly clientSecret?: string;
  readonly redirectUris: readonly string[];
  readonly rotateRefreshTokens: boolean;
  /** Google behaviour: the refresh response carries no `refresh_token`. */
  readonly omitRefreshTokenOnRefresh: boolean;
}

export interface FakeAccount {
  readonly sub: string;
  readonly email: string;
  /** Put in OpenAI's `https://api.openai.com/auth` claim. */
  readonly chatgptAccountId?: string;
}

export interface OidcServerOptions {
  readonly clients?: readonly FakeClient[];
  readonly accessTokenTtlSeconds?: number;
  readonly account?: FakeAccount;
}

/** `invalid_grant`: every token request gets Google's answer for an expired or revoked refresh token. */
export type TokenFailureMode = 'none' | 'unavailable' | 'drop' | 'invalid_grant';

export interface OidcServerCounters {
  /** Every request that reached the token endpoint, whatever happened to it. */
  tokenRequests: number;
  /** The same, by `grant_type`. */
  byGrant: Record<string, number>;
  revocations: number;
  authorizations: number;
}

export interface OidcServer {
  readonly issuer: string;
  readonly port: number;
  readonly counters: OidcServerCounters;
  resetCounters(): void;
  /** `unavailable`: the token endpoint answers 503; `drop`: it destroys the connection. */
  setTokenFailure(mode: TokenFailureMode): void;
  /** Replaces the `iss` of authorization responses with this value (undefined: honest). */
  forgeIss(value: string | undefined): void;
  /** The next interaction ends with `error=access_denied`. */
  denyNextAuthorization(): void;
  /** Asks the userinfo endpoint whether an access token is (still) accepted. */
  accessTokenWorks(accessToken: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Loopback callbacks on any port (RFC 8252 §7.3; oidc-provider ignores the port for native clients) and the deep links. */
const APP_REDIRECT_URIS: readonly string[] = [
  ...['/auth/callback', '/callback', '/oauth2callback'].flatMap((path) => [
    `http://localhost${path}`,
    `http://127.0.0.1${path}`,
  ]),
  ...['anthropic', 'google', 'openai'].map((provider) => `${FAKE_DEEP_LINK_SCHEME}:/oauth/${provider}/callback`),
];

export const DEFAULT_FAKE_CLIENTS: readonly FakeClient[] = [
  {
    clientId: PUBLIC_CLIENT_ID,
    redirectUris: APP_REDIRECT_URIS,
    rotateRefreshTokens: true,
    omitRefreshTokenOnRefresh: false,
  },
  {
    clientId: GOOGLE_STYLE_CLIENT_ID,
    clientSecret: GOOGLE_STYLE_CLIENT_SECRET,
    redirectUris: APP_REDIRECT_URIS,
    rotateRefreshTokens: false,
    omitRefreshTokenOnRefresh: true,
  },
];

export const DEFAULT_FAKE_ACCOUNT: FakeAccount = {
  sub: 'user-1234',
  email: 'ada@example.test',
  chatgptAccountId: 'acct-5678',
};

function clientMetadata(client: FakeClient): Record<string, unknown> {
  return {
    client_id: client.clientId,
    ...(client.clientSecret !== undefined
      ? { client_secret: client.clientSecret, token_endpoint_auth_method: 'client_secret_post' }
      : { token_endpoint_auth_method: 'none' }),
    application_type: 'native',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [...client.redirectUris],
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function providerConfiguration(options: OidcServerOptions, clients: readonly FakeClient[]): Record<string, unknown> {
  const account = options.account ?? DEFAULT_FAKE_ACCOUNT;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rotating = new Set(clients.filter((client) => client.rotateRefreshTokens).map((client) => client.clientId));
  const accessTtl = options.accessTokenTtlSeconds ?? 3600;
  return {
    adapter: memoryAdapterFactory(),
    clients: clients.map(clientMetadata),
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomUUID()] },
    routes: { authorization: '/oauth/authorize', token: '/oauth/token', revocation: '/oauth/revoke' },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) =>
          token.clientId === client.clientId,
      },
    },
    pkce: { required: () => true },
    // An organisation's own server for a configured OpenAI client: it grants the plan scopes like
    // any other, and takes no resource indicator (the plan sign-in's `resource` is ignored).
    scopes: ['openid', 'offline_access', 'email', 'profile', 'resource.invoke', 'chatgpt.tokens.use.direct'],
    claims: { openid: ['sub', 'https://api.openai.com/auth'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({
        sub,
        email: account.email,
        email_verified: true,
        name: 'Ada Lovelace',
        ...(account.chatgptAccountId !== undefined
          ? {
              'https://api.openai.com/auth': {
                chatgpt_account_id: account.chatgptAccountId,
                chatgpt_plan_type: 'plus',
              },
            }
          : {}),
      }),
    }),
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: (ctx: { oidc: { client: { clientId: string } } }) => rotating.has(ctx.oidc.client.clientId),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: accessTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 14 * 24 * 3600,
    },
    clientBasedCORS: () => false,
    renderError: async (ctx: KoaContext, out: Record<string, unknown>) => {
      ctx.body = `error: ${String(out['error'])}`;
    },
  };
}

/** Starts the authorization server on 127.0.0.1 (a free port); `close()` stops it. */
export async function startOidcServer(options: OidcServerOptions = {}): Promise<OidcServer> {
  const clients = options.clients ?? DEFAULT_FAKE_CLIENTS;
  const account = options.account ?? DEFAULT_FAKE_ACCOUNT;
  const omitting = new Set(
    clients.filter((client) => client.omitRefreshTokenOnRefresh).map((client) => client.clientId),
  );
  const counters: OidcServerCounters = { tokenRequests: 0, byGrant: {}, revocations: 0, authorizations: 0 };
  let failure: TokenFailureMode = 'none';
  let forgedIss: string | undefined;
  let denyNext = false;

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, providerConfiguration(options, clients));
  const countGrant = (grant: string): void => {
    counters.byGrant[grant] = (counters.byGrant[grant] ?? 0) + 1;
  };

  provider.use(async (ctx, next) => {
    const isToken = ctx.method === 'POST' && ctx.path === '/oauth/token';
    if (isToken) counters.tokenRequests += 1;
    if (isToken && failure !== 'none') {
      const body = new URLSearchParams(await readBody(ctx.req));
      countGrant(body.get('grant_type') ?? 'unknown');
      if (failure === 'drop') {
        ctx.respond = false;
        ctx.req.socket.destroy();
        return;
      }
      if (failure === 'invalid_grant') {
        ctx.status = 400;
        ctx.set('content-type', 'application/json');
        ctx.body = { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' };
        return;
      }
      ctx.status = 503;
      ctx.body = 'Service Unavailable';
      return;
    }
    await next();
    const route = ctx.oidc?.route;
    if (route === 'token') {
      const grantType = ctx.oidc?.params?.['grant_type'] ?? ctx.oidc?.body?.['grant_type'];
      const grant = typeof grantType === 'string' ? grantType : 'unknown';
      countGrant(grant);
      const clientId = ctx.oidc?.client?.clientId;
      if (
        grant === 'refresh_token' &&
        clientId !== undefined &&
        omitting.has(clientId) &&
        typeof ctx.body === 'object' &&
        ctx.body !== null
      ) {
        delete (ctx.body as Record<string, unknown>)['refresh_token'];
      }
    }
    if (route === 'revocation') counters.revocations += 1;
    if (route === 'authorization') counters.authorizations += 1;
    if ((route === 'authorization' || route === 'resume') && forgedIss !== undefined) {
      const location = ctx.response.get('location');
      if (location !== '' && new URL(location, issuer).searchParams.has('iss')) {
        const forged = new URL(location, issuer);
        forged.searchParams.set('iss', forgedIss);
        ctx.set('location', forged.href);
      }
    }
  });

  const handleInteraction = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    if (denyNext) {
      denyNext = false;
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The person said no' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (details.prompt.name === 'login') {
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account.sub } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const grant =
      details.grantId !== undefined
        ? ((await provider.Grant.find(details.grantId)) ??
          new provider.Grant({ accountId: account.sub, clientId: String(details.params['client_id']) }))
        : new provider.Grant({
            accountId: details.session?.accountId ?? account.sub,
            clientId: String(details.params['client_id']),
          });
    const missing = details.prompt.details;
    if (Array.isArray(missing['missingOIDCScope']))
      grant.addOIDCScope((missing['missingOIDCScope'] as string[]).join(' '));
    if (Array.isArray(missing['missingOIDCClaims'])) grant.addOIDCClaims(missing['missingOIDCClaims'] as string[]);
    const resourceScopes = missing['missingResourceScopes'];
    if (typeof resourceScopes === 'object' && resourceScopes !== null) {
      for (const [indicator, scopes] of Object.entries(resourceScopes as Record<string, string[]>))
        grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  };

  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.method === 'GET' && /^\/interaction\/[^/?]+/.test(req.url ?? '')) {
      handleInteraction(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(`interaction failed: ${String(error)}`);
      });
      return;
    }
    callback(req, res);
  });

  return {
    issuer,
    port,
    counters,
    resetCounters: () => {
      counters.tokenRequests = 0;
      counters.byGrant = {};
      counters.revocations = 0;
      counters.authorizations = 0;
    },
    setTokenFailure: (mode) => {
      failure = mode;
    },
    forgeIss: (value) => {
      forgedIss = value;
    },
    denyNextAuthorization: () => {
      denyNext = true;
    },
    accessTokenWorks: async (accessToken) => {
      const response = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      await response.body?.cancel();
      return response.status === 200;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
