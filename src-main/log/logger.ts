import { ERROR_CODES } from '../../src-shared/errors.js';

/**
 * The one logger. Everything it writes is redacted twice: by field name (authorization,
 * access_token, refresh_token, code, code_verifier, state, key, client_secret, api_key, …, also
 * inside JSON and form bodies carried in strings) and by pattern (key prefixes, bearer tokens,
 * JWTs, Google refresh tokens), URLs of any scheme lose their query strings and fragments, and
 * URLs lose their passwords.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Where redacted log lines go. */
export type LogSink = (line: string) => void;

/** Names whose values are secrets, as object keys and inside JSON or form bodies carried in strings. */
const SECRET_NAMES =
  'authorization|proxy-authorization|x-api-key|x-goog-api-key|api[-_]?key|apikey|key|access[-_]?token|refresh[-_]?token|id[-_]?token|token|code|code[-_]?verifier|verifier|code[-_]?challenge|state|client[-_]?secret|password|passwd|secret|credential|credentials|master[-_]?key|data[-_]?key|cookie|set-cookie';

const SECRET_FIELD = new RegExp(`^(${SECRET_NAMES})$`, 'i');

/** `"refresh_token": "…"` in a JSON body inside a string, also escaped once (`\"refresh_token\":\"…\"`). */
const JSON_SECRET = new RegExp(String.raw`(\\?"(?:${SECRET_NAMES})\\?"\s*:\s*)(\\?")(?:\\.|[^"\\])*?\2`, 'gi');

/** `refresh_token=…` in a form body or a query string inside a string. */
const FORM_SECRET = new RegExp(String.raw`(^|[?&\s;,])((?:${SECRET_NAMES})=)[^&\s"'<>]+`, 'gi');

const SECRET_PATTERNS: readonly RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{4,}/g,
  /sk-[A-Za-z0-9_-]{8,}/g,
  /AIza[0-9A-Za-z_-]{10,}/g,
  /ya29\.[0-9A-Za-z._-]+/g,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  // Google refresh tokens.
  /(?<![\w/])1\/\/[0-9A-Za-z_-]{8,}/g,
];

/** A URL (any scheme, with or without slashes: custom-scheme redirects too) followed by a query or fragment. */
const URL_PATTERN = /\b([a-z][a-z0-9+.-]*:[^\s?#"'<>]*)[?#][^\s"'<>]*/gi;

/** The password of `scheme://user:password@host`. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@"'<>]*):[^\s/@"'<>]+@/gi;

export const REDACTED = '[redacted]';

/**
 * Every pattern above needs one of these to match: a quote (JSON), `=` (forms and queries), `:`
 * (URLs), or a secret shape's own beginning. Text with none of them — most logged values: a
 * method, a route, an account label, a message — cannot change, and skips the replacements.
 */
const MAY_HOLD_SECRET = /["=:]|sk-|aiza|ya29\.|eyj|bearer|basic|1\/\//i;

/** Redacts secrets from free text: known key shapes, bearer values, secret-named body fields, URL queries and passwords. */
export function redactText(text: string): string {
  return MAY_HOLD_SECRET.test(text) ? redactEveryPattern(text) : text;
}

/** `redactText` without its pre-check: every replacement, always (the property test compares the two). */
export function redactEveryPattern(text: string): string {
  let out = text
    .replace(JSON_SECRET, `$1$2${REDACTED}$2`)
    .replace(FORM_SECRET, `$1$2${REDACTED}`)
    .replace(URL_PASSWORD, `$1:${REDACTED}@`)
    .replace(URL_PATTERN, '$1?[redacted]');
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

/** Deep-copies a value with secret fields replaced and strings redacted. Cycles and depth are bounded. */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message) };
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redact(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_FIELD.test(key) && !isErrorCode(key, inner) ? REDACTED : redact(inner, depth + 1, seen);
  }
  return out;
}

/** Our own error codes (`{ code: 'invalid_credentials' }`) are not OAuth authorization codes: keep them. */
function isErrorCode(key: string, value: unknown): boolean {
  return (
    key === 'code' &&
    (typeof value === 'number' || (typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)))
  );
}

const LEVEL_ORDER: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A JSON-lines logger writing redacted records to `sink`. */
export function createLogger(options: { sink: LogSink; level?: LogLevel; scope?: string; now?: () => number }): Logger {
  const min = LEVEL_ORDER[options.level ?? 'info'];
  const now = options.now ?? Date.now;
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (LEVEL_ORDER[level] < min) return;
    const record = {
      time: new Date(now()).toISOString(),
      level,
      ...(options.scope !== undefined ? { scope: options.scope } : {}),
      message: redactText(message),
      ...(fields !== undefined ? { fields: redact(fields) } : {}),
    };
    options.sink(JSON.stringify(record));
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
