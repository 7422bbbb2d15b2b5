import {
  bearerOf,
  type FakeReply,
  FakeProviderServer,
  type FakeServerOptions,
  pageOf,
  type RecordedRequest,
  type StatusMode,
} from './fake-server.js';
import { geminiStream } from './generation-streams.js';

/**
 * A fake of the Gemini API (docs/providers.md): `GET /v1beta/models` paginated by
 * `pageSize`/`pageToken`/`nextPageToken`, `x-goog-api-key` (or `?key=`) or `Authorization: Bearer`,
 * errors as google.rpc.Status with ErrorInfo/RetryInfo/QuotaFailure details. A bad key is a 400.
 */

/** A model as Google lists it. */
export interface GoogleApiModel {
  readonly name: string;
  readonly version: string;
  readonly displayName: string;
  readonly description?: string;
  readonly inputTokenLimit: number;
  readonly outputTokenLimit: number;
  readonly supportedGenerationMethods: readonly string[];
}

export function googleModel(
  id: string,
  displayName: string,
  methods: readonly string[] = ['generateContent', 'countTokens'],
  limits: readonly [number, number] = [1_048_576, 65_536],
): GoogleApiModel {
  return {
    name: `models/${id}`,
    version: '001',
    displayName,
    description: `${displayName} (fake)`,
    inputTokenLimit: limits[0],
    outputTokenLimit: limits[1],
    supportedGenerationMethods: methods,
  };
}

export const DEFAULT_GOOGLE_MODELS: readonly GoogleApiModel[] = [
  googleModel('gemini-2.5-pro', 'Gemini 2.5 Pro'),
  googleModel('gemini-2.5-flash', 'Gemini 2.5 Flash'),
  googleModel('text-embedding-004', 'Text Embedding 004', ['embedContent'], [2_048, 1]),
  googleModel('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite'),
  googleModel('imagen-4.0-generate-001', 'Imagen 4', ['predict'], [480, 8_192]),
  googleModel(
    'gemini-2.0-flash',
    'Gemini 2.0 Flash',
    ['generateContent', 'countTokens', 'createCachedContent'],
    [1_048_576, 8_192],
  ),
  googleModel('gemini-embedding-001', 'Gemini Embedding 001', ['embedContent', 'countTextTokens'], [2_048, 1]),
  googleModel('aqa', 'Model that performs Attributed Question Answering.', ['generateAnswer'], [7_168, 1_024]),
];

const STATUS_NAMES: Readonly<Record<number, readonly [string, string]>> = {
  400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
  401: [
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  ],
  403: ['PERMISSION_DENIED', 'The caller does not have permission'],
  404: ['NOT_FOUND', 'Requested entity was not found.'],
  429: [
    'RESOURCE_EXHAUSTED',
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
  ],
  500: [
    'INTERNAL',
    'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  ],
  503: ['UNAVAILABLE', 'The model is overloaded. Please try again later.'],
};

export const API_KEY_INVALID_MESSAGE = 'API key not valid. Please pass a valid API key.';

/** A google.rpc.ErrorInfo detail. */
export function errorInfoDetail(reason: string): Record<string, unknown> {
  return {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason,
    domain: 'googleapis.com',
    metadata: { service: 'generativelanguage.googleapis.com' },
  };
}

/** Google's error reply (`code` in the body is the HTTP status). */
export function googleError(
  status: number,
  details: readonly unknown[] = [],
  message?: string,
  statusName?: string,
): FakeReply {
  const [name, text] = STATUS_NAMES[status] ?? STATUS_NAMES[status >= 500 ? 500 : 400] ?? ['UNKNOWN', 'Error'];
  return {
    status,
    body: {
      error: {
        code: status,
        message: message ?? text,
        status: statusName ?? name,
        ...(details.length > 0 ? { details } : {}),
      },
    },
  };
}

/** 429 with the QuotaFailure Gemini sends; `quotaId` tells per-minute from per-day. */
function quotaError(mode: StatusMode): FakeReply {
  const quotaId = mode.code ?? 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier';
  const details: unknown[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
          quotaId,
          quotaDimensions: { model: 'gemini-2.5-pro', location: 'global' },
          quotaValue: '5',
        },
      ],
    },
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [
        { description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' },
      ],
    },
  ];
  // Gemini says how long to wait in RetryInfo, not in a retry-after header.
  if (mode.retryAfter !== undefined)
    details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${mode.retryAfter}s` });
  return googleError(429, details, mode.message);
}

/**
 * Google's 403 for a person's OAuth token sent without `x-goog-user-project`: the API needs a quota
 * project, and its ErrorInfo names Google's own project as the consumer.
 */
export const QUOTA_PROJECT_REQUIRED_MESSAGE =
  'Your application is authenticating by using end user credentials. The generativelanguage.googleapis.com API requires a quota project, which is not set by default. To learn how to set your quota project, see https://cloud.google.com/docs/authentication/adc-troubleshooting/user-creds .';

function quotaProjectRequired(): FakeReply {
  return googleError(
    403,
    [
      {
        ...errorInfoDetail('SERVICE_DISABLED'),
        metadata: { service: 'generativelanguage.googleapis.com', consumer: 'projects/764086051850' },
      },
    ],
    QUOTA_PROJECT_REQUIRED_MESSAGE,
  );
}

export class FakeGoogleApi extends FakeProviderServer<GoogleApiModel> {
  /** OAuth bearer tokens must come with `x-goog-user-project` (API keys never need it), as on the real API. */
  requireQuotaProject = true;

  constructor(options: FakeServerOptions<GoogleApiModel> = {}) {
    super(DEFAULT_GOOGLE_MODELS, options);
  }

  /** `code` is the ErrorInfo reason (for 429: the quota id); `API_KEY_INVALID` gives Google's exact bad-key answer. */
  protected errorReply(mode: StatusMode): FakeReply {
    if (mode.status === 429) return quotaError(mode);
    if (mode.code === 'API_KEY_INVALID')
      return googleError(mode.status, [errorInfoDetail('API_KEY_INVALID')], mode.message ?? API_KEY_INVALID_MESSAGE);
    if (mode.code === 'FAILED_PRECONDITION')
      return googleError(
        mode.status,
        [],
        mode.message ?? 'User location is not supported for the API use.',
        'FAILED_PRECONDITION',
      );
    return googleError(mode.status, mode.code === undefined ? [] : [errorInfoDetail(mode.code)], mode.message);
  }

  protected authenticate(request: RecordedRequest): FakeReply | undefined {
    const header = request.headers['x-goog-api-key'];
    const key = typeof header === 'string' ? header : request.query.get('key');
    if (key !== null) {
      return this.validKeys.has(key)
        ? undefined
        : googleError(400, [errorInfoDetail('API_KEY_INVALID')], API_KEY_INVALID_MESSAGE);
    }
    const token = bearerOf(request.headers);
    if (token === undefined) {
      return googleError(
        403,
        [],
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    }
    if (this.expiredTokens.has(token)) return googleError(401, [errorInfoDetail('ACCESS_TOKEN_EXPIRED')]);
    if (!this.validTokens.has(token)) return googleError(401);
    const project = request.headers['x-goog-user-project'];
    if (this.requireQuotaProject && (typeof project !== 'string' || project.trim() === ''))
      return quotaProjectRequired();
    return undefined;
  }

  protected route(request: RecordedRequest): FakeReply {
    const knows = (id: string): boolean => this.models.some((model) => model.name === `models/${id}`);
    const generation = geminiStream(request, knows, (status, message) => googleError(status, [], message));
    if (generation !== undefined) return generation;
    if (request.method !== 'GET' || request.path !== '/v1beta/models') {
      return googleError(404, [], `Method not found: ${request.method} ${request.path}`, 'NOT_FOUND');
    }
    const requested = Number(request.query.get('pageSize') ?? '50');
    const size = Math.min(
      Number.isInteger(requested) && requested > 0 ? Math.min(requested, 1000) : 50,
      this.pageSize ?? 1000,
    );
    const token = request.query.get('pageToken');
    const offset = token === null || token === '' ? 0 : decodePageToken(token);
    if (offset === undefined) return googleError(400, [], 'Invalid page token.');
    const { page, hasMore } = pageOf(this.models, offset, size);
    return {
      status: 200,
      body: { models: page, ...(hasMore ? { nextPageToken: encodePageToken(offset + page.length) } : {}) },
    };
  }
}

function encodePageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodePageToken(token: string): number | undefined {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Starts a fake Gemini API on 127.0.0.1. */
export function startGoogleApi(options: FakeServerOptions<GoogleApiModel> = {}): Promise<FakeGoogleApi> {
  return new FakeGoogleApi(options).listen();
}
