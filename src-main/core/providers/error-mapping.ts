import type { ErrorCode, ErrorInfo } from '../../../src-shared/errors.js';
import { redactText } from '../../log/logger.js';
import { AuthError } from '../auth-error.js';
import { asRecord } from './json-fields.js';

/**
 * Shared pieces of the providers' error mapping: building an ErrorInfo without undefined fields,
 * reading `retry-after`, cleaning a provider's message before it is shown, and the mapping by
 * HTTP status alone that every provider falls back to when a body cannot be read.
 */

/** The fields a provider mapping fills in; `undefined` ones are left out (exactOptionalPropertyTypes). */
export interface ProviderErrorFields {
  readonly code: ErrorCode;
  readonly message: string;
  readonly provider: string;
  readonly status?: number | undefined;
  readonly providerCode?: string | undefined;
  readonly retryable?: boolean | undefined;
  readonly retryAfterSeconds?: number | undefined;
}

/** Builds an ErrorInfo, dropping the optional fields that have no value. */
export function providerError(fields: ProviderErrorFields): ErrorInfo {
  return {
    code: fields.code,
    message: fields.message,
    provider: fields.provider,
    ...(fields.status !== undefined ? { status: fields.status } : {}),
    ...(fields.providerCode !== undefined ? { providerCode: fields.providerCode } : {}),
    ...(fields.retryable !== undefined ? { retryable: fields.retryable } : {}),
    ...(fields.retryAfterSeconds !== undefined ? { retryAfterSeconds: fields.retryAfterSeconds } : {}),
  };
}

const MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60;

/**
 * Seconds to wait from a `retry-after` header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date),
 * or from OpenAI's `retry-after-ms`. Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && /^\d+(\.\d+)?$/.test(milliseconds.trim())) {
    return clampSeconds(Number(milliseconds.trim()) / 1000);
  }
  const value = headers.get('retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return clampSeconds(Number(value));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return clampSeconds((date - now) / 1000);
}

/** Parses a protobuf Duration as JSON-encoded by Google (`"43s"`, `"0.5s"`) into whole seconds. */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match?.[1] !== undefined ? clampSeconds(Number(match[1])) : undefined;
}

function clampSeconds(seconds: number): number | undefined {
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, Math.ceil(seconds)));
}

/**
 * A provider's own message, made safe to show: secrets redacted, control characters removed,
 * whitespace collapsed, trailing period dropped, cut to `maxLength`. Undefined for non-strings.
 */
export function cleanProviderMessage(message: unknown, maxLength = 160): string | undefined {
  if (typeof message !== 'string') return undefined;
  const flat = redactText(message)
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat === '') return undefined;
  const cut = flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
  return cut.replace(/\.$/, '');
}

/** `(401 invalid x-api-key)`: the status and the most useful short detail, for a sentence. */
export function statusDetail(status: number, detail: string | undefined): string {
  return detail === undefined ? `(${status})` : `(${status} ${detail})`;
}

/** True for statuses where a later identical request may succeed: 408, 409 (Google ABORTED), 425, 429, 5xx. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

/** What a provider mapping can say beyond the status when the body is unreadable or unexpected. */
export interface FallbackContext {
  readonly provider: string;
  readonly displayName: string;
  readonly consoleUrl: string;
  readonly status: number;
  readonly headers: Headers;
  readonly providerCode?: string | undefined;
  /** Short detail for the sentence (cleaned provider message or code). */
  readonly detail?: string | undefined;
}

/**
 * Maps an error by HTTP status only. Providers use this for bodies they cannot read (HTML from a
 * proxy, empty, another shape) and for statuses their documentation does not cover.
 */
export function mapByStatus(context: FallbackContext): ErrorInfo {
  const { displayName, status } = context;
  const where = statusDetail(status, context.detail);
  const base = { provider: context.provider, status, providerCode: context.providerCode };
  if (status === 401) {
    return providerError({
      ...base,
      code: 'invalid_credentials',
      retryable: false,
      message: `${displayName} rejected the credential ${where}. Check it at ${context.consoleUrl} or sign in again.`,
    });
  }
  if (status === 403) {
    return providerError({
      ...base,
      code: 'permission_denied',
      retryable: false,
      message: `${displayName} refused access ${where}. The credential works but is not allowed to do this; check its permissions at ${context.consoleUrl}.`,
    });
  }
  if (status === 404) {
    return providerError({
      ...base,
      code: 'not_configured',
      retryable: false,
      message: `${displayName} does not know the address The Maestro called ${where}. Check the API base URL in the configuration.`,
    });
  }
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(context.headers);
    return providerError({
      ...base,
      code: 'rate_limited',
      retryable: true,
      retryAfterSeconds,
      message: `${displayName} is limiting requests ${where}. ${waitSentence(retryAfterSeconds)}`,
    });
  }
  if (isTransientStatus(status)) {
    return providerError({
      ...base,
      code: 'provider_unavailable',
      retryable: true,
      retryAfterSeconds: parseRetryAfter(context.headers),
      message: `${displayName} is not available right now ${where}. Try again in a moment.`,
    });
  }
  return providerError({
    ...base,
    code: 'invalid_request',
    retryable: false,
    message: `${displayName} refused the request ${where}.`,
  });
}

/** "Try again in 20 seconds." or "Try again in a moment." */
export function waitSentence(retryAfterSeconds: number | undefined): string {
  if (retryAfterSeconds === undefined || retryAfterSeconds <= 1) return 'Try again in a moment.';
  return `Try again in ${retryAfterSeconds} seconds.`;
}

/** The error for a model list page that does not have the documented shape. */
export function unreadableModelList(provider: string, displayName: string, why: string): AuthError {
  return AuthError.of(
    'provider_unavailable',
    `${displayName} returned a model list The Maestro could not read (${why}).`,
    {
      provider,
      retryable: false,
    },
  );
}

/** The most pages `listModels` follows before deciding a server is looping. */
export const MAX_MODEL_PAGES = 50;

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA']);
const REFUSED_CODES = new Set(['ECONNREFUSED']);
const TLS_CODE = /^(CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH|ERR_CERT)/;

/** Error codes anywhere in a fetch failure: undici wraps them in `cause`, Happy Eyeballs in `errors`. */
function errorCodes(error: unknown, depth = 0): string[] {
  const record = asRecord(error);
  if (record === undefined || depth > 4) return [];
  const own = typeof record['code'] === 'string' ? [record['code']] : [];
  const nested = Array.isArray(record['errors'])
    ? (record['errors'] as unknown[]).flatMap((inner) => errorCodes(inner, depth + 1))
    : [];
  return [...own, ...nested, ...errorCodes(record['cause'], depth + 1)];
}

function isTimeout(error: unknown, depth = 0): boolean {
  const record = asRecord(error);
  if (record === undefined || depth > 4) return false;
  return record['name'] === 'TimeoutError' || isTimeout(record['cause'], depth + 1);
}

/**
 * Maps a failure to reach a provider (no HTTP answer) to an ErrorInfo naming the provider and the
 * host, never the query string. Timeouts and connection failures are retryable; certificate
 * failures are not (something on the path is intercepting, and retrying will not change that).
 */
export function mapNetworkError(
  error: unknown,
  definition: { readonly id: string; readonly displayName: string },
  url: URL,
  timeoutMs: number,
): ErrorInfo {
  const { displayName } = definition;
  const host = url.host;
  const base = { provider: definition.id, retryable: true };
  if (isTimeout(error)) {
    const seconds = Math.max(1, Math.round(timeoutMs / 1000));
    return providerError({
      ...base,
      code: 'provider_unavailable',
      providerCode: 'timeout',
      message: `${displayName} did not answer within ${seconds} second${seconds === 1 ? '' : 's'} (${host}). Try again in a moment.`,
    });
  }
  const codes = errorCodes(error);
  const code =
    codes.find((candidate) => DNS_CODES.has(candidate) || REFUSED_CODES.has(candidate) || TLS_CODE.test(candidate)) ??
    codes[0];
  if (code !== undefined && DNS_CODES.has(code)) {
    return providerError({
      ...base,
      code: 'network_error',
      providerCode: code,
      message: `The Maestro could not find ${host} to reach ${displayName} (${code}). Check the internet connection, proxy or DNS.`,
    });
  }
  if (code !== undefined && REFUSED_CODES.has(code)) {
    return providerError({
      ...base,
      code: 'network_error',
      providerCode: code,
      message: `${host} refused the connection, so ${displayName} could not be reached. Check the internet connection and the API base URL.`,
    });
  }
  if (code !== undefined && TLS_CODE.test(code)) {
    return providerError({
      ...base,
      retryable: false,
      code: 'network_error',
      providerCode: code,
      message: `The Maestro could not verify that ${host} is really ${displayName} (${code}). A proxy or security software may be intercepting the connection.`,
    });
  }
  const reason = code === undefined ? '' : ` (${code})`;
  return providerError({
    ...base,
    code: 'network_error',
    providerCode: code,
    message: `The connection to ${displayName} at ${host} failed${reason}. Check the internet connection and try again.`,
  });
}
