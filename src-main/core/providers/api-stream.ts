import type { ResolvedProviderConfig } from '../../config/config-types.js';
import { type Logger, REDACTED, silentLogger } from '../../log/logger.js';
import { AuthError } from '../auth-error.js';
import { providerUrl } from './api.js';
import type { ProviderDefinition } from './definition.js';
import { mapNetworkError } from './error-mapping.js';

/**
 * One streamed generation request (the model test): a JSON POST to the provider's own API, read
 * as server-sent events. No retry — the test proves what one request does — and no redirect is
 * followed with credentials. An HTTP error before the stream is mapped by the provider's
 * definition, exactly like every other request.
 */

/** One server-sent event (`event:` name when given, `data:` lines joined). */
export interface SseEvent {
  readonly event: string | undefined;
  readonly data: string;
}

export interface StreamRequest {
  readonly definition: ProviderDefinition;
  readonly config: ResolvedProviderConfig;
  /** The resolved credential's headers (they authenticate, and carry the provider's required headers). */
  readonly headers: Readonly<Record<string, string>>;
  /** The credential itself, scrubbed from anything the provider says back. */
  readonly secret: string;
  readonly path: string;
  readonly body: unknown;
}

export interface StreamingApi {
  /** Sends the request and yields the answer's events until the stream ends or the consumer stops. */
  events(request: StreamRequest): AsyncGenerator<SseEvent, void, undefined>;
}

export interface StreamingApiOptions {
  readonly fetch?: typeof fetch;
  readonly logger?: Logger;
  /** The whole exchange, stream included, ends after this long (default: twice the provider's request timeout). */
  readonly timeoutMs?: number;
}

const MAX_ERROR_BODY = 64 * 1024;
const MAX_EVENT = 1024 * 1024;

/** Splits a text/event-stream into events (WHATWG HTML §9.2.6, what a model test needs of it). */
export async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent, void, undefined> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | undefined;
  let data: string[] = [];
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (buffer.length > MAX_EVENT) throw new Error('event too large');
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) yield { event, data: data.join('\n') };
          event = undefined;
          data = [];
        } else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        else if (line.startsWith('event:')) event = line.slice(6).trim();
      }
      if (done) {
        if (data.length > 0) yield { event, data: data.join('\n') };
        return;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function scrub(text: string, secret: string): string {
  return secret.length < 4 ? text : text.split(secret).join(REDACTED);
}

async function errorBody(response: Response): Promise<unknown> {
  const text = (await response.text().catch(() => '')).slice(0, MAX_ERROR_BODY);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function createStreamingApi(options: StreamingApiOptions = {}): StreamingApi {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const logger = options.logger ?? silentLogger;
  return {
    async *events(request) {
      const { definition, config } = request;
      const url = providerUrl(definition, config.apiBaseUrl, request.path);
      const timeoutMs = options.timeoutMs ?? config.requestTimeoutMs * 2;
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method: 'POST',
          headers: { ...request.headers, 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify(request.body),
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new AuthError(mapNetworkError(error, definition, url, timeoutMs), { cause: error });
      }
      logger.debug('provider stream', {
        provider: definition.id,
        url: `${url.origin}${url.pathname}`,
        status: response.status,
      });
      if (!response.ok || response.body === null) {
        const info = definition.mapError({
          status: response.status,
          body: await errorBody(response),
          headers: response.headers,
        });
        throw new AuthError({
          ...info,
          provider: info.provider ?? definition.id,
          message: scrub(info.message, request.secret),
        });
      }
      try {
        yield* parseEventStream(response.body);
      } catch (error) {
        if (error instanceof AuthError) throw error;
        throw new AuthError(mapNetworkError(error, definition, url, timeoutMs), { cause: error });
      }
    },
  };
}
