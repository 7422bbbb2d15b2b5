import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/manual-clock.js';
import { PkceFlowManager } from '../../../../src-main/core/oauth/flow-manager.js';
import { startAnthropicOAuthServer, type AnthropicOAuthServer } from '../../../fakes/anthropic-oauth.js';
import { completeInBrowser, deliverToLoopback } from '../../../fakes/browser-login.js';
import { FAKE_DEEP_LINK_SCHEME, startOidcServer, type OidcServer } from '../../../fakes/oauth-server.js';
import type { OAuthProviderContext } from '../../../../src-main/core/oauth/oauth-types.js';
import { anthropicStyle, googleStyle, openaiStyle, openTestStore, type TestStore } from './support/oauth-test-kit.js';

/**
 * security.md, OAuth: a callback is accepted only for a pending flow with the same state, once,
 * within its lifetime, from the flow's issuer, on the flow's provider path. Every refusal is
 * counted at the authorization server: zero token requests.
 */

let oidc: OidcServer;
let anthropic: AnthropicOAuthServer;
let kit: TestStore;
let clock: ManualClock;
let manager: PkceFlowManager;
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
  oidc.forgeIss(undefined);
  clock = new ManualClock(Date.now());
  kit = await openTestStore();
  manager = new PkceFlowManager({ store: kit.store, clock });
});
afterEach(async () => {
  await manager.dispose();
  kit.dispose();
});

/** Starts an OpenAI-style flow and plays the browser up to the redirect, without delivering it. */
async function authorized(
  provider: keyof typeof style = 'openai',
  redirectMode: 'loopback' | 'deep_link' = 'deep_link',
) {
  const view = await manager.start(style[provider], { accountLabel: 'default', redirectMode });
  const back = await completeInBrowser(view.authorizationUrl);
  return { view, back, params: new URLSearchParams(back.search) };
}

function withParam(params: URLSearchParams, name: string, value: string | null): URLSearchParams {
  const copy = new URLSearchParams(params);
  if (value === null) copy.delete(name);
  else copy.set(name, value);
  return copy;
}

describe('state', () => {
  it('refuses a forged state with zero token requests, and the real callback still completes', async () => {
    const { params } = await authorized();
    await expect(manager.complete(withParam(params, 'state', 'forged-state-value'))).rejects.toMatchObject({
      code: 'oauth_state_invalid',
    });
    expect(oidc.counters.tokenRequests).toBe(0);
    await manager.complete(params);
    expect(oidc.counters.tokenRequests).toBe(1);
  });

  it('refuses a missing state with zero token requests', async () => {
    const { params } = await authorized();
    await expect(manager.complete(withParam(params, 'state', null))).rejects.toMatchObject({
      code: 'oauth_state_invalid',
    });
    expect(oidc.counters.tokenRequests).toBe(0);
  });

  it('refuses a replayed callback with zero further token requests', async () => {
    const { params } = await authorized();
    await manager.complete(params);
    await expect(manager.complete(params)).rejects.toMatchObject({ code: 'oauth_state_invalid' });
    expect(oidc.counters.tokenRequests).toBe(1);
  });

  it('refuses a callback after the flow expired, with zero token requests', async () => {
    const { view, params } = await authorized();
    const waiting = manager.waitFor(view.flowId);
    clock.advance(10 * 60 * 1000 + 1);
    await expect(manager.complete(params)).rejects.toMatchObject({ code: 'oauth_flow_expired' });
    await expect(waiting).rejects.toMatchObject({ code: 'oauth_flow_expired' });
    expect(oidc.counters.tokenRequests).toBe(0);
  });

  it('refuses a pasted code#state whose state belongs to another flow, leaving this flow pending', async () => {
    const view = await manager.start(style.anthropic, { accountLabel: 'default' });
    const back = await completeInBrowser(view.authorizationUrl);
    await expect(
      manager.submitPasted(view.flowId, `${back.searchParams.get('code') ?? ''}#someone-elses-state`),
    ).rejects.toMatchObject({ code: 'oauth_state_invalid' });
    await expect(manager.submitPasted(view.flowId, 'not a code')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      manager.submitPasted(view.flowId, 'https://evil.example/callback?code=x&state=y'),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(anthropic.counters.tokenRequests).toBe(0);
    await manager.submitPasted(
      view.flowId,
      `${back.searchParams.get('code') ?? ''}#${back.searchParams.get('state') ?? ''}`,
    );
    expect(anthropic.counters.tokenRequests).toBe(1);
  });
});

describe('duplicate delivery', () => {
  it('two concurrent deliveries of the same callback exchange once, and the first tokens stay valid', async () => {
    const { params, back } = await authorized();
    const outcomes = await Promise.allSettled([
      manager.complete(params),
      manager.handleDeepLink(style.openai, back.href),
    ]);
    const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'oauth_state_invalid' });
    expect(oidc.counters.tokenRequests).toBe(1);
    const stored = kit.store.get((fulfilled[0] as PromiseFulfilledResult<{ credentialId: string }>).value.credentialId);
    expect(stored?.credential.kind === 'oauth' && (await oidc.accessTokenWorks(stored.credential.accessToken))).toBe(
      true,
    );
  });
});

describe('mix-up defence', () => {
  it('refuses a forged iss with zero token requests and ends the flow', async () => {
    oidc.forgeIss('https://evil.example');
    const { view, params } = await authorized();
    expect(params.get('iss')).toBe('https://evil.example');
    await expect(manager.complete(params)).rejects.toMatchObject({ code: 'oauth_issuer_mismatch' });
    await expect(manager.waitFor(view.flowId)).rejects.toMatchObject({ code: 'oauth_issuer_mismatch' });
    expect(oidc.counters.tokenRequests).toBe(0);
  });

  it('refuses a callback that arrives on another provider’s deep-link path; the flow stays pending', async () => {
    const { back, params } = await authorized('openai');
    const onGooglePath = back.href.replace('/oauth/openai/', '/oauth/google/');
    await expect(manager.handleDeepLink(style.google, onGooglePath)).rejects.toMatchObject({
      code: 'oauth_state_invalid',
    });
    expect(oidc.counters.tokenRequests).toBe(0);
    await manager.complete(params);
    expect(oidc.counters.tokenRequests).toBe(1);
  });

  it('refuses deep links that are not exactly ours with zero token requests', async () => {
    const { back } = await authorized('openai');
    for (const link of [
      back.href.replace(`${FAKE_DEEP_LINK_SCHEME}:/`, `${FAKE_DEEP_LINK_SCHEME}://evil/`),
      `${back.href}#x`,
      back.href.replace(FAKE_DEEP_LINK_SCHEME, 'other.scheme'),
    ]) {
      await expect(manager.handleDeepLink(style.openai, link)).rejects.toMatchObject({ code: 'invalid_input' });
    }
    expect(oidc.counters.tokenRequests).toBe(0);
  });

  it('a code from another flow fails cleanly and leaves the other flows untouched', async () => {
    const first = await authorized('openai');
    const second = await authorized('openai');
    const third = await authorized('google', 'loopback');
    const stolen = withParam(second.params, 'code', first.params.get('code'));
    await expect(manager.complete(stolen)).rejects.toMatchObject({
      code: 'oauth_exchange_failed',
      info: { providerCode: 'invalid_grant' },
    });
    await expect(manager.waitFor(second.view.flowId)).rejects.toMatchObject({ code: 'oauth_exchange_failed' });
    await expect(manager.complete(first.params)).resolves.toMatchObject({ flowId: first.view.flowId });
    await deliverToLoopback(third.back);
    await expect(manager.waitFor(third.view.flowId)).resolves.toMatchObject({ flowId: third.view.flowId });
    expect(
      kit.store
        .list()
        .map((meta) => meta.provider)
        .sort(),
    ).toEqual(['google', 'openai']);
  });
});

describe('provider answers', () => {
  it('access_denied ends the flow as oauth_denied with zero token requests', async () => {
    oidc.denyNextAuthorization();
    const { view, back } = await authorized('openai', 'loopback');
    expect(back.searchParams.get('error')).toBe('access_denied');
    await deliverToLoopback(back);
    await expect(manager.waitFor(view.flowId)).rejects.toMatchObject({ code: 'oauth_denied' });
    expect(oidc.counters.tokenRequests).toBe(0);
  });

  it('a token endpoint that is down fails the flow with a retryable error and stores nothing', async () => {
    const { params } = await authorized();
    oidc.setTokenFailure('unavailable');
    try {
      await expect(manager.complete(params)).rejects.toMatchObject({
        code: 'provider_unavailable',
        info: { status: 503, retryable: true },
      });
    } finally {
      oidc.setTokenFailure('none');
    }
    expect(kit.store.list()).toEqual([]);
  });

  it('a dropped connection is a network_error', async () => {
    const view = await manager.start(style.anthropic, { accountLabel: 'default' });
    const back = await completeInBrowser(view.authorizationUrl);
    anthropic.setTokenFailure('drop');
    try {
      await expect(manager.submitPasted(view.flowId, back.href)).rejects.toMatchObject({ code: 'network_error' });
    } finally {
      anthropic.setTokenFailure('none');
    }
  });
});
