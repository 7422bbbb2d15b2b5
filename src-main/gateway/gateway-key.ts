import { randomBytes } from 'node:crypto';
import type { CredentialStore } from '../core/store/credential-store.js';
import type { GatewayKeySource } from './gateway-types.js';

/**
 * The reserved provider id the gateway key is sealed under. It is no provider definition, so it
 * never appears in `status`, the window or `token`, yet it gets the store's envelope encryption.
 */
export const GATEWAY_KEY_PROVIDER = 'maestro-gateway';
const SLOT = { provider: GATEWAY_KEY_PROVIDER, authMethod: 'api_key', accountLabel: 'gateway' } as const;

/**
 * A new key. The `sk-` prefix makes tools that check a key's shape accept it, and makes the
 * logger's pattern redaction catch it should one ever reach a message.
 */
export function newGatewayKey(): string {
  return `sk-maestro-gw-${randomBytes(32).toString('base64url')}`;
}

/** The per-installation gateway key, sealed in the credential store like any credential. */
export class SealedGatewayKey implements GatewayKeySource {
  /** The opened key by row id: a rotation (here or by another process) makes a new row. */
  private cached: { readonly id: string; readonly key: string } | undefined;

  constructor(private readonly store: CredentialStore) {}

  /** The key, created on first use; opened once per row, not once per request. */
  current(): string {
    const sealed = this.store.find(SLOT);
    if (sealed === null) return this.rotate();
    if (this.cached?.id === sealed.meta.id) return this.cached.key;
    const credential = sealed.open();
    if (credential.kind !== 'api_key') return this.rotate();
    this.cached = { id: sealed.meta.id, key: credential.apiKey };
    return credential.apiKey;
  }

  /** Whether a key exists yet (a new one is shown once, when created). */
  exists(): boolean {
    return this.store.find(SLOT) !== null;
  }

  /** Replaces the key: clients holding the old one are refused from the next request on. */
  rotate(): string {
    const apiKey = newGatewayKey();
    const existing = this.store.find(SLOT);
    if (existing !== null) this.store.delete(existing.meta.id);
    this.store.put({ ...SLOT, credential: { kind: 'api_key', apiKey }, expiresAt: null });
    return apiKey;
  }
}
