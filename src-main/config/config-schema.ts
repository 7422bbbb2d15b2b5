import * as z from 'zod/mini';
import { AUTH_METHODS } from '../../src-shared/auth-types.js';
import { QUOTA_PROJECT_PATTERN, QUOTA_PROJECT_RULE } from '../../src-shared/quota-project.js';
import { REDIRECT_MODES } from '../core/providers/definition.js';

/**
 * The configuration file's fields, one schema per field so that a bad field is reported by name
 * and replaced by its default, without disabling anything else (the story's `{:system, "ENV"}`
 * references are `{ "env": "NAME" }` objects).
 */
export const envNameSchema = z
  .string()
  .check(z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be an environment variable name'));

/** `{ "env": "NAME" }`: the value is read from the environment at start-up. */
export const envRefSchema = z.strictObject({ env: envNameSchema });
export type EnvRef = z.infer<typeof envRefSchema>;

/** A literal string or an environment reference. */
export const stringOrEnvSchema = z.union([z.string().check(z.minLength(1), z.maxLength(2048)), envRefSchema]);
export type StringOrEnv = z.infer<typeof stringOrEnvSchema>;

/** `apiKey`: only a reference; a key written into the file itself is refused with a message that says how to reference one. */
const apiKeyRefSchema = z.pipe(
  z
    .unknown()
    .check(
      z.refine(
        (value) => typeof value !== 'string',
        'must not hold the key itself: keys may only be referenced, as { "env": "VARIABLE_NAME" }',
      ),
    ),
  envRefSchema,
);

const port = z.number().check(z.int(), z.gte(0), z.lte(65535));

/** An API version as Anthropic names them: the release date, e.g. `2026-10-21`. */
export const apiVersionSchema = z
  .string()
  .check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be an API version date such as 2026-10-21'));

/** A Google Cloud project id or number, as `x-goog-user-project` takes it (the window checks the same). */
export const quotaProjectSchema = z.string().check(z.regex(QUOTA_PROJECT_PATTERN, QUOTA_PROJECT_RULE));

/** Field name → schema, for `providers.<id>` (apiKey may only be an environment reference: no plaintext keys in files). */
export const PROVIDER_FIELDS = {
  apiBaseUrl: stringOrEnvSchema,
  apiKey: apiKeyRefSchema,
  apiKeyEnv: z.array(envNameSchema).check(z.minLength(1), z.maxLength(8)),
  requestTimeoutMs: z.number().check(z.int(), z.gte(100), z.lte(300_000)),
  /** Anthropic's `anthropic-version` header. */
  apiVersion: apiVersionSchema,
  /** Google's quota project, sent as `x-goog-user-project` with OAuth tokens. */
  quotaProject: quotaProjectSchema,
  /** Checked field by field with OAUTH_FIELDS. */
  oauth: z.unknown(),
} as const;

/** Field name → schema, for `providers.<id>.oauth`. */
export const OAUTH_FIELDS = {
  clientId: stringOrEnvSchema,
  clientSecret: stringOrEnvSchema,
  issuer: stringOrEnvSchema,
  discovery: z.boolean(),
  authorizationEndpoint: stringOrEnvSchema,
  tokenEndpoint: stringOrEnvSchema,
  revocationEndpoint: stringOrEnvSchema,
  pasteRedirectUri: stringOrEnvSchema,
  scopes: z
    .array(
      z
        .string()
        .check(z.minLength(1), z.maxLength(256), z.regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be a valid OAuth scope')),
    )
    .check(z.maxLength(32)),
  redirectMode: z.enum(REDIRECT_MODES),
  loopbackPorts: z.array(port).check(z.minLength(1), z.maxLength(8)),
} as const;

/** Field name → schema, at the top level. */
export const TOP_FIELDS = {
  providers: z.record(z.string(), z.unknown()),
  fallbackOrder: z.array(z.enum(AUTH_METHODS)).check(
    z.minLength(1),
    z.maxLength(3),
    z.refine((list) => new Set(list).size === list.length, 'must not repeat a method'),
  ),
  deepLinkScheme: z
    .string()
    .check(
      z.regex(/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+$/, 'must be a reverse-DNS URI scheme such as app.themaestro.desktop'),
    ),
  requestTimeoutMs: PROVIDER_FIELDS.requestTimeoutMs,
  $schema: z.string(),
} as const;
