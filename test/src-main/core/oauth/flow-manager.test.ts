import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PkceFlowManager } from '../../../../src-main/core/oauth/flow-manager.js';
import { ACCOUNT_LABEL_RULE } from '../../../../src-main/core/account-label.js';
import type { FlowFinishedEvent, OAuthProviderContext } from '../../../../src-main/core/oauth/oauth-types.js';
import {
  ANTHROPIC_FAKE_ACCOUNT,
  startAnthropicOAuthServer,
  type AnthropicOAuthServer,
} from '../../../fakes/anthropic-oauth.js';
import { completeInBrowser, deliverToLoopback, pasteCodeOf } from '../../../fakes/browser-login.js';
import {
  DEFAULT_FAKE_ACCOUNT,
  FAKE_DEEP_LINK_SCHEME,
  startOidcServer,
  type OidcServer,
} from '../../../fakes/oauth-server.js';
import { anthropicStyle, googleStyle, openaiStyle, openTestStore, type TestStore } from './support/oauth-test-kit.js';

/** Sign-in completes by every route for every provider style, and is done only once the store has committed. */

let oidc: OidcServer;
let anthropic: AnthropicOAuthServer;
let kit: TestStore;
let manager: PkceFlowManager;
let events: FlowFinishedEvent[];
/** The three provider styles, as their ProviderAuth hands them to the machinery. */
let style: Record<'openai' | 'google' | 'anthropic', OAuthProviderContext>;

beforeAll(async () => {
  [oidc, anthropic] = await Promise.all([startOidcServer(), startAnthropicOAuthServer()]);
  style = { openai: openaiStyle(oidc), google: googleStyle(oidc), anthropic: anthropicStyle(anthropic) };
});
afterAll(async () => {
  await Promise.all([oidc.close(), anthropic.close()]);
});
beforeEach(async () => {
  oidc.resetCounters();
  anthropic.resetCounters();
  kit = await openTestStore();
  manager = new PkceFlowManager({ store: kit.store });
  events = [];
  manager.onDidFinish((event) => events.push(event));
});
afterEach(async () => {
  await manager.dispose();
  kit.dispose();
});

function storedOAuth(credentialId: string) {
  const row = kit.store.get(credentialId);
  if (row === null || row.credential.kind !== 'oauth') throw new Error('no OAuth credential stored');
  return row;
}

describe('OpenAI with an organisation client (discovery, loopback on 127.0.0.1, rotating refresh tokens)', () => {
  it('completes by loopback with PKCE, stores the tokens and the identity from the id_token', async () => {
    const view = await manager.start(style.openai, { accountLabel: 'work', redirectMode: 'loopback' });
    const authorizationUrl = new URL(view.authorizationUrl);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/callback$/);
    expect(view).toMatchObject({ provider: 'openai', account: 'work', redirectMode: 'loopback', acceptsPaste: true });

    const back = await completeInBrowser(view.authorizationUrl);
    expect((await deliverToLoopback(back)).status).toBe(200);
    const done = await manager.waitFor(view.flowId);

    const row = storedOAuth(done.credentialId);
    expect(row.meta).toMatchObject({
      provider: 'openai',
      authMethod: 'oauth',
      accountLabel: 'work',
      identity: DEFAULT_FAKE_ACCOUNT.email,
    });
    expect(row.credential).toMatchObject({
      issuer: oidc.issuer,
      accountId: DEFAULT_FAKE_ACCOUNT.sub,
      subject: DEFAULT_FAKE_ACCOUNT.sub,
      email: DEFAULT_FAKE_ACCOUNT.email,
    });
    expect(row.credential.kind === 'oauth' && row.credential.refreshToken).toBeTruthy();
    expect(row.meta.expiresAt).toBeGreaterThan(Date.now());
    expect(await oidc.accessTokenWorks(row.credential.kind === 'oauth' ? row.credential.accessToken : '')).toBe(true);
    expect(oidc.counters.byGrant).toEqual({ authorization_code: 1 });
    expect(events).toEqual([
      { flowId: view.flowId, provider: 'openai', account: 'work', ok: true, credentialId: done.credentialId },
    ]);
  });

  it('completes by pasting the full redirect URL when the browser cannot reach the loopback port, and closes the port', async () => {
    const view = await manager.start(style.openai, { accountLabel: 'default' });
    const back = await completeInBrowser(view.authorizationUrl);
    const done = await manager.submitPasted(view.flowId, `  ${back.href}\n`);
    expect(storedOAuth(done.credentialId).meta.identity).toBe(DEFAULT_FAKE_ACCOUNT.email);
    await expect(fetch(back)).rejects.toThrow();
    expect(await manager.waitFor(view.flowId)).toEqual(done);
    expect(oidc.counters.tokenRequests).toBe(1);
  });

  it('completes a deep-link callback delivered by the operating system', async () => {
    const view = await manager.start(style.openai, { accountLabel: 'default', redirectMode: 'deep_link' });
    expect(new URL(view.authorizationUrl).searchParams.get('redirect_uri')).toBe(
      `${FAKE_DEEP_LINK_SCHEME}:/oauth/openai/callback`,
    );
    const back = await completeInBrowser(view.authorizationUrl);
    expect(back.protocol).toBe(`${FAKE_DEEP_LINK_SCHEME}:`);
    const done = await manager.handleDeepLink(style.openai, back.href);
    expect(storedOAuth(done.credentialId).meta.provider).toBe('openai');
    expect(oidc.counters.tokenRequests).toBe(1);
  });
});

describe('Google style (discovery, loopback on 127.0.0.1, client secret)', () => {
  it('completes by loopback and stores the account email', async () => {
    const view = await manager.start(style.google, { accountLabel: 'personal' });
    expect(new URL(view.authorizationUrl).searchParams.get('redirect_uri')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/oauth2callback$/,
    );
    expect(new URL(view.authorizationUrl).searchParams.get('access_type')).toBe('offline');
    await deliverToLoopback(await completeInBrowser(view.authorizationUrl));
    const done = await manager.waitFor(view.flowId);
    const row = storedOAuth(done.credentialId);
    expect(row.meta).toMatchObject({
      provider: 'google',
      accountLabel: 'personal',
      identity: DEFAULT_FAKE_ACCOUNT.email,
    });
    expect(row.credential.kind === 'oauth' && row.credential.refreshToken).toBeTruthy();
  });

  it('completes by pasting the bare code into the waiting flow', async () => {
    const view = await manager.start(style.google, { accountLabel: 'default' });
    const back = await completeInBrowser(view.authorizationUrl);
    const done = await manager.submitPasted(view.flowId, back.searchParams.get('code') ?? '');
    expect(storedOAuth(done.credentialId).meta.identity).toBe(DEFAULT_FAKE_ACCOUNT.email);
    expect(oidc.counters.tokenRequests).toBe(1);
  });
});

describe('Anthropic style (no discovery, JSON token body, paste page)', () => {
  it('completes by pasting code#state from the paste page; the token request is JSON', async () => {
    const view = await manager.start(style.anthropic, { accountLabel: 'default' });
    expect(view.redirectMode).toBe('paste');
    const authorizationUrl = new URL(view.authorizationUrl);
    expect(authorizationUrl.searchParams.get('redirect_uri')).toBe(anthropic.pasteRedirectUri);
    expect(authorizationUrl.searchParams.get('code')).toBe('true');
    const back = await completeInBrowser(view.authorizationUrl);
    const done = await manager.submitPasted(view.flowId, pasteCodeOf(back));
    const row = storedOAuth(done.credentialId);
    expect(row.meta).toMatchObject({ provider: 'anthropic', identity: ANTHROPIC_FAKE_ACCOUNT.email });
    expect(row.credential).toMatchObject({
      accountId: ANTHROPIC_FAKE_ACCOUNT.uuid,
      scope: 'user:profile user:inference',
    });
    expect(anthropic.accessTokenWorks(row.credential.kind === 'oauth' ? row.credential.accessToken : '')).toBe(true);
    expect(anthropic.counters).toMatchObject({
      tokenRequests: 1,
      formBodiesRejected: 0,
      byGrant: { authorization_code: 1 },
    });
  });

  it('completes by loopback when the person chooses it', async () => {
    const view = await manager.start(style.anthropic, { accountLabel: 'default', redirectMode: 'loopback' });
    await deliverToLoopback(await completeInBrowser(view.authorizationUrl));
    const done = await manager.waitFor(view.flowId);
    expect(storedOAuth(done.credentialId).meta.identity).toBe(ANTHROPIC_FAKE_ACCOUNT.email);
    expect(anthropic.counters.tokenRequests).toBe(1);
  });
});

describe('flow lifecycle', () => {
  it('keeps accounts apart: a second account of the same provider is a second row', async () => {
    for (const accountLabel of ['work', 'personal']) {
      const view = await manager.start(style.openai, { accountLabel });
      await manager.submitPasted(view.flowId, (await completeInBrowser(view.authorizationUrl)).href);
    }
    expect(
      kit.store
        .list({ provider: 'openai' })
        .map((meta) => meta.accountLabel)
        .sort(),
    ).toEqual(['personal', 'work']);
  });

  it('cancel ends the flow, closes its loopback port, and tells waiters', async () => {
    const view = await manager.start(style.openai, { accountLabel: 'default' });
    const port = new URL(new URL(view.authorizationUrl).searchParams.get('redirect_uri') ?? '').port;
    const waiting = manager.waitFor(view.flowId);
    expect(manager.cancel(view.flowId)).toBe(true);
    expect(manager.cancel(view.flowId)).toBe(false);
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
    await expect(fetch(`http://127.0.0.1:${port}/auth/callback`)).rejects.toThrow();
    expect(events[0]).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });

  it('refuses a redirect mode the provider’s registration does not allow', async () => {
    await expect(manager.start(style.google, { accountLabel: 'default', redirectMode: 'paste' })).rejects.toMatchObject(
      { code: 'unsupported_method' },
    );
  });

  it('refuses to start more flows than the cap', async () => {
    const capped = new PkceFlowManager({ store: kit.store, maxFlows: 2 });
    await capped.start(style.anthropic, { accountLabel: 'a' });
    await capped.start(style.anthropic, { accountLabel: 'b' });
    await expect(capped.start(style.anthropic, { accountLabel: 'c' })).rejects.toMatchObject({
      code: 'oauth_too_many_flows',
    });
    await capped.dispose();
  });

  it('says what to set when no client id is configured', async () => {
    const unconfigured = googleStyle(oidc, { clientId: null, clientIdHint: 'set GOOGLE_OAUTH_CLIENT_ID' });
    await expect(manager.start(unconfigured, { accountLabel: 'default' })).rejects.toMatchObject({
      code: 'not_configured',
      message: expect.stringContaining('GOOGLE_OAUTH_CLIENT_ID') as string,
    });
  });

  it('refuses an account label that breaks the one rule, before anything is bound or sent', async () => {
    await expect(manager.start(style.openai, { accountLabel: ' -bad' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: ACCOUNT_LABEL_RULE,
      info: { provider: 'openai' },
    });
    expect(oidc.counters.tokenRequests).toBe(0);
  });

  it('refuses a plain-http issuer unless insecure loopback issuers are explicitly allowed', async () => {
    const strict = openaiStyle(oidc, { allowInsecureLoopbackIssuer: false });
    await expect(manager.start(strict, { accountLabel: 'default' })).rejects.toMatchObject({ code: 'config_invalid' });
    expect(oidc.counters.tokenRequests).toBe(0);
  });

  it('dispose cancels every pending flow and closes every receiver', async () => {
    const views = await Promise.all([
      manager.start(style.openai, { accountLabel: 'a' }),
      manager.start(style.google, { accountLabel: 'b' }),
    ]);
    const waits = views.map((view) => manager.waitFor(view.flowId));
    await manager.dispose();
    for (const wait of waits) await expect(wait).rejects.toMatchObject({ code: 'cancelled' });
    for (const view of views) {
      await expect(
        fetch(new URL(view.authorizationUrl).searchParams.get('redirect_uri')?.replace('localhost', '127.0.0.1') ?? ''),
      ).rejects.toThrow();
    }
  });
});
