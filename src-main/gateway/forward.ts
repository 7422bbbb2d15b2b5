import {
  Agent as HttpAgent,
  type ClientRequest,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { GatewayError } from './gateway-errors.js';

/** One upstream attempt, described without any secret-bearing object leaving this module. */
export interface UpstreamRequest {
  readonly url: URL;
  readonly method: string;
  /** Sent as they are: the caller has set `content-length` to the body's length. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly idleMs: number;
}

export type UpstreamOutcome =
  { readonly ok: true; readonly response: IncomingMessage } | { readonly ok: false; readonly error: GatewayError };

/**
 * Keep-alive agents, one per scheme, owned by a gateway and destroyed with it. Up to a thousand
 * idle connections per provider are kept (Node's default keeps 256), so a burst of concurrent
 * requests or streams finds its connections open the next time instead of opening most again.
 */
export class UpstreamAgents {
  readonly http = new HttpAgent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1_024 });
  readonly https = new HttpsAgent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1_024 });

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/**
 * Sends one request upstream and waits for the response headers; silence longer than `idleMs`
 * before them is a 504. `started` receives the request at once, so the caller can abort it when
 * its client goes away (`abortUpstream`).
 */
export function sendUpstream(
  agents: UpstreamAgents,
  upstream: UpstreamRequest,
  started: (request: ClientRequest) => void,
): Promise<UpstreamOutcome> {
  return new Promise((resolve) => {
    const isHttps = upstream.url.protocol === 'https:';
    const send = isHttps ? httpsRequest : httpRequest;
    const request = send(upstream.url, {
      method: upstream.method,
      headers: upstream.headers,
      agent: isHttps ? agents.https : agents.http,
    });
    started(request);
    request.setTimeout(upstream.idleMs, () => {
      request.destroy();
      resolve({
        ok: false,
        error: { kind: 'upstream_timeout', message: `the provider did not answer within ${upstream.idleMs} ms.` },
      });
    });
    request.once('response', (response) => resolve({ ok: true, response }));
    request.once('error', (error: NodeJS.ErrnoException) => {
      resolve({
        ok: false,
        error: {
          kind: 'upstream_unreachable',
          message: `the provider at ${upstream.url.origin} could not be reached (${error.code ?? error.name}).`,
        },
      });
    });
    // Small writes go out at once: Nagle's algorithm against the provider's delayed ACK stalls tens of ms.
    request.setNoDelay(true);
    if (upstream.body.length === 0) request.end();
    else request.end(upstream.body);
  });
}

/** Aborts an upstream request whose client went away (its response, if any, ends with it). */
export function abortUpstream(request: ClientRequest): void {
  const error = new Error('the client closed the connection');
  error.name = 'AbortError';
  request.destroy(error);
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'trailer',
  'te',
  'proxy-authenticate',
]);

/** The provider's response headers minus hop-by-hop ones and any CORS header (the gateway sends none). */
export function responseHeaders(response: IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name.startsWith('access-control-')) continue;
    out[name] = value;
  }
  return out;
}

/**
 * Streams the provider's answer to the client as it arrives (no buffering). If the provider resets
 * or goes quiet mid-stream, an event stream gets a final error event and ends; any other body is
 * cut off, so the client sees an incomplete answer rather than a silently truncated one.
 */
export function relay(
  response: IncomingMessage,
  client: ServerResponse,
  idleMs: number,
  streamError: () => string,
): void {
  client.writeHead(response.statusCode ?? 502, responseHeaders(response));
  const isEventStream = (response.headers['content-type'] ?? '').startsWith('text/event-stream');
  // A stream's headers go out now (the SDK starts reading); a plain body's go out with it, in one write.
  if (isEventStream) client.flushHeaders();
  const broken = (): void => {
    if (client.writableEnded || client.destroyed) return;
    if (isEventStream) client.end(`\n\nevent: error\ndata: ${streamError()}\n\n`);
    else client.destroy();
  };
  response.setTimeout(idleMs, () => {
    response.destroy();
    broken();
  });
  response.on('data', (chunk: Buffer) => {
    if (!client.write(chunk)) {
      response.pause();
      client.once('drain', () => response.resume());
    }
  });
  response.once('end', () => client.end());
  response.once('aborted', broken);
  response.once('error', broken);
  response.once('close', () => {
    if (!response.complete) broken();
  });
}
