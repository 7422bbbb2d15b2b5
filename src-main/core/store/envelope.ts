import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { StoredAuthMethod } from '../../../src-shared/auth-types.js';

/**
 * Envelope encryption primitives: AES-256-GCM with a random 96-bit IV and a 128-bit tag, in a
 * versioned blob `version (1 byte) | iv (12) | tag (16) | ciphertext`. The same format seals
 * credential rows under the data key and data keys under a key provider's master key.
 */

/** The only blob format written today. A new format gets a new byte; old ones stay readable. */
export const ENVELOPE_VERSION = 1;
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/** The store's data key: random, 256-bit, identified by a random id stored beside each row. */
export interface DataKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Why a blob could not be opened. Callers turn it into the AuthError that fits their layer. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

/** A fresh random data key with a fresh random id. */
export function generateDataKey(): DataKey {
  return { id: randomUUID(), key: randomBytes(KEY_BYTES) };
}

function assertKey(key: Uint8Array): void {
  if (key.byteLength !== KEY_BYTES)
    throw new EnvelopeError(`an AES-256 key has ${KEY_BYTES} bytes, got ${key.byteLength}`);
}

/** Seals `plaintext` under `key`, binding it to `aad` (authenticated, not encrypted). */
export function sealBytes(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(ENVELOPE_VERSION), iv, cipher.getAuthTag(), ciphertext]);
}

/**
 * Opens a blob made by `sealBytes` with the same key and `aad`. Throws EnvelopeError when the
 * format is unknown, the blob is short, or authentication fails (wrong key, wrong row, tampering).
 */
export function openBytes(key: Uint8Array, blob: Uint8Array, aad: Uint8Array): Buffer {
  assertKey(key);
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < HEADER_BYTES) throw new EnvelopeError('sealed blob is too short');
  if (bytes[0] !== ENVELOPE_VERSION) throw new EnvelopeError(`unknown sealed blob version ${String(bytes[0])}`);
  const iv = bytes.subarray(1, 1 + IV_BYTES);
  const tag = bytes.subarray(1 + IV_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  const head = decipher.update(bytes.subarray(HEADER_BYTES));
  try {
    return Buffer.concat([head, decipher.final()]);
  } catch (cause) {
    // GCM releases nothing unauthenticated to us: wipe the unverified bytes before reporting.
    head.fill(0);
    throw new EnvelopeError('authentication failed (wrong key, wrong row, or altered data)', { cause });
  }
}

/** The identity a credential row's ciphertext is bound to. */
export interface CredentialRowIdentity {
  readonly id: string;
  readonly userId: string;
  readonly provider: string;
  readonly authMethod: StoredAuthMethod;
  readonly accountLabel: string;
  readonly generation: number;
}

/**
 * How a row's additional data is built: 1 (rows written before version 3 of the schema: id,
 * user, provider, method) or 2 (also the account label and the generation). Every row is
 * re-sealed with 2 the first time the store opens it; new and renamed rows are sealed with 2.
 */
export type CredentialAadVersion = 1 | 2;
export const CREDENTIAL_AAD_VERSION: CredentialAadVersion = 2;

/**
 * Additional authenticated data for a credential row: a JSON array (a stable, unambiguous
 * encoding) of the row id, user, provider, method, account label and generation. A ciphertext
 * moved to another row or account, or put back after a newer one was written, does not open;
 * renaming an account re-seals its rows.
 */
export function credentialAad(
  identity: CredentialRowIdentity,
  version: CredentialAadVersion = CREDENTIAL_AAD_VERSION,
): Buffer {
  const { id, userId, provider, authMethod } = identity;
  const fields =
    version === 1
      ? ['the-maestro/credential/v1', id, userId, provider, authMethod]
      : ['the-maestro/credential/v2', id, userId, provider, authMethod, identity.accountLabel, identity.generation];
  return Buffer.from(JSON.stringify(fields), 'utf8');
}

/** Additional authenticated data for a data key wrapped under a master key of the named provider. */
export function dataKeyAad(keyProviderId: string): Buffer {
  return Buffer.from(JSON.stringify(['the-maestro/data-key/v1', keyProviderId]), 'utf8');
}
