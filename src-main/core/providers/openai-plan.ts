import * as z from 'zod/mini';
import type { ModelInfo } from '../../../src-shared/auth-types.js';
import type { ErrorCode, ErrorInfo } from '../../../src-shared/errors.js';
import { CHATGPT_USAGE_URL } from '../../../src-shared/plan.js';
import type { PlanSignInDefinition, ProviderErrorResponse } from './definition.js';
import { cleanProviderMessage, providerError, statusDetail } from './error-mapping.js';
import { asRecord, stringField } from './json-fields.js';

/**
 * What is particular to ChatGPT-plan credentials (openai-siwc.md §6–§7): their model catalogue
 * `{"models":[…]}` and the `subscription_sharing_*` / `chatpass_v2_*` errors with the action
 * OpenAI prescribes for each. Plan-usage errors stop the request: nothing here ever suggests
 * falling back to another way of paying.
 */

const PROVIDER = 'openai';

/** Sign in with ChatGPT for open-source apps, as documented (openai-siwc.md §0–§2). */
export const CHATGPT_PLAN_SIGN_IN: PlanSignInDefinition = {
  planName: 'ChatGPT plan',
  buttonLabel: 'Continue with ChatGPT',
  manageUsageUrl: CHATGPT_USAGE_URL,
  registrationClientId: 'dynamic_agent_client',
  agentName: 'The Maestro',
  resource: 'https://api.openai.com/v1',
  planScope: 'chatgpt.tokens.use.direct',
  disconnectAdvice: 'To be sure, disconnect The Maestro in ChatGPT: Settings → Apps (https://chatgpt.com/settings).',
};

/** The full scope set of every plan sign-in: identity plus plan usage (openai-siwc.md §2). */
export const CHATGPT_PLAN_SCOPES = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'resource.invoke',
  'chatgpt.tokens.use.direct',
] as const;

const planModelSchema = z.object({
  slug: z.string().check(z.minLength(1), z.maxLength(256)),
  display_name: z.optional(z.string()),
  visibility: z.optional(z.string()),
});

/** Whether a `/v1/models` answer is the plan catalogue's own shape rather than the API-key list. */
export function isPlanCatalogue(body: unknown): boolean {
  return Array.isArray(asRecord(body)?.['models']);
}

/** `{"models":[…]}`: the entries with `visibility == "list"`, in the server's order; `slug` is the id. */
export function planModels(body: unknown): ModelInfo[] {
  const entries = asRecord(body)?.['models'];
  const models: ModelInfo[] = [];
  const seen = new Set<string>();
  for (const entry of Array.isArray(entries) ? (entries as unknown[]) : []) {
    const parsed = planModelSchema.safeParse(entry);
    if (!parsed.success || parsed.data.visibility !== 'list' || seen.has(parsed.data.slug)) continue;
    seen.add(parsed.data.slug);
    const name = parsed.data.display_name?.trim();
    models.push({ id: parsed.data.slug, displayName: name !== undefined && name !== '' ? name : parsed.data.slug });
  }
  return models;
}

interface PlanErrorRule {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly message: (detail: string) => string;
}

/** `error.code` → our code and the recovery OpenAI prescribes (openai-siwc.md §7.2). */
const PLAN_ERRORS: Readonly<Record<string, PlanErrorRule>> = {
  subscription_sharing_usage_limit_exceeded: {
    code: 'plan_usage_limit',
    retryable: false,
    message: (detail) =>
      `Your ChatGPT plan's usage limit for The Maestro is reached ${detail}. Plan requests are paused; see "Manage usage" at ${CHATGPT_USAGE_URL}. The limit may be one you set for this app.`,
  },
  subscription_sharing_usage_unavailable: {
    code: 'provider_unavailable',
    retryable: true,
    message: (detail) => `OpenAI cannot check your ChatGPT plan's usage right now ${detail}. Try again shortly.`,
  },
  subscription_sharing_user_not_eligible: {
    code: 'plan_not_eligible',
    retryable: false,
    message: (detail) =>
      `Your ChatGPT plan cannot be used by apps for this account, workspace or policy ${detail}. Signing in again will not change that; an OpenAI API key works instead.`,
  },
  subscription_sharing_unsupported_capability: {
    code: 'invalid_request',
    retryable: false,
    message: (detail) => `OpenAI does not support this request on a ChatGPT plan ${detail}.`,
  },
  subscription_sharing_route_not_supported: {
    code: 'invalid_request',
    retryable: false,
    message: (detail) =>
      `ChatGPT plan credentials work only with POST /v1/responses and GET /v1/models ${detail}; this route is not one of them.`,
  },
  subscription_sharing_invalid_user: {
    code: 'invalid_credentials',
    retryable: false,
    message: (detail) =>
      `OpenAI did not accept the ChatGPT account behind this sign-in ${detail}. Sign in with ChatGPT again.`,
  },
  subscription_sharing_user_unavailable: {
    code: 'provider_unavailable',
    retryable: true,
    message: (detail) => `OpenAI cannot reach your ChatGPT account right now ${detail}. Try again shortly.`,
  },
  chatpass_v2_scope_not_authorized: {
    code: 'plan_not_enabled',
    retryable: false,
    message: (detail) =>
      `This sign-in is not allowed to use your ChatGPT plan ${detail}. Enable the plan for The Maestro (sign in again and allow it) or use an API key.`,
  },
  chatpass_v2_invalid_authorization_context: {
    code: 'permission_denied',
    retryable: false,
    message: (detail) => `OpenAI refused the sign-in's authorization context ${detail}. Sign in with ChatGPT again.`,
  },
};

/** A short `(request id …)` for the person to quote, when OpenAI sent one. */
function requestIdNote(headers: Headers | undefined): string {
  const id = headers?.get('x-request-id');
  return id !== null && id !== undefined && /^[A-Za-z0-9_.:-]{1,128}$/.test(id) ? ` (request id ${id})` : '';
}

/** Maps one plan error code (from a response body or a `response.failed` event); undefined for other codes. */
export function planErrorFor(
  code: string | undefined,
  status: number | undefined,
  param?: string,
  headers?: Headers,
): ErrorInfo | undefined {
  const rule = code === undefined ? undefined : PLAN_ERRORS[code];
  if (rule === undefined || code === undefined) return undefined;
  const detail = statusDetail(status ?? 0, param !== undefined ? `${code}, ${param.slice(0, 64)}` : code).replace(
    '(0 ',
    '(',
  );
  return providerError({
    code: rule.code,
    message: `${rule.message(detail)}${requestIdNote(headers)}`,
    provider: PROVIDER,
    status,
    providerCode: code,
    retryable: rule.retryable,
  });
}

/** `{"detail": "…"}`: direct admission refused before any stream (openai-siwc.md §7.1); `detail` is diagnostic text only. */
function admissionError(status: number, detail: string, headers: Headers): ErrorInfo | undefined {
  const said = cleanProviderMessage(detail, 120);
  const suffix = `${statusDetail(status, said)}${requestIdNote(headers)}`;
  if (status === 401)
    return providerError({
      code: 'invalid_credentials',
      provider: PROVIDER,
      status,
      retryable: false,
      message: `OpenAI did not accept the ChatGPT sign-in or its plan permission ${suffix}. Check the account in use, or sign in with ChatGPT again.`,
    });
  if (status === 403)
    return providerError({
      code: 'policy_blocked',
      provider: PROVIDER,
      status,
      retryable: false,
      message: `OpenAI refused the ChatGPT plan request for a policy reason, such as the region it is served from ${suffix}.`,
    });
  if (status === 503)
    return providerError({
      code: 'provider_unavailable',
      provider: PROVIDER,
      status,
      retryable: true,
      message: `OpenAI's ChatGPT plan access is unavailable right now ${suffix}. Your sign-in is kept; try again shortly.`,
    });
  return undefined;
}

/** Plan-specific errors of an HTTP answer; undefined when the answer is an ordinary API error. */
export function mapPlanResponseError(response: ProviderErrorResponse): ErrorInfo | undefined {
  const body = asRecord(response.body);
  const error = asRecord(body?.['error']);
  if (error !== undefined) {
    return planErrorFor(stringField(error, 'code'), response.status, stringField(error, 'param'), response.headers);
  }
  const detail = body?.['detail'];
  return typeof detail === 'string' ? admissionError(response.status, detail, response.headers) : undefined;
}
