/**
 * The API role of the Sign-in-with-ChatGPT fake (openai-siwc.md §6, §7, §11.5): what
 * api.openai.com does with a ChatGPT-plan access token — the plan catalogue `{"models":[…]}`,
 * `POST /v1/responses` streamed as SSE under the preview's rules, the documented errors before and
 * during the stream — and, for an API key, the classic `{ data }` list and an unrestricted stream.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AccessRecord, SiwcFake } from './openai-siwc.js';
import { json } from './siwc-keys.js';

/** How the API role answers plan requests. */
export type ApiScenario =
  | 'ok'
  | 'usage-limit'
  | 'usage-limit-mid-stream'
  | 'usage-unavailable'
  | 'usage-unavailable-mid-stream'
  | 'not-eligible'
  | 'invalid-user'
  | 'user-unavailable'
  | 'detail-401'
  | 'detail-403'
  | 'detail-503'
  | 'incomplete'
  | 'cut';

/** The plan catalogue, in the server's order; the hidden entry proves that the client filters. */
export const SIWC_MODELS = [
  { slug: 'gpt-6.1-sol', display_name: 'GPT-6.1 Sol', visibility: 'list' },
  { slug: 'gpt-6-luna', display_name: 'GPT-6 Luna', visibility: 'list' },
  { slug: 'gpt-6-internal-preview', display_name: 'Internal preview', visibility: 'hide' },
  { slug: 'gpt-6-sol', display_name: 'GPT-6 Sol', visibility: 'list' },
] as const;

/** The reply every successful stream spells out, one delta per word. */
export const SIWC_REPLY = ['Hello', ' from', ' your', ' ChatGPT', ' plan!'] as const;

const FORBIDDEN_FIELDS = [
  'background',
  'conversation',
  'max_output_tokens',
  'max_tool_calls',
  'metadata',
  'moderation',
  'multi_agent',
  'prompt',
  'prompt_cache_retention',
  'safety_identifier',
  'temperature',
  'top_logprobs',
  'top_p',
  'truncation',
  'user',
  'previous_response_id',
] as const;

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function errorBody(code: string, message: string, param: string | null = null): unknown {
  return { error: { message, type: 'invalid_request_error', param, code } };
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
}

/** The first rule of the preview a plan request body breaks, as [param, why]; undefined when it follows them all. */
function unsupported(body: Record<string, unknown>): string | undefined {
  if (body['stream'] !== true) return 'stream';
  if (body['store'] !== false) return 'store';
  if (!Array.isArray(body['input'])) return 'input';
  for (const field of FORBIDDEN_FIELDS) if (field in body) return field;
  for (const item of body['input'] as unknown[]) {
    if (typeof item === 'object' && item !== null && (item as Record<string, unknown>)['role'] === 'system')
      return 'input';
  }
  if ('tools' in body) return 'tools';
  return undefined;
}

const PLAN_ERRORS: Partial<Record<ApiScenario, readonly [number, string]>> = {
  'usage-limit': [429, 'subscription_sharing_usage_limit_exceeded'],
  'usage-unavailable': [503, 'subscription_sharing_usage_unavailable'],
  'not-eligible': [403, 'subscription_sharing_user_not_eligible'],
  'invalid-user': [401, 'subscription_sharing_invalid_user'],
  'user-unavailable': [503, 'subscription_sharing_user_unavailable'],
};

function sse(
  response: ServerResponse,
  events: readonly Record<string, unknown>[],
  end: 'close' | 'cut' = 'close',
): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  for (const event of events) response.write(`event: ${String(event['type'])}\ndata: ${JSON.stringify(event)}\n\n`);
  if (end === 'cut') response.socket?.destroy();
  else response.end();
}

function streamFor(model: string, scenario: ApiScenario): { events: Record<string, unknown>[]; end: 'close' | 'cut' } {
  const id = `resp_${Date.now().toString(36)}`;
  const base = { id, object: 'response', model, store: false };
  const events: Record<string, unknown>[] = [
    { type: 'response.created', response: { ...base, status: 'in_progress' } },
  ];
  const deltas = SIWC_REPLY.map((delta) => ({ type: 'response.output_text.delta', item_id: 'msg_1', delta }));
  if (scenario === 'usage-limit-mid-stream' || scenario === 'usage-unavailable-mid-stream') {
    const code =
      scenario === 'usage-limit-mid-stream'
        ? 'subscription_sharing_usage_limit_exceeded'
        : 'subscription_sharing_usage_unavailable';
    events.push(deltas[0] ?? {}, {
      type: 'response.failed',
      response: { ...base, status: 'failed', error: { code, message: 'fake plan error' } },
    });
    return { events, end: 'close' };
  }
  events.push(...deltas);
  if (scenario === 'cut') return { events, end: 'cut' };
  if (scenario === 'incomplete') {
    events.push({
      type: 'response.incomplete',
      response: { ...base, status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
    return { events, end: 'close' };
  }
  const text = SIWC_REPLY.join('');
  const item = {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    phase: 'final_answer',
    content: [{ type: 'output_text', text }],
  };
  // The live service may end with an empty `output`: clients rebuild it from the deltas (§6.2).
  events.push(
    { type: 'response.output_item.done', item },
    { type: 'response.completed', response: { ...base, status: 'completed', output: [] } },
  );
  return { events, end: 'close' };
}

function planRequest(fake: SiwcFake, request: ApiRequest, record: AccessRecord, response: ServerResponse): void {
  const scenario = fake.scenario.api;
  if (request.method === 'GET' && request.path === '/v1/models') return json(response, 200, { models: SIWC_MODELS });
  if (request.method !== 'POST' || request.path !== '/v1/responses')
    return json(
      response,
      403,
      errorBody('subscription_sharing_route_not_supported', 'This route is not supported for ChatGPT plan usage.'),
    );
  if (!record.scope.split(' ').includes('chatgpt.tokens.use.direct'))
    return json(response, 403, errorBody('chatpass_v2_scope_not_authorized', 'The token lacks the plan scope.'));
  if (scenario === 'detail-401' || scenario === 'detail-403' || scenario === 'detail-503')
    return json(response, Number(scenario.slice(-3)), { detail: 'Direct access is not available for this request.' });
  const planError = PLAN_ERRORS[scenario];
  if (planError !== undefined) return json(response, planError[0], errorBody(planError[1], 'fake plan error'));
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(request.body) as Record<string, unknown>;
  } catch {
    return json(response, 400, errorBody('invalid_json', 'The body is not JSON.'));
  }
  const param = unsupported(body);
  if (param !== undefined)
    return json(
      response,
      400,
      errorBody('subscription_sharing_unsupported_capability', `Unsupported: ${param}`, param),
    );
  const model = String(body['model']);
  if (!SIWC_MODELS.some((entry) => entry.slug === model && entry.visibility === 'list'))
    return json(
      response,
      400,
      errorBody('model_not_found', `The model ${model} does not exist for this account.`, 'model'),
    );
  const { events, end } = streamFor(model, scenario);
  sse(response, events, end);
}

function keyRequest(request: ApiRequest, response: ServerResponse): void {
  if (request.method === 'GET' && request.path === '/v1/models')
    return json(response, 200, {
      object: 'list',
      data: [{ id: 'gpt-5', object: 'model', created: 1_754_425_777, owned_by: 'system' }],
    });
  if (request.method === 'POST' && request.path === '/v1/responses') {
    const model = String((JSON.parse(request.body || '{}') as Record<string, unknown>)['model']);
    const { events } = streamFor(model, 'ok');
    return sse(response, events);
  }
  return json(response, 404, errorBody('not_found', `Invalid URL (${request.method} ${request.path})`));
}

/** The API role: a bearer is required; a plan token follows the preview's rules, an API key the classic API. */
export function handleApi(fake: SiwcFake, request: ApiRequest, response: ServerResponse): void {
  const token = bearer(request.headers);
  if (token !== undefined && fake.apiKeys.has(token)) return keyRequest(request, response);
  const record = token === undefined ? undefined : fake.liveAccessToken(token);
  if (record === undefined)
    return json(response, 401, {
      error: {
        message: 'The access token is invalid or was revoked.',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  planRequest(fake, request, record, response);
}
