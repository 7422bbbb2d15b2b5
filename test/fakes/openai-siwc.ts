/**
 * A faithful local fake of OpenAI's "Sign in with ChatGPT" for open-source apps
 * (../shared/docs/openai-siwc.md §11): ONE server on 127.0.0.1 playing both roles.
 * - auth: discovery, JWKS (RS256, kid), authorize with dynamic registration (an issued
 *   `oaiapp_…` client id in the callback of a first sign-in), the token endpoint (single-use
 *   codes, PKCE S256, exact redirect URI, resource, no client authentication, JWKS-signed ID
 *   tokens carrying the nonce, rotating refresh tokens with reuse detection), revocation;
 * - api (siwc-api.ts): `GET /v1/models` as `{"models":[…]}`, `POST /v1/responses` as SSE ending
 *   in `response.completed`, the preview's rules and the `subscription_sharing_*` errors.
 * Scenario switches are set by the test in-process (`fake.scenario`), never by the request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { handleApi, type ApiScenario } from './siwc-api.js';
import { json, jwtClaims, newSigningKey, randomToken, s256, signJwt, type SigningKey } from './siwc-keys.js';

export { json } from './siwc-keys.js';

export const SIWC_RESOURCE = 'https://api.openai.com/v1';
export const SIWC_PLACEHOLDER_CLIENT = 'dynamic_agent_client';
export const SIWC_FULL_SCOPE = 'openid profile email offline_access resource.invoke chatgpt.tokens.use.direct';
const IDENTITY_SCOPE = 'openid profile email offline_access';
const REDIRECT_PATTERN = /^http:\/\/127\.0\.0\.1:\d{1,5}\/auth\/callback$/;
const HOST_ID_PATTERN = /^(urn:uuid:[0-9a-f-]{36}|urn:ietf:params:oauth:jwk-thumbprint:.+|did:key:.+)$/;
const REFRESH_TTL_S = 30 * 24 * 3600;

export interface SiwcAccount {
  readonly sub: string;
  readonly email: string;
  readonly name: string;
}

export const SIWC_ACCOUNT: SiwcAccount = { sub: 'user-siwc-0001', email: 'grace@example.test', name: 'Grace Hopper' };

export type IdTokenVariant =
  'ok' | 'aud-string' | 'bad-signature' | 'wrong-iss' | 'wrong-aud' | 'expired' | 'wrong-nonce';

/** Test-controlled behaviour; every field defaults to the honest server. */
export interface SiwcScenario {
  /** The person declines: `error=access_denied`, no code. */
  deny: boolean;
  /** The grant lacks the plan scopes (unless the request asks `prompt=consent`). */
  identityOnly: boolean;
  /** A first sign-in comes back without the issued client id. */
  omitIssuedClientId: boolean;
  /** What a returning sign-in's callback says about the client (default: nothing). */
  returningClientId: 'omit' | 'same' | 'different';
  /** The state the callback carries differs from the request's. */
  tamperState: boolean;
  /** The person picks this account in the browser (default: the client's own account). */
  subject: string | undefined;
  idToken: IdTokenVariant;
  /** The next token request (either grant) fails with this OAuth error (`status`, `error`) or drops. */
  nextTokenFailure: { readonly status: number; readonly error: string } | 'drop' | undefined;
  /** A refresh answers with an ID token for another subject. */
  refreshSubject: string | undefined;
  /** The revocation endpoint answers 503 or drops the connection. */
  revocation: 'ok' | 'unavailable' | 'drop';
  /** The API role's behaviour (siwc-api.ts). */
  api: ApiScenario;
}

function honestScenario(): SiwcScenario {
  return {
    deny: false,
    identityOnly: false,
    omitIssuedClientId: false,
    returningClientId: 'omit',
    tamperState: false,
    subject: undefined,
    idToken: 'ok',
    nextTokenFailure: undefined,
    refreshSubject: undefined,
    revocation: 'ok',
    api: 'ok',
  };
}

interface IssuedClient {
  readonly clientId: string;
  readonly sub: string;
  readonly hostIds: Set<string>;
  readonly agentName: string;
  disconnected: boolean;
}

interface CodeRecord {
  readonly clientId: string;
  readonly challenge: string;
  readonly redirectUri: string;
  readonly nonce: string;
  readonly scope: string;
  readonly sub: string;
  readonly expiresAt: number;
  used: boolean;
}

interface RefreshRecord {
  readonly clientId: string;
  readonly sub: string;
  readonly scope: string;
  readonly family: string;
  readonly expiresAt: number;
  state: 'live' | 'used' | 'revoked';
}

export interface AccessRecord {
  readonly clientId: string;
  readonly sub: string;
  readonly scope: string;
  readonly family: string;
  readonly expiresAt: number;
  revoked: boolean;
}

export interface RecordedTokenRequest {
  readonly grantType: string | null;
  readonly form: URLSearchParams;
  readonly authorization: string | undefined;
}

export interface SiwcCounters {
  authorizations: number;
  tokenRequests: number;
  byGrant: Record<string, number>;
  revocations: number;
  jwksRequests: number;
  registrations: number;
}

export class SiwcFake {
  scenario: SiwcScenario = honestScenario();
  readonly account: SiwcAccount;
  /** Every authorize URL received, in order. */
  readonly authorizeRequests: URL[] = [];
  readonly tokenRequests: RecordedTokenRequest[] = [];
  readonly revocationRequests: URLSearchParams[] = [];
  readonly apiRequests: { readonly method: string; readonly path: string; readonly body: unknown }[] = [];
  readonly counters: SiwcCounters = {
    authorizations: 0,
    tokenRequests: 0,
    byGrant: {},
    revocations: 0,
    jwksRequests: 0,
    registrations: 0,
  };
  readonly clients = new Map<string, IssuedClient>();
  readonly accessTokens = new Map<string, AccessRecord>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private key: SigningKey = newSigningKey();
  private readonly forger: SigningKey = { ...newSigningKey(), kid: this.key.kid };
  private readonly server: Server;
  private port = 0;

  constructor(options: { readonly account?: SiwcAccount; readonly apiKeys?: Iterable<string> } = {}) {
    this.account = options.account ?? SIWC_ACCOUNT;
    this.apiKeys = new Set(options.apiKeys ?? []);
    this.server = createServer((request, response) => {
      void this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`fake failed: ${String(error)}`);
      });
    });
  }

  /** API keys the API role accepts as well (the classic `{ data }` model list, no plan rules). */
  readonly apiKeys: Set<string>;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The issuer, exactly as discovery names it. */
  get issuer(): string {
    return this.url;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Back to the honest server with empty records and counters (clients and tokens are kept). */
  reset(): void {
    this.scenario = honestScenario();
    for (const list of [this.authorizeRequests, this.tokenRequests, this.revocationRequests, this.apiRequests])
      list.length = 0;
    Object.assign(this.counters, {
      authorizations: 0,
      tokenRequests: 0,
      byGrant: {},
      revocations: 0,
      jwksRequests: 0,
      registrations: 0,
    });
  }

  /** A new signing key: ID tokens from now on carry a kid the client has not seen. */
  rotateKey(): void {
    this.key = newSigningKey();
  }

  /** A partner's or organisation's own client, known to the server without a dynamic registration. */
  addPartnerClient(clientId: string): void {
    this.clients.set(clientId, {
      clientId,
      sub: this.account.sub,
      hostIds: new Set(),
      agentName: 'partner',
      disconnected: false,
    });
  }

  /** "Disconnected in ChatGPT settings": every token of the client stops working, silently. */
  disconnect(clientId: string): void {
    const client = this.clients.get(clientId);
    if (client !== undefined) client.disconnected = true;
    for (const record of this.refreshTokens.values()) if (record.clientId === clientId) record.state = 'revoked';
    for (const record of this.accessTokens.values()) if (record.clientId === clientId) record.revoked = true;
  }

  /** Every access and refresh token ever issued: none may appear in a URL or on disk in plaintext. */
  issuedSecrets(): string[] {
    return [...this.accessTokens.keys(), ...this.refreshTokens.keys()];
  }

  /** Whether a refresh token is still usable at the token endpoint. */
  refreshTokenLive(token: string): boolean {
    return this.refreshTokens.get(token)?.state === 'live';
  }

  /** The access token's record when it is live (known, unexpired, not revoked). */
  liveAccessToken(token: string): AccessRecord | undefined {
    const record = this.accessTokens.get(token);
    return record !== undefined && !record.revoked && record.expiresAt > Date.now() ? record : undefined;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    response.setHeader('x-request-id', `req_${randomBytes(6).toString('hex')}`);
    const body = await readBody(request);
    const route = `${request.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'GET /.well-known/openid-configuration':
        return json(response, 200, this.discovery());
      case 'GET /.well-known/jwks.json':
        this.counters.jwksRequests += 1;
        return json(response, 200, { keys: [this.key.publicJwk] });
      case 'GET /api/accounts/authorize':
        return this.authorize(url, response);
      case 'POST /api/accounts/oauth/token':
        return this.token(request, body, response);
      case 'POST /api/accounts/oauth/revoke':
        return this.revoke(request, body, response);
      default:
        this.apiRequests.push({ method: request.method ?? 'GET', path: url.pathname, body: parseJson(body) });
        return handleApi(
          this,
          { method: request.method ?? 'GET', path: url.pathname, headers: request.headers, body },
          response,
        );
    }
  }

  private discovery(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      authorization_endpoint: `${this.url}/api/accounts/authorize`,
      token_endpoint: `${this.url}/api/accounts/oauth/token`,
      jwks_uri: `${this.url}/.well-known/jwks.json`,
      revocation_endpoint: `${this.url}/api/accounts/oauth/revoke`,
      userinfo_endpoint: `${this.url}/api/accounts/oauth/userinfo`,
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
    };
  }

  /** §11.2: refuses a malformed request with 400 and no redirect; registers or reauthorizes; redirects with a code. */
  private authorize(url: URL, response: ServerResponse): void {
    this.counters.authorizations += 1;
    this.authorizeRequests.push(url);
    const p = url.searchParams;
    const problem = authorizeProblem(p);
    if (problem !== undefined) return text(response, 400, `invalid_request: ${problem}`);
    const redirectUri = p.get('redirect_uri') ?? '';
    const state = p.get('state') ?? '';
    const back = new URL(redirectUri);
    const clientIdParam = p.get('client_id') ?? '';
    const registering = clientIdParam === SIWC_PLACEHOLDER_CLIENT;
    if (registering && (p.get('agent_name_hint') ?? '') === '')
      return text(response, 400, 'invalid_request: agent_name_hint');
    if (!registering && p.has('agent_name_hint'))
      return text(response, 400, 'invalid_request: agent_name_hint on a reauthorization');
    const existing = registering ? undefined : this.clients.get(clientIdParam);
    if (!registering && (existing === undefined || existing.disconnected)) return text(response, 400, 'invalid_client');
    const hostId = p.get('ext_agent_host_id') ?? '';
    if (this.scenario.deny) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('state', state);
      return redirect(response, back);
    }
    const sub = this.scenario.subject ?? existing?.sub ?? this.account.sub;
    const client = existing ?? this.register(sub, hostId, p.get('agent_name_hint') ?? '');
    client.hostIds.add(hostId);
    const consent = p.get('prompt') === 'consent' || p.get('force_reconsent') === 'true';
    const scope = this.scenario.identityOnly && !consent ? IDENTITY_SCOPE : SIWC_FULL_SCOPE;
    const code = randomToken('code_');
    this.codes.set(code, {
      clientId: client.clientId,
      challenge: p.get('code_challenge') ?? '',
      redirectUri,
      nonce: p.get('nonce') ?? '',
      scope,
      sub,
      expiresAt: Date.now() + 60_000,
      used: false,
    });
    back.searchParams.set('code', code);
    back.searchParams.set('scope', scope);
    back.searchParams.set('state', this.scenario.tamperState ? `${state}x` : state);
    if (registering && !this.scenario.omitIssuedClientId) back.searchParams.set('client_id', client.clientId);
    if (!registering && this.scenario.returningClientId === 'same') back.searchParams.set('client_id', client.clientId);
    if (!registering && this.scenario.returningClientId === 'different')
      back.searchParams.set('client_id', 'oaiapp_someoneelse');
    return redirect(response, back);
  }

  private register(sub: string, hostId: string, agentName: string): IssuedClient {
    this.counters.registrations += 1;
    const client: IssuedClient = {
      clientId: `oaiapp_${randomBytes(8).toString('hex')}`,
      sub,
      hostIds: new Set([hostId]),
      agentName,
      disconnected: false,
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  /** §11.3: form only, no client authentication, the issued client, the resource; both grants. */
  private token(request: IncomingMessage, body: string, response: ServerResponse): void {
    this.counters.tokenRequests += 1;
    const form = new URLSearchParams(body);
    const grant = form.get('grant_type');
    this.counters.byGrant[grant ?? 'unknown'] = (this.counters.byGrant[grant ?? 'unknown'] ?? 0) + 1;
    this.tokenRequests.push({ grantType: grant, form, authorization: request.headers.authorization });
    const failure = this.scenario.nextTokenFailure;
    if (failure !== undefined) {
      this.scenario.nextTokenFailure = undefined;
      if (failure === 'drop') {
        request.socket.destroy();
        return;
      }
      return json(response, failure.status, { error: failure.error, error_description: `fake: ${failure.error}` });
    }
    if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return oauthError(response, 400, 'invalid_request', 'form body required');
    if (request.headers.authorization !== undefined || form.has('client_secret'))
      return oauthError(response, 401, 'invalid_client', 'public clients do not authenticate');
    const clientId = form.get('client_id') ?? '';
    const client = this.clients.get(clientId);
    if (client === undefined || client.disconnected)
      return oauthError(response, 401, 'invalid_client', 'unknown client');
    if (form.get('resource') !== SIWC_RESOURCE) return oauthError(response, 400, 'invalid_target', 'resource');
    if (grant === 'authorization_code') return this.exchange(form, client, response);
    if (grant === 'refresh_token') return this.refresh(form, client, response);
    return oauthError(response, 400, 'unsupported_grant_type', 'grant');
  }

  private exchange(form: URLSearchParams, client: IssuedClient, response: ServerResponse): void {
    const code = this.codes.get(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    if (
      code === undefined ||
      code.used ||
      code.expiresAt < Date.now() ||
      code.clientId !== client.clientId ||
      code.redirectUri !== form.get('redirect_uri') ||
      s256(verifier) !== code.challenge
    )
      return oauthError(response, 400, 'invalid_grant', 'code');
    code.used = true;
    json(response, 200, this.tokens(client, code.sub, code.scope, randomToken('fam_'), code.nonce));
  }

  private refresh(form: URLSearchParams, client: IssuedClient, response: ServerResponse): void {
    if (form.has('scope')) return oauthError(response, 400, 'invalid_request', 'scope is not accepted on refresh');
    const token = form.get('refresh_token') ?? '';
    const record = this.refreshTokens.get(token);
    if (record === undefined || record.clientId !== client.clientId)
      return oauthError(response, 400, 'invalid_grant', 'refresh token');
    if (record.state === 'used') {
      // Reuse detection: the whole family ends.
      for (const other of this.refreshTokens.values()) if (other.family === record.family) other.state = 'revoked';
      return oauthError(response, 400, 'refresh_token_reused', 'refresh token already used');
    }
    if (record.state === 'revoked') return oauthError(response, 400, 'refresh_token_invalidated', 'revoked');
    if (record.expiresAt < Date.now()) return oauthError(response, 400, 'refresh_token_expired', 'expired');
    record.state = 'used';
    const sub = this.scenario.refreshSubject ?? record.sub;
    json(response, 200, this.tokens(client, sub, record.scope, record.family, undefined));
  }

  /** A token response; the ID token follows the scenario (forged, wrong claims…). */
  private tokens(
    client: IssuedClient,
    sub: string,
    scope: string,
    family: string,
    nonce: string | undefined,
  ): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const accessToken = randomToken('at_');
    const refreshToken = randomToken('rt_');
    this.accessTokens.set(accessToken, {
      clientId: client.clientId,
      sub,
      scope,
      family,
      expiresAt: Date.now() + 3600_000,
      revoked: false,
    });
    this.refreshTokens.set(refreshToken, {
      clientId: client.clientId,
      sub,
      scope,
      family,
      expiresAt: Date.now() + REFRESH_TTL_S * 1000,
      state: 'live',
    });
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: this.idToken(client.clientId, sub, nonce, now),
      token_type: 'Bearer',
      expires_in: 3600,
      scope,
      earliest_refresh_at: now + 54 * 60,
    };
  }

  private idToken(clientId: string, sub: string, nonce: string | undefined, now: number): string {
    const variant = this.scenario.idToken;
    const claims: Record<string, unknown> = {
      iss: variant === 'wrong-iss' ? 'https://auth.example.invalid' : this.issuer,
      aud: variant === 'wrong-aud' ? ['oaiapp_somebodyelse'] : variant === 'aud-string' ? clientId : [clientId],
      sub,
      iat: now - (variant === 'expired' ? 7200 : 0),
      exp: variant === 'expired' ? now - 3600 : now + 3600,
      email: this.account.email,
      email_verified: true,
      name: this.account.name,
      ...(nonce !== undefined ? { nonce: variant === 'wrong-nonce' ? 'not-the-nonce' : nonce } : {}),
    };
    return signJwt(claims, variant === 'bad-signature' ? this.forger : this.key);
  }

  /** §11.4: always an empty 200 for a well-formed request; ends the refresh token's family, never the client. */
  private revoke(request: IncomingMessage, body: string, response: ServerResponse): void {
    this.counters.revocations += 1;
    const form = new URLSearchParams(body);
    this.revocationRequests.push(form);
    if (this.scenario.revocation === 'drop') {
      request.socket.destroy();
      return;
    }
    if (this.scenario.revocation === 'unavailable')
      return oauthError(response, 503, 'temporarily_unavailable', 'later');
    const record = this.refreshTokens.get(form.get('token') ?? '');
    if (record !== undefined && record.clientId === form.get('client_id')) {
      for (const other of this.refreshTokens.values()) if (other.family === record.family) other.state = 'revoked';
      for (const access of this.accessTokens.values()) if (access.family === record.family) access.revoked = true;
    }
    response.writeHead(200, { 'content-length': '0' });
    response.end();
  }

  /** The ID token a hint names, read without checks (the real server treats it as a hint too). */
  static hintedSubject(hint: string | null): string | undefined {
    const sub = hint === null ? undefined : jwtClaims(hint)?.['sub'];
    return typeof sub === 'string' ? sub : undefined;
  }
}

/** Why an authorize request is refused outright (no redirect), per §11.2; undefined when it is well-formed. */
function authorizeProblem(p: URLSearchParams): string | undefined {
  for (const name of p.keys()) if (p.getAll(name).length > 1) return `${name} repeated`;
  if (p.get('response_type') !== 'code') return 'response_type';
  if (p.get('code_challenge_method') !== 'S256' || (p.get('code_challenge') ?? '') === '') return 'PKCE S256';
  if ((p.get('state') ?? '') === '' || (p.get('nonce') ?? '') === '') return 'state and nonce';
  if (p.get('resource') !== SIWC_RESOURCE) return 'resource';
  if (!(p.get('scope') ?? '').split(' ').includes('openid')) return 'scope';
  if (!HOST_ID_PATTERN.test(p.get('ext_agent_host_id') ?? '')) return 'ext_agent_host_id';
  if (!REDIRECT_PATTERN.test(p.get('redirect_uri') ?? '')) return 'redirect_uri';
  if ((p.get('client_id') ?? '') === '') return 'client_id';
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(body: string): unknown {
  try {
    return body === '' ? undefined : (JSON.parse(body) as unknown);
  } catch {
    return body;
  }
}

function text(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(body);
}

function oauthError(response: ServerResponse, status: number, error: string, description: string): void {
  json(response, status, { error, error_description: description });
}

function redirect(response: ServerResponse, location: URL): void {
  // URLSearchParams encodes spaces as '+', as the real callback's `scope` does.
  response.writeHead(302, { location: location.href, 'cache-control': 'no-store' });
  response.end();
}

/** Starts the fake on 127.0.0.1 (a free port). */
export function startSiwcFake(
  options: { readonly account?: SiwcAccount; readonly apiKeys?: Iterable<string> } = {},
): Promise<SiwcFake> {
  return new SiwcFake(options).listen();
}
