import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PkceFlowManager } from '../../../../src-main/core/oauth/flow-manager.js';
import { createRevokeCredential } from '../../../../src-main/core/oauth/revoke.js';
import { startAnthropicOAuthServer, type AnthropicOAuthServer } from '../../../fakes/anthropic-oauth.js';
import {
  GOOGLE_STYLE_CLIENT_ID,
  GOOGLE_STYLE_CLIENT_SECRET,
  startOidcServer,
  type OidcServer,
} from '../../../fakes/oauth-server.js';
import type { OAuthProviderContext } from '../../../../src-main/core/oauth/oauth-types.js';
import {
  anthropicStyle,
  googleStyle,
  oauthSecretOf,
  openaiStyle,
  openTestStore,
  signIn,
  type TestStore,
} from './support/oauth-test-kit.js';

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

async function signedIn(context: OAuthProviderContext) {
  const manager = new PkceFlowManager({ store: kit.store });
  const id = await signIn(manager, context);
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
    const google = googleStyle(oidc);
    const credential = await signedIn(google);
    oidc.resetCounters();
    const revoke = createRevokeCredential({});
    await expect(revoke(google, credential)).resolves.toEqual({ revoked: true });
    expect(oidc.counters.revocations).toBe(2);
    expect(await oidc.accessTokenWorks(credential.accessToken)).toBe(false);
    const refresh = await fetch(`${oidc.issuer}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credential.refreshToken ?? '',
        client_id: GOOGLE_STYLE_CLIENT_ID,
        client_secret: GOOGLE_STYLE_CLIENT_SECRET,
      }),
    });
    expect(refresh.status).toBe(400);
  });

  it('reports that a provider without a revocation endpoint revoked nothing', async () => {
    const context = anthropicStyle(anthropic);
    const credential = await signedIn(context);
    const outcome = await createRevokeCredential({})(context, credential);
    expect(outcome.revoked).toBe(false);
    expect(outcome.reason).toMatch(/no revocation endpoint/);
  });

  it('reports failure without throwing when the endpoint is down', async () => {
    const credential = await signedIn(openaiStyle(oidc));
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await createRevokeCredential({})(manualOpenai(`http://127.0.0.1:${port}/revoke`), credential);
    expect(outcome).toMatchObject({
      revoked: false,
      reason: expect.stringMatching(/Could not reach OpenAI/) as string,
    });
  });

  it('gives up after its short timeout when the endpoint hangs', async () => {
    const credential = await signedIn(openaiStyle(oidc));
    const started = Date.now();
    const outcome = await createRevokeCredential({ timeoutMs: 200 })(
      manualOpenai(`http://127.0.0.1:${silentPort}/revoke`),
      credential,
    );
    expect(outcome).toMatchObject({ revoked: false, reason: expect.stringMatching(/no answer/) as string });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('never throws, even for a provider without a client id', async () => {
    const credential = { kind: 'oauth' as const, accessToken: 'at', tokenType: 'Bearer' };
    const revoke = createRevokeCredential({});
    await expect(revoke(googleStyle(oidc, { clientId: null }), credential)).resolves.toMatchObject({
      revoked: false,
      reason: expect.stringMatching(/client id/) as string,
    });
    // A plan sign-in never falls back to the registration placeholder to revoke.
    await expect(revoke(openaiStyle(oidc, { clientId: null }), credential)).resolves.toMatchObject({
      revoked: false,
      reason: expect.stringMatching(/no client/) as string,
    });
  });
});
