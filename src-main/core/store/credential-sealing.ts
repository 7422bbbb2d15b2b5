import type { StoredAuthMethod } from '../../../src-shared/auth-types.js';
import { AuthError } from '../auth-error.js';
import { credentialSchema, type Credential } from '../credentials.js';
import type { CredentialMeta } from './credential-store.js';
import {
  credentialAad,
  EnvelopeError,
  openBytes,
  sealBytes,
  type CredentialAadVersion,
  type CredentialRowIdentity,
  type DataKey,
} from './envelope.js';

/**
 * A credential's secret in and out of its sealed form: JSON sealed with AES-256-GCM under the
 * data key, bound to the row identity (see `credentialAad`). Plaintext buffers are wiped as soon
 * as they are used; nothing here keeps a secret after a call returns.
 */

/** Validates the secret before sealing, so opening can never meet something `put` accepted but the schema refuses. */
export function checkCredential(authMethod: StoredAuthMethod, credential: Credential): Credential {
  const parsed = credentialSchema.safeParse(credential);
  if (!parsed.success) throw AuthError.of('invalid_input', 'The credential to store is incomplete or malformed.');
  if (parsed.data.kind !== authMethod) {
    throw AuthError.of('invalid_input', `A ${parsed.data.kind} credential cannot be stored as ${authMethod}.`);
  }
  return parsed.data;
}

export function sealCredential(dataKey: DataKey, identity: CredentialRowIdentity, credential: Credential): Buffer {
  const plaintext = Buffer.from(JSON.stringify(credential), 'utf8');
  try {
    return sealBytes(dataKey.key, plaintext, credentialAad(identity));
  } finally {
    plaintext.fill(0);
  }
}

/** Opens a row's secret; throws AuthError `credential_corrupt`, naming the row, when it cannot. */
export function openCredential(
  dataKey: DataKey,
  meta: CredentialMeta,
  sealed: Buffer,
  aadVersion?: CredentialAadVersion,
): Credential {
  const where = `The stored ${meta.authMethod === 'oauth' ? 'sign-in' : 'API key'} for ${meta.provider} (account "${meta.accountLabel}")`;
  const corrupt = (why: string, cause?: unknown): AuthError =>
    new AuthError(
      {
        code: 'credential_corrupt',
        message: `${where} cannot be opened: ${why}. Remove it and sign in again.`,
        provider: meta.provider,
      },
      cause === undefined ? undefined : { cause },
    );
  if (meta.keyId !== dataKey.id) throw corrupt('it was sealed with a data key this installation no longer has');
  let plaintext: Buffer;
  try {
    plaintext = openBytes(dataKey.key, sealed, credentialAad(meta, aadVersion));
  } catch (cause) {
    if (!(cause instanceof EnvelopeError)) throw cause;
    throw corrupt('its encrypted data does not belong to this row or was altered', cause);
  }
  try {
    const parsed = credentialSchema.safeParse(parseJson(plaintext));
    if (!parsed.success || parsed.data.kind !== meta.authMethod)
      throw corrupt('its decrypted contents are not a valid credential');
    return parsed.data;
  } finally {
    plaintext.fill(0);
  }
}

/** Parses decrypted JSON; a syntax error becomes an invalid value for the schema to reject. */
function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
