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
  parseDurationSeconds,
  parseRetryAfter,
  providerError,
  statusDetail,
  unreadableModelList,
  waitSentence,
} from './error-mapping.js';
import { asRecord, identityFields, stringField } from './json-fields.js';

/**
 * Google (Gemini API), as documented in docs/providers.md. Its errors are google.rpc.Status
 * objects; the reason that matters is in `details[].reason` of the ErrorInfo entry, and a bad
 * API key is a 400, not a 401.
 */

const PROVIDER = 'google';
const DISPLAY_NAME = 'Google';
const CONSOLE_URL = 'https://aistudio.google.com/app/apikey';

/** `{ error: { code, message, status, details: [{ "@type": "…ErrorInfo", reason }, …] } }` */
const errorBodySchema = z.object({
  error: z.object({
    code: z.optional(z.number()),
    message: z.optional(z.string()),
    status: z.optional(z.string()),
    details: z.optional(z.array(z.unknown())),
  }),
});

/** What the `details` array says, read field by field from unknown input. */
interface GoogleErrorDetails {
  readonly reason?: string;
  readonly retryDelaySeconds?: number;
  /** quotaId / quotaMetric of every QuotaFailure violation. */
  readonly quotaIds: readonly string[];
}

function readDetails(details: readonly unknown[] | undefined): GoogleErrorDetails {
  let reason: string | undefined;
  let retryDelaySeconds: number | undefined;
  const quotaIds: string[] = [];
  for (const detail of details ?? []) {
    const record = asRecord(detail);
    const type = stringField(record, '@type') ?? '';
    if (type.endsWith('google.rpc.ErrorInfo')) reason ??= stringField(record, 'reason');
    if (type.endsWith('google.rpc.RetryInfo')) retryDelaySeconds ??= parseDurationSeconds(record?.['retryDelay']);
    if (type.endsWith('google.rpc.QuotaFailure') && Array.isArray(record?.['violations'])) {
      for (const violation of record['violations'] as unknown[]) {
        const fields = asRecord(violation);
        for (const key of ['quotaId', 'quotaMetric']) {
          const value = stringField(fields, key);
          if (value !== undefined) quotaIds.push(value);
        }
      }
    }
  }
  return {
    quotaIds,
    ...(reason !== undefined ? { reason } : {}),
    ...(retryDelaySeconds !== undefined ? { retryDelaySeconds } : {}),
  };
}

/**
 * A 429 is a daily (or zero) quota, which waiting a minute will not fix, only when the quota ids
 * or the message say so. Gemini's generic 429 text mentions "plan and billing details" even for a
 * per-minute limit, so billing words alone do not count.
 */
function isExhaustedQuota(message: string, details: GoogleErrorDetails): boolean {
  if (details.quotaIds.some((id) => /per[_ ]?day|daily/i.test(id))) return true;
  return /\bper day\b|\bdaily\b|limit: 0\b/i.test(message);
}

function mapQuota(
  status: number,
  message: string,
  details: GoogleErrorDetails,
  headers: Headers,
  providerCode: string | undefined,
): ErrorInfo {
  const retryAfterSeconds = details.retryDelaySeconds ?? parseRetryAfter(headers);
  const base = { provider: PROVIDER, status, providerCode, retryAfterSeconds };
  if (isExhaustedQuota(message, details)) {
    return providerError({
      ...base,
      code: 'quota_exhausted',
      retryable: false,
      message: `Google says the quota for this key or project is used up ${statusDetail(status, 'RESOURCE_EXHAUSTED')}. Check the plan and limits at https://aistudio.google.com/usage.`,
    });
  }
  return providerError({
    ...base,
    code: 'rate_limited',
    retryable: true,
    message: `Google is limiting requests ${statusDetail(status, 'RESOURCE_EXHAUSTED')}. ${waitSentence(retryAfterSeconds)}`,
  });
}

function mapUnauthenticated(
  status: number,
  message: string,
  reason: string | undefined,
  providerCode: string | undefined,
): ErrorInfo {
  const base = { provider: PROVIDER, status, providerCode, retryable: false };
  if (reason === 'ACCESS_TOKEN_EXPIRED' || /expired/i.test(message)) {
    return providerError({
      ...base,
      code: 'expired_token',
      message: `Google says the sign-in has expired ${statusDetail(status, reason ?? 'UNAUTHENTICATED')}. The Maestro refreshes it; if this keeps happening, sign in to Google again.`,
    });
  }
  return providerError({
    ...base,
    code: 'invalid_credentials',
    message: `Google rejected the access token ${statusDetail(status, providerCode)}. Sign in to Google again.`,
  });
}

/**
 * Google's 403 for an OAuth token sent without `x-goog-user-project` talks about end-user
 * credentials and a quota project (its ErrorInfo reason is SERVICE_DISABLED, for Google's own project).
 */
const QUOTA_PROJECT_MISSING = /quota project|end user credentials|end-user credentials/i;

/** What to do about a missing or wrong quota project; pinned in validation-messages.test.ts. */
export const QUOTA_PROJECT_FIX =
  'Set your Google Cloud project (the one with the Generative Language API enabled) as the quota project: in the window (Quota project on Google’s card), with GOOGLE_CLOUD_QUOTA_PROJECT, or as providers.google.quotaProject in the config file.';

/**
 * Why Google refuses a saved refresh token, most likely cause first (docs/providers.md); pinned in
 * validation-messages.test.ts.
 */
export const GOOGLE_INVALID_GRANT_ADVICE =
  "Most often the OAuth consent screen of your client is in Testing mode, where Google lets a sign-in last only 7 days; it also happens when access was removed at https://myaccount.google.com/permissions or the account's password changed. To stop the weekly expiry, publish the app (Google Auth Platform → Audience → Publish app).";

/** Maps Google's errors (see the file comment); anything undocumented is mapped by status. */
function mapGoogleError(response: ProviderErrorResponse): ErrorInfo {
  const { status, headers } = response;
  const parsed = errorBodySchema.safeParse(response.body);
  const fallback = { provider: PROVIDER, displayName: DISPLAY_NAME, consoleUrl: CONSOLE_URL, status, headers };
  if (!parsed.success) return mapByStatus(fallback);
  const message = parsed.data.error.message ?? '';
  const details = readDetails(parsed.data.error.details);
  const providerCode = details.reason ?? parsed.data.error.status;
  if (details.reason === 'API_KEY_INVALID' || details.reason === 'API_KEY_EXPIRED') {
    return providerError({
      provider: PROVIDER,
      status,
      providerCode: details.reason,
      retryable: false,
      code: 'invalid_credentials',
      message: `Google rejected the API key ${statusDetail(status, details.reason)}. Check the key at ${CONSOLE_URL}.`,
    });
  }
  if (status === 401) return mapUnauthenticated(status, message, details.reason, providerCode);
  if (status === 429 || parsed.data.error.status === 'RESOURCE_EXHAUSTED')
    return mapQuota(status, message, details, headers, providerCode);
  if (status === 400 && /location is not supported/i.test(message)) {
    return providerError({
      provider: PROVIDER,
      status,
      providerCode,
      retryable: false,
      code: 'policy_blocked',
      message: `Google does not offer the Gemini API where this request comes from ${statusDetail(status, providerCode)}.`,
    });
  }
  if (status === 403 && QUOTA_PROJECT_MISSING.test(message)) {
    return providerError({
      provider: PROVIDER,
      status,
      providerCode,
      retryable: false,
      code: 'permission_denied',
      message: `Google needs a quota project for this sign-in ${statusDetail(status, 'quota project not set')}. ${QUOTA_PROJECT_FIX}`,
    });
  }
  if (status === 403 && details.reason === 'SERVICE_DISABLED') {
    return providerError({
      provider: PROVIDER,
      status,
      providerCode,
      retryable: false,
      code: 'permission_denied',
      message: `Google says the Generative Language API is not enabled for this project ${statusDetail(status, providerCode)}. Enable it in the Google Cloud console, or use a key from ${CONSOLE_URL}.`,
    });
  }
  return mapByStatus({ ...fallback, providerCode, detail: providerCode ?? cleanProviderMessage(message) });
}

const modelSchema = z.object({
  name: z.string().check(z.minLength(1)),
  displayName: z.optional(z.string().check(z.minLength(1))),
  description: z.optional(z.string()),
  inputTokenLimit: z.optional(z.number().check(z.int(), z.positive())),
  outputTokenLimit: z.optional(z.number().check(z.int(), z.positive())),
  supportedGenerationMethods: z.optional(z.array(z.string())),
});

// Google leaves empty repeated fields out, so `{}` is a valid empty last page.
const modelPageSchema = z.object({ models: z.optional(z.array(z.unknown())), nextPageToken: z.optional(z.string()) });

function toModelInfo(model: z.infer<typeof modelSchema>): ModelInfo {
  const id = model.name.startsWith('models/') ? model.name.slice('models/'.length) : model.name;
  return {
    id,
    displayName: model.displayName ?? id,
    ...(model.inputTokenLimit !== undefined ? { contextWindow: model.inputTokenLimit } : {}),
    ...(model.outputTokenLimit !== undefined ? { outputTokenLimit: model.outputTokenLimit } : {}),
    ...(model.description !== undefined && model.description !== '' ? { description: model.description } : {}),
  };
}

/** Reads one page; a body that is not an object, or an object of another API's shape, is unreadable. */
function parseModelPage(body: unknown): z.infer<typeof modelPageSchema> {
  const parsed = modelPageSchema.safeParse(body);
  const record = asRecord(body);
  const foreign =
    record !== undefined && !('models' in record) && !('nextPageToken' in record) && Object.keys(record).length > 0;
  if (!parsed.success || foreign) throw unreadableModelList(PROVIDER, DISPLAY_NAME, 'the page has no models array');
  return parsed.data;
}

/** Follows `GET /v1beta/models?pageSize=1000&pageToken=…`, keeping models that can `generateContent`. */
async function listGoogleModels(fetchPage: FetchJsonPage): Promise<ModelInfo[]> {
  const models = new Map<string, ModelInfo>();
  const seenTokens = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_MODEL_PAGES; page += 1) {
    const query = new URLSearchParams({ pageSize: '1000' });
    if (pageToken !== undefined) query.set('pageToken', pageToken);
    const parsed = parseModelPage(await fetchPage(`/v1beta/models?${query.toString()}`));
    for (const item of parsed.models ?? []) {
      const model = modelSchema.safeParse(item);
      if (!model.success || !(model.data.supportedGenerationMethods ?? []).includes('generateContent')) continue;
      const info = toModelInfo(model.data);
      if (!models.has(info.id)) models.set(info.id, info);
    }
    const next = parsed.nextPageToken;
    if (next === undefined || next === '') return [...models.values()];
    if (seenTokens.has(next)) throw unreadableModelList(PROVIDER, DISPLAY_NAME, 'its pagination does not advance');
    seenTokens.add(next);
    pageToken = next;
  }
  throw unreadableModelList(PROVIDER, DISPLAY_NAME, `more than ${MAX_MODEL_PAGES} pages`);
}

/** Who signed in, from the id_token's `email` and `sub` claims. */
function googleAccountIdentity(
  _tokenResponse: Readonly<Record<string, unknown>>,
  claims: Readonly<Record<string, unknown>> | undefined,
): AccountIdentity {
  return identityFields(claims, 'sub', 'email');
}

/** Google's definition; every endpoint and setting can be overridden by configuration. */
export const googleDefinition = {
  id: 'google',
  displayName: DISPLAY_NAME,
  defaultApiBaseUrl: 'https://generativelanguage.googleapis.com',
  consoleUrl: CONSOLE_URL,
  apiKeyEnvVars: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  apiKeyPrefixHint: 'AIza',
  // The header rather than `?key=`: query strings end up in proxies' logs.
  apiKeyHeaders: (apiKey) => ({ 'x-goog-api-key': apiKey }),
  // A person's OAuth token is billed to the quota project; an API key carries its own project.
  bearerHeaders: (accessToken, settings?: RequestSettings) => ({
    Authorization: `Bearer ${accessToken}`,
    ...(settings?.quotaProject !== undefined ? { 'x-goog-user-project': settings.quotaProject } : {}),
  }),
  quotaProject: { env: 'GOOGLE_CLOUD_QUOTA_PROJECT' },
  validationPath: '/v1beta/models?pageSize=1',
  listModels: listGoogleModels,
  mapError: mapGoogleError,
  oauth: {
    issuer: 'https://accounts.google.com',
    discovery: true,
    authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenEndpoint: 'https://oauth2.googleapis.com/token',
    revocationEndpoint: 'https://oauth2.googleapis.com/revoke',
    tokenRequestBody: 'form',
    scopes: [
      'openid',
      'email',
      'https://www.googleapis.com/auth/cloud-platform',
      'https://www.googleapis.com/auth/generative-language.retriever',
    ],
    redirectModes: ['loopback', 'deep_link'],
    // Desktop clients may use any loopback port (RFC 8252 §7.3).
    loopback: { host: '127.0.0.1', ports: [0], path: '/oauth2callback' },
    // Without both, Google issues no refresh token (or none on a second consent).
    extraAuthorizationParams: { access_type: 'offline', prompt: 'consent' },
    clientIdEnv: 'GOOGLE_OAUTH_CLIENT_ID',
    unconfiguredNote:
      "Create your own Desktop app OAuth client in a Google Cloud project with the Generative Language API enabled (the Gemini API OAuth quickstart, https://ai.google.dev/gemini-api/docs/oauth); Google does not allow apps to reuse Gemini CLI's client.",
    clientSecretEnv: 'GOOGLE_OAUTH_CLIENT_SECRET',
    rotatesRefreshTokens: false,
    permanentRefreshErrors: ['invalid_grant', 'invalid_client', 'unauthorized_client'],
    refreshRefusedAdvice: { invalid_grant: GOOGLE_INVALID_GRANT_ADVICE },
    accountIdentity: googleAccountIdentity,
  },
} as const satisfies ProviderDefinition;
