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

/** Compares in constant time (digests of equal length), so timing tells nothing about the key. */
export function keyMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
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
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(client)) {
    if (value === undefined || DROPPED.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  for (const [rawName, value] of Object.entries({ ...extra, ...injected })) {
    const name = rawName.toLowerCase();
    if (name === 'anthropic-version' && out[name] !== undefined) continue;
    if (name === 'anthropic-beta' && out[name] !== undefined) {
      const betas = new Set([...out[name].split(','), ...value.split(',')].map((beta) => beta.trim()));
      betas.delete('');
      out[name] = [...betas].join(',');
      continue;
    }
    out[name] = value;
  }
  return out;
}
