import { createCore, type Core } from '../../../src-main/core/create-core.js';
import { completeInBrowser } from '../../../test/fakes/browser-login.js';
import { openaiOAuthEnv, startRemoteAuthorizationServer } from '../authorization-server.js';
import type { Benchmark, BenchContext, BenchRow, Invariant } from '../bench-types.js';
import { pairedRow } from '../bench-types.js';
import { benchEnv } from '../fixtures.js';
import { millisOf, paired } from '../harness.js';

/** Signs in to the OpenAI-style provider through the real flow (deep link); returns the credential id. */
export async function signInOpenAi(core: Core): Promise<string> {
  const started = await core.auth.startOAuth({ provider: 'openai', redirectMode: 'deep_link' });
  if (!started.ok) throw new Error(`could not start the sign-in: ${started.error.message}`);
  const back = await completeInBrowser(started.value.authorizationUrl);
  const done = await core.auth.handleDeepLink(back.href);
  if (!done.ok) throw new Error(`the sign-in failed: ${done.error.message}`);
  const meta = core.store.list({ provider: 'openai', authMethod: 'oauth' })[0];
  if (meta === undefined) throw new Error('the sign-in stored nothing');
  return meta.id;
}

/** Makes the stored access token expired, with the store's own compare-and-swap write (not timed). */
function expire(core: Core, id: string): void {
  const row = core.store.get(id);
  if (row === null || row.credential.kind !== 'oauth') throw new Error('no OAuth credential to expire');
  const at = Date.now() - 1_000;
  const outcome = core.store.rotate({
    id,
    expectedGeneration: row.meta.generation,
    credential: { ...row.credential, expiresAt: at },
    expiresAt: at,
  });
  if (!outcome.ok) throw new Error(`could not expire the credential: ${outcome.reason}`);
}

/**
 * The refresh storm: `stormSize` concurrent resolve() on an expired token against the local
 * authorization server (its own process) must make exactly one token request, and take at most
 * 1.2× one lone resolve() that refreshes.
 */
export const refreshStormBenchmark: Benchmark = {
  id: 'refresh-storm',
  title: 'Refresh storm: concurrent resolve() on an expired token vs one lone refresh',
  async run(context: BenchContext): Promise<BenchRow[]> {
    const { settings } = context;
    const server = await startRemoteAuthorizationServer();
    context.defer(() => server.close());
    const core = await createCore({
      dataDir: context.tempDir('maestro-bench-storm-'),
      env: benchEnv(openaiOAuthEnv(server.issuer)),
      purpose: 'bench',
    });
    context.defer(() => core.dispose());
    const id = await signInOpenAi(core);
    const stormRequests: number[] = [];
    const distinctTokens: number[] = [];
    let failures = 0;
    const storm = async (): Promise<number> => {
      expire(core, id);
      await server.reset();
      let results: Awaited<ReturnType<typeof core.auth.resolve>>[] = [];
      const ms = await millisOf(async () => {
        results = await Promise.all(Array.from({ length: settings.stormSize }, () => core.auth.resolve('openai')));
      });
      stormRequests.push(await server.tokenRequests());
      failures += results.filter((result) => !result.ok).length;
      distinctTokens.push(new Set(results.map((result) => (result.ok ? result.value.secret : ''))).size);
      return ms;
    };
    const lone = async (): Promise<number> => {
      expire(core, id);
      // Set inside the timed closure, so an object: a local `let` would stay narrowed to `false`.
      const outcome = { ok: false };
      const ms = await millisOf(async () => {
        outcome.ok = (await core.auth.resolve('openai')).ok;
      });
      if (!outcome.ok) failures += 1;
      return ms;
    };
    const result = await paired({ rounds: settings.stormRounds, warmup: 1, ours: storm, baseline: lone });
    const invariants: Invariant[] = [
      {
        name: 'exactly one token request per storm',
        ok: stormRequests.every((count) => count === 1),
        detail: `token requests per storm: ${stormRequests.join(', ')}`,
      },
      {
        name: 'every caller gets the same fresh token',
        ok: failures === 0 && distinctTokens.every((count) => count === 1),
        detail: `${failures} failed resolves; distinct tokens per storm: ${distinctTokens.join(', ')}`,
      },
    ];
    return [
      pairedRow({
        id: 'refresh-storm',
        name: `refresh storm, ${settings.stormSize} concurrent resolve()`,
        unit: 'ms',
        baselineName: 'one lone refresh',
        result,
        target: { kind: 'ratio', max: 1.2 },
        invariants,
        notes: ['authorization server: oidc-provider (test/fakes) in its own process; refresh tokens rotate'],
      }),
    ];
  },
};
