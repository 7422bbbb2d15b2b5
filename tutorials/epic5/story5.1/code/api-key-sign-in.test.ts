import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicApi, type FakeAnthropicApi } from '../../../../test/fakes/index.js';
import { signInWithApiKey } from './api-key-sign-in.js';
import { openTutorialCore, type TutorialCore } from './tutorial-core.js';

const KEY = 'sk-ant-api03-tutorial-chapter-two-4f2a';
let anthropic: FakeAnthropicApi;
let opened: TutorialCore | undefined;

beforeAll(async () => {
  // A real HTTP server on 127.0.0.1 that answers like api.anthropic.com (test/fakes).
  anthropic = await startAnthropicApi({ validKeys: [KEY] });
});
afterAll(() => anthropic.close());
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

describe('chapter 2 — signing in with an API key', () => {
  it('validates the key with the provider, stores it sealed, shows only its tail, and resolves it as ready headers', async () => {
    opened = await openTutorialCore({ env: { THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url } });
    const { status, credential } = await signInWithApiKey(opened.core.auth, 'anthropic', KEY);

    expect(
      anthropic.requests.map((request) => `${request.method} ${request.path}?${request.query.toString()}`),
    ).toContain('GET /v1/models?limit=1');
    expect(status).toMatchObject({ state: 'valid', source: 'api_key', account: 'default', maskedKey: '…4f2a' });
    expect(JSON.stringify(status)).not.toContain(KEY);
    expect(credential).toMatchObject({ source: 'api_key', method: 'api_key', apiBaseUrl: anthropic.url });
    expect(credential.headers).toEqual({ 'x-api-key': KEY, 'anthropic-version': '2026-10-21' });
  });

  it('refuses a key the provider rejects, and stores nothing', async () => {
    opened = await openTutorialCore({ env: { THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url } });
    await expect(signInWithApiKey(opened.core.auth, 'anthropic', 'sk-ant-api03-not-a-real-key-0000')).rejects.toThrow(
      /^invalid_credentials: Anthropic rejected the API key/,
    );
    expect(opened.core.store.list({ provider: 'anthropic' })).toEqual([]);
  });
});
