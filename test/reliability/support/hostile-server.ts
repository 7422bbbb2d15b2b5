/**
 * A local HTTP server that answers the way a broken or hostile provider (or something in the
 * way) might: wrong types, malformed or huge bodies, the wrong content type, a body dripped
 * slowly, a connection reset halfway, secrets echoed back. What it does next is set per request
 * by the test (`reply`), so a property-based test can describe an answer and check the client.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HostileReply =
  | {
      readonly kind: 'body';
      readonly status: number;
      readonly contentType: string | null;
      readonly body: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** `bytes` of filler; `declared` sends a content-length, otherwise it is chunked. */
  | { readonly kind: 'huge'; readonly status: number; readonly bytes: number; readonly declared: boolean }
  /** Headers at once, then one small chunk every `everyMs`, never finishing in time. */
  | { readonly kind: 'drip'; readonly status: number; readonly everyMs: number }
  /** Part of a body, then the socket is destroyed. */
  | { readonly kind: 'reset'; readonly status: number; readonly partial: string }
  /** Echoes the credential the client sent inside an error body of this status. */
  | { readonly kind: 'echo'; readonly status: number; readonly field: 'message' | 'code' | 'type' };

export interface HostileServer {
  readonly url: string;
  /** How the next requests are answered. */
  reply: HostileReply;
  /** Requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

function credentialOf(request: IncomingMessage): string {
  const header =
    request.headers['x-api-key'] ?? request.headers['x-goog-api-key'] ?? request.headers.authorization ?? '';
  return (Array.isArray(header) ? header.join(',') : header).replace(/^Bearer\s+/i, '');
}

function answer(
  reply: HostileReply,
  request: IncomingMessage,
  response: ServerResponse,
  timers: Set<NodeJS.Timeout>,
): void {
  switch (reply.kind) {
    case 'body':
      response.writeHead(reply.status, {
        ...(reply.contentType !== null ? { 'content-type': reply.contentType } : {}),
        ...reply.headers,
      });
      response.end(reply.body);
      return;
    case 'huge': {
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      response.writeHead(reply.status, {
        'content-type': 'application/json',
        ...(reply.declared ? { 'content-length': String(reply.bytes) } : {}),
      });
      let sent = 0;
      const pump = (): void => {
        while (sent < reply.bytes && !response.destroyed) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      pump();
      return;
    }
    case 'drip': {
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.write('{"data": [');
      const timer = setInterval(() => (response.destroyed ? clearInterval(timer) : response.write(' ')), reply.everyMs);
      timers.add(timer);
      response.once('close', () => clearInterval(timer));
      return;
    }
    case 'reset':
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.write(reply.partial, () => request.socket.destroy());
      return;
    case 'echo': {
      const secret = credentialOf(request);
      const error = {
        message: `Invalid credential ${secret}.`,
        code: 'invalid',
        type: 'invalid_request_error',
        status: 'UNAUTHENTICATED',
        [reply.field]: `bad ${secret}`,
      };
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ type: 'error', error }));
      return;
    }
  }
}

/** Starts the server on 127.0.0.1 (a free port). */
export async function startHostileServer(): Promise<HostileServer> {
  const timers = new Set<NodeJS.Timeout>();
  let requests = 0;
  const state: { reply: HostileReply } = {
    reply: { kind: 'body', status: 200, contentType: 'application/json', body: '{}' },
  };
  const server = createServer((request, response) => {
    requests += 1;
    request.resume();
    answer(state.reply, request, response, timers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get reply() {
      return state.reply;
    },
    set reply(next: HostileReply) {
      state.reply = next;
    },
    get requests() {
      return requests;
    },
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
