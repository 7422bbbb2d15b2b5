import type { ProtectionLevel } from '../../../../src-shared/view-models.js';
import { AuthError } from '../../auth-error.js';
import { KEY_BYTES } from '../envelope.js';
import type { KeyProvider } from '../key-provider.js';
import { unwrapUnderMasterKey, wrapUnderMasterKey } from './master-key-wrap.js';

/** The environment variable holding the command line's master key. */
export const MASTER_KEY_ENV = 'THE_MAESTRO_MASTER_KEY';

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]{43}={0,1}$/;

/**
 * Decodes a 32-byte master key written as 64 hex digits or as base64 (standard or URL-safe).
 * The error never repeats the value: it may be a real key with a typo.
 */
export function parseMasterKey(text: string, source = MASTER_KEY_ENV): Buffer {
  const trimmed = text.trim();
  let key: Buffer | null = null;
  if (HEX.test(trimmed)) key = Buffer.from(trimmed, 'hex');
  else if (BASE64.test(trimmed)) key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key?.length !== KEY_BYTES) {
    throw AuthError.of(
      'config_invalid',
      `${source} must be ${KEY_BYTES} random bytes written as 64 hex digits or 44 base64 characters ` +
        `(it has ${trimmed.length} characters). Generate one with: openssl rand -base64 32`,
    );
  }
  return key;
}

/** A master key given by the environment (`THE_MAESTRO_MASTER_KEY`), for scripts and servers. */
export class EnvKeyProvider implements KeyProvider {
  readonly id = 'env';
  readonly protection: ProtectionLevel = 'env_key';
  readonly description = `the master key in ${MASTER_KEY_ENV}`;
  readonly #masterKey: Buffer;

  /** Prefer `fromEnvironment`; this takes the raw 32-byte key. */
  constructor(masterKey: Uint8Array) {
    if (masterKey.byteLength !== KEY_BYTES) {
      throw AuthError.of('config_invalid', `${MASTER_KEY_ENV} must decode to ${KEY_BYTES} bytes.`);
    }
    this.#masterKey = Buffer.from(masterKey);
  }

  /** Reads and checks `THE_MAESTRO_MASTER_KEY`; null when it is not set, AuthError `config_invalid` when malformed. */
  static fromEnvironment(env: Readonly<Record<string, string | undefined>>): EnvKeyProvider | null {
    const value = env[MASTER_KEY_ENV];
    if (value === undefined || value === '') return null;
    return new EnvKeyProvider(parseMasterKey(value));
  }

  wrap(dataKey: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve().then(() => wrapUnderMasterKey(this.#masterKey, dataKey, this.id));
  }

  unwrap(wrapped: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve().then(() => unwrapUnderMasterKey(this.#masterKey, wrapped, this.id, this.description));
  }
}
