import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src-main/core/create-core.js';
import { EXTERNAL_VERSION_TTL_MS } from '../../../src-main/core/store/sqlite/change-version.js';
import { SealedGatewayKey } from '../../../src-main/gateway/gateway-key.js';
import { KEYS, startGatewayFixture, type GatewayFixture } from './gateway-fixture.js';

/**
 * What the gateway reads for a request comes from the store, which keeps what `find` opened only
 * while the database is unchanged (and the opened gateway key by row): every change made in the
 * app, or by another process on the same data directory (the command line), reaches the next
 * request.
 */
let fx: GatewayFixture;

beforeAll(async () => {
  fx = await startGatewayFixture();
}, 30_000);
afterAll(async () => {
  await fx.close();
});

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, EXTERNAL_VERSION_TTL_MS + 5));

async function status(path: string, key = fx.gatewayKey): Promise<number> {
  const response = await fetch(`${fx.gateway.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  await response.arrayBuffer();
  return response.status;
}

/** The OpenAI key the fake received for a request through the gateway, or the gateway's status. */
async function sentKey(path = '/openai/v1/models', key = fx.gatewayKey): Promise<string | undefined> {
  const answered = await status(path, key);
  return answered === 200 ? fx.fakes.openai.lastRequest().headers.authorization : `HTTP ${answered}`;
}

describe('credentials reused between requests', () => {
  it('a key saved again for the account is sent from the next request on', async () => {
    expect(await sentKey()).toBe(`Bearer ${KEYS.openai.default}`);
    const replacement = 'sk-proj-gwcanary-openai-replaced-9999999';
    fx.fakes.openai.validKeys.add(replacement);
    try {
      await fx.core.auth.saveApiKey({ provider: 'openai', apiKey: replacement, account: 'default', validate: false });
      expect(await sentKey()).toBe(`Bearer ${replacement}`);
    } finally {
      await fx.core.auth.saveApiKey({
        provider: 'openai',
        apiKey: KEYS.openai.default,
        account: 'default',
        validate: false,
      });
    }
    expect(await sentKey()).toBe(`Bearer ${KEYS.openai.default}`);
  });

  it('an account signed out of is not served on the next request', async () => {
    expect(await sentKey('/openai@work/v1/models')).toBe(`Bearer ${KEYS.openai.work}`);
    await fx.core.auth.logout({ provider: 'openai', account: 'work' });
    expect(await sentKey('/openai@work/v1/models')).toBe('HTTP 401');
  });

  it('an account switch or a key rotation by another process reaches the gateway within the store bound', async () => {
    const other = await createCore({ dataDir: fx.dataDir, env: {}, purpose: 'test' });
    try {
      expect(await status('/anthropic/v1/models')).toBe(200);
      expect(fx.fakes.anthropic.lastRequest().headers['x-api-key']).toBe(KEYS.anthropic.default);
      await other.auth.setActiveProvider({ provider: 'anthropic', account: 'work' });
      await settle();
      expect(await status('/anthropic/v1/models')).toBe(200);
      expect(fx.fakes.anthropic.lastRequest().headers['x-api-key']).toBe(KEYS.anthropic.work);

      const old = fx.gatewayKey;
      const fresh = new SealedGatewayKey(other.store).rotate();
      await settle();
      expect(await sentKey('/openai/v1/models', old)).toBe('HTTP 401');
      expect(await sentKey('/openai/v1/models', fresh)).toBe(`Bearer ${KEYS.openai.default}`);
      Object.assign(fx, { gatewayKey: fresh });
    } finally {
      await other.dispose();
    }
  });
});
