import { type ClientRequest, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedCredential } from '../core/auth-service.js';
import { silentLogger } from '../log/logger.js';
import { keyMatches, presentedKey, upstreamHeaders } from './client-auth.js';
import { errorBody, type GatewayError, sendError } from './gateway-errors.js';
import { GatewayStats } from './gateway-stats.js';
import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  type GatewayHandle,
  type GatewayOptions,
  type GatewayProvider,
  isChatGptPlanCredential,
} from './gateway-types.js';
import { abortUpstream, relay, sendUpstream, UpstreamAgents } from './forward.js';
import { readBody } from './request-body.js';
import { type GatewayRoute, parseRoute, providerOfPath, upstreamUrl } from './routes.js';

/** What one request ended as, for its log line and the counters. */
interface Outcome {
  readonly provider: GatewayProvider | undefined;
  readonly route: string;
  account: string | null;
  error: string | null;
}

/** Everything a request handler needs, fixed when the gateway starts. */
interface Context {
  readonly options: GatewayOptions;
  readonly port: () => number;
  readonly agents: UpstreamAgents;
  readonly stats: GatewayStats;
  readonly refreshing: Map<string, Promise<Resolution>>;
  readonly maxBodyBytes: number;
  readonly idleMs: number;
}

/**
 * Starts the local gateway on 127.0.0.1 (loopback only). Every request must carry the gateway key,
 * name this host (DNS rebinding) and come from no browser; the client's auth is replaced with the
 * provider credential the core resolves at that moment, so account switches apply to the next request.
 */
export async function startGateway(options: GatewayOptions): Promise<GatewayHandle> {
  const agents = new UpstreamAgents();
  let port = 0;
  const context: Context = {
    options,
    port: () => port,
    agents,
    stats: new GatewayStats(options.now ?? Date.now),
    refreshing: new Map(),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    idleMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  };
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: 0,
      keepAliveTimeout: 5_000,
      // Checked this often, so a client dribbling its headers is cut off close to headersTimeout.
      connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(headersTimeout / 4))),
      noDelay: true,
    },
    (request, response) => {
      handle(context, request, response);
    },
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // Headers too slow (slowloris) or malformed: no route is known yet, so no provider shape.
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stats: () => context.stats.snapshot(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agents.destroy();
    },
  };
}

function handle(context: Context, request: IncomingMessage, response: ServerResponse): void {
  const started = performance.now();
  const rawPath = request.url ?? '/';
  const route = parseRoute(rawPath);
  const outcome: Outcome = {
    provider: route?.provider ?? providerOfPath(rawPath),
    route: route?.logPath ?? '(unknown route)',
    account: null,
    error: null,
  };
  response.once('close', () => finishLog(context, request, response, outcome, started));
  const fail = (error: GatewayError): void => {
    outcome.error = error.message;
    sendError(response, outcome.provider, error);
    request.resume();
  };
  const refused = admission(context, request, route);
  if (refused !== undefined) return fail(refused);
  if (route === undefined)
    return fail({
      kind: 'unknown_route',
      message: `no route for this path; use /anthropic/…, /openai/… or /google/….`,
    });
  void serve(context, request, response, route, outcome).catch((error: unknown) => {
    fail({
      kind: 'upstream_unreachable',
      message: `the request failed (${error instanceof Error ? error.name : 'error'}).`,
    });
  });
}

/** Who may use the gateway: this host by name, no browser, the gateway key. */
function admission(
  context: Context,
  request: IncomingMessage,
  route: GatewayRoute | undefined,
): GatewayError | undefined {
  const port = context.port();
  const host = request.headers.host ?? '';
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return { kind: 'foreign_host', message: `requests must be addressed to 127.0.0.1:${port} or localhost:${port}.` };
  }
  const { headers } = request;
  // Browsers mark every request: Origin on CORS ones, Sec-Fetch-Site even on a no-cors GET (an
  // <img> or <script> pointing here with ?key=). Node's fetch sends only Sec-Fetch-Mode: cors.
  const fromBrowser =
    headers.origin !== undefined || headers['sec-fetch-site'] !== undefined || headers['sec-fetch-dest'] !== undefined;
  if (request.method === 'OPTIONS' || fromBrowser) {
    return { kind: 'browser_refused', message: 'browsers and web pages may not use the gateway (no CORS).' };
  }
  const presented = presentedKey(headers, route?.queryKey);
  if (presented === undefined) {
    return {
      kind: 'missing_key',
      message: 'send the gateway key as the API key (x-api-key, Authorization: Bearer or x-goog-api-key).',
    };
  }
  if (!keyMatches(presented, context.options.key.current())) {
    return {
      kind: 'wrong_key',
      message: 'the gateway key is wrong (it may have been rotated; see `the-maestro gateway --show-key`).',
    };
  }
  return undefined;
}

function accountOf(request: IncomingMessage, route: GatewayRoute): string | undefined {
  const header = request.headers['x-maestro-account'];
  return typeof header === 'string' && header !== '' ? header : route.account;
}

type Resolution = Awaited<ReturnType<GatewayOptions['credentials']['resolve']>>;

/**
 * Resolves the credential. After a provider's 401 (`rejectedSecret` set), a refresh is forced
 * only if nobody has refreshed since that token was handed out, and one forced refresh is shared
 * by every request waiting for it: rotating refresh tokens are spent once, not once per request.
 */
async function resolveCredential(
  context: Context,
  provider: GatewayProvider,
  account: string | undefined,
  rejectedSecret: string | undefined,
): Promise<Resolution> {
  const accountOption = account !== undefined ? { account } : {};
  const flightKey = `${provider}\u0000${account ?? ''}`;
  const existing = context.refreshing.get(flightKey);
  if (existing !== undefined) return existing;
  const current = await context.options.credentials.resolve(provider, accountOption);
  if (rejectedSecret === undefined || !current.ok || current.value.secret !== rejectedSecret) return current;
  const joined = context.refreshing.get(flightKey);
  if (joined !== undefined) return joined;
  const flight = context.options.credentials
    .resolve(provider, { ...accountOption, forceRefresh: true })
    .finally(() => context.refreshing.delete(flightKey));
  context.refreshing.set(flightKey, flight);
  return flight;
}

async function credentialFor(
  context: Context,
  route: GatewayRoute,
  account: string | undefined,
  rejectedSecret: string | undefined,
): Promise<{ ok: true; value: ResolvedCredential } | { ok: false; error: GatewayError }> {
  const resolved = await resolveCredential(context, route.provider, account, rejectedSecret);
  if (!resolved.ok) return { ok: false, error: { kind: 'no_credential', message: resolved.error.message } };
  const isPlan = context.options.isPlanCredential ?? isChatGptPlanCredential;
  if (isPlan(resolved.value)) {
    return {
      ok: false,
      error: {
        kind: 'plan_credential',
        message:
          "a ChatGPT-plan sign-in is never served through the gateway (OpenAI's terms); save an OpenAI API key to use this route.",
      },
    };
  }
  return { ok: true, value: resolved.value };
}

function injectedExtra(context: Context, resolved: ResolvedCredential): Record<string, string> | undefined {
  const project = context.options.googleUserProject;
  return resolved.provider === 'google' && resolved.method === 'oauth' && project !== undefined
    ? { 'x-goog-user-project': project }
    : undefined;
}

async function serve(
  context: Context,
  request: IncomingMessage,
  response: ServerResponse,
  route: GatewayRoute,
  outcome: Outcome,
): Promise<void> {
  const fail = (error: GatewayError): void => {
    outcome.error = error.message;
    sendError(response, route.provider, error);
  };
  const body = await readBody(request, context.maxBodyBytes, context.idleMs);
  if (!body.ok) {
    // The rest of the body is not read: the connection cannot carry another request.
    response.shouldKeepAlive = false;
    fail(body.error);
    request.resume();
    return;
  }
  const account = accountOf(request, route);
  // The client going away aborts the upstream request in flight (and with it the response being relayed).
  const inFlight: { request: ClientRequest | undefined; clientGone: boolean } = {
    request: undefined,
    clientGone: false,
  };
  response.once('close', () => {
    if (response.writableFinished) return;
    inFlight.clientGone = true;
    if (inFlight.request !== undefined) abortUpstream(inFlight.request);
  });
  let rejectedSecret: string | undefined;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const credential = await credentialFor(context, route, account, rejectedSecret);
    if (!credential.ok) return fail(credential.error);
    outcome.account = credential.value.account;
    if (inFlight.clientGone) return;
    const sent = await sendUpstream(
      context.agents,
      {
        url: upstreamUrl(credential.value.apiBaseUrl, route.upstreamPath),
        method: request.method ?? 'GET',
        headers: upstreamHeaders(
          request.headers,
          credential.value.headers,
          injectedExtra(context, credential.value),
          body.body.length,
        ),
        body: body.body,
        idleMs: context.idleMs,
      },
      (started) => {
        inFlight.request = started;
      },
    );
    if (!sent.ok) return fail(sent.error);
    const upstream = sent.response;
    // No byte has reached the client yet: a refreshed token may still save this request.
    if (upstream.statusCode === 401 && credential.value.method === 'oauth' && attempt === 0) {
      upstream.resume();
      rejectedSecret = credential.value.secret;
      continue;
    }
    const status = upstream.statusCode ?? 502;
    context.options.credentials.noteProviderAnswer?.(credential.value, status);
    if (status >= 400) outcome.error = `the provider answered HTTP ${status}`;
    relay(upstream, response, context.idleMs, () => streamEndedEarly(route.provider));
    return;
  }
}

/** The final event of a stream the provider cut off, in the provider's error shape (built only then). */
function streamEndedEarly(provider: GatewayProvider): string {
  return JSON.stringify(
    errorBody(provider, { kind: 'upstream_unreachable', message: 'the provider ended the stream early.' }),
  );
}

function finishLog(
  context: Context,
  request: IncomingMessage,
  response: ServerResponse,
  outcome: Outcome,
  started: number,
): void {
  const status = response.headersSent ? response.statusCode : 499;
  const complete = response.writableFinished;
  if (outcome.provider !== undefined) context.stats.record(outcome.provider, status, outcome.error);
  (context.options.logger ?? silentLogger).info('gateway request', {
    method: request.method ?? '?',
    route: outcome.route,
    status,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    account: outcome.account ?? '-',
    ...(complete ? {} : { ended: 'early' }),
  });
}
