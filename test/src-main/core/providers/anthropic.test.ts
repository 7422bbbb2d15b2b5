import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anthropicDefinition } from '../../../../src-main/core/providers/anthropic.js';
import { AuthError } from '../../../../src-main/core/auth-error.js';
import { createProviderApi } from '../../../../src-main/core/providers/api.js';
import type { ResolvedProviderConfig } from '../../../../src-main/config/config-types.js';
import {
  anthropicModel,
  CLAUDE_CODE_ONLY_MESSAGE,
  EXPIRED_OAUTH_MESSAGE,
  type FakeAnthropicApi,
  providerConfigFor,
  startAnthropicApi,
} from '../../../fakes/index.js';

const KEY = 'sk-ant-api03-valid-key-0000000000000000';
const TOKEN = 'sk-ant-oat01-valid-token-000000000000';

function mapError(status: number, body: unknown, headers: Record<string, string> = {}) {
  return anthropicDefinition.mapError({ status, body, headers: new Headers(headers) });
}

function anthropicBody(type: string, message: string) {
  return { type: 'error', error: { type, message }, request_id: 'req_1' };
}

async function failure(promise: Promise<unknown>): Promise<AuthError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

describe('anthropicDefinition', () => {
  it('reproduces the documented endpoints, key settings and OAuth registration', () => {
    expect(anthropicDefinition.id).toBe('anthropic');
    expect(anthropicDefinition.defaultApiBaseUrl).toBe('https://api.anthropic.com');
    expect(anthropicDefinition.validationPath).toBe('/v1/models?limit=1');
    expect(anthropicDefinition.apiKeyEnvVars).toEqual(['ANTHROPIC_API_KEY']);
    expect(anthropicDefinition.apiKeyPrefixHint).toBe('sk-ant-');
    expect(anthropicDefinition.consoleUrl).toBe('https://console.anthropic.com/settings/keys');
    expect(anthropicDefinition.oauth).toMatchObject({
      issuer: 'https://claude.ai',
      discovery: false,
      authorizationEndpoint: 'https://claude.com/cai/oauth/authorize',
      tokenEndpoint: 'https://platform.claude.com/v1/oauth/token',
      tokenRequestBody: 'json',
      scopes: ['org:create_api_key', 'user:profile', 'user:inference'],
      redirectModes: ['paste', 'loopback', 'deep_link'],
      loopback: { host: 'localhost', ports: [0], path: '/callback' },
      pasteRedirectUri: 'https://console.anthropic.com/oauth/code/callback',
      extraAuthorizationParams: { code: 'true' },
      clientIdEnv: 'ANTHROPIC_OAUTH_CLIENT_ID',
      rotatesRefreshTokens: true,
      permanentRefreshErrors: ['invalid_grant', 'invalid_client', 'unauthorized_client'],
    });
    expect('revocationEndpoint' in anthropicDefinition.oauth).toBe(false);
  });

  it('sends x-api-key with anthropic-version for a key, and a bearer with the OAuth beta and no x-api-key for a token', () => {
    expect(anthropicDefinition.apiKeyHeaders('k')).toEqual({ 'x-api-key': 'k', 'anthropic-version': '2026-10-21' });
    expect(anthropicDefinition.bearerHeaders('t')).toEqual({
      Authorization: 'Bearer t',
      'anthropic-version': '2026-10-21',
      'anthropic-beta': 'oauth-2025-04-20',
    });
  });

  it('sends the configured API version instead of the default, for keys and tokens alike', () => {
    const settings = { apiVersion: '2023-06-01' };
    expect(anthropicDefinition.apiKeyHeaders('k', settings)['anthropic-version']).toBe('2023-06-01');
    expect(anthropicDefinition.bearerHeaders('t', settings)['anthropic-version']).toBe('2023-06-01');
  });

  it('reads the account uuid and email from the token response, ignoring fields of the wrong type', () => {
    const { accountIdentity } = anthropicDefinition.oauth;
    expect(accountIdentity({ account: { uuid: 'u-1', email_address: 'a@example.com' } }, undefined)).toEqual({
      accountId: 'u-1',
      email: 'a@example.com',
    });
    expect(accountIdentity({ account: { uuid: 42, email_address: ['x'] } }, undefined)).toEqual({});
    expect(accountIdentity({ account: 'nope' }, undefined)).toEqual({});
    expect(accountIdentity({}, undefined)).toEqual({});
  });
});

describe('anthropicDefinition.mapError', () => {
  it('maps 401 invalid x-api-key to invalid_credentials with a sentence pointing at the console', () => {
    const info = mapError(401, anthropicBody('authentication_error', 'invalid x-api-key'));
    expect(info).toMatchObject({
      code: 'invalid_credentials',
      provider: 'anthropic',
      status: 401,
      providerCode: 'authentication_error',
      retryable: false,
    });
    expect(info.message).toBe(
      'Anthropic rejected the API key (401 invalid x-api-key). Check the key at https://console.anthropic.com/settings/keys.',
    );
  });

  it('maps 401 "OAuth token has expired" to expired_token', () => {
    expect(mapError(401, anthropicBody('authentication_error', EXPIRED_OAUTH_MESSAGE))).toMatchObject({
      code: 'expired_token',
      status: 401,
      retryable: false,
    });
  });

  it('maps 400 "only authorized for use with Claude Code" to policy_blocked, other 400s to invalid_request', () => {
    expect(mapError(400, anthropicBody('invalid_request_error', CLAUDE_CODE_ONLY_MESSAGE))).toMatchObject({
      code: 'policy_blocked',
      status: 400,
    });
    expect(mapError(400, anthropicBody('invalid_request_error', 'limit: too big'))).toMatchObject({
      code: 'invalid_request',
      providerCode: 'invalid_request_error',
      retryable: false,
    });
  });

  it('maps 403 to permission_denied and 404 to not_configured', () => {
    expect(mapError(403, anthropicBody('permission_error', 'no'))).toMatchObject({
      code: 'permission_denied',
      retryable: false,
    });
    expect(mapError(404, anthropicBody('not_found_error', 'Not found'))).toMatchObject({
      code: 'not_configured',
      providerCode: 'not_found_error',
    });
  });

  it('maps 429 to rate_limited with retry-after seconds', () => {
    const info = mapError(429, anthropicBody('rate_limit_error', 'slow down'), { 'retry-after': '7' });
    expect(info).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterSeconds: 7,
      providerCode: 'rate_limit_error',
    });
    expect(info.message).toContain('Try again in 7 seconds.');
  });

  it('maps 500 api_error and 529 overloaded_error to retryable provider_unavailable', () => {
    expect(mapError(500, anthropicBody('api_error', 'Internal server error'))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
      status: 500,
    });
    expect(mapError(529, anthropicBody('overloaded_error', 'Overloaded'))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
      status: 529,
      providerCode: 'overloaded_error',
    });
  });

  it('maps unreadable bodies by status without throwing', () => {
    expect(mapError(502, '<html>Bad gateway</html>')).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
      status: 502,
    });
    expect(mapError(401, '')).toMatchObject({ code: 'invalid_credentials', status: 401 });
    expect(mapError(400, { error: 'flat string' })).toMatchObject({ code: 'invalid_request' });
    expect(mapError(429, null)).toMatchObject({ code: 'rate_limited' });
    expect(mapError(418, [1, 2, 3])).toMatchObject({ code: 'invalid_request', status: 418 });
  });

  it('never repeats a secret found in a provider message', () => {
    const info = mapError(400, anthropicBody('invalid_request_error', 'bad key sk-ant-api03-SECRETSECRETSECRET given'));
    expect(info.message).not.toContain('SECRETSECRET');
  });
});

describe('Anthropic through the provider API and its fake', () => {
  let fake: FakeAnthropicApi;
  let config: ResolvedProviderConfig;
  let delays: number[];
  const api = () => createProviderApi({ sleep: async (ms) => void delays.push(ms), random: () => 0 });

  beforeEach(async () => {
    fake = await startAnthropicApi({ validKeys: [KEY], validTokens: [TOKEN] });
    config = providerConfigFor(anthropicDefinition, fake.url);
    delays = [];
  });
  afterEach(() => fake.close());

  it('validates a key with exactly the documented request and headers', async () => {
    await api().validate(anthropicDefinition, config, { kind: 'api_key', apiKey: KEY });
    const request = fake.lastRequest();
    expect(request.path).toBe('/v1/models');
    expect(request.query.get('limit')).toBe('1');
    expect(request.headers['x-api-key']).toBe(KEY);
    expect(request.headers['anthropic-version']).toBe('2026-10-21');
    expect(request.headers['authorization']).toBeUndefined();
  });

  it('sends a configured older version, which the API still accepts, and reports an unknown one it refuses', async () => {
    const older = { ...config, requestSettings: { apiVersion: '2023-06-01' } };
    await api().validate(anthropicDefinition, older, { kind: 'api_key', apiKey: KEY });
    expect(fake.lastRequest().headers['anthropic-version']).toBe('2023-06-01');
    const unknown = { ...config, requestSettings: { apiVersion: '2099-01-01' } };
    const error = await failure(api().validate(anthropicDefinition, unknown, { kind: 'api_key', apiKey: KEY }));
    expect(error.info).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(error.info.message).toContain('2099-01-01');
  });

  it('validates an OAuth token with the beta header and without x-api-key', async () => {
    await api().validate(anthropicDefinition, config, { kind: 'bearer', accessToken: TOKEN });
    const { headers } = fake.lastRequest();
    expect(headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(headers['anthropic-beta']).toBe('oauth-2025-04-20');
    expect(headers['x-api-key']).toBeUndefined();
  });

  it('rejects a wrong key once, without retrying', async () => {
    const error = await failure(
      api().validate(anthropicDefinition, config, { kind: 'api_key', apiKey: 'sk-ant-wrong-000000000000' }),
    );
    expect(error.info).toMatchObject({ code: 'invalid_credentials', status: 401 });
    expect(error.message).toContain('(401 invalid x-api-key)');
    expect(fake.count()).toBe(1);
  });

  it('reports an expired OAuth token and a Claude-Code-only token with their own codes', async () => {
    fake.expiredTokens.add('expired-token');
    fake.claudeCodeOnlyTokens.add('claude-code-token');
    expect(
      (await failure(api().validate(anthropicDefinition, config, { kind: 'bearer', accessToken: 'expired-token' })))
        .code,
    ).toBe('expired_token');
    expect(
      (await failure(api().validate(anthropicDefinition, config, { kind: 'bearer', accessToken: 'claude-code-token' })))
        .code,
    ).toBe('policy_blocked');
  });

  it('lists every model across pages, following after_id', async () => {
    fake.models = Array.from({ length: 7 }, (_, index) =>
      anthropicModel(
        `claude-test-${index}`,
        `Claude Test ${index}`,
        `2025-0${index + 1}-01T00:00:00Z`,
        100_000 + index,
      ),
    );
    fake.pageSize = 3;
    const models = await api().listModels(anthropicDefinition, config, { kind: 'api_key', apiKey: KEY });
    expect(models.map((model) => model.id)).toEqual(fake.models.map((model) => model.id));
    expect(models[2]).toEqual({
      id: 'claude-test-2',
      displayName: 'Claude Test 2',
      contextWindow: 100_002,
      createdAt: '2025-03-01T00:00:00Z',
    });
    expect(fake.requests.map((request) => request.query.get('after_id'))).toEqual([
      null,
      'claude-test-2',
      'claude-test-5',
    ]);
    expect(fake.requests.every((request) => request.query.get('limit') === '1000')).toBe(true);
  });

  it('retries a 529 overloaded answer and succeeds', async () => {
    fake.setMode({ kind: 'status', status: 529 }, { times: 1 });
    await api().validate(anthropicDefinition, config, { kind: 'api_key', apiKey: KEY });
    expect(fake.count()).toBe(2);
    expect(delays).toHaveLength(1);
  });

  it('gives up after three overloaded answers with provider_unavailable', async () => {
    fake.setMode({ kind: 'status', status: 529 });
    const error = await failure(api().validate(anthropicDefinition, config, { kind: 'api_key', apiKey: KEY }));
    expect(error.info).toMatchObject({
      code: 'provider_unavailable',
      status: 529,
      retryable: true,
      provider: 'anthropic',
    });
    expect(fake.count()).toBe(3);
  });

  it('honours retry-after on a 429 before trying again', async () => {
    fake.setMode({ kind: 'status', status: 429, retryAfter: 3 }, { times: 1 });
    await api().validate(anthropicDefinition, config, { kind: 'api_key', apiKey: KEY });
    expect(delays).toEqual([3000]);
  });
});
