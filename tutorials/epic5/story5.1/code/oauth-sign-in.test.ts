import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { completeInBrowser } from '../../../../test/fakes/browser-login.js';
import {
  FAKE_DEEP_LINK_SCHEME,
  PUBLIC_CLIENT_ID,
  startOidcServer,
  type OidcServer,
} from '../../../../test/fakes/oauth-server.js';
import { signInByDeepLink, signInByLoopback, signInByPaste } from './oauth-sign-in.js';
import { openTutorialCore, type TutorialCore } from './tutorial-core.js';

let oidc: OidcServer;
let opened: TutorialCore;

beforeAll(async () => {
  // A real OAuth 2.0 / OIDC authorization server (oidc-provider) on 127.0.0.1, shaped like OpenAI's.
  oidc = await startOidcServer();
});
afterAll(() => oidc.close());
beforeEach(async () => {
  opened = await openTutorialCore({
    env: {
      // An organisation's own client (here: the one the local server knows) instead of Sign in with
      // ChatGPT's registration (chapter 8), configured to come back by deep link as well.
      OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
      THE_MAESTRO_OPENAI_OAUTH_ISSUER: oidc.issuer,
      THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
      THE_MAESTRO_OPENAI_OAUTH_REDIRECT_MODE: 'deep_link',
      // OpenAI tries port 1455 first; any free port will do for the local server.
      THE_MAESTRO_OPENAI_OAUTH_LOOPBACK_PORTS: '0',
      THE_MAESTRO_DEEP_LINK_SCHEME: FAKE_DEEP_LINK_SCHEME,
    },
  });
  oidc.resetCounters();
});
afterEach(() => opened.close());

describe('chapter 3 — OAuth, three ways back to the app', () => {
  it('1. loopback: the browser comes back to a one-shot receiver on 127.0.0.1', async () => {
    const login = await signInByLoopback(opened.core.auth, 'openai', completeInBrowser);
    expect(login).toMatchObject({
      provider: 'openai',
      account: 'default',
      method: 'oauth',
      identity: 'ada@example.test',
    });
    expect(oidc.counters.tokenRequests).toBe(1);
  });

  it('2. deep link: the operating system hands the app its private-use scheme URL', async () => {
    const login = await signInByDeepLink(opened.core.auth, 'openai', completeInBrowser);
    expect(login).toMatchObject({ provider: 'openai', method: 'oauth' });
  });

  it('3. paste: the address the browser ended on completes the flow — once', async () => {
    const { login, flowId, pasted } = await signInByPaste(opened.core.auth, 'openai', completeInBrowser);
    expect(login.method).toBe('oauth');
    // The pending flow was removed before the code was exchanged: a replay finds nothing to complete.
    const replay = await opened.core.auth.submitPastedCode({ flowId, pasted });
    expect(replay).toMatchObject({ ok: false, error: { code: 'oauth_state_invalid' } });
    expect(oidc.counters.tokenRequests).toBe(1);
  });

  it('a callback whose state matches no pending flow makes no token request at all', async () => {
    const forged = `${FAKE_DEEP_LINK_SCHEME}:/oauth/openai/callback?code=stolen-code&state=guessed-state`;
    expect(await opened.core.auth.handleDeepLink(forged)).toMatchObject({
      ok: false,
      error: { code: 'oauth_state_invalid' },
    });
    expect(oidc.counters.tokenRequests).toBe(0);
  });
});
