import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The gateway key, wherever the client's SDK puts its "API key": `x-api-key` (Anthropic),
 * `Authorization: Bearer` (OpenAI, curl), `x-goog-api-key` or `?key=` (Google).
 */
export function presentedKey(headers: IncomingHttpHeaders, queryKey: string | undefined): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return apiKey;
  const googKey = headers['x-goog-api-key'];
  if (typeof googKey === 'string' && googKey !== '') return googKey;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return bearer;
  return queryKey !== undefined && queryKey !== '' ? queryKey : undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The expected key's digest, computed once per key rather than once per request. */
let expectedDigest: { readonly key: string; readonly digest: Buffer } | undefined;

/** Compares in constant time (digests of equal length), so timing tells nothing about the key. */
export function keyMatches(presented: string, expected: string): boolean {
  if (expectedDigest?.key !== expected) expectedDigest = { key: expected, digest: digest(expected) };
  return timingSafeEqual(digest(presented), expectedDigest.digest);
}

/** Headers never forwarded: the client's auth, our own, hop-by-hop ones, and what Node sets itself. */
const DROPPED = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-goog-api-key',
  'x-maestro-account',
  'cookie',
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'origin',
  'referer',
]);

/**
 * The headers to send upstream: the client's own (minus auth and hop-by-hop ones) with the
 * provider credential's headers injected. `anthropic-beta` lists are merged, so a client's betas
 * and the OAuth beta both reach Anthropic; a client's `anthropic-version` is kept.
 */
export function upstreamHeaders(
  client: IncomingHttpHeaders,
  injected: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>> | undefined,
  bodyLength: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(client)) {
    if (value === undefined || DROPPED.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  for (const [name, value] of Object.entries(extra === undefined ? injected : { ...extra, ...injected })) {
    addInjected(out, name, value);
  }
  // The body is sent whole (it was read for the retry after a 401), so its length is known.
  out['content-length'] = String(bodyLength);
  return out;
}

/** One injected header: the credential's replace the client's, except a client's `anthropic-version`; betas are merged. */
function addInjected(out: Record<string, string>, rawName: string, value: string): void {
  const name = rawName.toLowerCase();
  const client = out[name];
  if (name === 'anthropic-version' && client !== undefined) return;
  if (name === 'anthropic-beta' && client !== undefined) {
    const betas = new Set([...client.split(','), ...value.split(',')].map((beta) => beta.trim()));
    betas.delete('');
    out[name] = [...betas].join(',');
    return;
  }
  out[name] = value;
}
