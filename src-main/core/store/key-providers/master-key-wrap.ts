import { AuthError } from '../../auth-error.js';
import { dataKeyAad, EnvelopeError, KEY_BYTES, openBytes, sealBytes } from '../envelope.js';

/**
 * Wrapping of the data key under a 32-byte master key (AES-256-GCM, the envelope format), shared
 * by the key providers that hold a raw master key: memory, key file and environment variable.
 * The provider id is bound as additional data, so a wrapping is only accepted by its own kind.
 */
export function wrapUnderMasterKey(masterKey: Uint8Array, dataKey: Uint8Array, keyProviderId: string): Uint8Array {
  if (dataKey.byteLength !== KEY_BYTES) {
    throw AuthError.of('internal', `A data key must have ${KEY_BYTES} bytes.`);
  }
  return sealBytes(masterKey, dataKey, dataKeyAad(keyProviderId));
}

/** Unwraps a data key; a wrong master key or altered wrapping is `encryption_unavailable`. */
export function unwrapUnderMasterKey(
  masterKey: Uint8Array,
  wrapped: Uint8Array,
  keyProviderId: string,
  description: string,
): Uint8Array {
  let dataKey: Buffer;
  try {
    dataKey = openBytes(masterKey, wrapped, dataKeyAad(keyProviderId));
  } catch (cause) {
    if (!(cause instanceof EnvelopeError)) throw cause;
    throw new AuthError(
      {
        code: 'encryption_unavailable',
        message: `The stored data key cannot be opened with ${description}: the master key differs from the one that sealed it.`,
      },
      { cause },
    );
  }
  if (dataKey.length !== KEY_BYTES) {
    dataKey.fill(0);
    throw AuthError.of('encryption_unavailable', `The data key opened with ${description} has the wrong length.`);
  }
  return dataKey;
}
