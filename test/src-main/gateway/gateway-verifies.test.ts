import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startGatewayFixture, type GatewayFixture } from './gateway-fixture.js';

/** A request the provider answers through the gateway says whether it accepted the key stored without a check. */
let fx: GatewayFixture;

beforeAll(async () => {
  fx = await startGatewayFixture();
}, 30_000);
afterAll(async () => {
  await fx.close();
});

async function accountState(provider: 'anthropic' | 'openai', account: string): Promise<string | undefined> {
  const status = await fx.core.auth.status();
  return status.providers.find((entry) => entry.id === provider)?.accounts.find((entry) => entry.account === account)
    ?.state;
}

function call(path: string): Promise<Response> {
  return fetch(`${fx.gateway.url}${path}`, { headers: { authorization: `Bearer ${fx.gatewayKey}` } });
}

describe('keys used through the gateway', () => {
  it('an unverified key the provider accepts becomes valid', async () => {
    expect(await accountState('anthropic', 'default')).toBe('unverified');
    expect((await call('/anthropic/v1/models')).status).toBe(200);
    await expect.poll(() => accountState('anthropic', 'default')).toBe('valid');
    // The other account was not used: still unverified.
    expect(await accountState('anthropic', 'work')).toBe('unverified');
  });

  it('a key the provider refuses with 401 becomes invalid', async () => {
    fx.fakes.openai.validKeys.delete(KEYS.openai.default);
    try {
      expect((await call('/openai/v1/models')).status).toBe(401);
      await expect.poll(() => accountState('openai', 'default')).toBe('invalid');
    } finally {
      fx.fakes.openai.validKeys.add(KEYS.openai.default);
    }
  });
});
