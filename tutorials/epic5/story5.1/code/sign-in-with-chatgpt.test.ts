import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSiwcFake, type SiwcFake } from '../../../../test/fakes/openai-siwc.js';
import { authorizeInBrowser } from '../../../../test/fakes/siwc-browser.js';
import { mayGoToGateway, signInWithChatGpt, testModel } from './sign-in-with-chatgpt.js';
import { openTutorialCore, type TutorialCore } from './tutorial-core.js';

let fake: SiwcFake;
let opened: TutorialCore;

beforeAll(async () => {
  // OpenAI's sign-in server and API, played on 127.0.0.1 (test/fakes/openai-siwc.ts).
  fake = await startSiwcFake();
});
afterAll(() => fake.close());
beforeEach(async () => {
  opened = await openTutorialCore({
    // Only WHERE OpenAI is: no client id, no secret.
    env: {
      THE_MAESTRO_OPENAI_OAUTH_ISSUER: fake.issuer,
      THE_MAESTRO_OPENAI_API_BASE_URL: fake.url,
      THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    },
  });
});
afterEach(() => opened.close());

const browser = (url: string): Promise<URL> => authorizeInBrowser(fake, url, { returning: true });

describe('chapter 8 — Sign in with ChatGPT', () => {
  it('registers at the first sign-in and reuses the issued client id afterwards', async () => {
    const first = await signInWithChatGpt(opened.core.auth, browser);
    expect(first.login).toMatchObject({ provider: 'openai', method: 'oauth', plan: 'enabled' });
    expect(first.asked.get('client_id')).toBe('dynamic_agent_client');
    expect(first.asked.get('agent_name_hint')).toBe('The Maestro');
    const second = await signInWithChatGpt(opened.core.auth, browser);
    expect(second.asked.get('client_id')).toMatch(/^oaiapp_/);
    expect(second.asked.get('ext_agent_host_id')).toBe(first.asked.get('ext_agent_host_id'));
  });

  it('proves the sign-in with one streamed reply, on the plan, and keeps the plan out of gateways', async () => {
    await signInWithChatGpt(opened.core.auth, browser);
    const result = await testModel(opened.core.auth, 'openai');
    expect(result).toMatchObject({
      model: 'gpt-6.1-sol',
      plan: 'ChatGPT plan',
      reply: 'Hello from your ChatGPT plan!',
    });
    expect(await mayGoToGateway(opened.core.auth, 'openai')).toBe(false);
  });
});
