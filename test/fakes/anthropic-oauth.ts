/**
 * A fake of Anthropic's OAuth server on 127.0.0.1, where oidc-provider cannot stand in: no
 * discovery, a token endpoint that takes a JSON body only (a form body gets 400, as the real one
 * answers), `state` expected in that JSON body, PKCE S256, a paste page that shows `code#state`,
 * and single-use rotating refresh tokens (reuse → 400 invalid_grant and the family is revoked).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenFailureMode } from './oauth-server.js';

export const ANTHROPIC_FAKE_CLIENT_ID = 'maestro-anthropic-client';
export const ANTHROPIC_FAKE_ACCOUNT = { uuid: 'acc-anthropic-42', email: 'grace@example.test' } as const;

export interface AnthropicOAuthServer {
  readonly origin: string;
  /** `${origin}/cai/oauth/authorize`, the current path (the older `/oauth/authorize` works too) */
  readonly authorizationEndpoint: string;
  /** `${origin}/v1/oauth/token` */
  readonly tokenEndpoint: string;
  /** `${origin}/oauth/code/callback`: the page that shows `code#state`. */
  readonly pasteRedirectUri: string;
  readonly counters: { tokenRequests: number; byGrant: Record<string, number>; formBodiesRejected: number };
  resetCounters(): void;
  setTokenFailure(mode: TokenFailureMode): void;
  denyNextAuthorization(): void;
  /** Whether an access token is currently valid (not expired, not revoked by reuse detection). */
  accessTokenWorks(token: string): boolean;
  close(): Promise<void>;
}

interface IssuedCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly state: string;
  readonly expiresAt: number;
  used: boolean;
}

/** Tokens descending from one authorization; reuse of a refresh token revokes them all. */
interface Family {
  revoked: boolean;
}

const random = (prefix: string): string => `${prefix}${randomBytes(24).toString('base64url')}`;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the fake; `accessTokenTtlSeconds` defaults to 8 hours like the real access tokens. */
export async function startAnthropicOAuthServer(
  options: { readonly accessTokenTtlSeconds?: number } = {},
): Promise<AnthropicOAuthServer> {
  const ttl = options.accessTokenTtlSeconds ?? 8 * 3600;
  const codes = new Map<string, IssuedCode>();
  const refreshTokens = new Map<string, { family: Family; consumed: boolean }>();
  const accessTokens = new Map<string, { family: Family; expiresAt: number }>();
  const counters = { tokenRequests: 0, byGrant: {} as Record<string, number>, formBodiesRejected: 0 };
  let failure: TokenFailureMode = 'none';
  let denyNext = false;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pasteRedirectUri = `${origin}/oauth/code/callback`;

  const redirectAllowed = (uri: string): boolean => {
    if (uri === pasteRedirectUri) return true;
    const parsed = URL.parse(uri);
    return (
      parsed !== null &&
      parsed.protocol === 'http:' &&
      ['localhost', '127.0.0.1'].includes(parsed.hostname) &&
      parsed.pathname === '/callback'
    );
  };

  const issueTokens = (family: Family): Record<string, unknown> => {
    const accessToken = random('sk-ant-oat01-');
    const refreshToken = random('sk-ant-ort01-');
    accessTokens.set(accessToken, { family, expiresAt: Date.now() + ttl * 1000 });
    refreshTokens.set(refreshToken, { family, consumed: false });
    return {
      token_type: 'Bearer',
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: ttl,
      scope: 'user:profile user:inference',
      account: { uuid: ANTHROPIC_FAKE_ACCOUNT.uuid, email_address: ANTHROPIC_FAKE_ACCOUNT.email },
      organization: { uuid: 'org-1', name: 'Example Org' },
    };
  };

  const authorize = (url: URL, res: ServerResponse): void => {
    const p = url.searchParams;
    const redirectUri = p.get('redirect_uri') ?? '';
    if (p.get('client_id') !== ANTHROPIC_FAKE_CLIENT_ID || !redirectAllowed(redirectUri))
      return json(res, 400, { error: 'invalid_request', error_description: 'Invalid client or redirect' });
    const state = p.get('state');
    const challenge = p.get('code_challenge');
    const back = new URL(redirectUri);
    if (
      p.get('response_type') !== 'code' ||
      state === null ||
      challenge === null ||
      p.get('code_challenge_method') !== 'S256'
    ) {
      back.searchParams.set('error', 'invalid_request');
    } else if (denyNext) {
      denyNext = false;
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = random('');
      codes.set(code, {
        clientId: ANTHROPIC_FAKE_CLIENT_ID,
        redirectUri,
        challenge,
        state,
        expiresAt: Date.now() + 60_000,
        used: false,
      });
      back.searchParams.set('code', code);
    }
    if (state !== null) back.searchParams.set('state', state);
    res.writeHead(302, { location: back.href });
    res.end();
  };

  const exchangeCode = (body: Record<string, unknown>, res: ServerResponse): void => {
    const issued = codes.get(String(body['code']));
    const verifier = typeof body['code_verifier'] === 'string' ? body['code_verifier'] : '';
    const valid =
      issued !== undefined &&
      !issued.used &&
      Date.now() < issued.expiresAt &&
      body['client_id'] === issued.clientId &&
      body['redirect_uri'] === issued.redirectUri &&
      body['state'] === issued.state &&
      sha256(verifier) === issued.challenge;
    if (issued !== undefined) issued.used = true;
    if (!valid) return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
    json(res, 200, issueTokens({ revoked: false }));
  };

  const refresh = (body: Record<string, unknown>, res: ServerResponse): void => {
    const entry = refreshTokens.get(String(body['refresh_token']));
    if (body['client_id'] !== ANTHROPIC_FAKE_CLIENT_ID || entry === undefined || entry.family.revoked) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'Refresh token not found or invalid' });
    }
    if (entry.consumed) {
      entry.family.revoked = true;
      return json(res, 400, { error: 'invalid_grant', error_description: 'Refresh token already used' });
    }
    entry.consumed = true;
    json(res, 200, issueTokens(entry.family));
  };

  const token = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counters.tokenRequests += 1;
    const raw = await readBody(req);
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      counters.formBodiesRejected += 1;
      return json(res, 400, { error: 'invalid_request', error_description: 'Invalid request format' });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return json(res, 400, { error: 'invalid_request', error_description: 'Invalid JSON' });
    }
    const grant = String(body['grant_type']);
    counters.byGrant[grant] = (counters.byGrant[grant] ?? 0) + 1;
    if (failure === 'drop') return void req.socket.destroy();
    if (failure === 'unavailable')
      return json(res, 503, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    if (grant === 'authorization_code') return exchangeCode(body, res);
    if (grant === 'refresh_token') return refresh(body, res);
    json(res, 400, { error: 'unsupported_grant_type' });
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    // `/cai/oauth/authorize` is the current path on claude.com; `/oauth/authorize` the older one on claude.ai.
    if (req.method === 'GET' && (url.pathname === '/oauth/authorize' || url.pathname === '/cai/oauth/authorize'))
      return authorize(url, res);
    if (req.method === 'GET' && url.pathname === '/oauth/code/callback') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(
        `<p>Paste this code into the app:</p><code>${escapeHtml(`${url.searchParams.get('code') ?? ''}#${url.searchParams.get('state') ?? ''}`)}</code>`,
      );
    }
    if (req.method === 'POST' && url.pathname === '/v1/oauth/token') {
      return void token(req, res).catch(() => json(res, 500, { error: 'server_error' }));
    }
    json(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } });
  });

  return {
    origin,
    authorizationEndpoint: `${origin}/cai/oauth/authorize`,
    tokenEndpoint: `${origin}/v1/oauth/token`,
    pasteRedirectUri,
    counters,
    resetCounters: () => {
      counters.tokenRequests = 0;
      counters.byGrant = {};
      counters.formBodiesRejected = 0;
    },
    setTokenFailure: (mode) => {
      failure = mode;
    },
    denyNextAuthorization: () => {
      denyNext = true;
    },
    accessTokenWorks: (value) => {
      const entry = accessTokens.get(value);
      return entry !== undefined && !entry.family.revoked && Date.now() < entry.expiresAt;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
