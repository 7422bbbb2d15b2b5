import { ACCOUNT_LABEL_PATTERN } from '../../src-shared/auth-types.js';
import { GATEWAY_PROVIDERS, type GatewayProvider } from './gateway-types.js';

/** A request path taken apart: `/anthropic@work/v1/messages?x=1` → anthropic, work, `/v1/messages?x=1`. */
export interface GatewayRoute {
  readonly provider: GatewayProvider;
  /** From the route prefix (`/anthropic@work/…`, percent-encoded when the label has spaces or `@`), if any. */
  readonly account: string | undefined;
  /** The path after the prefix, with the query kept (minus a `key` parameter). */
  readonly upstreamPath: string;
  /** The path without its query, for logs. */
  readonly logPath: string;
  /** The gateway key if the client sent it as `?key=` (Google's SDKs may). */
  readonly queryKey: string | undefined;
}

const PREFIX = /^\/([a-z]+)(?:@([A-Za-z0-9._~%+-]{1,200}))?(\/[^?#]*)?(\?[^#]*)?$/;

/** An account label from a route prefix, decoded and checked like any label; undefined if it is none. */
function accountOfPrefix(encoded: string): string | undefined {
  let label: string;
  try {
    label = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  return ACCOUNT_LABEL_PATTERN.test(label) ? label : undefined;
}

function isGatewayProvider(name: string): name is GatewayProvider {
  return (GATEWAY_PROVIDERS as readonly string[]).includes(name);
}

/** The provider a path names, even when the rest of it is wrong (to answer in that provider's shape). */
export function providerOfPath(rawPath: string): GatewayProvider | undefined {
  const name = /^\/([a-z]+)/.exec(rawPath)?.[1];
  return name !== undefined && isGatewayProvider(name) ? name : undefined;
}

/** Parses a request target; undefined for an unknown provider or a malformed path. */
export function parseRoute(rawPath: string): GatewayRoute | undefined {
  const match = PREFIX.exec(rawPath);
  const name = match?.[1];
  if (match === null || name === undefined || !isGatewayProvider(name)) return undefined;
  const account = match[2] === undefined ? undefined : accountOfPrefix(match[2]);
  if (match[2] !== undefined && account === undefined) return undefined;
  const path = match[3] ?? '/';
  const logPath = `/${name}${path}`;
  // Most requests carry no query: nothing to take apart.
  if (match[4] === undefined) return { provider: name, account, upstreamPath: path, logPath, queryKey: undefined };
  const query = new URLSearchParams(match[4]);
  const queryKey = query.get('key') ?? undefined;
  query.delete('key');
  const rest = query.toString();
  return {
    provider: name,
    account,
    upstreamPath: rest === '' ? path : `${path}?${rest}`,
    logPath,
    queryKey,
  };
}

/** Each API base taken apart once: a handful of configured URLs, parsed on every request otherwise. */
const parsedBases = new Map<string, string>();

/** Joins the provider's API base (which may carry a path) and the request path. */
export function upstreamUrl(apiBaseUrl: string, upstreamPath: string): URL {
  let prefix = parsedBases.get(apiBaseUrl);
  if (prefix === undefined) {
    const base = new URL(apiBaseUrl);
    prefix = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
    if (parsedBases.size >= 64) parsedBases.clear();
    parsedBases.set(apiBaseUrl, prefix);
  }
  return new URL(`${prefix}${upstreamPath}`);
}
