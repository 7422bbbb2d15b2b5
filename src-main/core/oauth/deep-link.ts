import { PROVIDER_ID_PATTERN } from '../../../src-shared/auth-types.js';
import { AuthError } from '../auth-error.js';

/**
 * Deep-link callbacks (RFC 8252 §7.1, private-use URI scheme). The operating system hands us a
 * string anyone on the machine can produce, so parsing is exact and total: one accepted shape,
 * `<scheme>:/oauth/<provider>/callback?…`, and a result value (never an exception) for anything else.
 */

/** Longest deep link we look at; real callbacks are a few hundred characters. */
export const MAX_DEEP_LINK_LENGTH = 4096;

/** Parameters an authorization response may carry that we read; each may appear at most once. */
const RESPONSE_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss'] as const;

export type DeepLinkParseResult =
  | { readonly ok: true; readonly provider: string; readonly params: URLSearchParams }
  | { readonly ok: false; readonly reason: string };

export interface DeepLinkOptions {
  /** The app's private-use scheme, e.g. `app.themaestro.desktop`; compared exactly. */
  readonly scheme: string;
  /** Known provider ids; when omitted any well-formed provider id is accepted (the flow lookup decides). */
  readonly providers?: readonly string[];
}

/** The redirect URI registered for a provider's deep-link callback (single-slash form, RFC 8252 §7.1). */
export function deepLinkRedirectUri(scheme: string, provider: string): string {
  return `${scheme}:/oauth/${provider}/callback`;
}

/** Printable ASCII only: no controls, no spaces, nothing a browser would have percent-encoded. */
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;
/** True when a decoded value holds a C0 control character or DEL (e.g. `%0a` smuggled in a parameter). */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    if (unit < 0x20 || unit === 0x7f) return true;
  }
  return false;
}

function fail(reason: string): DeepLinkParseResult {
  return { ok: false, reason };
}

/** Decodes one query component like `application/x-www-form-urlencoded`; undefined when malformed. */
function decodeComponent(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Splits a query string, refusing malformed escapes, control characters and repeated names. */
function parseQuery(query: string): URLSearchParams | string {
  const params = new URLSearchParams();
  const seen = new Set<string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = decodeComponent(eq === -1 ? '' : pair.slice(eq + 1));
    if (name === undefined || value === undefined) return 'malformed percent-encoding';
    if (hasControlCharacter(name) || hasControlCharacter(value)) return 'control characters in a parameter';
    if (seen.has(name)) return `parameter "${name.slice(0, 32)}" appears more than once`;
    seen.add(name);
    if ((RESPONSE_PARAMS as readonly string[]).includes(name)) params.set(name, value);
  }
  return params;
}

/** Checks that the response parameters form exactly one authorization response (RFC 6749 §4.1.2). */
function checkResponseShape(params: URLSearchParams): string | undefined {
  const state = params.get('state');
  if (state === null || state === '') return 'missing state';
  const code = params.get('code');
  const error = params.get('error');
  if (code !== null && error !== null) return 'both code and error';
  if ((code === null || code === '') && (error === null || error === '')) return 'missing code';
  return undefined;
}

/**
 * Parses a deep-link callback exactly: the scheme (case and all), an empty host in the
 * single-slash form, the path `/oauth/<provider>/callback`; no userinfo, fragment, duplicated
 * parameter, control character or oversized input. Unknown parameters are ignored; `state` and
 * one of `code`/`error` must be present. Never throws.
 */
export function parseDeepLink(input: unknown, options: DeepLinkOptions): DeepLinkParseResult {
  if (typeof input !== 'string') return fail('not a string');
  if (input.length > MAX_DEEP_LINK_LENGTH) return fail('too long');
  if (!PRINTABLE_ASCII.test(input)) return fail('control characters, spaces or non-ASCII characters');
  const prefix = `${options.scheme}:`;
  if (options.scheme === '' || !input.startsWith(prefix)) return fail('not our scheme');
  if (input.includes('#')) return fail('fragments are not accepted');
  const rest = input.slice(prefix.length);
  const queryStart = rest.indexOf('?');
  const path = queryStart === -1 ? rest : rest.slice(0, queryStart);
  const match = /^\/oauth\/([^/]+)\/callback$/.exec(path);
  if (match === null) return fail('not a callback path');
  const provider = match[1] ?? '';
  const known =
    options.providers === undefined ? PROVIDER_ID_PATTERN.test(provider) : options.providers.includes(provider);
  if (!known) return fail('unknown provider');
  const params = parseQuery(queryStart === -1 ? '' : rest.slice(queryStart + 1));
  if (typeof params === 'string') return fail(params);
  const shapeProblem = checkResponseShape(params);
  if (shapeProblem !== undefined) return fail(shapeProblem);
  return { ok: true, provider, params };
}

/** The one refusal of a link that is not a sign-in callback: why goes to the log, never to the person. */
export function notASignInCallback(): AuthError {
  return AuthError.of('invalid_input', 'This link is not a sign-in callback for The Maestro.');
}

/** A URL's scheme as written (case kept), or '' when it has none. */
function schemeOf(input: unknown): string {
  return typeof input === 'string' ? (/^([A-Za-z][A-Za-z0-9+.-]*):/.exec(input.slice(0, 256))?.[1] ?? '') : '';
}

/**
 * Which provider's callback a deep link is, read with the scheme the link itself names: enough to
 * route it to that provider, whose sign-in then parses it with the scheme it is configured for.
 */
export function deepLinkProvider(
  input: unknown,
): { readonly ok: true; readonly provider: string } | { readonly ok: false; readonly reason: string } {
  const parsed = parseDeepLink(input, { scheme: schemeOf(input) });
  return parsed.ok ? { ok: true, provider: parsed.provider } : parsed;
}

/**
 * Finds our deep link in a command line (Windows/Linux `second-instance` argv). The link is found
 * by its scheme, never by position; anything starting with `-` is a flag and is never taken for a
 * URL (Chromium appends its own switches); of several candidates the first that parses wins.
 */
export function extractDeepLinkFromArgv(
  argv: readonly unknown[],
  scheme: string,
  providers?: readonly string[],
): string | undefined {
  const options: DeepLinkOptions = providers === undefined ? { scheme } : { scheme, providers };
  for (const arg of argv) {
    if (typeof arg !== 'string' || arg.startsWith('-')) continue;
    if (!arg.startsWith(`${scheme}:`)) continue;
    if (parseDeepLink(arg, options).ok) return arg;
  }
  return undefined;
}
