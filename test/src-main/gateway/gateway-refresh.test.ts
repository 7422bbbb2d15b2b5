import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../src-shared/errors.js';
import type { ResolvedCredential } from '../../../src-main/core/auth-service.js';
import { anthropicDefinition } from '../../../src-main/core/providers/anthropic.js';
import { googleDefinition } from '../../../src-main/core/providers/google.js';
import { openaiDefinition } from '../../../src-main/core/providers/openai.js';
import { startGateway } from '../../../src-main/gateway/gateway-server.js';
import type { GatewayCredentials, GatewayHandle } from '../../../src-main/gateway/gateway-types.js';
import type { FakeAnthropicApi, FakeGoogleApi, FakeOpenAiApi } from '../../fakes/index.js';
import { startAnthropicApi, startGoogleApi, startOpenAiApi } from '../../fakes/index.js';

/**
 * OAuth credentials through the gateway: injection in each provider's bearer form, the refresh
 * and retry after a provider's 401, a single refresh for many waiting requests, a refresh that
 * fails, and ChatGPT-plan credentials refused. The credential source is scripted at the gateway's
 * own seam (`GatewayCredentials`), so the test controls when a token is stale; the providers are
 * the real local fakes, which reject the stale token themselves.
 */
const GATEWAY_KEY = 'sk-maestro-gw-refresh-test-key';
const STALE = 'sk-ant-oat01-stale-token-000000';
const FRESH = 'sk-ant-oat01-fresh-token-111111';
const GOOGLE_TOKEN = 'ya29.google-oauth-token-2222';
const PLAN_TOKEN = 'openai-chatgpt-plan-token-3333';

class ScriptedCredentials implements GatewayCredentials {
  anthropicToken = STALE;
  refreshes = 0;
  refreshFails = false;

  async resolve(
    provider: string,
    options: { account?: string; forceRefresh?: boolean } = {},
  ): Promise<Result<ResolvedCredential>> {
    if (options.forceRefresh === true) {
      this.refreshes += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (this.refreshFails) {
        return {
          ok: false,
          error: { code: 'reauth_required', message: 'Anthropic refused the refresh token; sign in again.' },
        };
      }
      this.anthropicToken = FRESH;
    }
    const base = {
      source: 'oauth',
      method: 'oauth',
      account: options.account ?? 'pro',
      expiresAt: null,
      plan: null,
    } as const;
    switch (provider) {
      case 'anthropic':
        return {
          ok: true,
          value: {
            ...base,
            provider,
            headers: anthropicDefinition.bearerHeaders(this.anthropicToken),
            secret: this.anthropicToken,
            apiBaseUrl: fakes.anthropic.url,
          },
        };
      case 'google':
        return {
          ok: true,
          value: {
            ...base,
            provider,
            headers: googleDefinition.bearerHeaders(GOOGLE_TOKEN),
            secret: GOOGLE_TOKEN,
            apiBaseUrl: fakes.google.url,
          },
        };
      default:
        return {
          ok: true,
          value: {
            ...base,
            provider,
            plan: 'ChatGPT plan',
            headers: openaiDefinition.bearerHeaders(PLAN_TOKEN),
            secret: PLAN_TOKEN,
            apiBaseUrl: fakes.openai.url,
          },
        };
    }
  }
}

let fakes: { anthropic: FakeAnthropicApi; google: FakeGoogleApi; openai: FakeOpenAiApi };
let credentials: ScriptedCredentials;
let gateway: GatewayHandle;

beforeAll(async () => {
  const [anthropic, google, openai] = await Promise.all([
    startAnthropicApi({ validTokens: [FRESH], expiredTokens: [STALE] }),
    startGoogleApi({ validTokens: [GOOGLE_TOKEN] }),
    startOpenAiApi({ validTokens: [PLAN_TOKEN] }),
  ]);
  fakes = { anthropic, google, openai };
  credentials = new ScriptedCredentials();
  gateway = await startGateway({
    credentials,
    key: { current: () => GATEWAY_KEY },
    googleUserProject: 'my-project-42',
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([fakes.anthropic.close(), fakes.google.close(), fakes.openai.close()]);
});

beforeEach(() => {
  credentials.anthropicToken = STALE;
  credentials.refreshes = 0;
  credentials.refreshFails = false;
});

function call(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway.url}${path}`, { headers: { 'x-api-key': GATEWAY_KEY, ...headers } });
}

describe('OAuth credentials', () => {
  it('refreshes once after a 401 and retries, sending Bearer with the merged beta header', async () => {
    const before = fakes.anthropic.count();
    const response = await call('/anthropic/v1/models', { 'anthropic-beta': 'prompt-caching-2024-07-31' });
    expect(response.status).toBe(200);
    expect(credentials.refreshes).toBe(1);
    expect(fakes.anthropic.count() - before).toBe(2);
    const seen = fakes.anthropic.lastRequest().headers;
    expect(seen.authorization).toBe(`Bearer ${FRESH}`);
    expect(seen['x-api-key']).toBeUndefined();
    expect(String(seen['anthropic-beta']).split(',')).toEqual(['prompt-caching-2024-07-31', 'oauth-2025-04-20']);
  });

  it('shares one refresh among requests that need it at once', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => call('/anthropic/v1/models')));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(credentials.refreshes).toBe(1);
  });

  it('answers a failed refresh with the provider 401 shape and the reason, and keeps serving', async () => {
    credentials.refreshFails = true;
    const response = await call('/anthropic/v1/models');
    expect(response.status).toBe(401);
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(body.error.message).toContain('sign in again');
    credentials.refreshFails = false;
    expect((await call('/anthropic/v1/models')).status).toBe(200);
  });

  it('retries a 401 only once', async () => {
    fakes.anthropic.expiredTokens.add(FRESH);
    try {
      const response = await call('/anthropic/v1/models');
      expect(response.status).toBe(401);
      expect(credentials.refreshes).toBe(1);
    } finally {
      fakes.anthropic.expiredTokens.delete(FRESH);
    }
  });

  it('sends a Google token as Bearer with x-goog-user-project', async () => {
    const response = await call('/google/v1beta/models', { 'x-goog-api-key': GATEWAY_KEY });
    expect(response.status).toBe(200);
    const seen = fakes.google.lastRequest().headers;
    expect(seen.authorization).toBe(`Bearer ${GOOGLE_TOKEN}`);
    expect(seen['x-goog-user-project']).toBe('my-project-42');
    expect(seen['x-goog-api-key']).toBeUndefined();
  });

  it('never serves a ChatGPT-plan credential: 403 with the reason', async () => {
    const before = fakes.openai.count();
    const response = await call('/openai/v1/models');
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe('plan_credential');
    expect(body.error.message).toMatch(/ChatGPT-plan/);
    expect(fakes.openai.count()).toBe(before);
  });
});
