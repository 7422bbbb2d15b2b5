import type { ModelInfo } from '../../../src-shared/auth-types.js';
import type { ErrorCode, ErrorInfo } from '../../../src-shared/errors.js';
import type { ResolvedProviderConfig } from '../../config/config-types.js';
import { type Logger, REDACTED, silentLogger } from '../../log/logger.js';
import { AuthError } from '../auth-error.js';
import type { ApiAuth } from '../credentials.js';
import type { ProviderApi } from './api-types.js';
import type { ProviderDefinition } from './definition.js';
import { mapNetworkError } from './error-mapping.js';

/** Options of `createProviderApi`; every one has a production default. */
export interface ProviderApiOptions {
  readonly fetch?: typeof fetch;
  /** Per-attempt timeout, body included; defaults to the provider's `requestTimeoutMs`. */
  readonly timeoutMs?: number;
  /** Attempts per request, first included (default 3). */
  readonly maxAttempts?: number;
  /** How to wait between attempts; tests record the delays instead of sleeping. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly logger?: Logger;
  /** Bodies larger than this are not read (default 5 MB). */
  readonly maxBodyBytes?: number;
  /** Source of jitter in [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** A `retry-after` longer than this is not waited for: the error goes back to the caller (default 10 s). */
  readonly maxRetryAfterSeconds?: number;
}

const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
const DEFAULT_MAX_RETRY_AFTER_SECONDS = 10;
const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 4_000;

/** Only these codes are worth repeating automatically; a bad key or an empty quota never is. */
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'provider_unavailable', 'network_error']);

interface Settings {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number | undefined;
  readonly maxAttempts: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly random: () => number;
  readonly maxRetryAfterSeconds: number;
}

/** One provider request's fixed inputs. */
interface Call {
  readonly definition: ProviderDefinition;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** The credential sent, scrubbed from anything the provider says back. */
  readonly secret: string;
}

/**
 * The production `ProviderApi` over `fetch`: base URL from configuration, headers from the
 * definition, a timeout per attempt, bounded retries with exponential backoff and jitter for
 * rate limits, 5xx/529 and network failures, size-capped bodies, redacted logs.
 */
export function createProviderApi(options: ProviderApiOptions = {}): ProviderApi {
  const settings: Settings = {
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs,
    maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    logger: options.logger ?? silentLogger,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    random: options.random ?? Math.random,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? DEFAULT_MAX_RETRY_AFTER_SECONDS,
  };
  const fetchJson = (
    definition: ProviderDefinition,
    config: ResolvedProviderConfig,
    auth: ApiAuth,
    pathAndQuery: string,
  ): Promise<unknown> =>
    requestWithRetries(settings, {
      definition,
      url: providerUrl(definition, config.apiBaseUrl, pathAndQuery),
      headers: { accept: 'application/json', ...authHeaders(definition, config, auth) },
      secret: auth.kind === 'api_key' ? auth.apiKey : auth.accessToken,
      timeoutMs: settings.timeoutMs ?? config.requestTimeoutMs,
    });
  return {
    async validate(definition, config, auth): Promise<void> {
      await fetchJson(definition, config, auth, definition.validationPath);
    },
    listModels(definition, config, auth): Promise<ModelInfo[]> {
      return definition.listModels((pathAndQuery) => fetchJson(definition, config, auth, pathAndQuery));
    },
  };
}

/** The headers that authenticate `auth`, with the provider's configured request settings (version, quota project). */
export function authHeaders(
  definition: ProviderDefinition,
  config: ResolvedProviderConfig,
  auth: ApiAuth,
): Readonly<Record<string, string>> {
  const settings = config.requestSettings;
  return auth.kind === 'api_key'
    ? definition.apiKeyHeaders(auth.apiKey, settings)
    : definition.bearerHeaders(auth.accessToken, settings);
}

/**
 * Base URL (origin plus optional path prefix, any trailing slash dropped) + documented path and
 * query. A base that is not an http(s) URL is a configuration error, not a network one.
 */
export function providerUrl(definition: ProviderDefinition, apiBaseUrl: string, pathAndQuery: string): URL {
  let base: URL;
  try {
    base = new URL(apiBaseUrl);
  } catch {
    throw AuthError.of(
      'config_invalid',
      `The API base URL configured for ${definition.displayName} is not a valid URL.`,
      { provider: definition.id },
    );
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw AuthError.of(
      'config_invalid',
      `The API base URL configured for ${definition.displayName} must start with https://.`,
      { provider: definition.id },
    );
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  const path = pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`;
  return new URL(`${base.origin}${prefix}${path}`);
}

/** The URL as logged and shown: no query string, no credentials. */
function safeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

async function requestWithRetries(settings: Settings, call: Call): Promise<unknown> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attemptOnce(settings, call, attempt);
    } catch (error) {
      const delayMs = retryDelayMs(settings, error, attempt);
      if (delayMs === undefined) throw error;
      settings.logger.warn('provider request failed; retrying', {
        provider: call.definition.id,
        url: safeUrl(call.url),
        errorCode: error instanceof AuthError ? error.code : 'unknown',
        attempt,
        delayMs,
      });
      await settings.sleep(delayMs);
    }
  }
}

/**
 * How long to wait before the next attempt, or undefined to give up: only retryable codes, never
 * past `maxAttempts`, and never when the provider asked for a longer pause than we are willing to
 * hold the caller for (the caller then gets `retryAfterSeconds` to show).
 */
function retryDelayMs(settings: Settings, error: unknown, attempt: number): number | undefined {
  if (attempt >= settings.maxAttempts || !(error instanceof AuthError)) return undefined;
  const { info } = error;
  if (!RETRYABLE_CODES.has(info.code) || info.retryable !== true) return undefined;
  const backoff = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)) * (0.5 + settings.random() * 0.5);
  if (info.retryAfterSeconds === undefined) return Math.round(backoff);
  if (info.retryAfterSeconds > settings.maxRetryAfterSeconds) return undefined;
  return Math.max(info.retryAfterSeconds * 1000, Math.round(backoff));
}

async function attemptOnce(settings: Settings, call: Call, attempt: number): Promise<unknown> {
  const { definition, url } = call;
  const started = Date.now();
  let response: Response;
  let text: string | undefined;
  try {
    // Redirects are not followed: fetch would forward custom credential headers (x-api-key) to the new host.
    response = await settings.fetch(url, {
      method: 'GET',
      headers: call.headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(call.timeoutMs),
    });
    text = await readCapped(response, settings.maxBodyBytes);
  } catch (error) {
    throw new AuthError(mapNetworkError(error, definition, url, call.timeoutMs), { cause: error });
  }
  settings.logger.debug('provider request', {
    provider: definition.id,
    url: safeUrl(url),
    status: response.status,
    attempt,
    ms: Date.now() - started,
  });
  return interpret(call, response, text, settings.maxBodyBytes);
}

/** Turns an HTTP answer into parsed JSON or an AuthError. `text` is undefined when the body was too large. */
function interpret(call: Call, response: Response, text: string | undefined, maxBytes: number): unknown {
  const { definition, url } = call;
  const extra = { provider: definition.id, status: response.status, retryable: false };
  if (response.status >= 300 && response.status < 400) {
    throw AuthError.of(
      'not_configured',
      `${definition.displayName} answered ${url.host} with a redirect (${response.status}), which The Maestro does not follow with credentials. Check the API base URL.`,
      extra,
    );
  }
  if (!response.ok) {
    // An oversized error body is mapped by its status alone.
    const info = withoutSecret(
      definition.mapError({
        status: response.status,
        body: text === undefined ? '' : parseMaybeJson(text),
        headers: response.headers,
      }),
      call.secret,
    );
    throw new AuthError(info.provider === undefined ? { ...info, provider: definition.id } : info);
  }
  if (text === undefined) {
    throw AuthError.of(
      'provider_unavailable',
      `${definition.displayName} sent a response larger than ${formatBytes(maxBytes)}; The Maestro stopped reading it.`,
      extra,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw AuthError.of(
      'provider_unavailable',
      `${definition.displayName} answered ${url.host} with something that is not JSON (HTTP ${response.status}); a proxy or a wrong API base URL may be in the way.`,
      extra,
    );
  }
}

/**
 * A provider (or a proxy) that echoes the credential back in its error must not put it in our
 * message: the message reaches the window, the terminal and logs, and the logger's patterns do
 * not know every token shape (OAuth access tokens are opaque).
 */
function withoutSecret(info: ErrorInfo, secret: string): ErrorInfo {
  if (secret.length < 4) return info;
  const scrub = (text: string): string =>
    text.split(secret).join(REDACTED).split(encodeURIComponent(secret)).join(REDACTED);
  return {
    ...info,
    message: scrub(info.message),
    ...(info.providerCode !== undefined ? { providerCode: scrub(info.providerCode) } : {}),
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))} MB`;
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Reads the body as text; undefined when it is (declared or found while reading) larger than `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (response.body === null) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const decoder = new TextDecoder();
  let total = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}
