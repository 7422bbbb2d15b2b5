import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StatusView } from '../../../src-shared/view-models.js';
import { STATUS_ACCOUNT_LIMIT } from '../../../src-shared/view-models.js';
import { ManualClock } from '../../support/manual-clock.js';
import type { Core } from '../../../src-main/core/create-core.js';
import { createCore } from '../../../src-main/core/create-core.js';
import { MemoryKeyProvider } from '../../../src-main/core/store/key-providers/memory-key-provider.js';
import type { FakeAnthropicApi, FakeOpenAiApi } from '../../fakes/index.js';
import { startAnthropicApi, startOpenAiApi } from '../../fakes/index.js';
import { completeInBrowser, deliverToLoopback } from '../../fakes/browser-login.js';
import type { FlowFinishedEvent } from '../../../src-main/core/providers/provider-auth.js';
import type { OidcServer } from '../../fakes/oauth-server.js';
import { PUBLIC_CLIENT_ID, startOidcServer } from '../../fakes/oauth-server.js';

/** The coordinator over the real core: real store, real provider API, real OAuth, local servers. */
const KEY = 'sk-ant-api03-coordinator-test-key-0123456789';
const OTHER_KEY = 'sk-ant-api03-coordinator-other-key-9876543210';
const OPENAI_KEY = 'sk-proj-coordinator-openai-key-0123456789';

let anthropic: FakeAnthropicApi;
let openai: FakeOpenAiApi;
let oidc: OidcServer;
let dataDir: string;
let core: Core;
const keyProvider = new MemoryKeyProvider({ protection: 'key_file' });
let clock: ManualClock;

function envFor(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
    THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
    THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
    THE_MAESTRO_OPENAI_OAUTH_ISSUER: oidc.issuer,
    THE_MAESTRO_OPENAI_OAUTH_LOOPBACK_PORTS: '0',
    ...extra,
  };
}

function open(extra: NodeJS.ProcessEnv = {}): Promise<Core> {
  return createCore({ dataDir, env: envFor(extra), keyProviders: [keyProvider], clock, purpose: 'test' });
}

beforeAll(async () => {
  [anthropic, openai, oidc] = await Promise.all([
    startAnthropicApi(),
    startOpenAiApi(),
    startOidcServer({ accessTokenTtlSeconds: 3600 }),
  ]);
  anthropic.validKeys.add(KEY);
  anthropic.validKeys.add(OTHER_KEY);
  openai.validKeys.add(OPENAI_KEY);
});
afterAll(async () => Promise.all([anthropic.close(), openai.close(), oidc.close()]));

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-auth-'));
  clock = new ManualClock(Date.now());
  core = await open();
  oidc.resetCounters();
});
afterEach(async () => {
  await core.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Signs in to the OpenAI-style provider through the real flow, pasting the redirect address. */
async function signInOpenAi(account = 'default'): Promise<void> {
  const flow = await core.auth.startOAuth({ provider: 'openai', account });
  if (!flow.ok) throw new Error(flow.error.message);
  const redirect = await completeInBrowser(flow.value.authorizationUrl);
  const done = await core.auth.submitPastedCode({ flowId: flow.value.flowId, pasted: redirect.href });
  if (!done.ok) throw new Error(done.error.message);
}

/** Lets two hours pass: the one-hour access tokens are then expired. */
function expireOpenAiTokens(): void {
  clock.advance(2 * 3600_000);
}

describe('Auth.resolve — the fallback chain', () => {
  it('walks OAuth → stored API key → environment, and says what each step found', async () => {
    const missing = await core.auth.resolve('anthropic');
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error.code).toBe('not_authenticated');
      expect(missing.error.message).toMatch(
        /oauth: no OAuth sign-in.*api_key: no stored API key.*env: ANTHROPIC_API_KEY not set/,
      );
    }
    await core.dispose();
    core = await open({ ANTHROPIC_API_KEY: OTHER_KEY });
    expect(await core.auth.resolve('anthropic')).toMatchObject({
      ok: true,
      value: { source: 'env', secret: OTHER_KEY },
    });
    expect((await core.auth.saveApiKey({ provider: 'anthropic', apiKey: KEY })).ok).toBe(true);
    const stored = await core.auth.resolve('anthropic');
    expect(stored).toMatchObject({
      ok: true,
      value: { source: 'api_key', secret: KEY, headers: { 'x-api-key': KEY, 'anthropic-version': '2026-10-21' } },
    });
  });

  it('follows a changed fallback order', async () => {
    await core.dispose();
    core = await open({ ANTHROPIC_API_KEY: OTHER_KEY });
    await core.auth.saveApiKey({ provider: 'anthropic', apiKey: KEY });
    expect(core.auth.updateSettings({ fallbackOrder: ['env', 'api_key'] }).ok).toBe(true);
    expect(await core.auth.resolve('anthropic')).toMatchObject({ ok: true, value: { source: 'env' } });
    expect(core.auth.updateSettings({ fallbackOrder: ['env', 'env'] }).ok).toBe(false);
  });

  it('prefers OAuth over a stored key, and sends bearer headers', async () => {
    await core.auth.saveApiKey({ provider: 'openai', apiKey: OPENAI_KEY });
    await signInOpenAi();
    const resolved = await core.auth.resolve('openai');
    expect(resolved).toMatchObject({ ok: true, value: { source: 'oauth', method: 'oauth', account: 'default' } });
    if (resolved.ok) expect(resolved.value.headers['Authorization']).toBe(`Bearer ${resolved.value.secret}`);
  });

  it('makes exactly one token request for 1000 concurrent resolves of an expired token', async () => {
    await signInOpenAi();
    expireOpenAiTokens();
    oidc.resetCounters();
    const results = await Promise.all(Array.from({ length: 1000 }, () => core.auth.resolve('openai')));
    expect(oidc.counters.byGrant['refresh_token']).toBe(1);
    const tokens = new Set(results.map((result) => (result.ok ? result.value.secret : result.error.code)));
    expect(tokens.size).toBe(1);
    expect(await oidc.accessTokenWorks([...tokens][0] ?? '')).toBe(true);
  });

  it('falls through to the stored key while the authorization server is down, then recovers', async () => {
    await core.auth.saveApiKey({ provider: 'openai', apiKey: OPENAI_KEY });
    await signInOpenAi();
    expireOpenAiTokens();
    oidc.setTokenFailure('unavailable');
    try {
      expect(await core.auth.resolve('openai')).toMatchObject({ ok: true, value: { source: 'api_key' } });
    } finally {
      oidc.setTokenFailure('none');
    }
  });

  it('marks a corrupt row "sign in again" and keeps every other credential working', async () => {
    await core.auth.saveApiKey({ provider: 'anthropic', apiKey: KEY });
    await core.auth.saveApiKey({ provider: 'openai', apiKey: OPENAI_KEY });
    const db = new Database(join(dataDir, 'maestro.db'));
    const rows = db.prepare('SELECT id, credentials FROM provider_credentials ORDER BY provider').all() as {
      id: string;
      credentials: Buffer;
    }[];
    const [first, second] = rows;
    if (first === undefined || second === undefined) throw new Error('expected two rows');
    const tampered = Buffer.from(first.credentials);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0xff;
    db.prepare('UPDATE provider_credentials SET credentials = ? WHERE id = ?').run(tampered, first.id);
    db.close();
    const broken = await core.auth.resolve('anthropic');
    expect(broken).toMatchObject({ ok: false, error: { code: 'credential_corrupt' } });
    const status = await core.auth.status();
    expect(status.providers.find((provider) => provider.id === 'anthropic')?.state).toBe('invalid');
    expect(await core.auth.resolve('openai')).toMatchObject({ ok: true, value: { source: 'api_key' } });
  });
});

describe('Auth — keys, validation and status', () => {
  it('never stores an invalid key', async () => {
    const result = await core.auth.saveApiKey({ provider: 'anthropic', apiKey: 'sk-ant-api03-wrong-wrong-wrong' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_credentials', provider: 'anthropic' } });
    expect(core.store.list()).toEqual([]);
  });

  it('marks a stored key that the provider starts refusing as invalid, with the reason', async () => {
    await core.auth.saveApiKey({ provider: 'anthropic', apiKey: KEY });
    anthropic.validKeys.delete(KEY);
    try {
      const validated = await core.auth.validate({ provider: 'anthropic' });
      expect(validated).toMatchObject({
        ok: true,
        value: { state: 'invalid', lastError: { code: 'invalid_credentials' } },
      });
    } finally {
      anthropic.validKeys.add(KEY);
    }
  });

  it('shows one provider down without disturbing the others', async () => {
    await core.auth.saveApiKey({ provider: 'anthropic', apiKey: KEY });
    await core.auth.saveApiKey({ provider: 'openai', apiKey: OPENAI_KEY });
    openai.setMode({ kind: 'status', status: 503 });
    try {
      const down = await core.auth.validate({ provider: 'openai' });
      expect(down).toMatchObject({
        ok: true,
        value: { state: 'unavailable', lastError: { code: 'provider_unavailable' } },
      });
      expect(await core.auth.validate({ provider: 'anthropic' })).toMatchObject({
        ok: true,
        value: { state: 'valid' },
      });
    } finally {
      openai.setMode({ kind: 'ok' });
    }
  });

  it('announces status changes to subscribers, coalesced', async () => {
    const seen: StatusView[] = [];
    const dispose = core.auth.onDidChangeStatus((status) => seen.push(status));
    await core.auth.saveApiKey({ provider: 'anthropic', apiKey: KEY });
    // The announcement is computed asynchronously: wait for it rather than for a fixed 10 ms.
    await vi.waitFor(
      () => expect(seen.at(-1)?.providers.find((provider) => provider.id === 'anthropic')?.state).toBe('valid'),
      { timeout: 10_000 },
    );
    dispose();
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(seen)).not.toContain(KEY);
  });

  it('keeps accounts, renames them, and persists the session across restarts', async () => {
    await core.auth.saveApiKey({ provider: 'anthropic', apiKey: KEY, account: 'work' });
    await core.auth.saveApiKey({ provider: 'anthropic', apiKey: OTHER_KEY, account: 'personal' });
    expect((await core.auth.renameAccount({ provider: 'anthropic', from: 'work', to: 'acme' })).ok).toBe(true);
    expect(await core.auth.setActiveProvider({ provider: 'anthropic', account: 'acme' })).toMatchObject({ ok: true });
    await core.auth.listModels({ provider: 'anthropic' });
    const firstModel = core.store.loadModels('anthropic')?.models[0]?.id ?? '';
    expect((await core.auth.selectModel({ provider: 'anthropic', model: firstModel })).ok).toBe(true);
    await core.dispose();
    core = await open();
    const status = await core.auth.status();
    expect(status.activeProvider).toBe('anthropic');
    expect(status.providers[0]).toMatchObject({
      account: 'acme',
      selectedModel: firstModel,
      maskedKey: `…${KEY.slice(-4)}`,
    });
    expect(await core.auth.resolve('anthropic')).toMatchObject({ ok: true, value: { secret: KEY } });
    expect(await core.auth.renameAccount({ provider: 'anthropic', from: 'acme', to: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('carries the first page of accounts and the one in use in status, and pages through the rest', async () => {
    const labels = Array.from(
      { length: STATUS_ACCOUNT_LIMIT + 10 },
      (_, index) => `acct-${String(index).padStart(3, '0')}`,
    );
    for (const account of labels)
      core.store.put({
        provider: 'anthropic',
        authMethod: 'api_key',
        accountLabel: account,
        credential: { kind: 'api_key', apiKey: `${KEY}-${account}` },
        expiresAt: null,
      });
    const last = labels.at(-1) ?? '';
    expect(await core.auth.setActiveProvider({ provider: 'anthropic', account: last })).toMatchObject({ ok: true });
    const anthropicStatus = (await core.auth.status()).providers.find((provider) => provider.id === 'anthropic');
    expect(anthropicStatus?.accountTotal).toBe(labels.length);
    expect(anthropicStatus?.account).toBe(last);
    expect(anthropicStatus?.accounts.map((account) => account.account)).toEqual([
      ...labels.slice(0, STATUS_ACCOUNT_LIMIT),
      last,
    ]);
    expect(anthropicStatus?.maskedKey).toBe(`…${last.slice(-4)}`);

    const pages: string[] = [];
    for (let offset = 0; offset < labels.length; offset += 25) {
      const page = await core.auth.listAccounts({ provider: 'anthropic', offset, limit: 25 });
      expect(page).toMatchObject({ ok: true, value: { provider: 'anthropic', offset, total: labels.length } });
      if (page.ok) pages.push(...page.value.accounts.map((account) => account.account));
    }
    expect(pages).toEqual(labels);
    expect(JSON.stringify(pages)).not.toContain(KEY);
    expect(await core.auth.listAccounts({ provider: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_provider' },
    });
  });

  it('refuses OAuth with a clear reason when no client id is configured', async () => {
    const result = await core.auth.startOAuth({ provider: 'anthropic' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_configured' } });
    if (!result.ok) expect(result.error.message).toContain('ANTHROPIC_OAUTH_CLIENT_ID');
  });

  it('routes every completion to the provider that started the sign-in, and hears a loopback completion no call waits for', async () => {
    expect(await core.auth.waitForOAuth('no-such-flow')).toMatchObject({
      ok: false,
      error: { code: 'oauth_state_invalid' },
    });
    expect(await core.auth.submitPastedCode({ flowId: 'no-such-flow', pasted: 'code' })).toMatchObject({
      ok: false,
      error: { code: 'oauth_state_invalid' },
    });
    expect(core.auth.cancelOAuth('no-such-flow')).toEqual({ ok: true, value: false });
    const foreign = await core.auth.handleDeepLink('app.themaestro.desktop:/oauth/nobody/callback?code=c&state=s');
    expect(foreign).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'This link is not a sign-in callback for The Maestro.' },
    });

    const finished: FlowFinishedEvent[] = [];
    const dispose = core.auth.onDidFinishFlow((event) => finished.push(event));
    const flow = await core.auth.startOAuth({ provider: 'openai', account: 'loop' });
    if (!flow.ok) throw new Error(flow.error.message);
    await deliverToLoopback(await completeInBrowser(flow.value.authorizationUrl));
    expect(await core.auth.waitForOAuth(flow.value.flowId)).toMatchObject({
      ok: true,
      value: { provider: 'openai', account: 'loop', method: 'oauth', validated: true },
    });
    dispose();
    expect(finished).toMatchObject([{ flowId: flow.value.flowId, provider: 'openai', ok: true }]);
    expect(await core.auth.providerStatus('openai')).toMatchObject({
      ok: true,
      value: { account: 'loop', source: 'oauth', state: 'valid' },
    });
    expect(oidc.counters.byGrant).toEqual({ authorization_code: 1 });
  });

  it('logs out by revoking at the provider and deleting locally, even when revocation fails', async () => {
    await signInOpenAi();
    oidc.resetCounters();
    expect(await core.auth.logout({ provider: 'openai' })).toMatchObject({
      ok: true,
      value: { removed: 1, revoked: true },
    });
    expect(oidc.counters.revocations).toBeGreaterThan(0);
    await signInOpenAi();
    await oidc.close();
    try {
      expect(await core.auth.logout({ provider: 'openai' })).toMatchObject({
        ok: true,
        value: { removed: 1, revoked: false },
      });
      expect(core.store.list({ provider: 'openai' })).toEqual([]);
    } finally {
      oidc = await startOidcServer({ accessTokenTtlSeconds: 3600 });
    }
  });
});
