/**
 * The streamed generation endpoint of each provider fake, as its API documents it, for the model
 * test: Anthropic Messages (`POST /v1/messages`, `stream: true`), Gemini
 * (`POST /v1beta/models/{model}:streamGenerateContent?alt=sse`) and OpenAI Responses
 * (`POST /v1/responses`, `stream: true`). Each answers only for a model it lists, with a short
 * reply split into deltas and the provider's own "complete" event; `undefined` means "not this
 * route" so the fake's other routes apply.
 */
import type { FakeReply, RecordedRequest } from './fake-server.js';

/** The reply every fake streams, one delta per word. */
export const FAKE_REPLY = ['Hello', ' there,', ' how', ' can', ' I', ' help?'] as const;

function jsonBody(request: RecordedRequest): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(request.body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Anthropic: message_start, content_block_delta per word, message_stop (streaming Messages). */
export function anthropicMessages(
  request: RecordedRequest,
  knows: (model: string) => boolean,
  error: (status: number, type: string, message: string) => FakeReply,
): FakeReply | undefined {
  if (request.method !== 'POST' || request.path !== '/v1/messages') return undefined;
  const body = jsonBody(request);
  const model = String(body?.['model']);
  if (body === undefined || body['stream'] !== true || typeof body['max_tokens'] !== 'number')
    return error(400, 'invalid_request_error', 'stream and max_tokens: Field required');
  if (!knows(model)) return error(404, 'not_found_error', `model: ${model}`);
  return {
    status: 200,
    body: null,
    events: [
      {
        event: 'message_start',
        data: {
          type: 'message_start',
          message: {
            id: 'msg_fake',
            type: 'message',
            role: 'assistant',
            model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 12, output_tokens: 1 },
          },
        },
      },
      {
        event: 'content_block_start',
        data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      },
      ...FAKE_REPLY.map((text) => ({
        event: 'content_block_delta',
        data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
      })),
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      {
        event: 'message_delta',
        data: {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: FAKE_REPLY.length },
        },
      },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ],
  };
}

/** Gemini: one chunk per word as `data:` lines, the last carrying `finishReason: "STOP"`. */
export function geminiStream(
  request: RecordedRequest,
  knows: (model: string) => boolean,
  error: (status: number, message: string) => FakeReply,
): FakeReply | undefined {
  const match = /^\/v1beta\/models\/([^/:]+):streamGenerateContent$/.exec(request.path);
  if (request.method !== 'POST' || match === null) return undefined;
  const model = decodeURIComponent(match[1] ?? '');
  if (request.query.get('alt') !== 'sse') return error(400, 'This fake streams only with alt=sse.');
  if (!knows(model)) return error(404, `models/${model} is not found for API version v1beta.`);
  const body = jsonBody(request);
  if (!Array.isArray(body?.['contents']))
    return error(400, '* GenerateContentRequest.contents: contents is not specified');
  return {
    status: 200,
    body: null,
    events: FAKE_REPLY.map((text, index) => ({
      data: {
        candidates: [
          {
            content: { role: 'model', parts: [{ text }] },
            ...(index === FAKE_REPLY.length - 1 ? { finishReason: 'STOP' } : {}),
          },
        ],
        modelVersion: model,
      },
    })),
  };
}

/** OpenAI Responses: response.created, the output item and text part around the deltas, response.completed. */
export function openaiResponses(
  request: RecordedRequest,
  knows: (model: string) => boolean,
  error: (status: number, message: string, code: string | null) => FakeReply,
): FakeReply | undefined {
  if (request.method !== 'POST' || request.path !== '/v1/responses') return undefined;
  const body = jsonBody(request);
  const model = String(body?.['model']);
  if (body === undefined || body['stream'] !== true)
    return error(400, 'This fake answers streamed requests only.', null);
  if (!knows(model))
    return error(400, `The model \`${model}\` does not exist or you do not have access to it.`, 'model_not_found');
  // The documented event sequence: the message item and its text part are announced, streamed,
  // closed, and `response.completed` carries the whole output and usage (Codex reads every step).
  const text = FAKE_REPLY.join('');
  const response = { id: 'resp_fake', object: 'response', created_at: 1_764_000_000, model };
  const itemId = 'msg_fake';
  const where = { item_id: itemId, output_index: 0, content_index: 0 };
  const part = (partText: string): Record<string, unknown> => ({
    type: 'output_text',
    text: partText,
    annotations: [],
  });
  const item = (status: 'in_progress' | 'completed'): Record<string, unknown> => ({
    id: itemId,
    type: 'message',
    status,
    role: 'assistant',
    content: status === 'completed' ? [part(text)] : [],
  });
  const events: { type: string; [field: string]: unknown }[] = [
    { type: 'response.created', response: { ...response, status: 'in_progress', output: [] } },
    { type: 'response.in_progress', response: { ...response, status: 'in_progress', output: [] } },
    { type: 'response.output_item.added', output_index: 0, item: item('in_progress') },
    { type: 'response.content_part.added', ...where, part: part('') },
    ...FAKE_REPLY.map((delta) => ({ type: 'response.output_text.delta', ...where, delta })),
    { type: 'response.output_text.done', ...where, text },
    { type: 'response.content_part.done', ...where, part: part(text) },
    { type: 'response.output_item.done', output_index: 0, item: item('completed') },
    {
      type: 'response.completed',
      response: {
        ...response,
        status: 'completed',
        output: [item('completed')],
        usage: {
          input_tokens: 12,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: FAKE_REPLY.length,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 12 + FAKE_REPLY.length,
        },
      },
    },
  ];
  return {
    status: 200,
    body: null,
    events: events.map((data, sequence) => ({ event: data.type, data: { ...data, sequence_number: sequence } })),
  };
}
