import { randomBytes } from 'node:crypto';
import type { ProtectionLevel } from '../../../../src-shared/view-models.js';
import { AuthError } from '../../auth-error.js';
import { KEY_BYTES } from '../envelope.js';
import type { KeyProvider } from '../key-provider.js';
import { unwrapUnderMasterKey, wrapUnderMasterKey } from './master-key-wrap.js';

export interface MemoryKeyProviderOptions {
  /** The master key (32 bytes); random when omitted. Copied, so the caller may wipe theirs. */
  readonly key?: Uint8Array;
  /** Defaults to `memory`; give two providers different ids to keep both wrappings. */
  readonly id?: string;
  /**
   * Defaults to `memory_only`, which is honest only when nothing persists. Tests that write a
   * store to disk with this provider may set the level they want the store to report.
   */
  readonly protection?: ProtectionLevel;
}

/** A master key held in this process's memory only: for tests and throwaway sessions. */
export class MemoryKeyProvider implements KeyProvider {
  readonly id: string;
  readonly protection: ProtectionLevel;
  readonly description: string;
  readonly #masterKey: Buffer;

  constructor(options: MemoryKeyProviderOptions = {}) {
    if (options.key !== undefined && options.key.byteLength !== KEY_BYTES) {
      throw AuthError.of('invalid_input', `A master key must have ${KEY_BYTES} bytes, got ${options.key.byteLength}.`);
    }
    this.#masterKey = options.key !== undefined ? Buffer.from(options.key) : randomBytes(KEY_BYTES);
    this.id = options.id ?? 'memory';
    this.protection = options.protection ?? 'memory_only';
    this.description = 'a key held in memory by this process';
  }

  wrap(dataKey: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve().then(() => wrapUnderMasterKey(this.#masterKey, dataKey, this.id));
  }

  unwrap(wrapped: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve().then(() => unwrapUnderMasterKey(this.#masterKey, wrapped, this.id, this.description));
  }
}
