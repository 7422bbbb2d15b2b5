import * as z from 'zod/mini';

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
});

export const credentialSchema = z.discriminatedUnion('kind', [apiKeyCredentialSchema, oauthCredentialSchema]);

export type ApiKeyCredential = z.infer<typeof apiKeyCredentialSchema>;
export type OAuthCredential = z.infer<typeof oauthCredentialSchema>;
export type Credential = z.infer<typeof credentialSchema>;

/** How a request to a provider's API is authenticated. */
export type ApiAuth =
  | { readonly kind: 'api_key'; readonly apiKey: string }
  | { readonly kind: 'bearer'; readonly accessToken: string };

export function apiAuthOf(credential: Credential): ApiAuth {
  return credential.kind === 'api_key'
    ? { kind: 'api_key', apiKey: credential.apiKey }
    : { kind: 'bearer', accessToken: credential.accessToken };
}
