import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { completeInBrowser } from '../../../../test/fakes/browser-login.js';
import { startOpenAiApi, type FakeOpenAiApi } from '../../../../test/fakes/index.js';
import { PUBLIC_CLIENT_ID, startOidcServer, type OidcServer } from '../../../../test/fakes/oauth-server.js';
import { switchTo, whereFrom } from './fallback-chain.js';
import { signInByPaste } from './oauth-sign-in.js';
import { openTutorialCore, type TutorialCore } from './tutorial-core.js';

const ENV_KEY = 'sk-proj-from-the-environment-e001';
const WORK_KEY = 'sk-proj-stored-for-work-account-w002';
let oidc: OidcServer;
let openai: FakeOpenAiApi;
let opened: TutorialCore;

beforeAll(async () => {
  [oidc, openai] = await Promise.all([startOidcServer(), startOpenAiApi({ validKeys: [ENV_KEY, WORK_KEY] })]);
});
afterAll(() => Promise.all([oidc.close(), openai.close()]));
beforeEach(async () => {
  opened = await openTutorialCore({
    env: {
      OPENAI_API_KEY: ENV_KEY,
      THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
      OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
      THE_MAESTRO_OPENAI_OAUTH_ISSUER: oidc.issuer,
      THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
      THE_MAESTRO_OPENAI_OAUTH_LOOPBACK_PORTS: '0',
    },
  });
});
afterEach(() => opened.close());

describe('chapter 4 — the fallback chain and sessions', () => {
  it('walks OAuth → stored API key → environment for the active account', async () => {
    const { auth } = opened.core;
    expect(await whereFrom(auth, 'openai')).toBe('env');

    await auth.saveApiKey({ provider: 'openai', apiKey: WORK_KEY, account: 'work' });
    expect(await whereFrom(auth, 'openai')).toBe('api_key (account "work")');

    // Signing in by OAuth under the same account puts OAuth first in the chain.
    const flow = await auth.startOAuth({ provider: 'openai', account: 'work' });
    if (!flow.ok) throw new Error(flow.error.message);
    const done = await auth.submitPastedCode({
      flowId: flow.value.flowId,
      pasted: (await completeInBrowser(flow.value.authorizationUrl)).href,
    });
    expect(done.ok).toBe(true);
    expect(await whereFrom(auth, 'openai')).toBe('oauth (account "work")');

    // The order is a setting (the window's Settings tab, `fallbackOrder` in config.json).
    expect(auth.updateSettings({ fallbackOrder: ['api_key', 'oauth', 'env'] }).ok).toBe(true);
    expect(await whereFrom(auth, 'openai')).toBe('api_key (account "work")');
  });

  it('switches account and provider in one call, and remembers it for the next process', async () => {
    const { auth } = opened.core;
    await auth.saveApiKey({ provider: 'openai', apiKey: WORK_KEY, account: 'work' });
    await signInByPaste(auth, 'openai', completeInBrowser);
    expect(await whereFrom(auth, 'openai')).toBe('oauth (account "default")');

    expect(await switchTo(auth, 'openai', 'work')).toBe('openai');
    expect(await whereFrom(auth, 'openai')).toBe('api_key (account "work")');
    // A caller can also name the account for one request without switching.
    expect(await whereFrom(auth, 'openai', 'default')).toBe('oauth (account "default")');
    expect((await auth.status()).providers.find((provider) => provider.id === 'openai')?.account).toBe('work');
  });

  it('says what each step found when nothing works', async () => {
    const bare = await openTutorialCore();
    try {
      expect(await whereFrom(bare.core.auth, 'anthropic')).toBe(
        'not_authenticated: No working Anthropic credential (oauth: no OAuth sign-in for account "default"; ' +
          'api_key: no stored API key for account "default"; env: ANTHROPIC_API_KEY not set). ' +
          'Sign in with `the-maestro login anthropic` or in the window.',
      );
    } finally {
      await bare.close();
    }
  });
});
