import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/create-core.js';
import type { FakeMode, FakeProviderServer } from '../fakes/fake-server.js';
import type { FakeAnthropicApi, FakeGoogleApi, FakeOpenAiApi } from '../fakes/index.js';
import { refusedUrl, startAnthropicApi, startGoogleApi, startOpenAiApi } from '../fakes/index.js';
import { PUBLIC_CLIENT_ID, startOidcServer, type OidcServer } from '../fakes/oauth-server.js';
import { FigureRecorder } from './support/figures.js';
import { makeTempDir } from '../support/storage/temp-dir.js';

/**
 * Provider faults through the real core: timeouts, connection refused, DNS failure, 429 with
 * retry-after, 5xx, 529, resets — bounded retries with backoff where retrying is right (requests
 * counted at the fake), none for insufficient_quota, bad keys or invalid_grant; the other
 * providers keep working during each fault; the status says what is wrong; the cached model list
 * is still served; and the provider recovers when the fault ends.
 */
const KEYS = {
  anthropic: 'sk-ant-api03-faults-anthropic-0000000000',
  openai: 'sk-proj-faults-openai-111111111111111',
  google: 'AIzaSyFaults-google-22222222222222222',
} as const;
type ProviderId = keyof typeof KEYS;
const TIMEOUT_MS = 400;
const figures = new FigureRecorder('provider-faults');

let fakes: { anthropic: FakeAnthropicApi; openai: FakeOpenAiApi; google: FakeGoogleApi };
let oidc: OidcServer;
let temp: ReturnType<typeof makeTempDir>;
let env: NodeJS.ProcessEnv;
let core: Core;

beforeAll(async () => {
  const [anthropic, openai, google] = await Promise.all([
    startAnthropicApi({ validKeys: [KEYS.anthropic] }),
    startOpenAiApi({ validKeys: [KEYS.openai] }),
    startGoogleApi({ validKeys: [KEYS.google] }),
  ]);
  fakes = { anthropic, openai, google };
  oidc = await startOidcServer();
  temp = makeTempDir('maestro-faults-');
  writeFileSync(join(temp.dir, 'config.json'), JSON.stringify({ requestTimeoutMs: TIMEOUT_MS }));
  env = {
    THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
    THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
    THE_MAESTRO_GOOGLE_API_BASE_URL: google.url,
    THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
    // An organisation's client, configured to come back by deep link (Sign in with ChatGPT itself is loopback only).
    THE_MAESTRO_OPENAI_OAUTH_REDIRECT_MODE: 'deep_link',
    THE_MAESTRO_OPENAI_OAUTH_ISSUER: oidc.issuer,
  };
  core = await createCore({ dataDir: temp.dir, env, purpose: 'test' });
  for (const provider of Object.keys(KEYS) as ProviderId[]) {
    expect((await core.auth.saveApiKey({ provider, apiKey: KEYS[provider] })).ok).toBe(true);
    // A first, successful list: served from cache (marked stale) while the provider is down.
    expect((await core.auth.listModels({ provider, refresh: true })).ok).toBe(true);
  }
}, 60_000);

afterAll(async () => {
  await core.dispose();
  await Promise.all([fakes.anthropic.close(), fakes.openai.close(), fakes.google.close(), oidc.close()]);
  temp.remove();
  figures.write();
});

interface Scenario {
  readonly name: string;
  readonly provider: ProviderId;
  readonly mode: FakeMode;
  /** Requests the fake must see for one validation: 3 when retried (3 attempts), 1 when not. */
  readonly requests: number;
  readonly code: string;
  readonly state: 'unavailable' | 'invalid';
  readonly retryAfterSeconds?: number;
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'timeout (answer after 2 s)',
    provider: 'openai',
    mode: { kind: 'slow', delayMs: 2_000 },
    requests: 3,
    code: 'provider_unavailable',
    state: 'unavailable',
  },
  {
    name: 'connection reset',
    provider: 'google',
    mode: { kind: 'drop' },
    requests: 3,
    code: 'network_error',
    state: 'unavailable',
  },
  {
    name: '429 with retry-after: 1',
    provider: 'anthropic',
    mode: { kind: 'status', status: 429, retryAfter: 1 },
    requests: 3,
    code: 'rate_limited',
    state: 'unavailable',
    retryAfterSeconds: 1,
  },
  {
    name: '429 with retry-after: 60 (not waited for)',
    provider: 'openai',
    mode: { kind: 'status', status: 429, retryAfter: 60 },
    requests: 1,
    code: 'rate_limited',
    state: 'unavailable',
    retryAfterSeconds: 60,
  },
  {
    name: '500',
    provider: 'google',
    mode: { kind: 'status', status: 500 },
    requests: 3,
    code: 'provider_unavailable',
    state: 'unavailable',
  },
  {
    name: '503',
    provider: 'openai',
    mode: { kind: 'status', status: 503 },
    requests: 3,
    code: 'provider_unavailable',
    state: 'unavailable',
  },
  {
    name: '529 overloaded',
    provider: 'anthropic',
    mode: { kind: 'status', status: 529 },
    requests: 3,
    code: 'provider_unavailable',
    state: 'unavailable',
  },
  {
    name: 'HTML 502 from a proxy',
    provider: 'anthropic',
    mode: { kind: 'garbage', status: 502 },
    requests: 3,
    code: 'provider_unavailable',
    state: 'unavailable',
  },
  {
    name: '429 insufficient_quota (never retried)',
    provider: 'openai',
    mode: { kind: 'status', status: 429, code: 'insufficient_quota' },
    requests: 1,
    code: 'quota_exhausted',
    state: 'invalid',
  },
  {
    name: '401 bad key (never retried)',
    provider: 'google',
    mode: { kind: 'status', status: 401 },
    requests: 1,
    code: 'invalid_credentials',
    state: 'invalid',
  },
];

/** The other two providers work while `faulty` is down. */
async function othersWork(faulty: ProviderId): Promise<void> {
  const others = (Object.keys(KEYS) as ProviderId[]).filter((provider) => provider !== faulty);
  const results = await Promise.all(
    others.map(
      async (provider) => [await core.auth.resolve(provider), await core.auth.validate({ provider })] as const,
    ),
  );
  for (const [index, [resolved, validated]] of results.entries()) {
    expect(resolved, others[index]).toMatchObject({ ok: true, value: { secret: KEYS[others[index] ?? 'anthropic'] } });
    expect(validated, others[index]).toMatchObject({ ok: true, value: { state: 'valid', lastError: null } });
  }
}

function reset(fake: FakeProviderServer<unknown>): void {
  fake.requests.splice(0);
}

describe('provider faults through the core', () => {
  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario]))(
    '%s: bounded retries, others unaffected, status says why, recovers',
    { timeout: 30_000 },
    async (name, scenario) => {
      const fake = fakes[scenario.provider] as FakeProviderServer<unknown>;
      let counted = -1;
      let outcome = 'not reached';
      try {
        reset(fake);
        fake.setMode(scenario.mode);
        const started = Date.now();
        // The bound is the validation's own: timed when it answers, not when the others' checks
        // running beside it (slow on a loaded machine) are done too.
        let elapsed = Number.NaN;
        const [validated] = await Promise.all([
          core.auth.validate({ provider: scenario.provider }).then((result) => {
            elapsed = Date.now() - started;
            return result;
          }),
          othersWork(scenario.provider),
        ]);
        counted = fake.count();
        expect(validated.ok).toBe(true);
        if (!validated.ok) return;
        outcome = `${validated.value.lastError?.code ?? 'no error'} after ${counted} request(s), ${elapsed} ms`;
        expect(counted).toBe(scenario.requests);
        expect(validated.value.state).toBe(scenario.state);
        expect(validated.value.lastError).toMatchObject({ code: scenario.code, provider: scenario.provider });
        if (scenario.retryAfterSeconds !== undefined)
          expect(validated.value.lastError?.retryAfterSeconds).toBe(scenario.retryAfterSeconds);
        // Bounded: 3 attempts of at most the timeout, backoff at most 2 × 1 s (or the 1 s retry-after twice).
        expect(elapsed).toBeLessThan(3 * TIMEOUT_MS + 2_500 + 1_500);
        const status = (await core.auth.status()).providers.find((provider) => provider.id === scenario.provider);
        expect(status?.lastError?.code).toBe(scenario.code);
        if (scenario.state === 'unavailable') {
          const models = await core.auth.listModels({ provider: scenario.provider, refresh: true });
          expect(models).toMatchObject({ ok: true, value: { stale: true, error: { code: scenario.code } } });
          expect(models.ok && models.value.models.length).toBeGreaterThan(0);
        }
      } finally {
        fake.setMode({ kind: 'ok' });
        figures.add({
          kind: 'fault',
          target: `${scenario.provider}: ${name}`,
          runs: 1,
          failures: counted === scenario.requests ? 0 : 1,
          detail: `${outcome} (expected ${scenario.requests})`,
        });
      }
      if (scenario.code === 'invalid_credentials')
        expect((await core.auth.saveApiKey({ provider: scenario.provider, apiKey: KEYS[scenario.provider] })).ok).toBe(
          true,
        );
      expect(await core.auth.validate({ provider: scenario.provider })).toMatchObject({
        ok: true,
        value: { state: 'valid', lastError: null },
      });
    },
  );

  it.each([
    ['connection refused', (): Promise<string> => refusedUrl(), 'ECONNREFUSED'],
    [
      'DNS failure (an unresolvable .invalid host)',
      async (): Promise<string> => 'https://maestro-fault.invalid',
      'ENOTFOUND|EAI_AGAIN',
    ],
  ] as const)(
    '%s: network_error naming the host, in bounded time, others unaffected',
    { timeout: 30_000 },
    async (name, url, codes) => {
      let outcome = 'not reached';
      let failures = 1;
      const dir = makeTempDir('maestro-faults-net-');
      const broken = await createCore({
        dataDir: dir.dir,
        env: { ...env, THE_MAESTRO_GOOGLE_API_BASE_URL: await url() },
        purpose: 'test',
      });
      try {
        for (const provider of Object.keys(KEYS) as ProviderId[])
          await broken.auth.saveApiKey({ provider, apiKey: KEYS[provider], validate: false });
        const started = Date.now();
        const validated = await broken.auth.validate({ provider: 'google' });
        const elapsed = Date.now() - started;
        const lastError = validated.ok ? validated.value.lastError : undefined;
        expect(lastError).toMatchObject({ code: 'network_error' });
        expect(lastError?.providerCode).toMatch(new RegExp(`^(${codes})$`));
        outcome = `${validated.ok ? validated.value.lastError?.providerCode : 'error'} in ${elapsed} ms`;
        expect(validated.ok && validated.value.state).toBe('unavailable');
        expect(elapsed).toBeLessThan(5_000);
        for (const provider of ['anthropic', 'openai'] as const)
          expect(await broken.auth.validate({ provider })).toMatchObject({ ok: true, value: { state: 'valid' } });
        expect(await broken.auth.resolve('google')).toMatchObject({ ok: true, value: { secret: KEYS.google } });
        failures = 0;
      } finally {
        await broken.dispose();
        dir.remove();
        figures.add({ kind: 'fault', target: `google: ${name}`, runs: 1, failures, detail: outcome });
      }
    },
  );

  it('invalid_grant on refresh: one token request, "sign in again", no retry loop; other providers unaffected', async () => {
    let failures = 1;
    const put = core.store.put({
      provider: 'openai',
      authMethod: 'oauth',
      accountLabel: 'default',
      expiresAt: Date.now() - 1_000,
      credential: {
        kind: 'oauth',
        accessToken: 'expired-access-token-0000',
        refreshToken: 'refresh-token-the-server-never-issued',
        tokenType: 'Bearer',
        expiresAt: Date.now() - 1_000,
        issuer: oidc.issuer,
      },
    });
    try {
      oidc.resetCounters();
      const first = await core.auth.resolve('openai');
      const second = await core.auth.resolve('openai');
      const third = await core.auth.validate({ provider: 'openai' });
      expect(oidc.counters.byGrant['refresh_token']).toBe(1);
      expect(core.store.getMeta(put.id)?.invalidReason?.code).toBe('reauth_required');
      // The fallback chain moves on to the stored API key; the OAuth sign-in is shown as needing attention.
      expect(first).toMatchObject({ ok: true, value: { source: 'api_key' } });
      expect(second).toMatchObject({ ok: true, value: { source: 'api_key' } });
      const view = third.ok ? third.value.accounts.find((account) => account.method === 'oauth') : undefined;
      expect(view).toMatchObject({ state: 'invalid', lastError: { code: 'reauth_required' } });
      await othersWork('openai');
      failures = 0;
    } finally {
      core.store.delete(put.id);
      figures.add({
        kind: 'fault',
        target: 'openai: refresh answered invalid_grant',
        runs: 1,
        failures,
        detail: `${oidc.counters.byGrant['refresh_token'] ?? 0} token request(s) for 3 uses (expected 1)`,
      });
    }
  });
});
