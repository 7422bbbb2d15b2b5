import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CONTENT_SECURITY_POLICY, RENDERER_SECURITY_HEADERS } from '../renderer-policy.js';

/** The window's Content-Security-Policy, the same as the Electron shell's custom protocol. */
export const RENDERER_CSP = CONTENT_SECURITY_POLICY;

/** Headers on every response of the web transport. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...RENDERER_SECURITY_HEADERS,
  'X-Frame-Options': 'DENY',
};

/** A fresh 256-bit bearer token, base64url. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response timing. */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from `Authorization: Bearer <token>`, or null. */
export function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * The Host header must name this server (127.0.0.1 or localhost, our port): a page on another
 * domain that re-binds its DNS name to 127.0.0.1 sends its own name and is refused.
 */
export function hostAllowed(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A request with an Origin (a browser's cross-origin fetch) must come from this server's own origin. */
export function originAllowed(request: IncomingMessage, port: number): boolean {
  const origin = request.headers.origin;
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}
