import * as z from 'zod/mini';
import type { ModelInfo } from '../../../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../../../src-shared/errors.js';
import type {
  FetchJsonPage,
  ProviderDefinition,
  ProviderErrorResponse,
} from '../../../../src-main/core/providers/definition.js';
import {
  cleanProviderMessage,
  mapByStatus,
  unreadableModelList,
} from '../../../../src-main/core/providers/error-mapping.js';
import { asRecord, stringField } from '../../../../src-main/core/providers/json-fields.js';

/**
 * Mistral, whose API is OpenAI-compatible: an API key is sent as `Authorization: Bearer`, and
 * `GET /v1/models` answers `{ object: "list", data: [...] }`, where each model also says whether
 * it can chat (`capabilities.completion_chat`) and how long its context is (`max_context_length`).
 * This file is the whole provider; the registry lists it in one line.
 */

const PROVIDER = 'mistral';
const DISPLAY_NAME = 'Mistral';
const CONSOLE_URL = 'https://console.mistral.ai/api-keys';

// zod/mini, as in the built-in providers: functions instead of methods (`z.optional(x)`, not
// `x.optional()`), refinements through `.check(...)`. It keeps classic zod out of the app's bundle.
const modelSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.nullish(z.string()),
  description: z.nullish(z.string()),
  created: z.optional(z.number().check(z.int(), z.nonnegative())),
  max_context_length: z.optional(z.number().check(z.int(), z.positive())),
  capabilities: z.optional(z.object({ completion_chat: z.optional(z.boolean()) })),
  deprecation: z.nullish(z.string()),
});

const modelListSchema = z.object({ data: z.array(z.unknown()) });

function toModelInfo(model: z.infer<typeof modelSchema>): ModelInfo {
  const createdAt = model.created !== undefined ? new Date(model.created * 1000).toISOString() : undefined;
  return {
    id: model.id,
    displayName: model.name ?? model.id,
    ...(model.max_context_length !== undefined ? { contextWindow: model.max_context_length } : {}),
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(model.description !== undefined && model.description !== null && model.description !== ''
      ? { description: model.description }
      : {}),
  };
}

/** `GET /v1/models` (one page): chat-capable, not deprecated, newest first; malformed entries are skipped. */
async function listMistralModels(fetchPage: FetchJsonPage): Promise<ModelInfo[]> {
  const page = modelListSchema.safeParse(await fetchPage('/v1/models'));
  if (!page.success) throw unreadableModelList(PROVIDER, DISPLAY_NAME, 'the page has no data array');
  const models = new Map<string, z.infer<typeof modelSchema>>();
  for (const item of page.data.data) {
    const model = modelSchema.safeParse(item);
    if (!model.success || model.data.capabilities?.completion_chat === false) continue;
    if (model.data.deprecation !== undefined && model.data.deprecation !== null) continue;
    if (!models.has(model.data.id)) models.set(model.data.id, model.data);
  }
  return [...models.values()]
    .sort((a, b) => (b.created ?? 0) - (a.created ?? 0) || a.id.localeCompare(b.id))
    .map(toModelInfo);
}

/**
 * Error bodies differ between OpenAI-compatible servers, so this one reads a message from
 * `{ error: { message, code } }` or `{ message }` for the sentence, and maps by HTTP status
 * (401 → invalid_credentials, 429 → rate_limited with retry-after, 5xx → provider_unavailable …).
 */
function mapMistralError(response: ProviderErrorResponse): ErrorInfo {
  const body = asRecord(response.body);
  const nested = asRecord(body?.['error']);
  const message = stringField(nested, 'message') ?? stringField(body, 'message');
  const code = stringField(nested, 'code');
  return mapByStatus({
    provider: PROVIDER,
    displayName: DISPLAY_NAME,
    consoleUrl: CONSOLE_URL,
    status: response.status,
    headers: response.headers,
    providerCode: code,
    detail: code ?? cleanProviderMessage(message),
  });
}

/** Mistral's definition; like the built-in ones, every endpoint can be overridden by configuration. */
export const mistralDefinition = {
  id: PROVIDER,
  displayName: DISPLAY_NAME,
  defaultApiBaseUrl: 'https://api.mistral.ai',
  consoleUrl: CONSOLE_URL,
  apiKeyEnvVars: ['MISTRAL_API_KEY'],
  apiKeyHeaders: (apiKey) => ({ Authorization: `Bearer ${apiKey}` }),
  bearerHeaders: (accessToken) => ({ Authorization: `Bearer ${accessToken}` }),
  validationPath: '/v1/models',
  listModels: listMistralModels,
  mapError: mapMistralError,
  // No `oauth` block: Mistral offers no OAuth to other apps, so the app offers API keys only.
} as const satisfies ProviderDefinition;
