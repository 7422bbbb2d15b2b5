import { afterEach, describe, expect, it } from 'vitest';
import { startAnthropicApi, startGoogleApi, startOpenAiApi } from './index.js';

/** The fakes themselves enforce the documented header rules, with the providers' exact bodies. */
describe('provider fakes', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
    const response = await fetch(url, { headers });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  it('Anthropic: requires anthropic-version, refuses key and bearer together, and a bearer without the OAuth beta', async () => {
    const fake = await startAnthropicApi({ validKeys: ['key'], validTokens: ['token'] });
    closers.push(() => fake.close());
    const models = `${fake.url}/v1/models`;
    expect(await get(models, { 'x-api-key': 'key' })).toMatchObject({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error' } },
    });
    expect(
      (
        await get(models, {
          'x-api-key': 'key',
          'anthropic-version': '2023-06-01',
          authorization: 'Bearer token',
          'anthropic-beta': 'oauth-2025-04-20',
        })
      ).status,
    ).toBe(401);
    expect(await get(models, { authorization: 'Bearer token', 'anthropic-version': '2023-06-01' })).toMatchObject({
      status: 401,
      body: { error: { message: 'OAuth authentication is currently not supported.' } },
    });
    expect(
      (
        await get(models, {
          authorization: 'Bearer token',
          'anthropic-version': '2023-06-01',
          'anthropic-beta': 'oauth-2025-04-20',
        })
      ).status,
    ).toBe(200);
    expect(await get(models, { 'x-api-key': 'key', 'anthropic-version': '2023-06-01' })).toMatchObject({
      status: 200,
      body: { has_more: false },
    });
    expect(fake.counts().get('/v1/models')).toBe(5);
  });

  it('Google: accepts ?key= as well as the header, answers a bad key with 400 API_KEY_INVALID and no credential with 403', async () => {
    const fake = await startGoogleApi({ validKeys: ['AIzaGood'] });
    closers.push(() => fake.close());
    expect((await get(`${fake.url}/v1beta/models?key=AIzaGood`, {})).status).toBe(200);
    expect(await get(`${fake.url}/v1beta/models`, { 'x-goog-api-key': 'AIzaBad' })).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 400,
          status: 'INVALID_ARGUMENT',
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
        },
      },
    });
    expect(await get(`${fake.url}/v1beta/models`, {})).toMatchObject({
      status: 403,
      body: { error: { status: 'PERMISSION_DENIED' } },
    });
  });

  it('OpenAI: asks for a bearer, and setMode with times applies to the next requests only', async () => {
    const fake = await startOpenAiApi({ validKeys: ['sk-good'] });
    closers.push(() => fake.close());
    expect(await get(`${fake.url}/v1/models`, {})).toMatchObject({
      status: 401,
      body: { error: { type: 'invalid_request_error', code: null } },
    });
    fake.setMode({ kind: 'status', status: 503 }, { times: 2 });
    const auth = { authorization: 'Bearer sk-good' };
    expect((await get(`${fake.url}/v1/models`, auth)).status).toBe(503);
    expect((await get(`${fake.url}/v1/models`, auth)).status).toBe(503);
    expect(await get(`${fake.url}/v1/models`, auth)).toMatchObject({ status: 200, body: { object: 'list' } });
  });
});
