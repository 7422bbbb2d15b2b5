import { readFile as readFileFromDisk } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_PROTOCOL_HOST, APP_PROTOCOL_SCHEME } from './app-identity.js';
import { SECURITY_HEADERS } from './content-security-policy.js';
import { CONTENT_TYPES } from '../renderer-policy.js';

/** Reads a file's bytes; injectable so tests can count reads. */
export type ReadFile = (path: string) => Promise<Uint8Array>;

/** Where a request for the bundle leads: a file under the root, or a refusal with its status. */
export type BundlePath =
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly status: 400 | 403 | 404 };

/**
 * Maps `app://maestro/<path>` to a file under `rootDir`, refusing anything that could leave it:
 * another host, `..` segments (also percent-encoded), backslashes, NUL bytes, absolute paths.
 */
export function resolveBundlePath(rootDir: string, requestUrl: string): BundlePath {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400 };
  }
  if (url.protocol !== `${APP_PROTOCOL_SCHEME}:` || url.host !== APP_PROTOCOL_HOST) return { ok: false, status: 404 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return { ok: false, status: 403 };
  const segments = pathname.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.' || /^[a-z]:$/i.test(segment))) {
    return { ok: false, status: 403 };
  }
  const root = resolve(rootDir);
  const target = resolve(root, ...(segments.length === 0 ? ['index.html'] : segments));
  // Belt and braces: whatever the segments were, the result must stay strictly inside the root.
  if (!target.startsWith(root + sep)) return { ok: false, status: 403 };
  return { ok: true, path: target };
}

function refusal(status: number): Response {
  return new Response(null, { status, headers: SECURITY_HEADERS });
}

/**
 * The handler behind `protocol.handle('app', …)`: serves the built renderer from the bundle with
 * the strict CSP header on every response. Only GET and HEAD; everything else is refused.
 */
export function createBundleRequestHandler(options: {
  readonly rootDir: string;
  readonly readFile?: ReadFile;
}): (request: Request) => Promise<Response> {
  const readFile = options.readFile ?? readFileFromDisk;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405);
    const resolved = resolveBundlePath(options.rootDir, request.url);
    if (!resolved.ok) return refusal(resolved.status);
    let body: Uint8Array;
    try {
      body = await readFile(resolved.path);
    } catch {
      return refusal(404);
    }
    const contentType = CONTENT_TYPES[extname(resolved.path).toLowerCase()] ?? 'application/octet-stream';
    const headers = { ...SECURITY_HEADERS, 'Content-Type': contentType };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
