import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core/create-core.js';
import { createCore } from '../../../src-main/core/create-core.js';
import { MemoryKeyProvider } from '../../../src-main/core/store/key-providers/memory-key-provider.js';
import { deliverToLoopback } from '../../fakes/browser-login.js';
import { FAKE_REPLY } from '../../fakes/generation-streams.js';
import {
  startAnthropicApi,
  startGoogleApi,
  startOpenAiApi,
  type FakeAnthropicApi,
  type FakeGoogleApi,
  type FakeOpenAiApi,
} from '../../fakes/index.js';
import { startSiwcFake, type SiwcFake } from '../../fakes/openai-siwc.js';
import type { ApiScenario } from '../../fakes/siwc-api.js';
import { SIWC_REPLY } from '../../fakes/siwc-api.js';
import { authorizeInBrowser } from '../../fakes/siwc-browser.js';

/**
 * "Test this model": one streamed request to each provider's own generation API with the
 * credential in use, against the fakes — the reply's first words, the latency to the first token,
 * who answered — and every way it can fail, mapped to our codes.
 */

const KEYS = {
  anthropic: 'sk-ant-api03-model-test-key-0001',
  google: 'AIzaSyModelTest-key-for-tests-0002',
  openai: 'sk-proj-model-test-key-for-tests-0003',
} as const;

let anthropic: FakeAnthropicApi;
let google: FakeGoogleApi;
let openai: FakeOpenAiApi;
let siwc: SiwcFake;
const cores: { core: Core; dir: string }[] = [];

beforeAll(async () => {
  [anthropic, google, openai, siwc] = await Promise.all([
    startAnthropicApi({ validKeys: [KEYS.anthropic] }),
    startGoogleApi({ validKeys: [KEYS.google] }),
    startOpenAiApi({ validKeys: [KEYS.openai] }),
    startSiwcFake({ apiKeys: [KEYS.openai] }),
  ]);
});
afterAll(async () => {
  await Promise.all([anthropic.close(), google.close(), openai.close(), siwc.close()]);
});
afterEach(async () => {
  for (const { core, dir } of cores.splice(0)) {
    await core.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  siwc.reset();
});

async function open(env: NodeJS.ProcessEnv): Promise<Core> {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-model-test-'));
  const core = await createCore({
    dataDir: dir,
    env,
    keyProviders: [new MemoryKeyProvider({ protection: 'key_file' })],
    purpose: 'test',
  });
  cores.push({ core, dir });
  return core;
}

describe('with API keys, every provider', () => {
  it.each([
    ['anthropic', 'claude-sonnet-4-5-20250929', '/v1/messages'],
    ['google', 'gemini-2.5-flash', '/v1beta/models/gemini-2.5-flash:streamGenerateContent'],
    ['openai', 'gpt-5', '/v1/responses'],
  ] as const)('%s streams a reply from %s and says who answered', async (provider, model, path) => {
    const core = await open({
      THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
      THE_MAESTRO_GOOGLE_API_BASE_URL: google.url,
      THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
    });
    expect((await core.auth.saveApiKey({ provider, apiKey: KEYS[provider], account: 'work' })).ok).toBe(true);
    const result = await core.auth.testModel({ provider, model });
    expect(result).toEqual({
      ok: true,
      value: {
        provider,
        model,
        source: 'api_key',
        method: 'api_key',
        account: 'work',
        plan: null,
        reply: FAKE_REPLY.join(''),
        firstTokenMs: expect.any(Number) as number,
        totalMs: expect.any(Number) as number,
      },
    });
    if (result.ok) expect(result.value.firstTokenMs).toBeLessThanOrEqual(result.value.totalMs);
    const fake = { anthropic, google, openai }[provider];
    const sent = fake.requests.filter((request) => request.method === 'POST').at(-1);
    expect(sent?.path).toBe(path);
    expect(JSON.parse(sent?.body ?? '{}')).toMatchObject(provider === 'google' ? {} : { stream: true });
  });

  it('uses the selected model when none is named, else the first listed', async () => {
    const core = await open({ THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url });
    await core.auth.saveApiKey({ provider: 'anthropic', apiKey: KEYS.anthropic });
    const first = await core.auth.testModel({ provider: 'anthropic' });
    const listed = await core.auth.listModels({ provider: 'anthropic' });
    expect(first.ok && listed.ok && first.value.model).toBe(listed.ok ? listed.value.models[0]?.id : '');
  });

  it('maps a model the provider does not know, and a refused key, to our codes', async () => {
    const core = await open({ THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url });
    await core.auth.saveApiKey({ provider: 'anthropic', apiKey: KEYS.anthropic });
    expect(await core.auth.testModel({ provider: 'anthropic', model: 'claude-nonexistent' })).toMatchObject({
      ok: false,
      error: { provider: 'anthropic', status: 404 },
    });
    anthropic.validKeys.delete(KEYS.anthropic);
    expect(await core.auth.testModel({ provider: 'anthropic', model: 'claude-sonnet-4-5-20250929' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_credentials' },
    });
    anthropic.validKeys.add(KEYS.anthropic);
  });

  it('says there is nothing to test with when no credential is set', async () => {
    const core = await open({ THE_MAESTRO_GOOGLE_API_BASE_URL: google.url });
    expect(await core.auth.testModel({ provider: 'google', model: 'gemini-2.5-flash' })).toMatchObject({
      ok: false,
      error: { code: 'not_authenticated' },
    });
  });
});

describe('with a ChatGPT plan sign-in', () => {
  async function planCore(extra: NodeJS.ProcessEnv = {}): Promise<Core> {
    const core = await open({
      THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
      THE_MAESTRO_OPENAI_OAUTH_ISSUER: siwc.issuer,
      THE_MAESTRO_OPENAI_API_BASE_URL: siwc.url,
      ...extra,
    });
    const started = await core.auth.startOAuth({ provider: 'openai' });
    if (!started.ok) throw new Error(started.error.message);
    await deliverToLoopback(await authorizeInBrowser(siwc, started.value.authorizationUrl));
    expect((await core.auth.waitForOAuth(started.value.flowId)).ok).toBe(true);
    return core;
  }

  it('sends store:false and stream:true, and counts only response.completed', async () => {
    const core = await planCore();
    const result = await core.auth.testModel({ provider: 'openai' });
    expect(result).toMatchObject({
      ok: true,
      value: { model: 'gpt-6.1-sol', source: 'oauth', plan: 'ChatGPT plan', reply: SIWC_REPLY.join('') },
    });
    const body = siwc.apiRequests.find((request) => request.path === '/v1/responses')?.body;
    expect(body).toMatchObject({ model: 'gpt-6.1-sol', stream: true, store: false, input: [{ role: 'user' }] });
    expect(body).not.toHaveProperty('max_output_tokens');
  });

  it.each<[ApiScenario, string, RegExp]>([
    ['usage-limit', 'plan_usage_limit', /chatgpt\.com\/settings\/usage/],
    ['usage-limit-mid-stream', 'plan_usage_limit', /Manage usage/],
    ['usage-unavailable', 'provider_unavailable', /Try again shortly/],
    ['usage-unavailable-mid-stream', 'provider_unavailable', /Try again shortly/],
    ['not-eligible', 'plan_not_eligible', /API key works instead/],
    ['invalid-user', 'invalid_credentials', /Sign in with ChatGPT again/],
    ['user-unavailable', 'provider_unavailable', /Try again shortly/],
    ['detail-401', 'invalid_credentials', /sign in with ChatGPT again/],
    ['detail-403', 'policy_blocked', /policy reason/],
    ['detail-503', 'provider_unavailable', /sign-in is kept/],
    ['incomplete', 'provider_unavailable', /stopped the reply/],
    ['cut', 'network_error', /OpenAI|connection/i],
  ])(
    '%s ends in %s with the prescribed action, and never falls back to the API key',
    async (scenario, code, action) => {
      const core = await planCore({ OPENAI_API_KEY: KEYS.openai });
      siwc.scenario.api = scenario;
      const result = await core.auth.testModel({ provider: 'openai', model: 'gpt-6.1-sol' });
      expect(result).toMatchObject({ ok: false, error: { code, provider: 'openai' } });
      if (!result.ok) expect(result.error.message).toMatch(action);
      // No request left with the API key: a plan error stops the request.
      expect(siwc.apiRequests.filter((request) => request.path === '/v1/responses').length).toBeLessThanOrEqual(2);
      const resolved = await core.auth.resolve('openai');
      expect(resolved.ok && resolved.value.source).toBe('oauth');
    },
  );
});
