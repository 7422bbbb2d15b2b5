import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  credentialAad,
  dataKeyAad,
  ENVELOPE_VERSION,
  EnvelopeError,
  generateDataKey,
  openBytes,
  sealBytes,
} from '../../../../src-main/core/store/envelope.js';

const LONG = process.env.THE_MAESTRO_LONG === '1';

describe('envelope', () => {
  const key = randomBytes(32);
  const aad = Buffer.from('row-1');

  it('opens what it sealed, in the versioned format version | iv | tag | ciphertext', () => {
    const plaintext = Buffer.from('{"kind":"api_key","apiKey":"sk-ant-api03-abc"}');
    const blob = sealBytes(key, plaintext, aad);
    expect(blob[0]).toBe(ENVELOPE_VERSION);
    expect(blob.length).toBe(1 + 12 + 16 + plaintext.length);
    expect(blob.includes(plaintext)).toBe(false);
    expect(openBytes(key, blob, aad).equals(plaintext)).toBe(true);
  });

  it('uses a fresh random IV every time', () => {
    const a = sealBytes(key, Buffer.from('same'), aad);
    const b = sealBytes(key, Buffer.from('same'), aad);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('refuses a blob bound to other additional data, another key, or altered bytes', () => {
    const blob = sealBytes(key, Buffer.from('secret'), aad);
    expect(() => openBytes(key, blob, Buffer.from('row-2'))).toThrow(EnvelopeError);
    expect(() => openBytes(randomBytes(32), blob, aad)).toThrow(EnvelopeError);
    for (const index of [1, 13, 29, blob.length - 1]) {
      const altered = Buffer.from(blob);
      altered[index] = (altered[index] ?? 0) ^ 0x01;
      expect(() => openBytes(key, altered, aad)).toThrow(EnvelopeError);
    }
  });

  it('refuses short blobs, unknown versions and keys that are not 256-bit', () => {
    const blob = sealBytes(key, Buffer.from('secret'), aad);
    expect(() => openBytes(key, blob.subarray(0, 20), aad)).toThrow(/too short/);
    const future = Buffer.from(blob);
    future[0] = 2;
    expect(() => openBytes(key, future, aad)).toThrow(/version 2/);
    expect(() => sealBytes(randomBytes(16), Buffer.from('x'), aad)).toThrow(EnvelopeError);
  });

  it('binds a row to its id, user, provider, method, account label and generation', () => {
    const base = {
      id: 'a',
      userId: 'local',
      provider: 'anthropic',
      authMethod: 'api_key',
      accountLabel: 'default',
      generation: 1,
    } as const;
    const variants = [
      { ...base, id: 'b' },
      { ...base, userId: 'other' },
      { ...base, provider: 'openai' },
      { ...base, authMethod: 'oauth' as const },
      { ...base, accountLabel: 'work' },
      { ...base, generation: 2 },
    ];
    for (const variant of variants) expect(credentialAad(variant).equals(credentialAad(base))).toBe(false);
    // Rows sealed before the label and generation were bound: version 1 ignores both.
    expect(credentialAad({ ...base, accountLabel: 'work', generation: 9 }, 1).equals(credentialAad(base, 1))).toBe(
      true,
    );
    // A JSON array cannot be confused by separators inside fields.
    expect(credentialAad({ ...base, id: 'a","local' }).equals(credentialAad({ ...base, userId: 'a","local' }))).toBe(
      false,
    );
    expect(dataKeyAad('file').equals(dataKeyAad('env'))).toBe(false);
  });

  it('generates 256-bit data keys with distinct ids', () => {
    const a = generateDataKey();
    const b = generateDataKey();
    expect(a.key.length).toBe(32);
    expect(a.id).not.toBe(b.id);
    expect(a.key.equals(b.key)).toBe(false);
  });

  it('round-trips any bytes with any additional data, and only with that data', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 512 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        (plain, ad, other) => {
          const blob = sealBytes(key, plain, ad);
          expect(Buffer.from(openBytes(key, blob, ad)).equals(Buffer.from(plain))).toBe(true);
          if (!Buffer.from(other).equals(Buffer.from(ad)))
            expect(() => openBytes(key, blob, other)).toThrow(EnvelopeError);
        },
      ),
      { numRuns: LONG ? 2000 : 200, seed: 20261124 },
    );
  });
});
