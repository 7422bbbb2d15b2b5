import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedProviderConfig } from '../../../../src-main/config/config-types.js';
import { AuthError } from '../../../../src-main/core/auth-error.js';
import { googleDefinition, QUOTA_PROJECT_FIX } from '../../../../src-main/core/providers/google.js';
import { createProviderApi } from '../../../../src-main/core/providers/api.js';
import {
  errorInfoDetail,
  type FakeGoogleApi,
  googleModel,
  providerConfigFor,
  startGoogleApi,
} from '../../../fakes/index.js';

const KEY = 'AIzaSyFAKEFAKEFAKEFAKEFAKEFAKEFAKE0000';
const TOKEN = 'ya29.valid-token';

function mapError(status: number, body: unknown, headers: Record<string, string> = {}) {
  return googleDefinition.mapError({ status, body, headers: new Headers(headers) });
}

function googleBody(code: number, status: string, message: string, details: unknown[] = []) {
  return { error: { code, message, status, details } };
}

async function failure(promise: Promise<unknown>): Promise<AuthError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

describe('googleDefinition', () => {
  it('reproduces the documented endpoints, key settings and OAuth registration', () => {
    expect(googleDefinition.id).toBe('google');
    expect(googleDefinition.defaultApiBaseUrl).toBe('https://generativelanguage.googleapis.com');
    expect(googleDefinition.validationPath).toBe('/v1beta/models?pageSize=1');
    expect(googleDefinition.apiKeyEnvVars).toEqual(['GEMINI_API_KEY', 'GOOGLE_API_KEY']);
    expect(googleDefinition.apiKeyPrefixHint).toBe('AIza');
    expect(googleDefinition.consoleUrl).toBe('https://aistudio.google.com/app/apikey');
    expect(googleDefinition.oauth).toMatchObject({
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
      loopback: { host: '127.0.0.1', ports: [0], path: '/oauth2callback' },
      extraAuthorizationParams: { access_type: 'offline', prompt: 'consent' },
      clientIdEnv: 'GOOGLE_OAUTH_CLIENT_ID',
      clientSecretEnv: 'GOOGLE_OAUTH_CLIENT_SECRET',
      rotatesRefreshTokens: false,
      permanentRefreshErrors: ['invalid_grant', 'invalid_client', 'unauthorized_client'],
    });
  });

  it('sends the key in x-goog-api-key and a token as a bearer', () => {
    expect(googleDefinition.apiKeyHeaders('k')).toEqual({ 'x-goog-api-key': 'k' });
    expect(googleDefinition.bearerHeaders('t')).toEqual({ Authorization: 'Bearer t' });
  });

  it('reads email and subject from the id_token claims, ignoring fields of the wrong type', () => {
    const { accountIdentity } = googleDefinition.oauth;
    expect(accountIdentity({}, { sub: '1234', email: 'g@example.com' })).toEqual({
      accountId: '1234',
      email: 'g@example.com',
    });
    expect(accountIdentity({}, { sub: 1234, email: null })).toEqual({});
    expect(accountIdentity({}, undefined)).toEqual({});
  });
});

describe('googleDefinition.mapError', () => {
  it('maps 400 INVALID_ARGUMENT with reason API_KEY_INVALID to invalid_credentials (a bad key is not a 401)', () => {
    const info = mapError(
      400,
      googleBody(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        errorInfoDetail('API_KEY_INVALID'),
      ]),
    );
    expect(info).toMatchObject({
      code: 'invalid_credentials',
      status: 400,
      providerCode: 'API_KEY_INVALID',
      retryable: false,
      provider: 'google',
    });
    expect(info.message).toBe(
      'Google rejected the API key (400 API_KEY_INVALID). Check the key at https://aistudio.google.com/app/apikey.',
    );
  });

  it('maps other 400s to invalid_request, and an unsupported location to policy_blocked', () => {
    expect(mapError(400, googleBody(400, 'INVALID_ARGUMENT', 'Invalid page token.'))).toMatchObject({
      code: 'invalid_request',
      providerCode: 'INVALID_ARGUMENT',
    });
    expect(
      mapError(400, googleBody(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.')),
    ).toMatchObject({ code: 'policy_blocked' });
  });

  it('maps 401 UNAUTHENTICATED to expired_token when the token expired and invalid_credentials otherwise', () => {
    expect(
      mapError(
        401,
        googleBody(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.', [
          errorInfoDetail('ACCESS_TOKEN_EXPIRED'),
        ]),
      ),
    ).toMatchObject({ code: 'expired_token', providerCode: 'ACCESS_TOKEN_EXPIRED' });
    expect(
      mapError(401, googleBody(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.')),
    ).toMatchObject({ code: 'invalid_credentials', providerCode: 'UNAUTHENTICATED' });
  });

  it('maps 403 PERMISSION_DENIED to permission_denied, naming a disabled API', () => {
    expect(mapError(403, googleBody(403, 'PERMISSION_DENIED', 'The caller does not have permission'))).toMatchObject({
      code: 'permission_denied',
    });
    const disabled = mapError(
      403,
      googleBody(403, 'PERMISSION_DENIED', 'API has not been used', [errorInfoDetail('SERVICE_DISABLED')]),
    );
    expect(disabled).toMatchObject({ code: 'permission_denied', providerCode: 'SERVICE_DISABLED' });
    expect(disabled.message).toContain('Generative Language API is not enabled');
  });

  it('maps a per-minute 429 to rate_limited with the RetryInfo delay, even though its text mentions billing', () => {
    const info = mapError(
      429,
      googleBody(
        429,
        'RESOURCE_EXHAUSTED',
        'You exceeded your current quota, please check your plan and billing details.',
        [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }],
          },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '43s' },
        ],
      ),
    );
    expect(info).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterSeconds: 43 });
  });

  it('maps a per-day quota 429 to quota_exhausted, not retryable', () => {
    const info = mapError(
      429,
      googleBody(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }],
        },
      ]),
    );
    expect(info).toMatchObject({ code: 'quota_exhausted', retryable: false, status: 429 });
  });

  it('maps 500 INTERNAL and 503 UNAVAILABLE to retryable provider_unavailable', () => {
    expect(mapError(500, googleBody(500, 'INTERNAL', 'An internal error has occurred.'))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
    });
    expect(mapError(503, googleBody(503, 'UNAVAILABLE', 'The model is overloaded.'))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
      providerCode: 'UNAVAILABLE',
    });
  });

  it('maps unreadable bodies by status and ignores malformed details', () => {
    expect(mapError(503, '<html></html>')).toMatchObject({ code: 'provider_unavailable', status: 503 });
    expect(mapError(400, { error: { details: 'not an array' } })).toMatchObject({ code: 'invalid_request' });
    expect(
      mapError(
        400,
        googleBody(400, 'INVALID_ARGUMENT', 'x', [
          null,
          3,
          { '@type': 7 },
          { '@type': 'google.rpc.QuotaFailure', violations: 'x' },
        ]),
      ),
    ).toMatchObject({ code: 'invalid_request' });
  });
});

describe('Google through the provider API and its fake', () => {
  let fake: FakeGoogleApi;
  let config: ResolvedProviderConfig;
  let delays: number[];
  const api = () => createProviderApi({ sleep: async (ms) => void delays.push(ms), random: () => 0 });

  beforeEach(async () => {
    fake = await startGoogleApi({ validKeys: [KEY], validTokens: [TOKEN], expiredTokens: ['ya29.expired'] });
    config = providerConfigFor(googleDefinition, fake.url, { requestSettings: { quotaProject: 'my-gemini-project' } });
    delays = [];
  });
  afterEach(() => fake.close());

  it('sends the quota project with an OAuth token, and never with an API key', async () => {
    await api().validate(googleDefinition, config, { kind: 'bearer', accessToken: TOKEN });
    expect(fake.lastRequest().headers['x-goog-user-project']).toBe('my-gemini-project');
    await api().validate(googleDefinition, config, { kind: 'api_key', apiKey: KEY });
    expect(fake.lastRequest().headers['x-goog-user-project']).toBeUndefined();
  });

  it('explains a 403 for a missing quota project and names the fix, without retrying', async () => {
    const bare = providerConfigFor(googleDefinition, fake.url);
    const error = await failure(api().validate(googleDefinition, bare, { kind: 'bearer', accessToken: TOKEN }));
    expect(error.info).toMatchObject({ code: 'permission_denied', status: 403 });
    expect(error.info.message).toBe(
      `Google needs a quota project for this sign-in (403 quota project not set). ${QUOTA_PROJECT_FIX}`,
    );
    expect(fake.count()).toBe(1);
    // An API key carries its own project: no quota project needed.
    await api().validate(googleDefinition, bare, { kind: 'api_key', apiKey: KEY });
  });

  it('validates a key in the header, never in the query string', async () => {
    await api().validate(googleDefinition, config, { kind: 'api_key', apiKey: KEY });
    const request = fake.lastRequest();
    expect(request.path).toBe('/v1beta/models');
    expect(request.query.get('pageSize')).toBe('1');
    expect(request.query.has('key')).toBe(false);
    expect(request.headers['x-goog-api-key']).toBe(KEY);
    expect(request.headers['authorization']).toBeUndefined();
  });

  it('answers a wrong key with invalid_credentials from the 400, without retrying', async () => {
    const error = await failure(
      api().validate(googleDefinition, config, { kind: 'api_key', apiKey: 'AIzaWRONGWRONGWRONGWRONG' }),
    );
    expect(error.info).toMatchObject({ code: 'invalid_credentials', status: 400, providerCode: 'API_KEY_INVALID' });
    expect(fake.count()).toBe(1);
  });

  it('tells an expired token from a wrong one', async () => {
    expect(
      (await failure(api().validate(googleDefinition, config, { kind: 'bearer', accessToken: 'ya29.expired' }))).code,
    ).toBe('expired_token');
    expect(
      (await failure(api().validate(googleDefinition, config, { kind: 'bearer', accessToken: 'ya29.unknown' }))).code,
    ).toBe('invalid_credentials');
    await api().validate(googleDefinition, config, { kind: 'bearer', accessToken: TOKEN });
  });

  it('lists generateContent models across pages, stripping the models/ prefix', async () => {
    fake.pageSize = 3;
    const models = await api().listModels(googleDefinition, config, { kind: 'api_key', apiKey: KEY });
    expect(models.map((model) => model.id)).toEqual([
      'gemini-2.5-pro',
      'gemini-2.5-flash',
      'gemini-2.5-flash-lite',
      'gemini-2.0-flash',
    ]);
    expect(models[0]).toEqual({
      id: 'gemini-2.5-pro',
      displayName: 'Gemini 2.5 Pro',
      contextWindow: 1_048_576,
      outputTokenLimit: 65_536,
      description: 'Gemini 2.5 Pro (fake)',
    });
    expect(fake.count('/v1beta/models')).toBe(3);
    expect(fake.requests[0]?.query.has('pageToken')).toBe(false);
    expect(fake.requests[1]?.query.get('pageToken')).toBeTruthy();
    expect(fake.requests.every((request) => request.query.get('pageSize') === '1000')).toBe(true);
  });

  it('stops at 50 pages when a server never stops paginating', async () => {
    fake.models = Array.from({ length: 60 }, (_, index) => googleModel(`gemini-test-${index}`, `Gemini Test ${index}`));
    fake.pageSize = 1;
    const error = await failure(api().listModels(googleDefinition, config, { kind: 'api_key', apiKey: KEY }));
    expect(error.info).toMatchObject({ code: 'provider_unavailable', provider: 'google' });
    expect(error.message).toContain('model list The Maestro could not read');
    expect(fake.count()).toBe(50);
  });

  it('retries a per-minute 429 after the RetryInfo delay, but not a per-day quota', async () => {
    fake.setMode({ kind: 'status', status: 429, retryAfter: 2 }, { times: 1 });
    await api().validate(googleDefinition, config, { kind: 'api_key', apiKey: KEY });
    expect(delays).toEqual([2000]);

    fake.setMode({ kind: 'status', status: 429, code: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' });
    const before = fake.count();
    const error = await failure(api().validate(googleDefinition, config, { kind: 'api_key', apiKey: KEY }));
    expect(error.code).toBe('quota_exhausted');
    expect(fake.count() - before).toBe(1);
  });

  it('retries 503 UNAVAILABLE and reports 403 SERVICE_DISABLED at once', async () => {
    fake.setMode({ kind: 'status', status: 503 }, { times: 2 });
    await api().validate(googleDefinition, config, { kind: 'api_key', apiKey: KEY });
    expect(fake.count()).toBe(3);

    fake.setMode({ kind: 'status', status: 403, code: 'SERVICE_DISABLED' });
    expect(
      (await failure(api().validate(googleDefinition, config, { kind: 'api_key', apiKey: KEY }))).info,
    ).toMatchObject({ code: 'permission_denied', providerCode: 'SERVICE_DISABLED' });
    expect(fake.count()).toBe(4);
  });

  it('refuses a model page of another shape', async () => {
    fake.setMode({ kind: 'garbage', body: '{"data":[{"id":"gpt-4o"}]}', contentType: 'application/json' });
    const error = await failure(api().listModels(googleDefinition, config, { kind: 'api_key', apiKey: KEY }));
    expect(error.message).toBe(
      'Google returned a model list The Maestro could not read (the page has no models array).',
    );
  });

  it('accepts an empty object as an empty model list (Google omits empty repeated fields)', async () => {
    fake.setMode({ kind: 'garbage', body: '{}', contentType: 'application/json' });
    expect(await api().listModels(googleDefinition, config, { kind: 'api_key', apiKey: KEY })).toEqual([]);
  });
});
