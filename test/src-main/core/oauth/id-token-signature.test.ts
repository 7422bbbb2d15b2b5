import { constants, createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Configuration } from 'openid-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  IdTokenSignatureError,
  IdTokenSignatures,
  KeySetError,
} from '../../../../src-main/core/oauth/id-token-signature.js';

/**
 * The ID-token signature check against a real key-set endpoint on 127.0.0.1: every algorithm
 * family it accepts, every way a token or a key set can be wrong, and openid-client's key-set
 * caching rules (five minutes; an unknown key refetches only a set at least a minute old).
 */

const b64u = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

interface Key {
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

function rsaKey(kid: string, extra: Record<string, unknown> = {}): Key {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, ...extra } };
}

function token(header: Record<string, unknown>, sign: (input: Buffer) => Buffer): string {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify({ sub: 'user-1', iss: 'https://issuer' }))}`;
  return `${input}.${b64u(sign(Buffer.from(input)))}`;
}

const rs256 = (key: Key, kid: unknown = key.jwk['kid']): string =>
  token({ alg: 'RS256', kid }, (input) => sign('sha256', input, key.privateKey));

let server: Server;
let jwksUri: string;
let published: { status: number; body: unknown };
let requests = 0;
let now = 1_000_000;
let signatures: IdTokenSignatures;
let configuration: Configuration;

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests += 1;
    res.writeHead(published.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(published.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  configuration = new Configuration({ issuer: 'https://issuer', jwks_uri: jwksUri }, 'client');
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests = 0;
  now = 1_000_000;
  signatures = new IdTokenSignatures(fetch, () => now);
});

const check = (idToken: string) => signatures.check('openai', configuration, idToken);
const refusal = async (idToken: string): Promise<string> => {
  const error: unknown = await check(idToken).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IdTokenSignatureError);
  return (error as IdTokenSignatureError).check;
};

describe('IdTokenSignatures', () => {
  const main = rsaKey('k1', { alg: 'RS256', use: 'sig' });

  it('accepts a token signed by the published key, and reads the key set once', async () => {
    published = { status: 200, body: { keys: [main.jwk] } };
    await check(rs256(main));
    await check(rs256(main));
    expect(requests).toBe(1);
  });

  it('accepts the PSS, ECDSA and EdDSA families with their own encodings', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ed = generateKeyPairSync('ed25519');
    const pss = rsaKey('pss');
    published = {
      status: 200,
      body: {
        keys: [
          { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec' },
          { ...ed.publicKey.export({ format: 'jwk' }), kid: 'ed' },
          pss.jwk,
        ],
      },
    };
    await check(
      token({ alg: 'ES256', kid: 'ec' }, (input) =>
        sign('sha256', input, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }),
      ),
    );
    await check(token({ alg: 'EdDSA', kid: 'ed' }, (input) => sign(null, input, ed.privateKey)));
    await check(
      token({ alg: 'PS256', kid: 'pss' }, (input) =>
        sign('sha256', input, {
          key: pss.privateKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        }),
      ),
    );
  });

  it('refuses a signature by another key under the same kid', async () => {
    published = { status: 200, body: { keys: [main.jwk] } };
    const forger = rsaKey('k1');
    expect(await refusal(rs256(forger))).toBe('its signature');
    // A signature over other content: the payload was changed after signing.
    const [header, , signature] = rs256(main).split('.');
    expect(await refusal(`${header}.${b64u('{"sub":"someone-else"}')}.${signature}`)).toBe('its signature');
  });

  it('refuses `none`, HMAC and unknown algorithms, and tokens that are not a JWS', async () => {
    published = { status: 200, body: { keys: [main.jwk] } };
    expect(await refusal(token({ alg: 'none' }, () => Buffer.alloc(0)))).toMatch(/algorithm "none"/);
    const hmac = (input: Buffer) => createHmac('sha256', 'shared').update(input).digest();
    expect(await refusal(token({ alg: 'HS256', kid: 'k1' }, hmac))).toMatch(/algorithm "HS256"/);
    expect(await refusal('only.two')).toBe('its format');
    expect(await refusal(`${b64u('not json')}.e30.c2ln`)).toBe('its header');
    expect(requests).toBe(0);
  });

  it('refuses a key of the wrong type, use, operations or algorithm, and a set that does not single one out', async () => {
    const twin = rsaKey('k1');
    for (const key of [
      { ...main.jwk, kty: 'EC' },
      { ...main.jwk, use: 'enc' },
      { ...main.jwk, key_ops: ['encrypt'] },
      { ...main.jwk, alg: 'RS512' },
    ]) {
      signatures = new IdTokenSignatures(fetch, () => now);
      published = { status: 200, body: { keys: [key] } };
      expect(await refusal(rs256(main))).toMatch(/not in the published key set/);
    }
    signatures = new IdTokenSignatures(fetch, () => now);
    published = { status: 200, body: { keys: [main.jwk, twin.jwk] } };
    expect(await refusal(rs256(main, undefined))).toMatch(/does not single out/);
  });

  it('an unknown key fetches the set again only when it is at least a minute old', async () => {
    published = { status: 200, body: { keys: [main.jwk] } };
    await check(rs256(main));
    const rotated = rsaKey('k2');
    published = { status: 200, body: { keys: [rotated.jwk] } };
    expect(await refusal(rs256(rotated))).toMatch(/not in the published key set/);
    expect(requests).toBe(1);
    now += 60_000;
    await check(rs256(rotated));
    expect(requests).toBe(2);
  });

  it('uses a key set for five minutes, then reads it again; forget drops it at once', async () => {
    published = { status: 200, body: { keys: [main.jwk] } };
    await check(rs256(main));
    now += 299_999;
    await check(rs256(main));
    expect(requests).toBe(1);
    now += 1;
    await check(rs256(main));
    expect(requests).toBe(2);
    signatures.forget('google');
    await check(rs256(main));
    expect(requests).toBe(2);
    signatures.forget('openai');
    await check(rs256(main));
    expect(requests).toBe(3);
  });

  it('says when the key set cannot be read, and does not keep the failure', async () => {
    published = { status: 503, body: { error: 'unavailable' } };
    await expect(check(rs256(main))).rejects.toMatchObject(new KeySetError('HTTP 503', 503));
    published = { status: 200, body: { notKeys: [] } };
    await expect(check(rs256(main))).rejects.toBeInstanceOf(KeySetError);
    published = { status: 200, body: { keys: [main.jwk] } };
    await check(rs256(main));
    expect(requests).toBe(3);
  });
});
