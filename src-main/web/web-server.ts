import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorCode } from '../../src-shared/errors.js';
import type { Dispatch } from '../ipc/ipc-dispatch.js';
import type { EmitEvent } from '../ipc/ipc-events.js';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import { EventStreamHub } from './event-stream.js';
import { readStaticFile } from './static-files.js';
import {
  SECURITY_HEADERS,
  bearerToken,
  createToken,
  hostAllowed,
  originAllowed,
  tokenMatches,
} from './web-security.js';

export interface WebServerOptions {
  readonly dispatch: Dispatch;
  /** Subscribes the server to push events once; the returned disposer runs on close. */
  readonly subscribe: (emit: EmitEvent) => () => void;
  /** The built renderer (out/renderer). */
  readonly staticDir: string;
  /** The page served at `/` (the web build's entry, which loads the shim before the app). */
  readonly indexFile?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** A fixed token, for tests; a fresh random 256-bit one otherwise. */
  readonly token?: string;
  readonly maxBodyBytes?: number;
  /** A request body must arrive within this long (default 10 s): a slow sender cannot hold a request open. */
  readonly bodyTimeoutMs?: number;
  /** At most this many event streams at once (default 16); more are refused with 429. */
  readonly maxEventStreams?: number;
  readonly logger?: Logger;
}

export interface WebServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** The address to open: origin plus `/#token=…` (the shim reads, then clears, the fragment). */
  readonly appUrl: string;
  close(): Promise<void>;
}

const JSON_HEADERS = {
  ...SECURITY_HEADERS,
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
};

function replyJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, JSON_HEADERS).end(JSON.stringify(body));
}

/** What a page with a missing or stale token (the server restarted) is told to do. */
const WRONG_TOKEN =
  'This page has no valid token: open the address the web transport printed when it started (it ends in #token=…).';

function refuse(response: ServerResponse, status: number, code: ErrorCode, message: string): void {
  replyJson(response, status, { ok: false, error: { code, message } });
}

type BodyRead =
  { readonly kind: 'ok'; readonly text: string } | { readonly kind: 'too_large' } | { readonly kind: 'too_slow' };

/** Reads a request body up to `limit` bytes within `timeoutMs`; a slower sender's connection is destroyed. */
async function readBody(request: IncomingMessage, limit: number, timeoutMs: number): Promise<BodyRead> {
  const chunks: Buffer[] = [];
  let size = 0;
  const timing = { expired: false };
  const timer = setTimeout(() => {
    timing.expired = true;
    request.destroy();
  }, timeoutMs);
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) return { kind: 'too_large' };
      chunks.push(chunk);
    }
  } catch (error) {
    if (timing.expired) return { kind: 'too_slow' };
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return timing.expired ? { kind: 'too_slow' } : { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') };
}

/**
 * The development and test transport: the real IPC handlers over HTTP on 127.0.0.1 only.
 * `POST /ipc/<channel>` (JSON, `Authorization: Bearer <token>`), `GET /events` (server-sent
 * events; token by header or `?token=`, since EventSource cannot send headers), and the built
 * renderer as static files with the app's CSP. The token is per run (valid until the server
 * stops, not one-time); bodies are size- and time-limited, and event streams are capped. Every request must name this server in its Host
 * header (DNS rebinding); no CORS headers are ever sent, so other origins cannot read replies.
 * Never part of the packaged app.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? createToken();
  const logger = options.logger ?? silentLogger;
  const limit = options.maxBodyBytes ?? 64 * 1024;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;
  const maxEventStreams = options.maxEventStreams ?? 16;
  const indexFile = options.indexFile ?? 'web.html';
  const hub = new EventStreamHub();
  let port = 0;

  const handleIpc = async (request: IncomingMessage, response: ServerResponse, channel: string): Promise<void> => {
    if (request.method !== 'POST') return refuse(response, 405, 'invalid_input', 'Use POST.');
    if (!tokenMatches(token, bearerToken(request))) return refuse(response, 401, 'not_authenticated', WRONG_TOKEN);
    if (!/^application\/json(;|$)/.test(request.headers['content-type'] ?? ''))
      return refuse(response, 415, 'invalid_input', 'Send JSON.');
    const body = await readBody(request, limit, bodyTimeoutMs);
    if (body.kind === 'too_large') return refuse(response, 413, 'invalid_input', 'The request is too large.');
    // The connection is gone (destroyed when the body was too slow): nothing can be answered.
    if (body.kind === 'too_slow') return;
    const text = body.text;
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      return refuse(response, 400, 'invalid_input', 'The request is not valid JSON.');
    }
    replyJson(response, 200, await options.dispatch(channel, payload));
  };

  const handleEvents = (request: IncomingMessage, response: ServerResponse, url: URL): void => {
    if (request.method !== 'GET') return refuse(response, 405, 'invalid_input', 'Use GET.');
    if (!tokenMatches(token, bearerToken(request) ?? url.searchParams.get('token'))) {
      return refuse(response, 401, 'not_authenticated', WRONG_TOKEN);
    }
    if (hub.size >= maxEventStreams)
      return refuse(response, 429, 'rate_limited', 'Too many open event streams; close another window first.');
    hub.attach(response, SECURITY_HEADERS);
  };

  const handleStatic = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return refuse(response, 405, 'invalid_input', 'Use GET.');
    const file = await readStaticFile(options.staticDir, url.pathname, indexFile);
    if (file === null) {
      response.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.contentType, 'Cache-Control': 'no-cache' });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!hostAllowed(request, port)) return refuse(response, 421, 'permission_denied', 'Wrong host.');
    if (!originAllowed(request, port))
      return refuse(response, 403, 'permission_denied', 'Cross-origin requests are refused.');
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/ipc/')) return handleIpc(request, response, url.pathname.slice('/ipc/'.length));
    if (url.pathname === '/events') return handleEvents(request, response, url);
    return handleStatic(request, response, url);
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      logger.error('Web transport request failed', { error });
      if (!response.headersSent) refuse(response, 500, 'internal', 'The request failed.');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const unsubscribe = options.subscribe((event, payload) => hub.send(event, payload));
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    token,
    appUrl: `${origin}/#token=${token}`,
    close: async () => {
      unsubscribe();
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
