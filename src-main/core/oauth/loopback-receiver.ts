import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { AuthError } from '../auth-error.js';
import { listenOnLoopback } from './loopback-listen.js';

/**
 * The loopback redirect receiver (RFC 8252 §7.3): a one-shot HTTP server on 127.0.0.1 (and on ::1
 * too when the redirect is registered as `localhost`, which a browser may resolve to either) that waits
 * for the browser to come back with the authorization response for ONE flow, answers with a
 * static page, and closes.
 */

/** The page the browser shows. Static on purpose: nothing from the request is echoed into it. */
const DONE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The Maestro</title></head>
<body><h1>You can return to The Maestro</h1><p>You can close this tab now.</p></body></html>
`;

const NOT_FOUND_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The Maestro</title></head>
<body><p>Not found.</p></body></html>
`;

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  connection: 'close',
};

export interface LoopbackReceiverOptions {
  /** The host name used in the redirect URI as registered: `127.0.0.1` binds that address; `localhost` binds 127.0.0.1 and ::1 on the same port. */
  readonly host: '127.0.0.1' | 'localhost';
  /** Ports to try in order; 0 means any free port. */
  readonly ports: readonly number[];
  /** The exact callback path, e.g. `/auth/callback`. */
  readonly path: string;
  /** Only a request carrying this `state` is consumed, so a stray local request cannot end the flow. */
  readonly expectedState: string;
  /** Called once with the callback's query parameters, after the page has been sent. */
  readonly onCallback: (params: URLSearchParams) => void;
  /** Closes the receiver after this long even when nothing arrived. */
  readonly timeoutMs: number;
}

export interface LoopbackReceiver {
  readonly port: number;
  /** `http://<host>:<port><path>` exactly as sent in the authorization request. */
  readonly redirectUri: string;
  /** Resolves once the server has stopped listening (callback received, timed out or closed). */
  readonly closed: Promise<void>;
  /** Stops listening; safe to call more than once. */
  close(): Promise<void>;
}

function sameState(received: string | null, expected: string): boolean {
  if (received === null) return false;
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, SECURITY_HEADERS);
  res.end(body);
}

/** Starts a receiver; the caller owns it and must close it (it also closes itself after one callback or the timeout). */
export async function startLoopbackReceiver(options: LoopbackReceiverOptions): Promise<LoopbackReceiver> {
  // Loaded on first use: importing node:http at start-up costs every launch ~15 ms for a rare flow.
  const { createServer } = process.getBuiltinModule('node:http');
  let consumed = false;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  // One server per loopback address: a `localhost` redirect is served on 127.0.0.1 and on ::1.
  const servers = options.host === 'localhost' ? [createServer(), createServer()] : [createServer()];
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if (!server.listening) return resolve();
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    ).then(() => resolveClosed());
    return closing.then(() => closed);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params = url.searchParams;
    if (
      consumed ||
      req.method !== 'GET' ||
      url.pathname !== options.path ||
      !sameState(params.get('state'), options.expectedState)
    ) {
      reply(res, 404, NOT_FOUND_PAGE);
      return;
    }
    consumed = true;
    reply(res, 200, DONE_PAGE);
    res.once('finish', () => {
      void close();
      options.onCallback(new URLSearchParams(params));
    });
  };

  for (const server of servers) server.on('request', onRequest);
  const [ipv4, ipv6] = servers;
  if (ipv4 === undefined) throw AuthError.of('internal', 'The loopback receiver has no server.');
  let port: number;
  try {
    port = await listenOnLoopback(ipv4, ipv6 ?? null, options.ports);
  } catch (error) {
    await close();
    throw error;
  }
  // A socket error after binding must not crash the process: the flow can still be pasted.
  for (const server of servers) server.on('error', () => void close());
  const timer = setTimeout(() => void close(), options.timeoutMs);
  timer.unref();
  void closed.then(() => clearTimeout(timer));
  return { port, redirectUri: `http://${options.host}:${port}${options.path}`, closed, close };
}
