import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { AuthError } from '../auth-error.js';

/**
 * The loopback redirect receiver (RFC 8252 §7.3): a one-shot HTTP server on 127.0.0.1 that waits
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
  /** The host name used in the redirect URI as registered (`localhost` or `127.0.0.1`); we bind 127.0.0.1 either way. */
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

/** Binds 127.0.0.1 on the first free port of `ports`; rejects when every one is taken. */
async function listenOnFirstFreePort(server: Server, ports: readonly number[]): Promise<number> {
  for (const port of ports) {
    const bound = await new Promise<number | undefined>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        server.off('listening', onListening);
        if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(undefined);
        else reject(error);
      };
      const onListening = (): void => {
        server.off('error', onError);
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : undefined);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen({ port, host: '127.0.0.1', exclusive: true });
    });
    if (bound !== undefined) return bound;
  }
  throw AuthError.of(
    'network_error',
    `The sign-in callback could not listen on 127.0.0.1 (ports ${ports.join(', ')} are in use). Close the program using them, or paste the code instead.`,
    { retryable: true },
  );
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
  const server = createServer();
  const close = async (): Promise<void> => {
    if (server.listening) {
      server.close(() => resolveClosed());
      server.closeAllConnections();
    } else {
      resolveClosed();
    }
    await closed;
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
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
  });

  const port = await listenOnFirstFreePort(server, options.ports);
  // A socket error after binding must not crash the process: the flow can still be pasted.
  server.on('error', () => void close());
  const timer = setTimeout(() => void close(), options.timeoutMs);
  timer.unref();
  void closed.then(() => clearTimeout(timer));
  return { port, redirectUri: `http://${options.host}:${port}${options.path}`, closed, close };
}
