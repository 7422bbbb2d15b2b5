import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PkceFlowManager } from '../../../../src-main/core/oauth/flow-manager.js';
import { createRevokeCredential } from '../../../../src-main/core/oauth/revoke.js';
import { startAnthropicOAuthServer, type AnthropicOAuthServer } from '../../../fakes/anthropic-oauth.js';
import { PUBLIC_CLIENT_ID, startOidcServer, type OidcServer } from '../../../fakes/oauth-server.js';
import { anthropicStyle, lookupOf, oauthSecretOf, openaiStyle, openTestStore, signIn, type TestStore } from './support/oauth-test-kit.js';

/** Logout revokes this install's tokens (RFC 7009) best effort: short timeout, never throws. */

let oidc: OidcServer;
let anthropic: AnthropicOAuthServer;
let kit: TestStore;
let silent: Server;
let silentPort: number;

beforeAll(async () => {
  [oidc, anthropic, kit] = await Promise.all([startOidcServer(), startAnthropicOAuthServer(), openTestStore()]);
  // Accepts connections and never answers: a revocation endpoint that hangs.
  silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as AddressInfo).port;
});
afterAll(async () => {
  kit.dispose();
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
  await Promise.all([oidc.close(), anthropic.close()]);
});

async function signedIn(lookup: ReturnType<typeof lookupOf>, provider: string) {
  const manager = new PkceFlowManager({ lookup, store: kit.store });
  const id = await signIn(manager, provider);
  await manager.dispose();
  return oauthSecretOf(kit.store, id);
}

/** OpenAI-style registration with discovery off, so the revocation endpoint can point anywhere. */
function manualOpenai(revocationEndpoint: string) {
  return openaiStyle(oidc, {
    discovery: false,
    authorizationEndpoint: `${oidc.issuer}/oauth/authorize`,
    tokenEndpoint: `${oidc.issuer}/oauth/token`,
    revocationEndpoint,
  });
}

describe('createRevokeCredential', () => {
  it('revokes the refresh and access tokens at the provider', async () => {
    const lookup = lookupOf(openaiStyle(oidc));
    const credential = await signedIn(lookup, 'openai');
    oidc.resetCounters();
    const revoke = createRevokeCredential({ lookup });
    await expect(revoke('openai', credential)).resolves.toEqual({ revoked: true });
    expect(oidc.counters.revocations).toBe(2);
    expect(await oidc.accessTokenWorks(credential.accessToken)).toBe(false);
    const refresh = await fetch(`${oidc.issuer}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.refreshToken ?? '', client_id: PUBLIC_CLIENT_ID }),
    });
    expect(refresh.status).toBe(400);
  });

  it('reports that a provider without a revocation endpoint revoked nothing', async () => {
    const lookup = lookupOf(anthropicStyle(anthropic));
    const credential = await signedIn(lookup, 'anthropic');
    const outcome = await createRevokeCredential({ lookup })('anthropic', credential);
    expect(outcome.revoked).toBe(false);
    expect(outcome.reason).toMatch(/no revocation endpoint/);
  });

  it('reports failure without throwing when the endpoint is down', async () => {
    const credential = await signedIn(lookupOf(openaiStyle(oidc)), 'openai');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await createRevokeCredential({ lookup: lookupOf(manualOpenai(`http://127.0.0.1:${port}/revoke`)) })('openai', credential);
    expect(outcome).toMatchObject({ revoked: false, reason: expect.stringMatching(/Could not reach OpenAI/) });
  });

  it('gives up after its short timeout when the endpoint hangs', async () => {
    const credential = await signedIn(lookupOf(openaiStyle(oidc)), 'openai');
    const started = Date.now();
    const outcome = await createRevokeCredential({ lookup: lookupOf(manualOpenai(`http://127.0.0.1:${silentPort}/revoke`)), timeoutMs: 200 })('openai', credential);
    expect(outcome).toMatchObject({ revoked: false, reason: expect.stringMatching(/no answer/) });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('never throws, even for an unknown provider or a provider without a client id', async () => {
    const credential = { kind: 'oauth' as const, accessToken: 'at', tokenType: 'Bearer' };
    const revoke = createRevokeCredential({ lookup: lookupOf(openaiStyle(oidc, { clientId: null })) });
    await expect(revoke('mistral', credential)).resolves.toMatchObject({ revoked: false });
    await expect(revoke('openai', credential)).resolves.toMatchObject({ revoked: false, reason: expect.stringMatching(/client id/) });
  });
});
