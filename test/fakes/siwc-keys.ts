import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The signing side of the Sign-in-with-ChatGPT fake: RS256 ID tokens (RFC 7515/7519) signed with
 * node:crypto, and the JWKS that publishes the verification key. A second key with the SAME kid
 * signs forged tokens, so a client that does not verify signatures cannot tell them apart.
 */

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: Readonly<Record<string, unknown>>;
}

export function newSigningKey(kid = `siwc-${randomBytes(4).toString('hex')}`): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

const b64u = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

/** A compact RS256 JWT with `kid` in its header. */
export function signJwt(claims: Readonly<Record<string, unknown>>, key: SigningKey): string {
  const input = `${b64u(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid }))}.${b64u(JSON.stringify(claims))}`;
  return `${input}.${b64u(sign('sha256', Buffer.from(input), key.privateKey))}`;
}

/** The claims of a compact JWT (no verification: the fake reads its own hints). */
export function jwtClaims(token: string): Readonly<Record<string, unknown>> | undefined {
  try {
    const payload = token.split('.')[1];
    return payload === undefined
      ? undefined
      : (JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

/** base64url(SHA-256(verifier)), the S256 code challenge (RFC 7636 §4.2). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/** A JSON answer that is never cached (both roles of the fake use it). */
export function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
