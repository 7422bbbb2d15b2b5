import type { StoredAuthMethod } from '../../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../../src-shared/errors.js';
import type { Credential } from '../credentials.js';

/** A stored credential's metadata: everything but the secret. Listing never decrypts. */
export interface CredentialMeta {
  readonly id: string;
  readonly userId: string;
  readonly provider: string;
  readonly authMethod: StoredAuthMethod;
  readonly accountLabel: string;
  /** Epoch ms, for OAuth access tokens. */
  readonly expiresAt: number | null;
  /** Incremented on every write of the secret; a stale writer can never overwrite a newer one. */
  readonly generation: number;
  /** Which data key sealed the row. */
  readonly keyId: string;
  /** Last four characters of an API key (`…3f9a`), or null for OAuth. */
  readonly maskedSecret: string | null;
  /** Email or account id the provider reported, when known (not a secret). */
  readonly identity: string | null;
  /** Set when the credential is known bad: refused by the provider, or undecryptable. */
  readonly invalidReason: ErrorInfo | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** False while the provider has not accepted the credential: a key stored without a check. */
  readonly verified: boolean;
}

export interface PutCredentialInput {
  readonly provider: string;
  readonly authMethod: StoredAuthMethod;
  readonly accountLabel: string;
  readonly credential: Credential;
  readonly expiresAt: number | null;
  readonly identity?: string | null;
  /** False for a key stored without the provider accepting it (`--no-validate`). Default true. */
  readonly verified?: boolean;
}

/** A compare-and-swap replacement of a credential's secret (used by refresh). */
export interface RotateCredentialInput {
  readonly id: string;
  /** The generation the caller read; the write is refused if the row has moved on. */
  readonly expectedGeneration: number;
  readonly credential: Credential;
  readonly expiresAt: number | null;
  readonly identity?: string | null;
}

export type RotateOutcome =
  | { readonly ok: true; readonly meta: CredentialMeta }
  | { readonly ok: false; readonly reason: 'stale' | 'missing'; readonly current: CredentialMeta | null };

/** A stored credential read in one go: its metadata now, its secret only when `open` is called. */
export interface SealedCredential {
  readonly meta: CredentialMeta;
  /** Decrypts just in time; throws AuthError `credential_corrupt` when the row cannot be opened. */
  open(): Credential;
}

/** The one credential of (provider, method, account): the store's unique key. */
export interface CredentialKey {
  readonly provider: string;
  readonly authMethod: StoredAuthMethod;
  readonly accountLabel: string;
}

/** Which credentials a listing returns; an absent field matches every value. */
export interface CredentialListFilter {
  readonly provider?: string;
  readonly accountLabel?: string;
  readonly authMethod?: StoredAuthMethod;
}

/** A window of a listing, in listing order. */
export interface ListPage {
  readonly offset: number;
  readonly limit: number;
}

/**
 * Encrypted credential storage. Callers never see ciphertext; the store never sees provider
 * logic. All writes are durable when the method returns (a login is done only when the store
 * has committed).
 */
export interface CredentialStore {
  /** Insert or replace the credential for (provider, authMethod, accountLabel); returns its metadata. */
  put(input: PutCredentialInput): CredentialMeta;
  /** Decrypts just in time. Throws AuthError `credential_corrupt` for that row alone when it cannot be opened. */
  get(id: string): { readonly meta: CredentialMeta; readonly credential: Credential } | null;
  getMeta(id: string): CredentialMeta | null;
  /** The credential of (provider, method, account) with one indexed read (the resolve hot path). */
  find(query: CredentialKey): SealedCredential | null;
  /** Metadata only, never decrypts; ordered by provider, account, method; a window of it when `page` is given. */
  list(filter?: CredentialListFilter, page?: ListPage): CredentialMeta[];
  /** How many credentials `list(filter)` would return, without reading them. */
  count(filter?: CredentialListFilter): number;
  /** Whether the provider has a stored credential (for `accountLabel`, when given), without listing any. */
  hasAccount(provider: string, accountLabel?: string): boolean;
  /** The account of the provider's most recently updated credential, or null when it has none. */
  newestAccount(provider: string): string | null;
  delete(id: string): boolean;
  /** Compare-and-swap on generation, in one synchronous transaction. */
  rotate(input: RotateCredentialInput): RotateOutcome;
  /** Marks a credential as needing sign-in again (keeps the row so the person sees what happened). */
  markInvalid(id: string, reason: ErrorInfo): void;
  /** The provider accepted the credential: it is no longer `unverified`. Writes only when it was. */
  markVerified(id: string): void;
  /** Renames an account (every method stored under it); refuses a label already in use. Returns the rows renamed. */
  renameAccount(provider: string, from: string, to: string): number;
}
