/**
 * OAuth benchmarks against the local authorization server (issue 3), for `npm run bench`:
 *  - refresh storm: N concurrent ensureFresh on an expired token — token requests made, and the
 *    time versus one lone refresh;
 *  - callback overhead: completing a deep-link callback (parse + checks + exchange + encrypted
 *    store commit) versus the token request alone.
 * Run: `npm exec -- node --import tsx test/src-main/providers/auth/oauth/bench/oauth-bench.ts`
 * Prints one JSON object per benchmark on stdout.
 */
import * as client from 'openid-client';
import { PkceFlowManager } from '../../../../../../src-main/providers/auth/oauth/flow-manager.js';
import { LeasedTokenRefresher } from '../../../../../../src-main/providers/auth/oauth/token-refresher.js';
import { completeInBrowser } from '../../../../../fakes/browser-login.js';
import { FAKE_DEEP_LINK_SCHEME, PUBLIC_CLIENT_ID, startOidcServer } from '../../../../../fakes/oauth-server.js';
import { expireAccessToken, lookupOf, openaiStyle, openTestStore, signIn } from '../oauth-test-kit.js';

const STORM = Number(process.env['BENCH_STORM'] ?? 1000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 15);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const round2 = (ms: number): number => Math.round(ms * 100) / 100;

async function main(): Promise<void> {
  const oidc = await startOidcServer();
  const kit = await openTestStore();
  const lookup = lookupOf(openaiStyle(oidc));
  const manager = new PkceFlowManager({ lookup, store: kit.store });
  try {
    const id = await signIn(manager, 'openai');

    const lone: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      expireAccessToken(kit.store, id);
      const refresher = new LeasedTokenRefresher({ lookup, store: kit.store });
      await refresher.ensureFresh(id, { force: true }); // warm discovery and the lease table
      expireAccessToken(kit.store, id);
      const started = performance.now();
      await refresher.ensureFresh(id);
      lone.push(performance.now() - started);
    }
    const storm: number[] = [];
    let requests = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const refresher = new LeasedTokenRefresher({ lookup, store: kit.store });
      await refresher.ensureFresh(id, { force: true });
      expireAccessToken(kit.store, id);
      oidc.resetCounters();
      const started = performance.now();
      await Promise.all(Array.from({ length: STORM }, () => refresher.ensureFresh(id)));
      storm.push(performance.now() - started);
      requests = Math.max(requests, oidc.counters.tokenRequests);
    }
    console.log(JSON.stringify({ bench: 'oauth.refresh_storm', callers: STORM, rounds: ROUNDS, maxTokenRequestsPerStorm: requests, loneRefreshMedianMs: round2(median(lone)), stormMedianMs: round2(median(storm)), ratio: round2(median(storm) / median(lone)) }));

    const complete: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const view = await manager.start('openai', { accountLabel: `bench-${round % 4}`, redirectMode: 'deep_link' });
      const back = await completeInBrowser(view.authorizationUrl);
      const started = performance.now();
      await manager.handleDeepLink(back.href);
      complete.push(performance.now() - started);
    }
    const configuration = await client.discovery(new URL(oidc.issuer), PUBLIC_CLIENT_ID, undefined, client.None(), { execute: [client.allowInsecureRequests] });
    const tokenOnly: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const redirectUri = `${FAKE_DEEP_LINK_SCHEME}:/oauth/openai/callback`;
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUri,
        scope: 'openid email offline_access',
        state,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const back = await completeInBrowser(url.href);
      const started = performance.now();
      await client.authorizationCodeGrant(configuration, back, { pkceCodeVerifier: verifier, expectedState: state });
      tokenOnly.push(performance.now() - started);
    }
    console.log(JSON.stringify({ bench: 'oauth.callback_overhead', rounds: ROUNDS, completeMedianMs: round2(median(complete)), tokenRequestMedianMs: round2(median(tokenOnly)), overheadMs: round2(median(complete) - median(tokenOnly)) }));
  } finally {
    await manager.dispose();
    kit.dispose();
    await oidc.close();
  }
}

await main();
