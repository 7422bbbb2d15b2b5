import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuthClients } from '../../../../src-main/core/oauth/oauth-client.js';
import { startOidcServer, type OidcServer } from '../../../fakes/oauth-server.js';
import { openaiStyle } from './support/oauth-test-kit.js';

/** Configurations per provider: discovery cached for the process, failures not cached, issuers checked. */

let oidc: OidcServer;
beforeAll(async () => {
  oidc = await startOidcServer();
});
afterAll(async () => {
  await oidc.close();
});

function countingFetch(options: { failFirst?: number } = {}) {
  const seen: string[] = [];
  let failures = options.failFirst ?? 0;
  const fetchImpl: typeof fetch = async (input, init) => {
    seen.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (failures > 0) {
      failures -= 1;
      throw new TypeError('fetch failed');
    }
    return fetch(input, init);
  };
  return { fetchImpl, seen };
}

describe('OAuthClients', () => {
  it('discovers once per provider and reuses the configuration', async () => {
    const { fetchImpl, seen } = countingFetch();
    const clients = new OAuthClients({ fetch: fetchImpl });
    const [a, b] = await Promise.all([clients.get(openaiStyle(oidc)), clients.get(openaiStyle(oidc))]);
    expect(a).toBe(b);
    await clients.get(openaiStyle(oidc));
    expect(seen.filter((url) => url.includes('/.well-known/openid-configuration'))).toHaveLength(1);
    expect(a.serverMetadata().token_endpoint).toBe(`${oidc.issuer}/oauth/token`);
  });

  it('does not cache a failed discovery: the next attempt discovers again', async () => {
    const { fetchImpl, seen } = countingFetch({ failFirst: 1 });
    const clients = new OAuthClients({ fetch: fetchImpl });
    await expect(clients.get(openaiStyle(oidc))).rejects.toMatchObject({
      code: 'network_error',
      info: { retryable: true },
    });
    await expect(clients.get(openaiStyle(oidc))).resolves.toBeDefined();
    expect(seen).toHaveLength(2);
  });

  it('invalidate forgets a provider so the next use discovers again', async () => {
    const { fetchImpl, seen } = countingFetch();
    const clients = new OAuthClients({ fetch: fetchImpl });
    await clients.get(openaiStyle(oidc));
    clients.invalidate('openai');
    await clients.get(openaiStyle(oidc));
    expect(seen).toHaveLength(2);
  });

  it('refuses a discovery document that names another issuer (mix-up)', async () => {
    const elsewhere = oidc.issuer.replace('127.0.0.1', 'localhost');
    await expect(new OAuthClients().get(openaiStyle({ issuer: elsewhere }))).rejects.toMatchObject({
      code: 'config_invalid',
    });
  });

  it('refuses plain http outside loopback even when insecure loopback issuers are allowed', async () => {
    await expect(new OAuthClients().get(openaiStyle({ issuer: 'http://auth.example.test' }))).rejects.toMatchObject({
      code: 'config_invalid',
    });
  });

  it('uses the configured revocation endpoint when discovery lists none', async () => {
    const clients = new OAuthClients();
    const manual = openaiStyle(oidc, {
      discovery: false,
      authorizationEndpoint: `${oidc.issuer}/oauth/authorize`,
      tokenEndpoint: `${oidc.issuer}/oauth/token`,
      revocationEndpoint: `${oidc.issuer}/custom/revoke`,
    });
    expect((await clients.get(manual)).serverMetadata().revocation_endpoint).toBe(`${oidc.issuer}/custom/revoke`);
  });
});
