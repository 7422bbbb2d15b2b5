import * as z from 'zod/mini';
import { ERROR_CODES, type ErrorInfo } from '../../../../src-shared/errors.js';
import type { CredentialMeta } from '../credential-store.js';
import { parseStoredJson } from './stored-json.js';

/** A `provider_credentials` row as better-sqlite3 returns it. */
export interface CredentialRow {
  id: string;
  user_id: string;
  provider: string;
  auth_method: 'oauth' | 'api_key';
  account_label: string;
  credentials: Buffer;
  /** How the sealed secret's additional data is built (see `credentialAad`). */
  aad_version: 1 | 2;
  expires_at: number | null;
  generation: number;
  key_id: string;
  masked_secret: string | null;
  identity: string | null;
  invalid_reason: string | null;
  created_at: number;
  updated_at: number;
  /** 0 while the provider has not accepted the credential (a key stored without a check). */
  verified: 0 | 1;
}

/** Every column but the sealed secret: what listing reads. */
export const META_COLUMNS =
  'id, user_id, provider, auth_method, account_label, expires_at, generation, key_id, masked_secret, identity, invalid_reason, created_at, updated_at, verified';

export type CredentialMetaRow = Omit<CredentialRow, 'credentials' | 'aad_version'>;

const errorInfoSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  provider: z.optional(z.string()),
  retryAfterSeconds: z.optional(z.number()),
  status: z.optional(z.number()),
  providerCode: z.optional(z.string()),
  retryable: z.optional(z.boolean()),
});

/** Parses the stored `invalid_reason`; an unreadable one is still an invalid credential. */
export function parseInvalidReason(text: string | null): ErrorInfo | null {
  if (text === null) return null;
  const parsed = errorInfoSchema.safeParse(parseStoredJson(text));
  if (parsed.success) {
    const { provider, retryAfterSeconds, status, providerCode, retryable, ...rest } = parsed.data;
    return {
      ...rest,
      ...(provider !== undefined ? { provider } : {}),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      ...(status !== undefined ? { status } : {}),
      ...(providerCode !== undefined ? { providerCode } : {}),
      ...(retryable !== undefined ? { retryable } : {}),
    };
  }
  return { code: 'reauth_required', message: 'This credential was marked unusable; sign in again.' };
}

/** Maps a row to the metadata callers see. */
export function toMeta(row: CredentialMetaRow): CredentialMeta {
  return {
    id: row.id,
    userId: row.user_id,
    provider: row.provider,
    authMethod: row.auth_method,
    accountLabel: row.account_label,
    expiresAt: row.expires_at,
    generation: row.generation,
    keyId: row.key_id,
    maskedSecret: row.masked_secret,
    identity: row.identity,
    invalidReason: parseInvalidReason(row.invalid_reason),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    verified: row.verified === 1,
  };
}
