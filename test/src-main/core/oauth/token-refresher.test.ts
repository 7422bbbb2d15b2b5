import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/manual-clock.js';
import { PkceFlowManager } from '../../../../src-main/core/oauth/flow-manager.js';
import { LeasedTokenRefresher, REFRESH_MARGIN_MS } from '../../../../src-main/core/oauth/token-refresher.js';
import {
  ANTHROPIC_FAKE_CLIENT_ID,
  startAnthropicOAuthServer,
  type AnthropicOAuthServer,
} from '../../../fakes/anthropic-oauth.js';
import { PUBLIC_CLIENT_ID, startOidcServer, type OidcServer } from '../../../fakes/oauth-server.js';
import type { OAuthProviderContext } from '../../../../src-main/core/oauth/oauth-types.js';
import {
  anthropicStyle,
  expireAccessToken,
  googleStyle,
  oauthSecretOf,
  openaiStyle,
  openTestStore,
  signIn,
  type TestStore,
} from './support/oauth-test-kit.js';

/**
 * Refresh (security.md): rotation persisted with the new access token; Google's response without
 * refresh_token keeps the old one; one refresh in flight per credential; permanent failures end
 * in "sign in again" without a loop; transient failures back off within a bound.
 */

let oidc: OidcServer;
let anthropic: AnthropicOAuthServer;
let kit: TestStore;
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
  oidc.setTokenFailure('none');
  kit = await openTestStore();
  manager = new PkceFlowManager({ store: kit.store });
});
afterEach(async () => {
  await manager.dispose();
  kit.dispose();
});

function refresher(options: Partial<ConstructorParameters<typeof LeasedTokenRefresher>[0]> = {}): LeasedTokenRefresher {
  return new LeasedTokenRefresher({ store: kit.store, ...options });
}

/** Signs in and expires the access token; counters start from zero afterwards. */
async function expiredSignIn(provider: keyof typeof style): Promise<string> {
  const id = await signIn(manager, style[provider]);
  expireAccessToken(kit.store, id);
  oidc.resetCounters();
  anthropic.resetCounters();
  return id;
}

async function rawRefresh(
  tokenEndpoint: string,
  refreshToken: string,
  clientId: string,
  json = false,
): Promise<{ status: number; error: unknown }> {
  const params = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId };
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(params) : new URLSearchParams(params),
  });
  return { status: response.status, error: ((await response.json()) as { error?: unknown }).error };
}

describe('LeasedTokenRefresher', () => {
  it('returns the stored credential without any token request while it is not due', async () => {
    const id = await signIn(manager, style.openai);
    oidc.resetCounters();
    const fresh = await refresher().ensureFresh(style.openai, id);
    expect(fresh.credential.accessToken).toBe(oauthSecretOf(kit.store, id).accessToken);
    expect(oidc.counters.tokenRequests).toBe(0);
  });

  it('refreshes a token inside the margin before expiry (proactive refresh)', async () => {
    const clock = new ManualClock(Date.now());
    const id = await signIn(manager, style.openai);
    const expiresAt = oauthSecretOf(kit.store, id).expiresAt ?? 0;
    clock.set(expiresAt - REFRESH_MARGIN_MS + 1);
    oidc.resetCounters();
    await refresher({ clock }).ensureFresh(style.openai, id);
    expect(oidc.counters.byGrant).toEqual({ refresh_token: 1 });
  });

  it('persists the rotated refresh token with the new access token; the old refresh token is refused by the server', async () => {
    const id = await expiredSignIn('openai');
    const before = oauthSecretOf(kit.store, id);
    const fresh = await refresher().ensureFresh(style.openai, id);
    const after = oauthSecretOf(kit.store, id);
    expect(after.accessToken).toBe(fresh.credential.accessToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBeDefined();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.generation).toBe(before.generation + 1);
    expect(after.expiresAt).toBeGreaterThan(Date.now());
    expect(await oidc.accessTokenWorks(after.accessToken)).toBe(true);
    expect(oidc.counters.byGrant).toEqual({ refresh_token: 1 });
    expect(await rawRefresh(`${oidc.issuer}/oauth/token`, before.refreshToken ?? '', PUBLIC_CLIENT_ID)).toEqual({
      status: 400,
      error: 'invalid_grant',
    });
  });

  it('keeps the old refresh token when the response omits it (Google), and it keeps working', async () => {
    const id = await expiredSignIn('google');
    const before = oauthSecretOf(kit.store, id);
    await refresher().ensureFresh(style.google, id);
    const after = oauthSecretOf(kit.store, id);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBe(before.refreshToken);
    expireAccessToken(kit.store, id);
    await refresher().ensureFresh(style.google, id);
    expect(oauthSecretOf(kit.store, id).refreshToken).toBe(before.refreshToken);
    expect(oidc.counters.byGrant).toEqual({ refresh_token: 2 });
  });

  it('refreshes Anthropic-style credentials with a JSON body and single-use rotation', async () => {
    const id = await expiredSignIn('anthropic');
    const before = oauthSecretOf(kit.store, id);
    await refresher().ensureFresh(style.anthropic, id);
    const after = oauthSecretOf(kit.store, id);
    expect(anthropic.counters).toMatchObject({
      tokenRequests: 1,
      formBodiesRejected: 0,
      byGrant: { refresh_token: 1 },
    });
    expect(anthropic.accessTokenWorks(after.accessToken)).toBe(true);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.email).toBe(before.email);
    expect(
      await rawRefresh(anthropic.tokenEndpoint, before.refreshToken ?? '', ANTHROPIC_FAKE_CLIENT_ID, true),
    ).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('1000 concurrent callers on an expired token cause exactly one token request and all get the same token', async () => {
    const id = await expiredSignIn('openai');
    const shared = refresher();
    const results = await Promise.all(Array.from({ length: 1000 }, () => shared.ensureFresh(style.openai, id)));
    expect(oidc.counters.tokenRequests).toBe(1);
    expect(new Set(results.map((result) => result.credential.accessToken)).size).toBe(1);
    expect(results[0]?.credential.accessToken).toBe(oauthSecretOf(kit.store, id).accessToken);
  });

  it('two refreshers sharing a store (as two processes do) refresh once: the second uses the first one’s tokens', async () => {
    const id = await expiredSignIn('openai');
    const [a, b] = [
      refresher({ ownerId: 'process-a', pollIntervalMs: 10 }),
      refresher({ ownerId: 'process-b', pollIntervalMs: 10 }),
    ];
    const [ra, rb] = await Promise.all([a.ensureFresh(style.openai, id), b.ensureFresh(style.openai, id)]);
    expect(oidc.counters.tokenRequests).toBe(1);
    expect(ra.credential.accessToken).toBe(rb.credential.accessToken);
    expect(ra.meta.generation).toBe(rb.meta.generation);
  });

  it('force refreshes a token that is not expired (after a 401)', async () => {
    const id = await signIn(manager, style.openai);
    oidc.resetCounters();
    const before = oauthSecretOf(kit.store, id).accessToken;
    const fresh = await refresher().ensureFresh(style.openai, id, { force: true });
    expect(fresh.credential.accessToken).not.toBe(before);
    expect(oidc.counters.tokenRequests).toBe(1);
  });

  it('a reused refresh token ends in reauth_required, marks the row invalid, and makes no further token request', async () => {
    const id = await expiredSignIn('openai');
    const stolen = oauthSecretOf(kit.store, id).refreshToken ?? '';
    // Someone else spends our single-use refresh token first (another install, a copied file).
    expect((await rawRefresh(`${oidc.issuer}/oauth/token`, stolen, PUBLIC_CLIENT_ID)).status).toBe(200);
    oidc.resetCounters();
    const subject = refresher();
    await expect(subject.ensureFresh(style.openai, id)).rejects.toMatchObject({
      code: 'reauth_required',
      info: { providerCode: 'invalid_grant', provider: 'openai' },
    });
    await expect(subject.ensureFresh(style.openai, id)).rejects.toThrow(/Sign in to OpenAI again/);
    await expect(refresher().ensureFresh(style.openai, id, { force: true })).rejects.toMatchObject({
      code: 'reauth_required',
    });
    expect(oidc.counters.tokenRequests).toBe(1);
    expect(kit.store.getMeta(id)?.invalidReason).toMatchObject({ code: 'reauth_required' });
  });

  it('transient failures back off: callers during the backoff make no request, the delay grows up to its bound, and the row is kept', async () => {
    const clock = new ManualClock(Date.now());
    const id = await expiredSignIn('openai');
    const generation = oauthSecretOf(kit.store, id).generation;
    const subject = refresher({ clock, backoff: { baseMs: 1_000, maxMs: 4_000 } });
    oidc.setTokenFailure('unavailable');
    const delays: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const error = await subject.ensureFresh(style.openai, id).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'provider_unavailable', info: { retryable: true } });
      const retryAfterSeconds = (error as { info: { retryAfterSeconds: number } }).info.retryAfterSeconds;
      delays.push(retryAfterSeconds);
      const during = await Promise.allSettled(Array.from({ length: 100 }, () => subject.ensureFresh(style.openai, id)));
      expect(during.every((outcome) => outcome.status === 'rejected')).toBe(true);
      clock.advance(retryAfterSeconds * 1000);
    }
    expect(delays).toEqual([1, 2, 4, 4, 4]);
    expect(oidc.counters.tokenRequests).toBe(5);
    expect(oauthSecretOf(kit.store, id).generation).toBe(generation);
    expect(kit.store.getMeta(id)?.invalidReason).toBeNull();

    oidc.setTokenFailure('drop');
    await expect(subject.ensureFresh(style.openai, id)).rejects.toMatchObject({ code: 'network_error' });
    clock.advance(4_000);
    oidc.setTokenFailure('none');
    await expect(subject.ensureFresh(style.openai, id)).resolves.toMatchObject({
      meta: { generation: generation + 1 },
    });
  });

  it('refuses credentials that do not exist or are API keys', async () => {
    const key = kit.store.put({
      provider: 'openai',
      authMethod: 'api_key',
      accountLabel: 'default',
      credential: { kind: 'api_key', apiKey: 'sk-test-0123456789abcdef' },
      expiresAt: null,
    });
    await expect(refresher().ensureFresh(style.openai, 'missing-id')).rejects.toMatchObject({
      code: 'not_authenticated',
    });
    await expect(refresher().ensureFresh(style.openai, key.id)).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
