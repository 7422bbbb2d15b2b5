import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../test/support/manual-clock.js';
import { completeInBrowser } from '../../../../test/fakes/browser-login.js';
import { startOpenAiApi, type FakeOpenAiApi } from '../../../../test/fakes/index.js';
import { PUBLIC_CLIENT_ID, startOidcServer, type OidcServer } from '../../../../test/fakes/oauth-server.js';
import { signInByPaste } from './oauth-sign-in.js';
import { resolveConcurrently } from './refresh-storm.js';
import { openTutorialCore, type TutorialCore } from './tutorial-core.js';

const KEY = 'sk-proj-fallback-key-for-chapter-five-k005';
const MINUTE = 60_000;
let oidc: OidcServer;
let openai: FakeOpenAiApi;
let clock: ManualClock;
let opened: TutorialCore;

beforeAll(async () => {
  // Access tokens live one hour; refresh tokens rotate and a reused one revokes the grant (like OpenAI).
  [oidc, openai] = await Promise.all([
    startOidcServer({ accessTokenTtlSeconds: 3600 }),
    startOpenAiApi({ validKeys: [KEY] }),
  ]);
});
afterAll(() => Promise.all([oidc.close(), openai.close()]));
beforeEach(async () => {
  clock = new ManualClock(Date.now());
  opened = await openTutorialCore({
    clock,
    env: {
      THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
      OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
      THE_MAESTRO_OPENAI_OAUTH_ISSUER: oidc.issuer,
      THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
      THE_MAESTRO_OPENAI_OAUTH_LOOPBACK_PORTS: '0',
    },
  });
  await signInByPaste(opened.core.auth, 'openai', completeInBrowser);
  oidc.resetCounters();
});
afterEach(() => opened.close());

/** Spends the stored refresh token from outside, as a second install with a copied file would. */
async function spendRefreshTokenElsewhere(): Promise<void> {
  const [meta] = opened.core.store.list({ provider: 'openai', authMethod: 'oauth' });
  const stored = meta === undefined ? null : opened.core.store.get(meta.id);
  if (stored?.credential.kind !== 'oauth' || stored.credential.refreshToken === undefined)
    throw new Error('no refresh token stored');
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: stored.credential.refreshToken,
    client_id: PUBLIC_CLIENT_ID,
  });
  const response = await fetch(`${oidc.issuer}/oauth/token`, { method: 'POST', body });
  expect(response.status).toBe(200);
}

describe('chapter 5 — refresh and failure', () => {
  it('uses the stored token without any request while it is fresh', async () => {
    const { tokens } = await resolveConcurrently(opened.core.auth, 'openai', 20);
    expect(tokens.size).toBe(1);
    expect(oidc.counters.tokenRequests).toBe(0);
  });

  it('refreshes proactively, five minutes before expiry, exactly once for a hundred concurrent callers', async () => {
    const before = await opened.core.auth.resolve('openai');
    clock.advance(56 * MINUTE);
    const { tokens, errors } = await resolveConcurrently(opened.core.auth, 'openai', 100);
    expect(errors).toEqual([]);
    expect(tokens.size).toBe(1);
    expect(before.ok && tokens.has(before.value.secret)).toBe(false);
    expect(oidc.counters.byGrant['refresh_token']).toBe(1);
  });

  it('a transient failure keeps the sign-in and backs off; the next try after the pause succeeds', async () => {
    clock.advance(56 * MINUTE);
    oidc.setTokenFailure('unavailable');
    expect(await opened.core.auth.resolve('openai')).toMatchObject({
      ok: false,
      error: { code: 'provider_unavailable' },
    });
    expect(oidc.counters.byGrant['refresh_token']).toBe(1);
    oidc.setTokenFailure('none');
    // Still inside the backoff (1 s, doubling up to 60 s): the last error again, and no request.
    expect(await opened.core.auth.resolve('openai')).toMatchObject({
      ok: false,
      error: { code: 'provider_unavailable' },
    });
    expect(oidc.counters.byGrant['refresh_token']).toBe(1);
    expect(opened.core.store.list({ provider: 'openai' })[0]?.invalidReason).toBeNull();
    clock.advance(2_000);
    expect(await opened.core.auth.resolve('openai')).toMatchObject({ ok: true, value: { source: 'oauth' } });
    expect(oidc.counters.byGrant['refresh_token']).toBe(2);
  });

  it('a refused refresh token means "sign in again": the row is marked, no retry loop, the chain moves on', async () => {
    await spendRefreshTokenElsewhere();
    oidc.resetCounters();
    clock.advance(56 * MINUTE);
    const failed = await opened.core.auth.resolve('openai');
    expect(failed).toMatchObject({ ok: false, error: { code: 'reauth_required' } });
    expect(await opened.core.auth.resolve('openai')).toMatchObject({ ok: false, error: { code: 'reauth_required' } });
    expect(oidc.counters.tokenRequests).toBe(1);

    const status = await opened.core.auth.providerStatus('openai');
    expect(status).toMatchObject({
      ok: true,
      value: { state: 'invalid', accounts: [{ method: 'oauth', state: 'invalid' }] },
    });

    // A stored API key for the same account is the next step of the chain.
    await opened.core.auth.saveApiKey({ provider: 'openai', apiKey: KEY });
    expect(await opened.core.auth.resolve('openai')).toMatchObject({ ok: true, value: { source: 'api_key' } });
  });
});
