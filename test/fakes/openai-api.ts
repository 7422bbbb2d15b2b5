import {
  bearerOf,
  type FakeReply,
  FakeProviderServer,
  type FakeServerOptions,
  pageOf,
  type RecordedRequest,
  retryAfterHeader,
  type StatusMode,
} from './fake-server.js';
import { openaiResponses } from './generation-streams.js';

/**
 * A fake of OpenAI's API (docs/providers.md): `GET /v1/models` as `{ object: "list", data }`,
 * `Authorization: Bearer` for keys and OAuth tokens alike, errors as
 * `{ error: { message, type, param, code } }`. With `pageSize` set it paginates the way OpenAI's
 * other lists do (`has_more`, `last_id`, `?after=`), to exercise the client's cursor handling.
 */

/** A model as OpenAI lists it. */
export interface OpenAiApiModel {
  readonly id: string;
  readonly object: 'model';
  readonly created: number;
  readonly owned_by: string;
}

export function openaiModel(id: string, created: number, ownedBy = 'system'): OpenAiApiModel {
  return { id, object: 'model', created, owned_by: ownedBy };
}

/** Chat models mixed with the kinds the client must drop, in no particular order (like OpenAI). */
export const DEFAULT_OPENAI_MODELS: readonly OpenAiApiModel[] = [
  openaiModel('gpt-4o', 1_715_367_049),
  openaiModel('text-embedding-3-small', 1_705_948_997),
  openaiModel('gpt-5', 1_754_425_777),
  openaiModel('whisper-1', 1_677_532_384, 'openai-internal'),
  openaiModel('gpt-4o-2024-08-06', 1_722_814_719),
  openaiModel('o3', 1_744_225_308),
  openaiModel('tts-1', 1_681_940_951, 'openai-internal'),
  openaiModel('gpt-5-mini', 1_754_425_867),
  openaiModel('dall-e-3', 1_698_785_189),
  openaiModel('gpt-4.1', 1_744_316_542),
  openaiModel('omni-moderation-latest', 1_731_689_265),
  openaiModel('gpt-image-1', 1_745_517_030),
  openaiModel('o4-mini', 1_744_225_351),
  openaiModel('gpt-4o-realtime-preview', 1_727_659_998),
  openaiModel('ft:gpt-4o-mini:acme::abc123', 1_760_000_000, 'acme'),
];

export const INSUFFICIENT_QUOTA_MESSAGE =
  'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.';
export const EXPIRED_TOKEN_MESSAGE = 'Provided authentication token is expired. Please try signing in again.';

/** OpenAI's error reply. */
export function openaiError(
  status: number,
  message: string,
  type: string | null,
  code: string | null,
  headers: Readonly<Record<string, string>> = {},
): FakeReply {
  return { status, body: { error: { message, type, param: null, code } }, headers };
}

function invalidKeyMessage(key: string): string {
  // OpenAI quotes a masked form of the key; the client must not echo it anyway.
  return `Incorrect API key provided: ${key.slice(0, 3)}*****${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`;
}

function statusError(mode: StatusMode): FakeReply {
  const headers = retryAfterHeader(mode);
  const text = (fallback: string): string => mode.message ?? fallback;
  switch (mode.status) {
    case 401:
      return mode.code === 'token_expired'
        ? openaiError(401, text(EXPIRED_TOKEN_MESSAGE), null, 'token_expired', headers)
        : openaiError(
            401,
            text(invalidKeyMessage('sk-proj-fakefakefake1234')),
            'invalid_request_error',
            mode.code ?? 'invalid_api_key',
            headers,
          );
    case 403:
      return mode.code === 'unsupported_country_region_territory'
        ? openaiError(403, text('Country, region, or territory not supported'), 'request_forbidden', mode.code, headers)
        : openaiError(
            403,
            text('You have insufficient permissions for this operation.'),
            'invalid_request_error',
            mode.code ?? null,
            headers,
          );
    case 429:
      return mode.code === 'insufficient_quota'
        ? openaiError(429, text(INSUFFICIENT_QUOTA_MESSAGE), 'insufficient_quota', 'insufficient_quota', headers)
        : openaiError(
            429,
            text('Rate limit reached for requests. Please try again in 1s.'),
            'requests',
            mode.code ?? 'rate_limit_exceeded',
            headers,
          );
    case 404:
      return openaiError(
        404,
        text('Invalid URL (GET /v1/models)'),
        'invalid_request_error',
        mode.code ?? null,
        headers,
      );
    case 503:
      return openaiError(
        503,
        text('The engine is currently overloaded, please try again later.'),
        'server_error',
        mode.code ?? null,
        headers,
      );
    default:
      return mode.status >= 500
        ? openaiError(
            mode.status,
            text('The server had an error while processing your request. Sorry about that!'),
            'server_error',
            mode.code ?? null,
            headers,
          )
        : openaiError(mode.status, text('Invalid request.'), 'invalid_request_error', mode.code ?? null, headers);
  }
}

export class FakeOpenAiApi extends FakeProviderServer<OpenAiApiModel> {
  constructor(options: FakeServerOptions<OpenAiApiModel> = {}) {
    super(DEFAULT_OPENAI_MODELS, options);
  }

  protected errorReply(mode: StatusMode): FakeReply {
    return statusError(mode);
  }

  protected authenticate(request: RecordedRequest): FakeReply | undefined {
    const token = bearerOf(request.headers);
    if (token === undefined) {
      return openaiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        'invalid_request_error',
        null,
      );
    }
    if (this.expiredTokens.has(token)) return openaiError(401, EXPIRED_TOKEN_MESSAGE, null, 'token_expired');
    if (this.validKeys.has(token) || this.validTokens.has(token)) return undefined;
    return openaiError(401, invalidKeyMessage(token), 'invalid_request_error', 'invalid_api_key');
  }

  protected route(request: RecordedRequest): FakeReply {
    const knows = (id: string): boolean => this.models.some((model) => model.id === id);
    const generation = openaiResponses(request, knows, (status, message, code) =>
      openaiError(status, message, 'invalid_request_error', code),
    );
    if (generation !== undefined) return generation;
    if (request.method !== 'GET' || request.path !== '/v1/models') {
      return openaiError(404, `Invalid URL (${request.method} ${request.path})`, 'invalid_request_error', null);
    }
    if (this.pageSize === undefined) return { status: 200, body: { object: 'list', data: this.models } };
    const after = request.query.get('after');
    const offset = after === null ? 0 : this.models.findIndex((model) => model.id === after) + 1;
    const { page, hasMore } = pageOf(this.models, offset, this.pageSize);
    return {
      status: 200,
      body: {
        object: 'list',
        data: page,
        has_more: hasMore,
        first_id: page[0]?.id ?? null,
        last_id: page.at(-1)?.id ?? null,
      },
    };
  }
}

/** Starts a fake OpenAI API on 127.0.0.1. */
export function startOpenAiApi(options: FakeServerOptions<OpenAiApiModel> = {}): Promise<FakeOpenAiApi> {
  return new FakeOpenAiApi(options).listen();
}
