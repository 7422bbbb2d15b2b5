import { afterEach, describe, expect, it } from 'vitest';
import { openTutorialCore, type TutorialCore } from './tutorial-core.js';
import { describeProviders } from './tour.js';

let opened: TutorialCore | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

describe('chapter 1 — the tour', () => {
  it('lists the three built-in providers, each offering API keys, OpenAI Sign in with ChatGPT as well, and why the rest is not offered yet', async () => {
    opened = await openTutorialCore();
    const lines = await describeProviders(opened.core.auth);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^anthropic \[missing\] offers api_key — not offered: oauth: .*ANTHROPIC_OAUTH_CLIENT_ID/);
    expect(lines[1]).toMatch(/^google \[missing\] offers api_key .*GOOGLE_OAUTH_CLIENT_ID.*GOOGLE_OAUTH_CLIENT_SECRET/);
    expect(lines[2]).toMatch(/^openai \[missing\] offers oauth, api_key — not offered: env: No OPENAI_API_KEY is set/);
  });

  it('offers the environment once a key is set (and OAuth with an organisation client too)', async () => {
    opened = await openTutorialCore({
      env: { OPENAI_OAUTH_CLIENT_ID: 'my-org-client', OPENAI_API_KEY: 'sk-proj-from-the-environment-0001' },
    });
    const lines = await describeProviders(opened.core.auth);
    expect(lines[2]).toBe('openai [valid] offers oauth, api_key, env');
  });
});
