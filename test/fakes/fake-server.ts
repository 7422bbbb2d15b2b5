import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Shared plumbing of the fake provider APIs: a real `node:http` server on 127.0.0.1:0, a record
 * of every request, and behaviour set in-process (`setMode`) rather than over HTTP.
 */

/** How the fake answers, before looking at credentials or paths. */
export type FakeMode =
  /** Normal behaviour: check credentials, serve the documented routes. */
  | { readonly kind: 'ok' }
  /** The provider's exact error body for this status; `code`/`message` pick a variant (see each fake). */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryAfter?: number | string;
      readonly code?: string;
      readonly message?: string;
    }
  /** Wait, then behave normally (for timeouts). */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** Destroy the socket without answering. */
  | { readonly kind: 'drop' }
  /** Something that is not the provider's API: HTML by default, or any body and status. */
  | { readonly kind: 'garbage'; readonly status?: number; readonly body?: string; readonly contentType?: string };

export type StatusMode = Extract<FakeMode, { kind: 'status' }>;

/** One request as received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The request body as text ('' for none): a generation request's JSON. */
  readonly body: string;
}

/** An answer: JSON unless `body` is a string. */
export interface FakeReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Server-sent events to stream instead of `body` (each one `data:` JSON, with its `event:` name when given). */
  readonly events?: readonly { readonly event?: string; readonly data: unknown }[];
}

/** Credentials and models a fake starts with. */
export interface FakeServerOptions<Model> {
  readonly models?: readonly Model[];
  /** Largest page the fake serves, whatever the client asks, so pagination is exercised. */
  readonly pageSize?: number;
  readonly validKeys?: Iterable<string>;
  readonly validTokens?: Iterable<string>;
  readonly expiredTokens?: Iterable<string>;
}

const GARBAGE_HTML =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

/** A fake provider API. Subclasses reproduce one provider's authentication, routes and error bodies. */
export abstract class FakeProviderServer<Model> {
  readonly validKeys: Set<string>;
  readonly validTokens: Set<string>;
  /** Bearer tokens the provider reports as expired (its documented "expired" error). */
  readonly expiredTokens: Set<string>;
  models: Model[];
  pageSize: number | undefined;
  readonly requests: RecordedRequest[] = [];
  /** Extra routes (`'POST /v1/messages'`), answered after the fake's own authentication: streams, hangs, resets. */
  readonly extraRoutes = new Map<string, (request: RecordedRequest, response: ServerResponse) => void>();
  private baseMode: FakeMode = { kind: 'ok' };
  private override: { mode: FakeMode; remaining: number } | undefined;
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private address: AddressInfo | undefined;

  protected constructor(defaultModels: readonly Model[], options: FakeServerOptions<Model>) {
    this.models = [...(options.models ?? defaultModels)];
    this.pageSize = options.pageSize;
    this.validKeys = new Set(options.validKeys ?? []);
    this.validTokens = new Set(options.validTokens ?? []);
    this.expiredTokens = new Set(options.expiredTokens ?? []);
    this.server = createServer((request, response) => this.handle(request, response));
  }

  /** Rejects the request's credentials with the provider's exact answer, or returns undefined to accept. */
  protected abstract authenticate(request: RecordedRequest): FakeReply | undefined;
  /** Answers an authenticated request (model pages, 404s). */
  protected abstract route(request: RecordedRequest): FakeReply;
  /** The provider's exact error reply for a `status` mode. */
  protected abstract errorReply(mode: StatusMode): FakeReply;

  /** Base URL of the fake, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    if (this.address === undefined) throw new Error('fake server is not listening');
    return `http://127.0.0.1:${this.address.port}`;
  }

  /** Starts listening on 127.0.0.1 on a free port. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.address = this.server.address() as AddressInfo;
    return this;
  }

  /** Sets how the fake answers; with `times`, only for the next N requests, then back to the previous mode. */
  setMode(mode: FakeMode, options: { readonly times?: number } = {}): void {
    if (options.times === undefined) {
      this.baseMode = mode;
      this.override = undefined;
    } else {
      this.override = { mode, remaining: options.times };
    }
  }

  /** Number of requests received, for one path or all. */
  count(path?: string): number {
    return path === undefined ? this.requests.length : this.requests.filter((request) => request.path === path).length;
  }

  /** Requests received per path. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const request of this.requests) counts.set(request.path, (counts.get(request.path) ?? 0) + 1);
    return counts;
  }

  /** The most recent request (throws when none arrived). */
  lastRequest(): RecordedRequest {
    const last = this.requests.at(-1);
    if (last === undefined) throw new Error('the fake received no request');
    return last;
  }

  /** Stops the server, ending open connections and pending slow answers. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextMode(): FakeMode {
    if (this.override === undefined) return this.baseMode;
    const { mode } = this.override;
    this.override.remaining -= 1;
    if (this.override.remaining <= 0) this.override = undefined;
    return mode;
  }

  private handle(incoming: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => this.handleWithBody(incoming, response, Buffer.concat(chunks).toString('utf8')));
  }

  private handleWithBody(incoming: IncomingMessage, response: ServerResponse, body: string): void {
    const parsed = new URL(incoming.url ?? '/', 'http://fake.invalid');
    const request: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: parsed.pathname,
      query: parsed.searchParams,
      headers: incoming.headers,
      body,
    };
    this.requests.push(request);
    const mode = this.nextMode();
    switch (mode.kind) {
      case 'ok':
        return this.answer(request, response);
      case 'status':
        return send(response, this.errorReply(mode));
      case 'slow': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.answer(request, response);
        }, mode.delayMs);
        this.timers.add(timer);
        return;
      }
      case 'drop':
        incoming.socket.destroy();
        return;
      case 'garbage':
        return send(response, {
          status: mode.status ?? 200,
          body: mode.body ?? GARBAGE_HTML,
          headers: { 'content-type': mode.contentType ?? 'text/html; charset=utf-8' },
        });
      default:
        throw new Error(`unknown fake mode ${JSON.stringify(mode)}`);
    }
  }

  private answer(request: RecordedRequest, response: ServerResponse): void {
    const rejected = this.authenticate(request);
    const extra = this.extraRoutes.get(`${request.method} ${request.path}`);
    if (rejected === undefined && extra !== undefined) return extra(request, response);
    send(response, rejected ?? this.route(request));
  }
}

function send(response: ServerResponse, reply: FakeReply): void {
  if (response.destroyed || response.writableEnded) return;
  if (reply.events !== undefined) {
    response.writeHead(reply.status, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      ...reply.headers,
    });
    for (const { event, data } of reply.events)
      response.write(`${event !== undefined ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
    response.end();
    return;
  }
  const isText = typeof reply.body === 'string';
  const body = isText ? reply.body : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
    ...reply.headers,
  });
  response.end(body);
}

/** A page of `items` starting at `offset`, at most `size` long. */
export function pageOf<T>(items: readonly T[], offset: number, size: number): { page: T[]; hasMore: boolean } {
  const page = items.slice(offset, offset + size);
  return { page, hasMore: offset + page.length < items.length };
}

/** The bearer token of an `Authorization` header, if it is one. */
export function bearerOf(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

/** `retry-after` as a header, when the mode sets one. */
export function retryAfterHeader(mode: StatusMode): Readonly<Record<string, string>> {
  return mode.retryAfter === undefined ? {} : { 'retry-after': String(mode.retryAfter) };
}
