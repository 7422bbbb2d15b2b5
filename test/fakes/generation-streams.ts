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
        data: { type: 'message_start', message: { id: 'msg_fake', model, role: 'assistant' } },
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
      { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn' } } },
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

/** OpenAI Responses: response.created, output_text deltas, response.completed. */
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
  const response = { id: 'resp_fake', object: 'response', model };
  return {
    status: 200,
    body: null,
    events: [
      {
        event: 'response.created',
        data: { type: 'response.created', response: { ...response, status: 'in_progress' } },
      },
      ...FAKE_REPLY.map((delta) => ({
        event: 'response.output_text.delta',
        data: { type: 'response.output_text.delta', delta },
      })),
      {
        event: 'response.completed',
        data: { type: 'response.completed', response: { ...response, status: 'completed' } },
      },
    ],
  };
}
