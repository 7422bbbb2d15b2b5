import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedProviderConfig } from '../../../../src-main/config/config-types.js';
import { AuthError } from '../../../../src-main/core/auth-error.js';
import { describeOpenAiModel, isOpenAiChatModel } from '../../../../src-main/core/providers/known-models.js';
import { openaiDefinition } from '../../../../src-main/core/providers/openai.js';
import { createProviderApi } from '../../../../src-main/core/providers/api.js';
import {
  type FakeOpenAiApi,
  INSUFFICIENT_QUOTA_MESSAGE,
  openaiModel,
  providerConfigFor,
  startOpenAiApi,
} from '../../../fakes/index.js';

const KEY = 'sk-proj-valid-key-000000000000000000000';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.oauth-access-token.sig';

function mapError(status: number, body: unknown, headers: Record<string, string> = {}) {
  return openaiDefinition.mapError({ status, body, headers: new Headers(headers) });
}

function openaiBody(message: string, type: string | null, code: string | null) {
  return { error: { message, type, param: null, code } };
}

async function failure(promise: Promise<unknown>): Promise<AuthError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

describe('openaiDefinition', () => {
  it('reproduces the documented endpoints, key settings and OAuth registration', () => {
    expect(openaiDefinition.id).toBe('openai');
    expect(openaiDefinition.defaultApiBaseUrl).toBe('https://api.openai.com');
    expect(openaiDefinition.validationPath).toBe('/v1/models');
    expect(openaiDefinition.apiKeyEnvVars).toEqual(['OPENAI_API_KEY']);
    expect(openaiDefinition.apiKeyPrefixHint).toBe('sk-');
    expect(openaiDefinition.consoleUrl).toBe('https://platform.openai.com/api-keys');
    expect(openaiDefinition.oauth).toMatchObject({
      issuer: 'https://auth.openai.com',
      discovery: true,
      authorizationEndpoint: 'https://auth.openai.com/api/accounts/authorize',
      tokenEndpoint: 'https://auth.openai.com/api/accounts/oauth/token',
      revocationEndpoint: 'https://auth.openai.com/api/accounts/oauth/revoke',
      tokenRequestBody: 'form',
      // Sign in with ChatGPT (open-source): identity plus plan usage, loopback on 127.0.0.1 only.
      scopes: ['openid', 'profile', 'email', 'offline_access', 'resource.invoke', 'chatgpt.tokens.use.direct'],
      redirectModes: ['loopback'],
      loopback: { host: '127.0.0.1', ports: [1455, 0], path: '/auth/callback' },
      extraAuthorizationParams: {},
      clientIdEnv: 'OPENAI_OAUTH_CLIENT_ID',
      rotatesRefreshTokens: true,
      planSignIn: {
        planName: 'ChatGPT plan',
        buttonLabel: 'Continue with ChatGPT',
        manageUsageUrl: 'https://chatgpt.com/settings/usage',
        registrationClientId: 'dynamic_agent_client',
        agentName: 'The Maestro',
        resource: 'https://api.openai.com/v1',
        planScope: 'chatgpt.tokens.use.direct',
      },
    });
    expect(openaiDefinition.oauth.permanentRefreshErrors).toEqual(
      expect.arrayContaining([
        'invalid_grant',
        'invalid_refresh_token',
        'token_expired',
        'refresh_token_reused',
        'refresh_token_expired',
        'refresh_token_invalidated',
        'invalid_client',
      ]),
    );
  });

  it('sends keys and tokens as a bearer', () => {
    expect(openaiDefinition.apiKeyHeaders('k')).toEqual({ Authorization: 'Bearer k' });
    expect(openaiDefinition.bearerHeaders('t')).toEqual({ Authorization: 'Bearer t' });
  });

  it('takes the validated sub as the account and the email as its label', () => {
    const { accountIdentity } = openaiDefinition.oauth;
    expect(accountIdentity({}, { sub: 'user-1', email: 'o@example.com' })).toEqual({
      accountId: 'user-1',
      email: 'o@example.com',
    });
    expect(accountIdentity({}, { sub: 'user-1' })).toEqual({ accountId: 'user-1' });
    expect(accountIdentity({}, undefined)).toEqual({});
  });
});

describe('openaiDefinition.mapError', () => {
  it('maps 401 invalid_api_key to invalid_credentials without quoting the key', () => {
    const info = mapError(
      401,
      openaiBody(
        'Incorrect API key provided: sk-proj-abcdefghijklmnop1234. You can find your API key at …',
        'invalid_request_error',
        'invalid_api_key',
      ),
    );
    expect(info).toMatchObject({
      code: 'invalid_credentials',
      status: 401,
      providerCode: 'invalid_api_key',
      retryable: false,
      provider: 'openai',
    });
    expect(info.message).toBe(
      'OpenAI rejected the API key (401 invalid_api_key). Check the key at https://platform.openai.com/api-keys.',
    );
  });

  it('maps an expired OAuth token to expired_token', () => {
    expect(
      mapError(
        401,
        openaiBody('Provided authentication token is expired. Please try signing in again.', null, 'token_expired'),
      ),
    ).toMatchObject({ code: 'expired_token' });
  });

  it('maps 429 insufficient_quota to quota_exhausted, not retryable, and other 429s to rate_limited', () => {
    expect(
      mapError(429, openaiBody(INSUFFICIENT_QUOTA_MESSAGE, 'insufficient_quota', 'insufficient_quota')),
    ).toMatchObject({ code: 'quota_exhausted', retryable: false, providerCode: 'insufficient_quota' });
    expect(
      mapError(429, openaiBody('Rate limit reached', 'requests', 'rate_limit_exceeded'), { 'retry-after': '2' }),
    ).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterSeconds: 2,
      providerCode: 'rate_limit_exceeded',
    });
    expect(mapError(429, openaiBody('slow', 'requests', null), { 'retry-after-ms': '1500' })).toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 2,
    });
  });

  it('maps 403 to permission_denied, or policy_blocked for an unsupported region', () => {
    expect(mapError(403, openaiBody('You have insufficient permissions', 'invalid_request_error', null))).toMatchObject(
      { code: 'permission_denied' },
    );
    expect(
      mapError(
        403,
        openaiBody(
          'Country, region, or territory not supported',
          'request_forbidden',
          'unsupported_country_region_territory',
        ),
      ),
    ).toMatchObject({ code: 'policy_blocked' });
  });

  it('maps 500, 502 and 503 to retryable provider_unavailable', () => {
    for (const status of [500, 502, 503]) {
      expect(mapError(status, openaiBody('The server had an error', 'server_error', null))).toMatchObject({
        code: 'provider_unavailable',
        retryable: true,
        status,
      });
    }
  });

  it('maps unreadable bodies by status without throwing', () => {
    expect(mapError(502, '<html>cloudflare</html>')).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(mapError(401, undefined)).toMatchObject({ code: 'invalid_credentials' });
    expect(mapError(429, { error: { code: { nested: true } } })).toMatchObject({ code: 'rate_limited' });
  });
});

describe('known OpenAI models', () => {
  it('names known models and their dated snapshots, and shows unknown ids as they are', () => {
    expect(describeOpenAiModel('gpt-4.1')).toEqual({
      displayName: 'GPT-4.1',
      contextWindow: 1_047_576,
      outputTokenLimit: 32_768,
    });
    expect(describeOpenAiModel('gpt-4o-2024-08-06')).toMatchObject({
      displayName: 'GPT-4o (2024-08-06)',
      contextWindow: 128_000,
    });
    expect(describeOpenAiModel('brand-new-model')).toEqual({ displayName: 'brand-new-model' });
    expect(describeOpenAiModel('__proto__')).toEqual({ displayName: '__proto__' });
  });

  it('keeps chat models and drops embeddings, speech, images, moderation and realtime models', () => {
    for (const id of ['gpt-5', 'gpt-4o-mini', 'o3', 'o4-mini', 'ft:gpt-4o-mini:acme::abc', 'gpt-4o-search-preview'])
      expect(isOpenAiChatModel(id), id).toBe(true);
    for (const id of [
      'text-embedding-3-large',
      'tts-1-hd',
      'gpt-4o-mini-tts',
      'whisper-1',
      'gpt-4o-transcribe',
      'dall-e-3',
      'gpt-image-1',
      'omni-moderation-latest',
      'gpt-4o-realtime-preview',
      'gpt-4o-audio-preview',
      'davinci-002',
      'babbage-002',
      'sora-2',
    ]) {
      expect(isOpenAiChatModel(id), id).toBe(false);
    }
  });
});

describe('OpenAI through the provider API and its fake', () => {
  let fake: FakeOpenAiApi;
  let config: ResolvedProviderConfig;
  let delays: number[];
  const api = () => createProviderApi({ sleep: async (ms) => void delays.push(ms), random: () => 0 });

  beforeEach(async () => {
    fake = await startOpenAiApi({ validKeys: [KEY], validTokens: [TOKEN], expiredTokens: ['expired-token'] });
    config = providerConfigFor(openaiDefinition, fake.url);
    delays = [];
  });
  afterEach(() => fake.close());

  it('validates a key with one bearer request to /v1/models', async () => {
    await api().validate(openaiDefinition, config, { kind: 'api_key', apiKey: KEY });
    const request = fake.lastRequest();
    expect(request.path).toBe('/v1/models');
    expect([...request.query.keys()]).toEqual([]);
    expect(request.headers['authorization']).toBe(`Bearer ${KEY}`);
    await api().validate(openaiDefinition, config, { kind: 'bearer', accessToken: TOKEN });
  });

  it('rejects a wrong key and an expired token with their own codes, once each', async () => {
    const wrong = await failure(
      api().validate(openaiDefinition, config, { kind: 'api_key', apiKey: 'sk-proj-wrongwrongwrong9999' }),
    );
    expect(wrong.info).toMatchObject({ code: 'invalid_credentials', providerCode: 'invalid_api_key' });
    expect(wrong.message).not.toContain('9999');
    expect(
      (await failure(api().validate(openaiDefinition, config, { kind: 'bearer', accessToken: 'expired-token' }))).code,
    ).toBe('expired_token');
    expect(fake.count()).toBe(2);
  });

  it('does not retry insufficient_quota', async () => {
    fake.setMode({ kind: 'status', status: 429, code: 'insufficient_quota' });
    const error = await failure(api().validate(openaiDefinition, config, { kind: 'api_key', apiKey: KEY }));
    expect(error.info).toMatchObject({ code: 'quota_exhausted', retryable: false, status: 429 });
    expect(fake.count()).toBe(1);
    expect(delays).toEqual([]);
  });

  it('retries a rate limit after retry-after', async () => {
    fake.setMode({ kind: 'status', status: 429, retryAfter: 1 }, { times: 2 });
    await api().validate(openaiDefinition, config, { kind: 'api_key', apiKey: KEY });
    expect(delays).toEqual([1000, 1000]);
    expect(fake.count()).toBe(3);
  });

  it('lists chat models newest first with names from the known-models table', async () => {
    const models = await api().listModels(openaiDefinition, config, { kind: 'api_key', apiKey: KEY });
    expect(models.map((model) => model.id)).toEqual([
      'ft:gpt-4o-mini:acme::abc123',
      'gpt-5-mini',
      'gpt-5',
      'gpt-4.1',
      'o4-mini',
      'o3',
      'gpt-4o-2024-08-06',
      'gpt-4o',
    ]);
    expect(models.find((model) => model.id === 'gpt-5')).toEqual({
      id: 'gpt-5',
      displayName: 'GPT-5',
      contextWindow: 400_000,
      outputTokenLimit: 128_000,
      createdAt: new Date(1_754_425_777_000).toISOString(),
    });
    expect(models[0]?.displayName).toBe('ft:gpt-4o-mini:acme::abc123');
  });

  it('follows has_more / last_id pages when the list is paginated', async () => {
    fake.models = Array.from({ length: 5 }, (_, index) => openaiModel(`gpt-test-${index}`, 1_700_000_000 + index));
    fake.pageSize = 2;
    const models = await api().listModels(openaiDefinition, config, { kind: 'api_key', apiKey: KEY });
    expect(models.map((model) => model.id)).toEqual([
      'gpt-test-4',
      'gpt-test-3',
      'gpt-test-2',
      'gpt-test-1',
      'gpt-test-0',
    ]);
    expect(fake.requests.map((request) => request.query.get('after'))).toEqual([null, 'gpt-test-1', 'gpt-test-3']);
  });

  it('refuses a model list of another shape', async () => {
    fake.setMode({ kind: 'garbage', body: '{"object":"list","data":"nope"}', contentType: 'application/json' });
    const error = await failure(api().listModels(openaiDefinition, config, { kind: 'api_key', apiKey: KEY }));
    expect(error.message).toBe('OpenAI returned a model list The Maestro could not read (the page has no data array).');
  });
});
