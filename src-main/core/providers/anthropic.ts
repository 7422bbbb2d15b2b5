import * as z from 'zod/mini';
import type { ModelInfo } from '../../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../../src-shared/errors.js';
import type {
  AccountIdentity,
  FetchJsonPage,
  ProviderDefinition,
  ProviderErrorResponse,
  RequestSettings,
} from './definition.js';
import {
  cleanProviderMessage,
  mapByStatus,
  MAX_MODEL_PAGES,
  parseRetryAfter,
  providerError,
  statusDetail,
  unreadableModelList,
} from './error-mapping.js';
import { asRecord, identityFields } from './json-fields.js';

/**
 * Anthropic (Claude), as documented in docs/providers.md: API keys in `x-api-key`, OAuth access
 * tokens as a bearer with the `oauth-2025-04-20` beta and never alongside `x-api-key`.
 */

const PROVIDER = 'anthropic';
const DISPLAY_NAME = 'Anthropic';
const CONSOLE_URL = 'https://console.anthropic.com/settings/keys';
/**
 * The current documented API version (platform.claude.com/docs/en/api/versioning: `2026-10-21`,
 * released 21 October 2026; `2023-06-01` is still accepted). A setting: `providers.anthropic.apiVersion`
 * in the config file or THE_MAESTRO_ANTHROPIC_API_VERSION.
 */
export const ANTHROPIC_DEFAULT_VERSION = '2026-10-21';
const OAUTH_BETA = 'oauth-2025-04-20';

/** `{ type: "error", error: { type, message }, request_id }` */
const errorBodySchema = z.object({
  type: z.optional(z.literal('error')),
  error: z.object({ type: z.string().check(z.minLength(1)), message: z.optional(z.string()) }),
  request_id: z.optional(z.string()),
});

const modelSchema = z.object({
  id: z.string().check(z.minLength(1)),
  display_name: z.optional(z.string().check(z.minLength(1))),
  created_at: z.optional(z.string()),
  max_input_tokens: z.optional(z.number().check(z.int(), z.positive())),
});

const modelPageSchema = z.object({
  data: z.array(z.unknown()),
  has_more: z.optional(z.boolean()),
  last_id: z.optional(z.nullable(z.string())),
});

function toModelInfo(model: z.infer<typeof modelSchema>): ModelInfo {
  return {
    id: model.id,
    displayName: model.display_name ?? model.id,
    ...(model.max_input_tokens !== undefined ? { contextWindow: model.max_input_tokens } : {}),
    ...(model.created_at !== undefined ? { createdAt: model.created_at } : {}),
  };
}

/**
 * Follows `GET /v1/models?limit=1000&after_id=…` while `has_more`, newest first as Anthropic
 * orders them. Entries that are not models are skipped; a page of another shape, or a cursor that
 * does not advance, is an error rather than a silent partial list.
 */
async function listAnthropicModels(fetchPage: FetchJsonPage): Promise<ModelInfo[]> {
  const models = new Map<string, ModelInfo>();
  let afterId: string | undefined;
  for (let page = 0; page < MAX_MODEL_PAGES; page += 1) {
    const query = new URLSearchParams({ limit: '1000' });
    if (afterId !== undefined) query.set('after_id', afterId);
    const parsed = modelPageSchema.safeParse(await fetchPage(`/v1/models?${query.toString()}`));
    if (!parsed.success) throw unreadableModelList(PROVIDER, DISPLAY_NAME, 'the page has no data array');
    let lastSeen: string | undefined;
    for (const item of parsed.data.data) {
      const model = modelSchema.safeParse(item);
      if (!model.success) continue;
      lastSeen = model.data.id;
      if (!models.has(model.data.id)) models.set(model.data.id, toModelInfo(model.data));
    }
    if (parsed.data.has_more !== true) return [...models.values()];
    const next = parsed.data.last_id ?? lastSeen;
    if (next === undefined || next === afterId)
      throw unreadableModelList(PROVIDER, DISPLAY_NAME, 'its pagination does not advance');
    afterId = next;
  }
  throw unreadableModelList(PROVIDER, DISPLAY_NAME, `more than ${MAX_MODEL_PAGES} pages`);
}

/** What kind of credential a 401 message talks about, so the sentence can say what to do. */
function rejectedCredential(message: string): 'API key' | 'access token' | 'credential' {
  if (/x-api-key|api key/i.test(message)) return 'API key';
  if (/bearer|oauth|token/i.test(message)) return 'access token';
  return 'credential';
}

function mapUnauthorized(status: number, errorType: string, message: string, detail: string | undefined): ErrorInfo {
  const base = { provider: PROVIDER, status, providerCode: errorType, retryable: false };
  if (/oauth token has expired/i.test(message)) {
    return providerError({
      ...base,
      code: 'expired_token',
      message: `Anthropic says the sign-in has expired ${statusDetail(status, 'OAuth token has expired')}. The Maestro refreshes it; if this keeps happening, sign in to Anthropic again.`,
    });
  }
  const kind = rejectedCredential(message);
  const advice = kind === 'API key' ? `Check the key at ${CONSOLE_URL}.` : 'Sign in to Anthropic again.';
  return providerError({
    ...base,
    code: 'invalid_credentials',
    message: `Anthropic rejected the ${kind} ${statusDetail(status, detail)}. ${advice}`,
  });
}

/**
 * Maps Anthropic's documented errors: 401 bad key or expired OAuth token, 400 Claude-Code-only
 * tokens (policy), 429 with `retry-after`, 529 overloaded (retryable); anything else by status.
 */
function mapAnthropicError(response: ProviderErrorResponse): ErrorInfo {
  const { status, headers } = response;
  const parsed = errorBodySchema.safeParse(response.body);
  const fallback = { provider: PROVIDER, displayName: DISPLAY_NAME, consoleUrl: CONSOLE_URL, status, headers };
  if (!parsed.success) return mapByStatus(fallback);
  const errorType = parsed.data.error.type;
  const message = parsed.data.error.message ?? '';
  const detail = cleanProviderMessage(message) ?? errorType;
  if (status === 401 || errorType === 'authentication_error')
    return mapUnauthorized(status, errorType, message, detail);
  if (status === 400 && /only authorized for use with claude code/i.test(message)) {
    return providerError({
      provider: PROVIDER,
      status,
      providerCode: errorType,
      retryable: false,
      code: 'policy_blocked',
      message: `Anthropic accepts this sign-in only inside Claude Code ${statusDetail(status, 'only authorized for use with Claude Code')}. Use an API key, or an OAuth client registered for The Maestro.`,
    });
  }
  if (status === 529 || errorType === 'overloaded_error') {
    return providerError({
      provider: PROVIDER,
      status,
      providerCode: errorType,
      retryable: true,
      retryAfterSeconds: parseRetryAfter(headers),
      code: 'provider_unavailable',
      message: `Anthropic is overloaded right now ${statusDetail(status, errorType)}. Try again in a moment.`,
    });
  }
  return mapByStatus({ ...fallback, providerCode: errorType, detail });
}

/** Who signed in, from the token response's `account: { uuid, email_address }` (Anthropic sends no id_token). */
function anthropicAccountIdentity(
  tokenResponse: Readonly<Record<string, unknown>>,
  _idTokenClaims: Readonly<Record<string, unknown>> | undefined,
): AccountIdentity {
  return identityFields(asRecord(tokenResponse['account']), 'uuid', 'email_address');
}

function versionOf(settings: RequestSettings | undefined): string {
  return settings?.apiVersion ?? ANTHROPIC_DEFAULT_VERSION;
}

/** Why there is no Claude.ai subscription sign-in (docs/providers.md); pinned in validation-messages.test.ts. */
export const ANTHROPIC_OAUTH_POLICY =
  "The Maestro does not offer sign-in with a Claude.ai Free, Pro or Max subscription: Anthropic's terms forbid third-party apps from offering that sign-in or using its tokens. Browser sign-in here is only for an organisation's own Anthropic OAuth client; otherwise use an API key from https://console.anthropic.com/settings/keys.";

/** Anthropic's definition; every endpoint and setting can be overridden by configuration. */
export const anthropicDefinition = {
  id: 'anthropic',
  displayName: DISPLAY_NAME,
  defaultApiBaseUrl: 'https://api.anthropic.com',
  consoleUrl: CONSOLE_URL,
  apiKeyEnvVars: ['ANTHROPIC_API_KEY'],
  apiKeyPrefixHint: 'sk-ant-',
  // The new SDK majors send keys as `Authorization: Bearer`, but the versioning page changes only
  // Messages API parameters and `x-api-key` stays the documented key header under both versions
  // (platform.claude.com/docs/en/api/versioning); it is also what Claude Code's apiKeyHelper sends.
  apiKeyHeaders: (apiKey, settings?: RequestSettings) => ({
    'x-api-key': apiKey,
    'anthropic-version': versionOf(settings),
  }),
  // OAuth requests carry the beta flag and never x-api-key: mixing them is rejected.
  bearerHeaders: (accessToken, settings?: RequestSettings) => ({
    Authorization: `Bearer ${accessToken}`,
    'anthropic-version': versionOf(settings),
    'anthropic-beta': OAUTH_BETA,
  }),
  apiVersion: { default: ANTHROPIC_DEFAULT_VERSION, env: 'THE_MAESTRO_ANTHROPIC_API_VERSION' },
  validationPath: '/v1/models?limit=1',
  listModels: listAnthropicModels,
  mapError: mapAnthropicError,
  oauth: {
    // Anthropic sends no `iss` on the callback; this is still the issuer we expect and store.
    issuer: 'https://claude.ai',
    discovery: false,
    // The current hosts (docs/providers.md: claude.ai and console.anthropic.com moved there).
    authorizationEndpoint: 'https://claude.com/cai/oauth/authorize',
    tokenEndpoint: 'https://platform.claude.com/v1/oauth/token',
    tokenRequestBody: 'json',
    scopes: ['org:create_api_key', 'user:profile', 'user:inference'],
    redirectModes: ['paste', 'loopback', 'deep_link'],
    loopback: { host: 'localhost', ports: [0], path: '/callback' },
    pasteRedirectUri: 'https://console.anthropic.com/oauth/code/callback',
    // Makes the paste page show `code#state` for the person to copy.
    extraAuthorizationParams: { code: 'true' },
    clientIdEnv: 'ANTHROPIC_OAUTH_CLIENT_ID',
    unconfiguredNote: ANTHROPIC_OAUTH_POLICY,
    rotatesRefreshTokens: true,
    permanentRefreshErrors: ['invalid_grant', 'invalid_client', 'unauthorized_client'],
    accountIdentity: anthropicAccountIdentity,
  },
} as const satisfies ProviderDefinition;
