import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core/create-core.js';
import { createCore } from '../../../src-main/core/create-core.js';
import { SafeStorageKeyProvider } from '../../../src-main/core/store/key-providers/safe-storage-key-provider.js';
import type { RunningAgent } from '../../../src-main/agent/agent-server.js';
import { startAgent } from '../../../src-main/agent/agent-server.js';
import type { FakeAnthropicApi, FakeGoogleApi, FakeOpenAiApi, RecordedRequest } from '../../fakes/index.js';
import { ANTHROPIC_OAUTH_BETA, startAnthropicApi, startGoogleApi, startOpenAiApi } from '../../fakes/index.js';
import { FakeSafeStorage } from '../../support/storage/fake-safe-storage.js';
import { cliEnv, runCli } from '../../support/run-cli.js';

/**
 * The recipes, run: each official SDK built from `the-maestro token --json`'s `sdk.options` (the
 * credential coming from a running agent) calls the provider fake, which checks the credential the
 * way the real API does; the test then checks the exact auth headers the fake received.
 */
const KEYS = {
  anthropic: 'sk-ant-api03-CANARY-recipe-anthropic-0123456789',
  openai: 'sk-proj-CANARY-recipe-openai-0123456789abcdef',
  google: 'AIzaSyCANARY-recipe-google-0123456789abcd',
} as const;
const TOKENS = {
  anthropic: 'sk-ant-oat01-CANARY-recipe-anthropic-oauth-0123',
  openai: 'eyJ-CANARY-recipe-openai-oauth-access-token-0123',
  google: 'ya29.CANARY-recipe-google-oauth-access-token-0123',
} as const;

let anthropic: FakeAnthropicApi;
let openai: FakeOpenAiApi;
let google: FakeGoogleApi;
let dataDir: string;
let env: NodeJS.ProcessEnv;
let core: Core;
let agent: RunningAgent;

type Provider = keyof typeof KEYS;

beforeAll(async () => {
  [anthropic, openai, google] = await Promise.all([startAnthropicApi(), startOpenAiApi(), startGoogleApi()]);
  for (const provider of ['anthropic', 'openai', 'google'] as const) {
    const fake = { anthropic, openai, google }[provider];
    fake.validKeys.add(KEYS[provider]);
    fake.validTokens.add(TOKENS[provider]);
  }
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-recipes-'));
  env = cliEnv({
    THE_MAESTRO_DATA_DIR: dataDir,
    THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
    THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
    THE_MAESTRO_GOOGLE_API_BASE_URL: google.url,
    ANTHROPIC_OAUTH_CLIENT_ID: 'recipe-client',
    OPENAI_OAUTH_CLIENT_ID: 'recipe-client',
    GOOGLE_OAUTH_CLIENT_ID: 'recipe-client',
    GOOGLE_OAUTH_CLIENT_SECRET: 'recipe-secret',
  });
  core = await createCore({
    dataDir,
    env,
    keyProviders: [new SafeStorageKeyProvider(new FakeSafeStorage(), 'linux')],
    purpose: 'test',
  });
  for (const provider of ['anthropic', 'openai', 'google'] as const) {
    expect((await core.auth.saveApiKey({ provider, apiKey: KEYS[provider], account: 'keys' })).ok).toBe(true);
    core.store.put({
      provider,
      authMethod: 'oauth',
      accountLabel: 'signed-in',
      credential: {
        kind: 'oauth',
        accessToken: TOKENS[provider],
        tokenType: 'Bearer',
        // OpenAI's sign-in is Sign in with ChatGPT: its tokens are usable with the plan scope only.
        ...(provider === 'openai'
          ? { scope: 'openid profile email offline_access resource.invoke chatgpt.tokens.use.direct' }
          : {}),
        expiresAt: Date.now() + 3_600_000,
      },
      expiresAt: Date.now() + 3_600_000,
    });
  }
  agent = await startAgent({ dataDir, auth: core.auth });
});

afterAll(async () => {
  await agent.close();
  await core.dispose();
  await Promise.all([anthropic.close(), openai.close(), google.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

interface TokenJson {
  method: string;
  sdk: { package: string; options: Record<string, unknown> | null; reason?: string };
}

async function tokenJson(provider: Provider, account: string): Promise<TokenJson> {
  const run = await runCli(['token', provider, '--account', account, '--json'], env);
  // An OpenAI OAuth token here is a ChatGPT plan sign-in: `token` labels it on stderr, once.
  const planLabel =
    'the-maestro: This openai token spends your ChatGPT plan: use it only in tools you run yourself, never as shared API access.\n';
  expect(run.stderr).toBe(provider === 'openai' && account === 'signed-in' ? planLabel : '');
  return JSON.parse(run.stdout) as TokenJson;
}

function authHeaders(request: RecordedRequest): Record<string, unknown> {
  const { headers } = request;
  return {
    'x-api-key': headers['x-api-key'],
    authorization: headers.authorization,
    'anthropic-beta': headers['anthropic-beta'],
    'x-goog-api-key': headers['x-goog-api-key'],
  };
}

describe('the official SDKs fed by token --json through the agent', () => {
  it('@anthropic-ai/sdk with an API key sends x-api-key alone', async () => {
    const { sdk } = await tokenJson('anthropic', 'keys');
    const client = new Anthropic({ ...sdk.options, maxRetries: 0 });
    await client.models.list();
    expect(authHeaders(anthropic.lastRequest())).toEqual({ 'x-api-key': KEYS.anthropic });
  });

  it('@anthropic-ai/sdk with an OAuth token sends the bearer token and the OAuth beta header, no API key', async () => {
    const { sdk, method } = await tokenJson('anthropic', 'signed-in');
    expect(method).toBe('oauth');
    const client = new Anthropic({ ...sdk.options, maxRetries: 0 });
    await client.models.list();
    const headers = authHeaders(anthropic.lastRequest());
    expect(headers).toEqual({
      authorization: `Bearer ${TOKENS.anthropic}`,
      'anthropic-beta': expect.any(String) as string,
    });
    expect(String(headers['anthropic-beta'])).toContain(ANTHROPIC_OAUTH_BETA);
  });

  it('openai with an API key and with an OAuth token sends Authorization: Bearer to …/v1', async () => {
    for (const [account, secret] of [
      ['keys', KEYS.openai],
      ['signed-in', TOKENS.openai],
    ] as const) {
      const { sdk } = await tokenJson('openai', account);
      const client = new OpenAI({ ...sdk.options, maxRetries: 0 });
      const page = await client.models.list();
      expect(page.data.length).toBeGreaterThan(0);
      expect(openai.lastRequest().path).toBe('/v1/models');
      expect(authHeaders(openai.lastRequest())).toEqual({ authorization: `Bearer ${secret}` });
    }
  });

  it('@google/genai with an API key sends x-goog-api-key', async () => {
    const { sdk } = await tokenJson('google', 'keys');
    const client = new GoogleGenAI({ ...(sdk.options as { apiKey: string }) });
    await client.models.list();
    expect(authHeaders(google.lastRequest())).toEqual({ 'x-goog-api-key': KEYS.google });
  });

  it('@google/genai cannot take a Google OAuth token: sdk.options is null with the reason', async () => {
    const { sdk, method } = await tokenJson('google', 'signed-in');
    expect(method).toBe('oauth');
    expect(sdk.options).toBeNull();
    expect(sdk.reason).toMatch(/x-goog-api-key/);
  });
});
