import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PkceFlowManager } from '../../../../src-main/core/oauth/flow-manager.js';
import type { OAuthProviderContext } from '../../../../src-main/core/oauth/oauth-types.js';
import { providerOAuth, type OAuthMachinery } from '../../../../src-main/core/oauth/provider-oauth.js';
import { createRevokeCredential } from '../../../../src-main/core/oauth/revoke.js';
import { LeasedTokenRefresher } from '../../../../src-main/core/oauth/token-refresher.js';
import { createProviderApi } from '../../../../src-main/core/providers/api.js';
import { DefinedProviderAuth } from '../../../../src-main/core/providers/defined-provider-auth.js';
import { openaiDefinition } from '../../../../src-main/core/providers/openai.js';
import type { FlowFinishedEvent, ProviderAuth } from '../../../../src-main/core/providers/provider-auth.js';
import { startAnthropicOAuthServer, type AnthropicOAuthServer } from '../../../fakes/anthropic-oauth.js';
import { completeInBrowser, deliverToLoopback, pasteCodeOf } from '../../../fakes/browser-login.js';
import { startOidcServer, type OidcServer } from '../../../fakes/oauth-server.js';
import {
  anthropicStyle,
  expireAccessToken,
  googleStyle,
  oauthSecretOf,
  openaiStyle,
  openTestStore,
  type TestStore,
} from './support/oauth-test-kit.js';

/**
 * ProviderAuth over the shared OAuth machinery: every sign-in, completion, refresh and revocation
 * the coordinator asks of a provider, through the provider's own interface, against local servers.
 */

let oidc: OidcServer;
let anthropicServer: AnthropicOAuthServer;
let kit: TestStore;
let machinery: OAuthMachinery;
let openai: ProviderAuth;
let google: ProviderAuth;
let anthropic: ProviderAuth;

function providerAuth(context: OAuthProviderContext, oauth = providerOAuth(context, machinery)): ProviderAuth {
  return new DefinedProviderAuth({
    definition: context.definition,
    config: context.config,
    api: createProviderApi(),
    env: {},
    oauth,
  });
}

beforeAll(async () => {
  [oidc, anthropicServer] = await Promise.all([startOidcServer(), startAnthropicOAuthServer()]);
});
afterAll(async () => {
  await Promise.all([oidc.close(), anthropicServer.close()]);
});
beforeEach(async () => {
  oidc.resetCounters();
  kit = await openTestStore();
  machinery = {
    flows: new PkceFlowManager({ store: kit.store }),
    refresher: new LeasedTokenRefresher({ store: kit.store }),
    revoke: createRevokeCredential({}),
  };
  [openai, google, anthropic] = [
    providerAuth(openaiStyle(oidc)),
    providerAuth(googleStyle(oidc)),
    providerAuth(anthropicStyle(anthropicServer)),
  ];
});
afterEach(async () => {
  await machinery.flows.dispose();
  kit.dispose();
});

describe('ProviderAuth over the shared OAuth machinery', () => {
  it('signs in by deep link, refreshes once for many callers, and revokes, all through ProviderAuth', async () => {
    const view = await openai.startSignIn({ accountLabel: 'work', redirectMode: 'deep_link' });
    const back = await completeInBrowser(view.authorizationUrl);
    const signedIn = await openai.completeSignIn({ route: 'deep_link', url: back.href });
    expect(signedIn).toMatchObject({ flowId: view.flowId, provider: 'openai', account: 'work' });
    expect(kit.store.getMeta(signedIn.credentialId)).toMatchObject({
      provider: 'openai',
      authMethod: 'oauth',
      accountLabel: 'work',
    });

    expireAccessToken(kit.store, signedIn.credentialId);
    oidc.resetCounters();
    const refreshed = await Promise.all(
      Array.from({ length: 100 }, () => openai.refreshCredentials({ credentialId: signedIn.credentialId })),
    );
    expect(oidc.counters.byGrant).toEqual({ refresh_token: 1 });
    expect(new Set(refreshed.map((credential) => credential.accessToken)).size).toBe(1);
    expect(refreshed[0]?.accessToken).toBe(oauthSecretOf(kit.store, signedIn.credentialId).accessToken);

    await expect(openai.revokeCredentials(oauthSecretOf(kit.store, signedIn.credentialId))).resolves.toEqual({
      revoked: true,
    });
  });

  it('completes a pasted code#state for the Anthropic style', async () => {
    const view = await anthropic.startSignIn({ accountLabel: 'default' });
    const back = await completeInBrowser(view.authorizationUrl);
    await expect(
      anthropic.completeSignIn({ route: 'paste', flowId: view.flowId, pasted: pasteCodeOf(back) }),
    ).resolves.toMatchObject({ provider: 'anthropic' });
  });

  it('hears a loopback completion (no call waits for it) only at the provider that started it', async () => {
    const heard: Record<string, FlowFinishedEvent[]> = { openai: [], google: [] };
    openai.onDidFinishSignIn((event) => heard['openai']?.push(event));
    google.onDidFinishSignIn((event) => heard['google']?.push(event));
    const view = await google.startSignIn({ accountLabel: 'personal' });
    await deliverToLoopback(await completeInBrowser(view.authorizationUrl));
    const signedIn = await google.waitForSignIn(view.flowId);
    expect(heard).toEqual({ openai: [], google: [{ ...signedIn, ok: true }] });
  });

  it('answers a sign-in id only at the provider that owns it', async () => {
    const view = await openai.startSignIn({ accountLabel: 'default' });
    expect([openai.hasSignIn(view.flowId), google.hasSignIn(view.flowId)]).toEqual([true, false]);
    await expect(google.waitForSignIn(view.flowId)).rejects.toMatchObject({ code: 'oauth_state_invalid' });
    await expect(
      google.completeSignIn({ route: 'paste', flowId: view.flowId, pasted: 'some-code' }),
    ).rejects.toMatchObject({ code: 'oauth_state_invalid' });
    expect(google.cancelSignIn(view.flowId)).toBe(false);
    expect(openai.cancelSignIn(view.flowId)).toBe(true);
    await expect(openai.waitForSignIn(view.flowId)).rejects.toMatchObject({ code: 'cancelled' });
    expect(oidc.counters.tokenRequests).toBe(0);
  });

  it('says what to set before starting a sign-in without a client id', async () => {
    const unconfigured = providerAuth(
      googleStyle(oidc, { clientId: null, clientIdHint: 'set GOOGLE_OAUTH_CLIENT_ID' }),
    );
    await expect(unconfigured.startSignIn({ accountLabel: 'default' })).rejects.toMatchObject({
      code: 'not_configured',
      info: { provider: 'google' },
    });
    expect(unconfigured.availableMethods().unavailable).toContainEqual({
      method: 'oauth',
      reason: expect.stringContaining('GOOGLE_OAUTH_CLIENT_ID') as string,
    });
    // Sign in with ChatGPT needs no client id at all: it registers one at the first sign-in.
    const chatgpt = providerAuth(openaiStyle(oidc, { clientId: null }));
    expect(chatgpt.availableMethods().available).toContain('oauth');
  });

  it('refuses every OAuth step of a provider that offers none, with the reason', async () => {
    const { oauth: _oauth, ...apiKeysOnly } = openaiDefinition;
    const context = openaiStyle(oidc);
    const keysOnly = new DefinedProviderAuth({
      definition: apiKeysOnly,
      config: context.config,
      api: createProviderApi(),
      env: {},
      oauth: null,
    });
    const reason = 'OpenAI offers no browser sign-in for other apps; use an API key.';
    await expect(keysOnly.startSignIn({ accountLabel: 'default' })).rejects.toMatchObject({
      code: 'unsupported_method',
      message: reason,
    });
    await expect(keysOnly.refreshCredentials({ credentialId: 'any' })).rejects.toMatchObject({
      code: 'unsupported_method',
    });
    await expect(
      keysOnly.revokeCredentials({ kind: 'oauth', accessToken: 'at', tokenType: 'Bearer' }),
    ).resolves.toEqual({ revoked: false, reason });
    expect([keysOnly.hasSignIn('any'), keysOnly.cancelSignIn('any')]).toEqual([false, false]);
  });
});
