import * as z from 'zod/mini';
import type { ModelInfo } from '../../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../../src-shared/errors.js';
import { describeOpenAiModel, isOpenAiChatModel } from './known-models.js';
import type { AccountIdentity, FetchJsonPage, ProviderDefinition, ProviderErrorResponse } from './definition.js';
import {
  cleanProviderMessage,
  mapByStatus,
  MAX_MODEL_PAGES,
  providerError,
  statusDetail,
  unreadableModelList,
} from './error-mapping.js';
import { identityFields } from './json-fields.js';
import {
  CHATGPT_PLAN_SCOPES,
  CHATGPT_PLAN_SIGN_IN,
  isPlanCatalogue,
  mapPlanResponseError,
  planModels,
} from './openai-plan.js';

/**
 * OpenAI, as documented in docs/providers.md: API keys and OAuth access tokens are both sent as
 * `Authorization: Bearer`; the model list has no display names, so known-models.ts supplies them.
 * OAuth is "Sign in with ChatGPT" for open-source apps (openai-siwc.md): no client id to
 * configure, tokens that spend the person's ChatGPT plan, with their own catalogue and errors
 * (openai-plan.ts).
 */

const PROVIDER = 'openai';
const DISPLAY_NAME = 'OpenAI';
const CONSOLE_URL = 'https://platform.openai.com/api-keys';
const BILLING_URL = 'https://platform.openai.com/settings/organization/billing';

/** `{ error: { message, type, param, code } }` (type and code may be null). */
const errorBodySchema = z.object({
  error: z.object({
    message: z.optional(z.string()),
    type: z.optional(z.nullable(z.string())),
    code: z.optional(z.nullable(z.union([z.string(), z.number()]))),
  }),
});

const modelSchema = z.object({
  id: z.string().check(z.minLength(1)),
  created: z.optional(z.number().check(z.int(), z.nonnegative())),
});

// OpenAI's model list is one page today; the cursor fields other OpenAI lists use
// (`has_more`, `last_id`, `?after=`) are followed if they ever appear.
const modelPageSchema = z.object({
  data: z.array(z.unknown()),
  has_more: z.optional(z.boolean()),
  last_id: z.optional(z.nullable(z.string())),
});

interface ListedModel {
  readonly info: ModelInfo;
  readonly created: number;
}

function toListedModel(model: z.infer<typeof modelSchema>): ListedModel {
  const created = model.created ?? 0;
  const date = new Date(created * 1000);
  const createdAt = model.created !== undefined && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
  return {
    created,
    info: { id: model.id, ...describeOpenAiModel(model.id), ...(createdAt !== undefined ? { createdAt } : {}) },
  };
}

/**
 * `GET /v1/models`, keeping chat-capable models, newest first; for a ChatGPT-plan credential the
 * answer is the plan's own catalogue (`{"models":[…]}`), kept as the server orders it.
 */
async function listOpenAiModels(fetchPage: FetchJsonPage): Promise<ModelInfo[]> {
  const models = new Map<string, ListedModel>();
  let after: string | undefined;
  for (let page = 0; page < MAX_MODEL_PAGES; page += 1) {
    const path = after === undefined ? '/v1/models' : `/v1/models?${new URLSearchParams({ after }).toString()}`;
    const body = await fetchPage(path);
    if (page === 0 && isPlanCatalogue(body)) return planModels(body);
    const parsed = modelPageSchema.safeParse(body);
    if (!parsed.success) throw unreadableModelList(PROVIDER, DISPLAY_NAME, 'the page has no data array');
    let lastSeen: string | undefined;
    for (const item of parsed.data.data) {
      const model = modelSchema.safeParse(item);
      if (!model.success) continue;
      lastSeen = model.data.id;
      if (isOpenAiChatModel(model.data.id) && !models.has(model.data.id))
        models.set(model.data.id, toListedModel(model.data));
    }
    if (parsed.data.has_more !== true) {
      return [...models.values()]
        .sort((a, b) => b.created - a.created || a.info.id.localeCompare(b.info.id))
        .map((model) => model.info);
    }
    const next = parsed.data.last_id ?? lastSeen;
    if (next === undefined || next === after)
      throw unreadableModelList(PROVIDER, DISPLAY_NAME, 'its pagination does not advance');
    after = next;
  }
  throw unreadableModelList(PROVIDER, DISPLAY_NAME, `more than ${MAX_MODEL_PAGES} pages`);
}

function mapUnauthorized(status: number, code: string | undefined, message: string): ErrorInfo {
  const base = { provider: PROVIDER, status, providerCode: code, retryable: false };
  if (code === 'token_expired' || /expired/i.test(message)) {
    return providerError({
      ...base,
      code: 'expired_token',
      message: `OpenAI says the sign-in has expired ${statusDetail(status, code ?? 'token expired')}. The Maestro refreshes it; if this keeps happening, sign in to OpenAI again.`,
    });
  }
  const isKey = code === 'invalid_api_key' || /api key/i.test(message);
  const advice = isKey ? `Check the key at ${CONSOLE_URL}.` : 'Sign in to OpenAI again.';
  return providerError({
    ...base,
    code: 'invalid_credentials',
    message: `OpenAI rejected the ${isKey ? 'API key' : 'credential'} ${statusDetail(status, code ?? cleanProviderMessage(message))}. ${advice}`,
  });
}

/**
 * Maps OpenAI's errors: 401 bad key or expired token, 429 `insufficient_quota` (not retryable,
 * unlike other 429s), 403 unsupported region (policy); anything else by status.
 */
function mapOpenAiError(response: ProviderErrorResponse): ErrorInfo {
  const plan = mapPlanResponseError(response);
  if (plan !== undefined) return plan;
  const { status, headers } = response;
  const parsed = errorBodySchema.safeParse(response.body);
  const fallback = { provider: PROVIDER, displayName: DISPLAY_NAME, consoleUrl: CONSOLE_URL, status, headers };
  if (!parsed.success) return mapByStatus(fallback);
  const rawCode = parsed.data.error.code ?? parsed.data.error.type ?? undefined;
  const code = rawCode === undefined ? undefined : String(rawCode);
  const message = parsed.data.error.message ?? '';
  if (status === 401) return mapUnauthorized(status, code, message);
  const base = { provider: PROVIDER, status, providerCode: code, retryable: false };
  if (status === 429 && (code === 'insufficient_quota' || parsed.data.error.type === 'insufficient_quota')) {
    return providerError({
      ...base,
      providerCode: 'insufficient_quota',
      code: 'quota_exhausted',
      message: `OpenAI says this account has no quota left ${statusDetail(status, 'insufficient_quota')}. Check the plan and billing at ${BILLING_URL}.`,
    });
  }
  if (status === 403 && code === 'unsupported_country_region_territory') {
    return providerError({
      ...base,
      code: 'policy_blocked',
      message: `OpenAI does not serve requests from this country, region or territory ${statusDetail(status, code)}.`,
    });
  }
  // Codes are preferred over messages: OpenAI's messages can quote part of the key.
  return mapByStatus({ ...fallback, providerCode: code, detail: code ?? cleanProviderMessage(message) });
}

/**
 * Who signed in: the validated `sub` is the account (openai-siwc.md §4.1: email is a label, not
 * an identity), `email` when the identity scopes gave one.
 */
function openaiAccountIdentity(
  _tokenResponse: Readonly<Record<string, unknown>>,
  claims: Readonly<Record<string, unknown>> | undefined,
): AccountIdentity {
  return identityFields(claims, 'sub', 'email');
}

/** OpenAI's definition; every endpoint and setting can be overridden by configuration. */
export const openaiDefinition = {
  id: 'openai',
  displayName: DISPLAY_NAME,
  defaultApiBaseUrl: 'https://api.openai.com',
  consoleUrl: CONSOLE_URL,
  apiKeyEnvVars: ['OPENAI_API_KEY'],
  apiKeyPrefixHint: 'sk-',
  apiKeyHeaders: (apiKey) => ({ Authorization: `Bearer ${apiKey}` }),
  bearerHeaders: (accessToken) => ({ Authorization: `Bearer ${accessToken}` }),
  validationPath: '/v1/models',
  listModels: listOpenAiModels,
  mapError: mapOpenAiError,
  oauth: {
    issuer: 'https://auth.openai.com',
    discovery: true,
    // Discovery supplies these; they are the documented values when it cannot (openai-siwc.md §0).
    authorizationEndpoint: 'https://auth.openai.com/api/accounts/authorize',
    tokenEndpoint: 'https://auth.openai.com/api/accounts/oauth/token',
    revocationEndpoint: 'https://auth.openai.com/api/accounts/oauth/revoke',
    tokenRequestBody: 'form',
    scopes: CHATGPT_PLAN_SCOPES,
    redirectModes: ['loopback'],
    // Only http://127.0.0.1 with the path /auth/callback; the port may vary (1455 first, then any free one).
    loopback: { host: '127.0.0.1', ports: [1455, 0], path: '/auth/callback' },
    extraAuthorizationParams: {},
    clientIdEnv: 'OPENAI_OAUTH_CLIENT_ID',
    rotatesRefreshTokens: true,
    permanentRefreshErrors: [
      'invalid_grant',
      'invalid_refresh_token',
      'token_expired',
      'refresh_token_reused',
      'refresh_token_expired',
      'refresh_token_invalidated',
      'invalid_client',
      'unauthorized_client',
    ],
    planSignIn: CHATGPT_PLAN_SIGN_IN,
    accountIdentity: openaiAccountIdentity,
  },
} as const satisfies ProviderDefinition;
