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
import { anthropicMessages } from './generation-streams.js';

/**
 * A fake of Anthropic's API (docs/providers.md): `GET /v1/models` paginated by `limit`/`after_id`,
 * `x-api-key` or `Authorization: Bearer` + `anthropic-beta: oauth-2025-04-20` (both only when they carry
 * the same key: Claude Code sends its `apiKeyHelper`'s output in both headers),
 * `anthropic-version` required, errors as `{ type: "error", error: { type, message }, request_id }`.
 */

/** A model as Anthropic lists it. */
export interface AnthropicApiModel {
  readonly id: string;
  readonly type: 'model';
  readonly display_name: string;
  readonly created_at: string;
  readonly max_input_tokens?: number;
}

export function anthropicModel(
  id: string,
  displayName: string,
  createdAt: string,
  maxInputTokens = 200_000,
): AnthropicApiModel {
  return { id, type: 'model', display_name: displayName, created_at: createdAt, max_input_tokens: maxInputTokens };
}

/** Newest first, as Anthropic orders them. */
export const DEFAULT_ANTHROPIC_MODELS: readonly AnthropicApiModel[] = [
  anthropicModel('claude-opus-4-5-20251101', 'Claude Opus 4.5', '2025-11-24T00:00:00Z'),
  anthropicModel('claude-haiku-4-5-20251001', 'Claude Haiku 4.5', '2025-10-15T00:00:00Z'),
  anthropicModel('claude-sonnet-4-5-20250929', 'Claude Sonnet 4.5', '2025-09-29T00:00:00Z', 1_000_000),
  anthropicModel('claude-opus-4-1-20250805', 'Claude Opus 4.1', '2025-08-05T00:00:00Z'),
  anthropicModel('claude-sonnet-4-20250514', 'Claude Sonnet 4', '2025-05-22T00:00:00Z'),
  anthropicModel('claude-3-5-haiku-20241022', 'Claude Haiku 3.5', '2024-10-22T00:00:00Z'),
];

export const ANTHROPIC_OAUTH_BETA = 'oauth-2025-04-20';
export const EXPIRED_OAUTH_MESSAGE =
  'OAuth token has expired. Please obtain a new token or refresh your existing token.';
export const CLAUDE_CODE_ONLY_MESSAGE =
  'This credential is only authorized for use with Claude Code and cannot be used for other API requests.';

const ERROR_TYPES: Readonly<Record<number, readonly [string, string]>> = {
  400: ['invalid_request_error', 'Invalid request.'],
  401: ['authentication_error', 'invalid x-api-key'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'Not found'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: [
    'rate_limit_error',
    'Number of requests has exceeded your rate limit (https://docs.anthropic.com/en/api/rate-limits). Please try again later or contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.',
  ],
  500: ['api_error', 'Internal server error'],
  529: ['overloaded_error', 'Overloaded'],
};

/** Anthropic's error reply, with a `request-id` header like the real one. */
export function anthropicError(
  status: number,
  type: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): FakeReply {
  const requestId = `req_011CFake${status}`;
  return {
    status,
    body: { type: 'error', error: { type, message }, request_id: requestId },
    headers: { 'request-id': requestId, ...headers },
  };
}

/** The versions the real API accepts: the current one (21 October 2026) and the original. */
export const ANTHROPIC_API_VERSIONS: readonly string[] = ['2026-10-21', '2023-06-01'];

export class FakeAnthropicApi extends FakeProviderServer<AnthropicApiModel> {
  /** Bearer tokens that Anthropic accepts only inside Claude Code (400, policy). */
  readonly claudeCodeOnlyTokens = new Set<string>();

  constructor(options: FakeServerOptions<AnthropicApiModel> = {}) {
    super(DEFAULT_ANTHROPIC_MODELS, options);
  }

  protected errorReply(mode: StatusMode): FakeReply {
    const [type, message] = ERROR_TYPES[mode.status] ??
      ERROR_TYPES[mode.status >= 500 ? 500 : 400] ?? ['api_error', 'Error'];
    return anthropicError(mode.status, mode.code ?? type, mode.message ?? message, retryAfterHeader(mode));
  }

  protected authenticate(request: RecordedRequest): FakeReply | undefined {
    const { headers } = request;
    const version = headers['anthropic-version'];
    if (version === undefined) {
      return anthropicError(400, 'invalid_request_error', 'anthropic-version: header is required');
    }
    if (typeof version !== 'string' || !ANTHROPIC_API_VERSIONS.includes(version)) {
      return anthropicError(
        400,
        'invalid_request_error',
        `anthropic-version: "${String(version)}" is not a valid version`,
      );
    }
    const apiKey = headers['x-api-key'];
    const token = bearerOf(headers);
    // Claude Code sends an `apiKeyHelper`'s output as `x-api-key` and as `Authorization: Bearer`
    // (docs/providers.md), and the real API takes it as the key; two different credentials are refused.
    if (typeof apiKey === 'string' && token !== undefined && token !== apiKey) {
      return anthropicError(401, 'authentication_error', 'Use either x-api-key or Authorization: Bearer, not both.');
    }
    if (typeof apiKey === 'string') {
      return this.validKeys.has(apiKey) ? undefined : anthropicError(401, 'authentication_error', 'invalid x-api-key');
    }
    if (token !== undefined) return this.authenticateBearer(request, token);
    return anthropicError(401, 'authentication_error', 'x-api-key header is required');
  }

  private authenticateBearer(request: RecordedRequest, token: string): FakeReply | undefined {
    const betas = String(request.headers['anthropic-beta'] ?? '')
      .split(',')
      .map((beta) => beta.trim());
    if (!betas.includes(ANTHROPIC_OAUTH_BETA)) {
      return anthropicError(401, 'authentication_error', 'OAuth authentication is currently not supported.');
    }
    if (this.expiredTokens.has(token)) return anthropicError(401, 'authentication_error', EXPIRED_OAUTH_MESSAGE);
    if (this.claudeCodeOnlyTokens.has(token))
      return anthropicError(400, 'invalid_request_error', CLAUDE_CODE_ONLY_MESSAGE);
    return this.validTokens.has(token)
      ? undefined
      : anthropicError(401, 'authentication_error', 'Invalid bearer token');
  }

  protected route(request: RecordedRequest): FakeReply {
    const generation = anthropicMessages(request, (id) => this.models.some((model) => model.id === id), anthropicError);
    if (generation !== undefined) return generation;
    if (request.method !== 'GET' || request.path !== '/v1/models') {
      return anthropicError(404, 'not_found_error', `Not found: ${request.method} ${request.path}`);
    }
    const limit = Number(request.query.get('limit') ?? '20');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      return anthropicError(400, 'invalid_request_error', 'limit: Input should be between 1 and 1000');
    }
    const afterId = request.query.get('after_id');
    const offset = afterId === null ? 0 : this.models.findIndex((model) => model.id === afterId) + 1;
    if (offset === 0 && afterId !== null)
      return anthropicError(400, 'invalid_request_error', `after_id: unknown model ${afterId}`);
    const { page, hasMore } = pageOf(this.models, offset, Math.min(limit, this.pageSize ?? limit));
    return {
      status: 200,
      body: { data: page, has_more: hasMore, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null },
    };
  }
}

/** Starts a fake Anthropic API on 127.0.0.1. */
export function startAnthropicApi(options: FakeServerOptions<AnthropicApiModel> = {}): Promise<FakeAnthropicApi> {
  return new FakeAnthropicApi(options).listen();
}
