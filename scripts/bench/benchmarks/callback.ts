import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../../../src-main/config/load-config.js';
import { OAuthClients } from '../../../src-main/providers/auth/oauth/oauth-client.js';
import { PkceFlowManager } from '../../../src-main/providers/auth/oauth/flow-manager.js';
import { defaultCliKeyProviders, openCredentialStore } from '../../../src-main/providers/auth/open-credential-store.js';
import { oauthProviderLookup } from '../../../src-main/core.js';
import { ProviderRegistry } from '../../../src-main/providers/auth/provider-registry.js';
import { completeInBrowser } from '../../../test/fakes/browser-login.js';
import { PUBLIC_CLIENT_ID } from '../../../test/fakes/oauth-server.js';
import { openaiOAuthEnv, startRemoteAuthorizationServer } from '../authorization-server.js';
import type { Benchmark, BenchContext, BenchRow, Invariant } from '../bench-types.js';
import { pairedRow } from '../bench-types.js';
import { benchEnv, realisticOAuthCredential } from '../fixtures.js';
import { median, millisOf, nowMs, paired } from '../harness.js';
import type { CredentialStore } from '../../../src-main/providers/auth/credential-store.js';

/** The flow manager as the core composes it, over a real store and the configuration the env gives. */
async function composeFlows(dataDir: string, env: NodeJS.ProcessEnv): Promise<{ flows: PkceFlowManager; store: CredentialStore; close(): Promise<void> }> {
  const registry = new ProviderRegistry();
  const config = loadConfig({ file: join(dataDir, 'config.json'), definitions: registry.definitions, env });
  const { store } = await openCredentialStore({ dataDir, keyProviders: defaultCliKeyProviders(dataDir, env) });
  const lookup = oauthProviderLookup(registry, config);
  const flows = new PkceFlowManager({ lookup, store, clients: new OAuthClients({}) });
  return {
    flows,
    store,
    close: async () => {
      await flows.dispose();
      store.close();
    },
  };
}

/**
 * An authorization response for a request identical to ours (same client, scopes, redirect and
 * extra parameters), but with a PKCE verifier we know, so the baseline can spend the code itself.
 * The manager's own pending flow is cancelled.
 */
async function freshCode(flows: PkceFlowManager): Promise<{ code: string; verifier: string; redirectUri: string }> {
  const view = await flows.start('openai', { accountLabel: 'baseline', redirectMode: 'deep_link' });
  flows.cancel(view.flowId);
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(view.authorizationUrl);
  url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
  url.searchParams.set('state', randomBytes(16).toString('base64url'));
  const back = await completeInBrowser(url.href);
  const code = back.searchParams.get('code');
  const redirectUri = url.searchParams.get('redirect_uri');
  if (code === null || redirectUri === null) throw new Error('the authorization server returned no code');
  return { code, verifier, redirectUri };
}

function millisOfSync(fn: () => unknown): number {
  const start = nowMs();
  fn();
  return nowMs() - start;
}

/** The bare token request: one POST to the token endpoint with the code, read the JSON. */
async function bareTokenRequest(tokenEndpoint: string, input: { code: string; verifier: string; redirectUri: string }): Promise<boolean> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: input.code, redirect_uri: input.redirectUri, client_id: PUBLIC_CLIENT_ID, code_verifier: input.verifier }),
  });
  const body = (await response.json()) as { access_token?: unknown };
  return response.ok && typeof body.access_token === 'string';
}

/**
 * Completing a callback through PkceFlowManager (parse the deep link, match and validate state
 * and iss, exchange the code through openid-client, seal and commit the credential) versus the
 * bare token request for an equally fresh code. Browser steps are outside the timing.
 */
export const callbackBenchmark: Benchmark = {
  id: 'callback',
  title: 'Callback completion vs the bare token request',
  async run(context: BenchContext): Promise<BenchRow[]> {
    const { settings } = context;
    const server = await startRemoteAuthorizationServer();
    context.defer(() => server.close());
    const env = benchEnv(openaiOAuthEnv(server.issuer));
    const { flows, store, close } = await composeFlows(context.tempDir('maestro-bench-callback-'), env);
    context.defer(close);
    const tokenEndpoint = `${server.issuer}/oauth/token`;
    let refused = 0;
    const ours = async (): Promise<number> => {
      const view = await flows.start('openai', { accountLabel: 'default', redirectMode: 'deep_link' });
      const back = await completeInBrowser(view.authorizationUrl);
      return millisOf(async () => {
        await flows.handleDeepLink(back.href).catch(() => {
          refused += 1;
        });
      });
    };
    const baseline = async (): Promise<number> => {
      const input = await freshCode(flows);
      return millisOf(async () => {
        if (!(await bareTokenRequest(tokenEndpoint, input))) refused += 1;
      });
    };
    await server.reset();
    const result = await paired({ rounds: settings.callbackRounds, warmup: 2, ours, baseline });
    const requests = await server.tokenRequests();
    // The durable commit alone (synchronous=FULL: the WAL is fsynced before put returns).
    const credential = realisticOAuthCredential('openai');
    const commits = Array.from({ length: 9 }, () => millisOfSync(() => store.put({ provider: 'openai', authMethod: 'oauth', accountLabel: 'commit-probe', credential, expiresAt: credential.expiresAt ?? null })));
    const expected = (settings.callbackRounds + 2) * 2;
    const invariants: Invariant[] = [
      { name: 'every exchange succeeded', ok: refused === 0, detail: `${refused} refused` },
      { name: 'one token request per completion', ok: requests === expected, detail: `${requests} token requests for ${expected} exchanges` },
    ];
    return [
      pairedRow({
        id: 'callback',
        name: 'callback completion (parse+validate+exchange+store)',
        unit: 'ms',
        baselineName: 'bare token request',
        result,
        target: { kind: 'ratio', max: 1.3 },
        invariants,
        notes: [
          'OpenAI style: deep link, PKCE, iss checked; the store commits with synchronous=FULL (fsync) before the login counts as done',
          `of the overhead, the durable commit of the credential alone takes ${median(commits).toFixed(2)} ms (median of ${commits.length} store.put)`,
        ],
      }),
    ];
  },
};
