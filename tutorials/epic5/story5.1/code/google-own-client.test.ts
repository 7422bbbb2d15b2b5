import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { completeInBrowser } from '../../../../test/fakes/browser-login.js';
import { startGoogleApi, type FakeGoogleApi } from '../../../../test/fakes/google-api.js';
import {
  GOOGLE_STYLE_CLIENT_ID,
  GOOGLE_STYLE_CLIENT_SECRET,
  startOidcServer,
  type OidcServer,
} from '../../../../test/fakes/oauth-server.js';
import { signInByLoopback } from './oauth-sign-in.js';
import { openTutorialCore, type TutorialCore } from './tutorial-core.js';

/**
 * Chapter 9: Google with your own desktop client. A local OIDC server plays accounts.google.com
 * (your Desktop app client is GOOGLE_STYLE_CLIENT_ID), the Gemini API fake plays
 * generativelanguage.googleapis.com and, like Google, wants a quota project with an OAuth token.
 */
let oidc: OidcServer;
let gemini: FakeGoogleApi;
let opened: TutorialCore | undefined;

beforeAll(async () => {
  oidc = await startOidcServer();
  gemini = await startGoogleApi();
});
afterAll(async () => {
  await Promise.all([oidc.close(), gemini.close()]);
});
beforeEach(() => {
  opened = undefined;
});
afterEach(() => opened?.close());

/** The core as you would configure it: your client, and (optionally) your quota project. */
async function openWith(quotaProject: string | undefined): Promise<TutorialCore> {
  opened = await openTutorialCore({
    env: {
      GOOGLE_OAUTH_CLIENT_ID: GOOGLE_STYLE_CLIENT_ID,
      GOOGLE_OAUTH_CLIENT_SECRET: GOOGLE_STYLE_CLIENT_SECRET,
      ...(quotaProject !== undefined ? { GOOGLE_CLOUD_QUOTA_PROJECT: quotaProject } : {}),
      // Only because the stand-ins run on 127.0.0.1:
      THE_MAESTRO_GOOGLE_OAUTH_ISSUER: oidc.issuer,
      THE_MAESTRO_GOOGLE_API_BASE_URL: gemini.url,
      THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    },
  });
  return opened;
}

describe('chapter 9 — Google with your own desktop client', () => {
  it('sends the quota project with the OAuth token, and hands it on in the credential headers', async () => {
    const { auth } = (await openWith('my-gemini-project')).core;
    await signInByLoopback(auth, 'google', completeInBrowser);
    const resolved = await auth.resolve('google');
    if (!resolved.ok) throw new Error(resolved.error.message);
    expect(resolved.value.headers).toEqual({
      Authorization: `Bearer ${resolved.value.secret}`,
      'x-goog-user-project': 'my-gemini-project',
    });
    gemini.validTokens.add(resolved.value.secret);
    const models = await auth.listModels({ provider: 'google', refresh: true });
    expect(models.ok && models.value.models.map((model) => model.id)).toContain('gemini-2.5-flash');
    expect(gemini.lastRequest().headers['x-goog-user-project']).toBe('my-gemini-project');
  });

  it('without a quota project, says what Google wants and where to set it', async () => {
    const { auth } = (await openWith(undefined)).core;
    await signInByLoopback(auth, 'google', completeInBrowser);
    const resolved = await auth.resolve('google');
    if (!resolved.ok) throw new Error(resolved.error.message);
    gemini.validTokens.add(resolved.value.secret);
    const models = await auth.listModels({ provider: 'google', refresh: true });
    expect(models).toMatchObject({ ok: false, error: { code: 'permission_denied' } });
    if (!models.ok) expect(models.error.message).toContain('GOOGLE_CLOUD_QUOTA_PROJECT');
  });
});
