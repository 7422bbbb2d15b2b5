import * as z from 'zod/mini';
import type { CredentialState, StoredAuthMethod } from '../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../src-shared/errors.js';

/**
 * The secret material of one stored credential. This is what the store seals; it only ever
 * exists in plaintext in the main process, just in time, and never in a view model.
 */
export const apiKeyCredentialSchema = z.object({
  kind: z.literal('api_key'),
  apiKey: z.string().check(z.minLength(1)),
});

export const oauthCredentialSchema = z.object({
  kind: z.literal('oauth'),
  accessToken: z.string().check(z.minLength(1)),
  refreshToken: z.optional(z.string().check(z.minLength(1))),
  idToken: z.optional(z.string().check(z.minLength(1))),
  tokenType: z._default(z.string(), 'Bearer'),
  /** Epoch milliseconds. */
  expiresAt: z.optional(z.number().check(z.int())),
  scope: z.optional(z.string()),
  /** The issuer that minted the tokens, checked again on refresh. */
  issuer: z.optional(z.string()),
  /** Who signed in, from the id_token or the provider's profile. */
  accountId: z.optional(z.string()),
  email: z.optional(z.string()),
  /**
   * The client the tokens were issued to when it is not the configured one: the client id a
   * plan sign-in registered (openai-siwc.md §3), used for every refresh and the revocation.
   */
  clientId: z.optional(z.string()),
  /** The validated id_token `sub`; a later sign-in to this account must be the same subject. */
  subject: z.optional(z.string()),
});

export const credentialSchema = z.discriminatedUnion('kind', [apiKeyCredentialSchema, oauthCredentialSchema]);

export type ApiKeyCredential = z.infer<typeof apiKeyCredentialSchema>;
export type OAuthCredential = z.infer<typeof oauthCredentialSchema>;
export type Credential = z.infer<typeof credentialSchema>;

/** How a request to a provider's API is authenticated. */
export type ApiAuth =
  { readonly kind: 'api_key'; readonly apiKey: string } | { readonly kind: 'bearer'; readonly accessToken: string };

export function apiAuthOf(credential: Credential): ApiAuth {
  return credential.kind === 'api_key'
    ? { kind: 'api_key', apiKey: credential.apiKey }
    : { kind: 'bearer', accessToken: credential.accessToken };
}

/**
 * Within this margin before its expiry an OAuth access token is `expiring`, and the refresher
 * renews it before use: both read this one constant, so they can never disagree.
 */
export const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

/** What the state of a stored credential is judged from: its metadata alone, never its secret. */
export interface CredentialStateFacts {
  readonly authMethod: StoredAuthMethod;
  /** Epoch ms, for OAuth access tokens. */
  readonly expiresAt: number | null;
  /** Set when the credential is known bad. */
  readonly invalidReason: ErrorInfo | null;
  /** False until the provider has accepted the credential (a key stored with `--no-validate`). */
  readonly verified: boolean;
}

/**
 * The state of a stored credential at `now` (no decryption). `valid` means a provider accepted it:
 * a key stored without a check is `unverified` until one does, and `invalid` once one refuses it.
 */
export function credentialStateOf(facts: CredentialStateFacts, now: number): CredentialState {
  if (facts.invalidReason !== null) return 'invalid';
  if (facts.authMethod === 'oauth' && facts.expiresAt !== null) {
    if (now >= facts.expiresAt) return 'expired';
    if (facts.expiresAt - now <= EXPIRY_MARGIN_MS) return 'expiring';
  }
  return facts.verified ? 'valid' : 'unverified';
}
