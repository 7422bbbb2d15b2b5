import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../src-main/core/create-core.js';
import { createCore } from '../../../../src-main/core/create-core.js';
import { MemoryKeyProvider } from '../../../../src-main/core/store/key-providers/memory-key-provider.js';
import { deliverToLoopback } from '../../../fakes/browser-login.js';
import { SIWC_FULL_SCOPE, SIWC_RESOURCE, startSiwcFake, type SiwcFake } from '../../../fakes/openai-siwc.js';
import { authorizeInBrowser } from '../../../fakes/siwc-browser.js';

/**
 * Sign in with ChatGPT (openai-siwc.md) through the real core against the local SIWC fake:
 * registration at the first sign-in, the issued client id for everything after, the ID-token and
 * account checks, plan permission, refresh, sign-out, and every refusal before a token request.
 */

let fake: SiwcFake;
let dataDir: string;
let core: Core;
const key = new Uint8Array(32).fill(7);

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    THE_MAESTRO_OPENAI_OAUTH_ISSUER: fake.issuer,
    THE_MAESTRO_OPENAI_API_BASE_URL: fake.url,
    ...extra,
  };
}

async function open(extra: NodeJS.ProcessEnv = {}, dir = dataDir): Promise<Core> {
  return createCore({
    dataDir: dir,
    env: env(extra),
    keyProviders: [new MemoryKeyProvider({ key, protection: 'key_file' })],
    purpose: 'test',
  });
}

beforeAll(async () => {
  fake = await startSiwcFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  fake.reset();
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-siwc-'));
  core = await open();
});
afterEach(async () => {
  await core.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts a sign-in and returns the authorize URL's parameters and the redirect back, undelivered. */
async function begin(options: { account?: string; returning?: boolean; consent?: boolean } = {}) {
  const started = await core.auth.startOAuth({
    provider: 'openai',
    ...(options.account !== undefined ? { account: options.account } : {}),
    ...(options.consent === true ? { consent: true } : {}),
  });
  if (!started.ok) throw new Error(started.error.message);
  const url = new URL(started.value.authorizationUrl);
  const back = await authorizeInBrowser(fake, url.href, { returning: options.returning === true });
  return { flowId: started.value.flowId, params: url.searchParams, back };
}

/** A whole sign-in by loopback; resolves with the login result. */
async function signIn(options: { account?: string; returning?: boolean; consent?: boolean } = {}) {
  const { flowId, params, back } = await begin(options);
  await deliverToLoopback(back);
  return { result: await core.auth.waitForOAuth(flowId), params, back };
}

function storedOAuth(account = 'default') {
  const meta = core.store.list({ provider: 'openai', authMethod: 'oauth', accountLabel: account })[0];
  if (meta === undefined) return undefined;
  const row = core.store.get(meta.id);
  return row?.credential.kind === 'oauth' ? { meta: row.meta, credential: row.credential } : undefined;
}

describe('first sign-in: dynamic registration', () => {
  it('asks as dynamic_agent_client with the app name, the host id, the full scopes, the resource, state, nonce and PKCE, on 127.0.0.1', async () => {
    const { result, params, back } = await signIn();
    expect(result).toMatchObject({
      ok: true,
      value: { method: 'oauth', identity: fake.account.email, plan: 'enabled' },
    });
    expect(params.get('client_id')).toBe('dynamic_agent_client');
    expect(params.get('agent_name_hint')).toBe('The Maestro');
    expect(params.get('ext_agent_host_id')).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(params.get('scope')).toBe(SIWC_FULL_SCOPE);
    expect(params.get('resource')).toBe(SIWC_RESOURCE);
    expect(params.get('response_type')).toBe('code');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('state')?.length).toBeGreaterThan(30);
    expect(params.get('nonce')?.length).toBeGreaterThan(30);
    expect(params.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/callback$/);
    expect(params.has('id_token_hint') || params.has('login_hint')).toBe(false);

    // The exchange: the issued client id, the same redirect URI, the resource, no client authentication.
    const issued = back.searchParams.get('client_id') ?? '';
    expect(issued).toMatch(/^oaiapp_/);
    const exchange = fake.tokenRequests.at(-1);
    expect(exchange?.authorization).toBeUndefined();
    expect(Object.fromEntries(exchange?.form ?? [])).toMatchObject({
      grant_type: 'authorization_code',
      client_id: issued,
      redirect_uri: params.get('redirect_uri'),
      resource: SIWC_RESOURCE,
    });
    expect(exchange?.form.has('client_secret')).toBe(false);
    expect(storedOAuth()?.credential).toMatchObject({
      clientId: issued,
      subject: fake.account.sub,
      issuer: fake.issuer,
    });
  });

  it('saves the issued client id before the exchange, so a failed exchange is retried with the same registration', async () => {
    fake.scenario.nextTokenFailure = { status: 400, error: 'invalid_grant' };
    const first = await signIn();
    expect(first.result).toMatchObject({ ok: false, error: { code: 'oauth_exchange_failed' } });
    expect(storedOAuth()).toBeUndefined();
    const issued = first.back.searchParams.get('client_id');
    const again = await signIn({ returning: true });
    expect(again.result.ok).toBe(true);
    expect(again.params.get('client_id')).toBe(issued);
    expect(again.params.has('agent_name_hint')).toBe(false);
    expect(fake.counters.registrations).toBe(1);
  });

  it('keeps one host id per data directory, across restarts, and a new one for a new directory', async () => {
    const { params } = await begin();
    await core.dispose();
    core = await open();
    const { params: later } = await begin({ account: 'second' });
    expect(later.get('ext_agent_host_id')).toBe(params.get('ext_agent_host_id'));
    const otherDir = mkdtempSync(join(tmpdir(), 'maestro-siwc-other-'));
    const other = await open({}, otherDir);
    const started = await other.auth.startOAuth({ provider: 'openai' });
    const otherHost = started.ok ? new URL(started.value.authorizationUrl).searchParams.get('ext_agent_host_id') : null;
    expect(otherHost).toMatch(/^urn:uuid:/);
    expect(otherHost).not.toBe(params.get('ext_agent_host_id'));
    await other.dispose();
    rmSync(otherDir, { recursive: true, force: true });
  });
});

describe('returning sign-in', () => {
  it('uses the issued client id, no app name, the ID-token and login hints, and registers nothing new', async () => {
    const first = await signIn();
    const issued = first.back.searchParams.get('client_id');
    const second = await signIn({ returning: true });
    expect(second.result.ok).toBe(true);
    expect(second.params.get('client_id')).toBe(issued);
    expect(second.params.has('agent_name_hint')).toBe(false);
    expect(second.params.get('id_token_hint')).toMatch(/^eyJ/);
    expect(second.params.get('login_hint')).toBe(fake.account.email);
    expect(second.params.get('ext_agent_host_id')).toBe(first.params.get('ext_agent_host_id'));
    expect(second.back.searchParams.has('client_id')).toBe(false);
    expect(fake.counters.registrations).toBe(1);
    expect(fake.tokenRequests.at(-1)?.form.get('client_id')).toBe(issued);
  });

  it('refuses a callback naming another client id, with no token request, and keeps the sign-in', async () => {
    await signIn();
    const before = storedOAuth();
    fake.scenario.returningClientId = 'different';
    const requests = fake.counters.tokenRequests;
    const { result } = await signIn({ returning: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'oauth_client_mismatch' } });
    expect(fake.counters.tokenRequests).toBe(requests);
    expect(storedOAuth()?.credential.accessToken).toBe(before?.credential.accessToken);
  });

  it('accepts a callback repeating the same client id', async () => {
    await signIn();
    fake.scenario.returningClientId = 'same';
    expect((await signIn({ returning: true })).result.ok).toBe(true);
  });

  it('refuses another ChatGPT account under the same label and changes nothing', async () => {
    await signIn();
    const before = storedOAuth();
    fake.scenario.subject = 'user-someone-else';
    const { result } = await signIn({ returning: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'oauth_account_mismatch' } });
    expect(storedOAuth()?.credential).toEqual(before?.credential);
  });
});

describe('refused before any token request, nothing stored', () => {
  it('a forged state and a replayed callback', async () => {
    const { flowId, back } = await begin();
    const forged = new URL(back);
    forged.searchParams.set('state', 'forged');
    expect((await deliverToLoopback(forged)).status).toBe(404);
    await deliverToLoopback(back);
    expect((await core.auth.waitForOAuth(flowId)).ok).toBe(true);
    const requests = fake.counters.tokenRequests;
    // The same callback again: the flow is gone, its receiver closed; pasted, it is refused.
    const replay = await core.auth.submitPastedCode({ flowId, pasted: back.href });
    expect(replay).toMatchObject({ ok: false, error: { code: 'oauth_state_invalid' } });
    expect(fake.counters.tokenRequests).toBe(requests);
  });

  it('a first sign-in whose callback carries no issued client id', async () => {
    fake.scenario.omitIssuedClientId = true;
    const { result } = await signIn();
    expect(result).toMatchObject({ ok: false, error: { code: 'oauth_registration_incomplete' } });
    expect(fake.counters.tokenRequests).toBe(0);
    expect(storedOAuth()).toBeUndefined();
    // Nothing was registered either: the next attempt registers again.
    fake.scenario.omitIssuedClientId = false;
    expect((await begin()).params.get('client_id')).toBe('dynamic_agent_client');
  });

  it('a callback repeating client_id is refused as malformed', async () => {
    const { flowId, back } = await begin();
    const doubled = `${back.href}&client_id=oaiapp_other`;
    const pasted = await core.auth.submitPastedCode({ flowId, pasted: doubled });
    expect(pasted.ok).toBe(false);
    expect(fake.counters.tokenRequests).toBe(0);
  });

  it('a declined plan (access_denied): says so, stores nothing', async () => {
    fake.scenario.deny = true;
    const { result } = await signIn();
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'oauth_denied', message: expect.stringContaining('ChatGPT plan') as string },
    });
    expect(fake.counters.tokenRequests).toBe(0);
    expect(storedOAuth()).toBeUndefined();
  });
});

describe('the ID token', () => {
  it.each(['wrong-nonce', 'wrong-aud', 'wrong-iss', 'bad-signature', 'expired'] as const)(
    'refuses one with %s: nothing stored, an existing sign-in kept',
    async (variant) => {
      await signIn();
      const before = storedOAuth();
      fake.scenario.idToken = variant;
      const { result } = await signIn({ returning: true });
      expect(result).toMatchObject({ ok: false, error: { code: 'oauth_id_token_invalid' } });
      expect(storedOAuth()?.credential).toEqual(before?.credential);
      fake.scenario.idToken = 'ok';
    },
  );

  it('accepts aud as a plain string as well as a one-element array', async () => {
    fake.scenario.idToken = 'aud-string';
    expect((await signIn()).result.ok).toBe(true);
  });

  it('a wrong signature on a first sign-in stores nothing', async () => {
    fake.scenario.idToken = 'bad-signature';
    const { result } = await signIn();
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'oauth_id_token_invalid', message: expect.stringContaining('signature') as string },
    });
    expect(storedOAuth()).toBeUndefined();
  });
});

describe('keys and registrations that change at OpenAI', () => {
  it('a rotated signing key fails closed, and the next sign-in fetches the new key set', async () => {
    await signIn();
    const before = storedOAuth();
    fake.rotateKey();
    const { result } = await signIn({ returning: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'oauth_id_token_invalid' } });
    expect(storedOAuth()?.credential).toEqual(before?.credential);
    expect((await signIn({ returning: true })).result.ok).toBe(true);
  });

  it('a client OpenAI no longer knows (disconnected in ChatGPT) ends in "sign in again", which registers anew', async () => {
    const first = await signIn();
    const issued = first.back.searchParams.get('client_id') ?? '';
    fake.disconnect(issued);
    const resolved = await core.auth.resolve('openai', { forceRefresh: true });
    expect(resolved).toMatchObject({ ok: false, error: { code: 'reauth_required' } });
    expect(storedOAuth()?.meta.invalidReason).toMatchObject({ providerCode: 'invalid_client' });
    const again = await signIn();
    expect(again.params.get('client_id')).toBe('dynamic_agent_client');
    expect(again.result.ok).toBe(true);
    expect(again.back.searchParams.get('client_id')).not.toBe(issued);
  });
});

describe('plan permission', () => {
  it('keeps a sign-in without the plan scope, marked "ChatGPT plan not enabled", never uses it, and enables it on request', async () => {
    fake.scenario.identityOnly = true;
    const { result } = await signIn();
    expect(result).toMatchObject({ ok: true, value: { plan: 'not_enabled' } });
    expect(storedOAuth()?.meta.invalidReason).toMatchObject({
      code: 'plan_not_enabled',
      message: expect.stringMatching(/^ChatGPT plan not enabled/) as string,
    });
    const resolved = await core.auth.resolve('openai');
    expect(resolved).toMatchObject({ ok: false, error: { code: 'plan_not_enabled' } });
    const tested = await core.auth.testModel({ provider: 'openai', model: 'gpt-6.1-sol' });
    expect(tested.ok).toBe(false);
    expect(fake.apiRequests.filter((request) => request.path === '/v1/responses')).toEqual([]);

    const enabled = await signIn({ returning: true, consent: true });
    expect(enabled.params.get('prompt')).toBe('consent');
    expect(enabled.result).toMatchObject({ ok: true, value: { plan: 'enabled' } });
    expect((await core.auth.resolve('openai')).ok).toBe(true);
  });
});

describe('refresh', () => {
  it('a refresh whose ID token is not signed by the published key is refused, and the sign-in is kept', async () => {
    await signIn();
    const before = storedOAuth();
    fake.scenario.idToken = 'bad-signature';
    const resolved = await core.auth.resolve('openai', { forceRefresh: true });
    expect(resolved).toMatchObject({ ok: false });
    expect(fake.tokenRequests.at(-1)?.grantType).toBe('refresh_token');
    expect(storedOAuth()?.credential).toEqual(before?.credential);
  });

  it('refreshes with the issued client id and the resource, without scope, and rotates the refresh token', async () => {
    await signIn();
    const before = storedOAuth();
    const resolved = await core.auth.resolve('openai', { forceRefresh: true });
    expect(resolved).toMatchObject({ ok: true, value: { plan: 'ChatGPT plan', source: 'oauth' } });
    const refresh = fake.tokenRequests.at(-1);
    expect(refresh?.grantType).toBe('refresh_token');
    expect(refresh?.form.get('client_id')).toBe(before?.credential.clientId);
    expect(refresh?.form.get('resource')).toBe(SIWC_RESOURCE);
    expect(refresh?.form.has('scope')).toBe(false);
    expect(refresh?.authorization).toBeUndefined();
    const after = storedOAuth();
    expect(after?.credential.refreshToken).not.toBe(before?.credential.refreshToken);
    expect(fake.refreshTokenLive(before?.credential.refreshToken ?? '')).toBe(false);
  });

  it('a refresh token already used ends in "sign in again", keeps the row and the registration', async () => {
    const first = await signIn();
    const stored = storedOAuth();
    // Someone spent the refresh token (a copy of the data, say): the next refresh is a reuse.
    await fetch(`${fake.url}/api/accounts/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: stored?.credential.clientId ?? '',
        refresh_token: stored?.credential.refreshToken ?? '',
        resource: SIWC_RESOURCE,
      }),
    });
    const resolved = await core.auth.resolve('openai', { forceRefresh: true });
    expect(resolved).toMatchObject({ ok: false, error: { code: 'reauth_required' } });
    expect(storedOAuth()?.meta.invalidReason).toMatchObject({
      code: 'reauth_required',
      providerCode: 'refresh_token_reused',
    });
    const again = await signIn({ returning: true });
    expect(again.params.get('client_id')).toBe(first.back.searchParams.get('client_id'));
    expect(again.result.ok).toBe(true);
  });

  it('a transient failure keeps the tokens and backs off', async () => {
    await signIn();
    const before = storedOAuth();
    fake.scenario.nextTokenFailure = { status: 503, error: 'temporarily_unavailable' };
    const resolved = await core.auth.resolve('openai', { forceRefresh: true });
    expect(resolved.ok).toBe(false);
    expect(storedOAuth()?.credential).toEqual(before?.credential);
    expect(storedOAuth()?.meta.invalidReason).toBeNull();
  });

  it('refuses a refresh answered for another subject', async () => {
    await signIn();
    fake.scenario.refreshSubject = 'user-someone-else';
    const resolved = await core.auth.resolve('openai', { forceRefresh: true });
    expect(resolved).toMatchObject({ ok: false, error: { code: 'reauth_required' } });
  });
});

describe('sign-out', () => {
  it('revokes the refresh token with the issued client id, clears the tokens, keeps the registration and the host id', async () => {
    const first = await signIn();
    const stored = storedOAuth();
    const out = await core.auth.logout({ provider: 'openai' });
    expect(out).toEqual({ ok: true, value: { removed: 1, revoked: true, account: 'default' } });
    expect(Object.fromEntries(fake.revocationRequests.at(-1) ?? [])).toEqual({
      token: stored?.credential.refreshToken,
      token_type_hint: 'refresh_token',
      client_id: first.back.searchParams.get('client_id'),
    });
    expect(storedOAuth()).toBeUndefined();
    expect(fake.refreshTokenLive(stored?.credential.refreshToken ?? '')).toBe(false);
    // Signing in again reuses the registration (no hint: the ID token went with the sign-out).
    const again = await signIn({ returning: true });
    expect(again.params.get('client_id')).toBe(first.back.searchParams.get('client_id'));
    expect(again.params.has('id_token_hint')).toBe(false);
    expect(again.params.get('login_hint')).toBe(fake.account.email);
    expect(again.params.get('ext_agent_host_id')).toBe(first.params.get('ext_agent_host_id'));
    expect(fake.counters.registrations).toBe(1);
  });

  it('says when the revocation could not be confirmed, and removes the tokens anyway', async () => {
    await signIn();
    fake.scenario.revocation = 'unavailable';
    const out = await core.auth.logout({ provider: 'openai' });
    expect(out).toMatchObject({
      ok: true,
      value: { removed: 1, revoked: false, warning: expect.stringContaining('did not confirm') as string },
    });
    expect(storedOAuth()).toBeUndefined();
  });
});

describe('a configured partner or organisation client', () => {
  it('uses the same endpoints with that client and skips registration', async () => {
    fake.addPartnerClient('oaiapp_partner');
    await core.dispose();
    core = await open({ OPENAI_OAUTH_CLIENT_ID: 'oaiapp_partner' });
    const { result, params } = await signIn();
    expect(result.ok).toBe(true);
    expect(params.get('client_id')).toBe('oaiapp_partner');
    expect(params.has('agent_name_hint')).toBe(false);
    expect(params.get('ext_agent_host_id')).toMatch(/^urn:uuid:/);
    expect(fake.tokenRequests.at(-1)?.form.get('client_id')).toBe('oaiapp_partner');
    expect(fake.counters.registrations).toBe(0);
  });
});
