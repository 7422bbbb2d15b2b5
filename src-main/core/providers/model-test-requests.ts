import type { ErrorInfo } from '../../../src-shared/errors.js';
import type { SseEvent } from './api-stream.js';
import { cleanProviderMessage, providerError } from './error-mapping.js';
import { asRecord, stringField } from './json-fields.js';
import { planErrorFor } from './openai-plan.js';

/**
 * The smallest streamed generation request of each provider's own API, and how to read its
 * events, for the model test ("does THIS model answer with THIS credential?"):
 * - Anthropic Messages: `POST /v1/messages` with `stream: true`; text in `content_block_delta`,
 *   done at `message_stop`;
 * - Gemini: `POST /v1beta/models/{model}:streamGenerateContent?alt=sse`; text in each chunk's
 *   candidates, done when a chunk carries a `finishReason`;
 * - OpenAI Responses: `POST /v1/responses` with `stream: true` and `store: false` (a ChatGPT-plan
 *   credential accepts nothing else, openai-siwc.md §6.2); text in `response.output_text.delta`,
 *   and only `response.completed` counts as success.
 */

export const MODEL_TEST_PROMPT = 'Reply with a short greeting of five words or fewer.';

export interface GenerationRequest {
  readonly path: string;
  readonly body: unknown;
}

/** What one event said: text of the reply, the end of the reply, or a failure. */
export type StreamReading =
  | { readonly kind: 'text'; readonly text: string; readonly done?: boolean }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly error: ErrorInfo }
  | { readonly kind: 'other' };

export interface ModelTestProtocol {
  request(model: string, options: { readonly plan: boolean }): GenerationRequest;
  read(event: SseEvent): StreamReading;
}

function json(event: SseEvent): Readonly<Record<string, unknown>> | undefined {
  try {
    return asRecord(JSON.parse(event.data));
  } catch {
    return undefined;
  }
}

function streamFailure(provider: string, displayName: string, code: string | undefined, message: unknown): ErrorInfo {
  const said = cleanProviderMessage(message) ?? code ?? 'no reason given';
  return providerError({
    code: 'provider_unavailable',
    provider,
    providerCode: code,
    retryable: true,
    message: `${displayName} stopped the reply with an error (${said}).`,
  });
}

const anthropic: ModelTestProtocol = {
  request: (model) => ({
    path: '/v1/messages',
    body: { model, max_tokens: 32, stream: true, messages: [{ role: 'user', content: MODEL_TEST_PROMPT }] },
  }),
  read(event) {
    const data = json(event);
    switch (stringField(data, 'type')) {
      case 'content_block_delta': {
        const text = stringField(asRecord(data?.['delta']), 'text');
        return text !== undefined ? { kind: 'text', text } : { kind: 'other' };
      }
      case 'message_stop':
        return { kind: 'done' };
      case 'error': {
        const error = asRecord(data?.['error']);
        const type = stringField(error, 'type');
        const overloaded = type === 'overloaded_error';
        return {
          kind: 'failed',
          error: overloaded
            ? providerError({
                code: 'provider_unavailable',
                provider: 'anthropic',
                providerCode: type,
                retryable: true,
                message: 'Anthropic is overloaded and stopped the reply. Try again shortly.',
              })
            : streamFailure('anthropic', 'Anthropic', type, error?.['message']),
        };
      }
      case undefined:
      default:
        return { kind: 'other' };
    }
  },
};

const google: ModelTestProtocol = {
  request: (model) => ({
    path: `/v1beta/models/${encodeURIComponent(model)}:streamGenerateContent?alt=sse`,
    body: {
      contents: [{ role: 'user', parts: [{ text: MODEL_TEST_PROMPT }] }],
      generationConfig: { maxOutputTokens: 32 },
    },
  }),
  read(event) {
    const data = json(event);
    const error = asRecord(data?.['error']);
    if (error !== undefined)
      return {
        kind: 'failed',
        error: streamFailure('google', 'Google', stringField(error, 'status'), error['message']),
      };
    const candidates = data?.['candidates'];
    const candidate = asRecord(Array.isArray(candidates) ? (candidates as unknown[])[0] : undefined);
    const parts = asRecord(candidate?.['content'])?.['parts'];
    const text = (Array.isArray(parts) ? (parts as unknown[]) : [])
      .map((part) => stringField(asRecord(part), 'text') ?? '')
      .join('');
    const finished = stringField(candidate, 'finishReason') !== undefined;
    if (text !== '') return finished ? { kind: 'text', text, done: true } : { kind: 'text', text };
    return finished ? { kind: 'done' } : { kind: 'other' };
  },
};

/** An OpenAI failure event's error: plan errors with their prescribed action, anything else by its code. */
function openaiFailure(error: Readonly<Record<string, unknown>> | undefined): ErrorInfo {
  const code = stringField(error, 'code');
  return (
    planErrorFor(code, undefined, stringField(error, 'param')) ??
    streamFailure('openai', 'OpenAI', code, error?.['message'])
  );
}

const openai: ModelTestProtocol = {
  request: (model, { plan }) => ({
    path: '/v1/responses',
    // A plan credential takes an input array, stream and store:false, and none of the preview's
    // forbidden fields (so no max_output_tokens); an API key takes the same small body.
    body: {
      model,
      input: [{ role: 'user', content: MODEL_TEST_PROMPT }],
      stream: true,
      store: false,
      ...(plan ? {} : { max_output_tokens: 32 }),
    },
  }),
  read(event) {
    const data = json(event);
    const type = stringField(data, 'type') ?? event.event;
    switch (type) {
      case 'response.output_text.delta': {
        const text = stringField(data, 'delta');
        return text !== undefined ? { kind: 'text', text } : { kind: 'other' };
      }
      case 'response.completed':
        return { kind: 'done' };
      case 'response.failed':
        return { kind: 'failed', error: openaiFailure(asRecord(asRecord(data?.['response'])?.['error'])) };
      case 'response.incomplete': {
        const reason = stringField(asRecord(asRecord(data?.['response'])?.['incomplete_details']), 'reason');
        return { kind: 'failed', error: streamFailure('openai', 'OpenAI', 'response.incomplete', reason) };
      }
      case 'error':
        return { kind: 'failed', error: openaiFailure(asRecord(data?.['error']) ?? data) };
      case undefined:
      default:
        return { kind: 'other' };
    }
  },
};

const PROTOCOLS: Readonly<Record<string, ModelTestProtocol>> = { anthropic, google, openai };

/** The model-test protocol of a provider, by id; undefined for a provider without one. */
export function modelTestProtocol(provider: string): ModelTestProtocol | undefined {
  return PROTOCOLS[provider];
}
