import { createHash, randomBytes } from 'node:crypto';
import { startRemoteAuthorizationServer } from '../authorization-server.js';
import type { Benchmark, BenchContext, BenchRow, Invariant } from '../bench-types.js';
import { pairedRow } from '../bench-types.js';
import { benchEnv, realisticOAuthCredential } from '../fixtures.js';
import { median, paired } from '../harness.js';
import { composeFlows, timedPhases, watchTokenRequests, type Phases } from './callback.js';

const RESOURCE = 'https://api.openai.com/v1';
const SCOPE = 'openid profile email offline_access resource.invoke chatgpt.tokens.use.direct';

/** What the browser does: GET the authorize URL, stop at the redirect back to the app. */
async function redirectOf(authorizationUrl: string): Promise<URL> {
  const response = await fetch(authorizationUrl, { redirect: 'manual' });
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) throw new Error(`authorize answered ${response.status}`);
  return new URL(location);
}

/** A code for the same issued client with a PKCE verifier the baseline knows (the browser step, untimed). */
async function freshCode(
  issuer: string,
  clientId: string,
  hostId: string,
): Promise<{ code: string; verifier: string; redirectUri: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const redirectUri = 'http://127.0.0.1:1455/auth/callback';
  const url = new URL(`${issuer}/api/accounts/authorize`);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: SCOPE,
    resource: RESOURCE,
    state: randomBytes(16).toString('base64url'),
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ext_agent_host_id: hostId,
  }))
    url.searchParams.set(name, value);
  const code = (await redirectOf(url.href)).searchParams.get('code');
  if (code === null) throw new Error('the SIWC fake returned no code');
  return { code, verifier, redirectUri };
}

/**
 * Completing a Sign-in-with-ChatGPT callback for a returning account (the issued client id; the
 * ID token's signature verified against the key set, `iss`, `aud`, `exp`, `nonce` and `sub`
 * checked; plan scope checked; the credential sealed and committed) versus the floor any such
 * completion has: the bare token request plus one durable commit, measured in the same run.
 */
export const siwcCallbackBenchmark: Benchmark = {
  id: 'siwc-callback',
  title: 'Sign in with ChatGPT: callback completion vs bare token request + one durable commit',
  async run(context: BenchContext): Promise<BenchRow[]> {
    const { settings } = context;
    const server = await startRemoteAuthorizationServer('siwc');
    context.defer(() => server.close());
    const env = benchEnv({
      THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
      THE_MAESTRO_OPENAI_OAUTH_ISSUER: server.issuer,
    });
    const { flows, clients, openai, store, puts, close } = await composeFlows(
      context.tempDir('maestro-bench-siwc-'),
      env,
    );
    context.defer(close);
    // Counts the ID-token signature checks, to show every timed completion made one.
    let signatureChecks = 0;
    const check = clients.signatures.check.bind(clients.signatures);
    clients.signatures.check = async (...args) => {
      await check(...args);
      signatureChecks += 1;
    };
    const watch = watchTokenRequests('/api/accounts/oauth/token');
    context.defer(() => watch.stop());
    let refused = 0;
    let registering = 0;
    const phases: Phases[] = [];
    const inSituPuts: number[] = [];
    /** One sign-in to the account; only the completion (from the pasted redirect) is timed. */
    const signIn = async (): Promise<number> => {
      const view = await flows.start(openai, { accountLabel: 'default' });
      if (new URL(view.authorizationUrl).searchParams.get('client_id') === 'dynamic_agent_client') registering += 1;
      const back = await redirectOf(view.authorizationUrl);
      puts.length = 0;
      const { total, phases: measured } = await timedPhases(watch, async () => {
        await flows.submitPasted(view.flowId, back.href).catch(() => {
          refused += 1;
        });
      });
      if (measured !== undefined) phases.push(measured);
      inSituPuts.push(...puts);
      return total;
    };
    // The first sign-in registers (and fetches the key set); the rows measure the returning ones.
    await signIn();
    const saved = store.find({ provider: 'openai', authMethod: 'oauth', accountLabel: 'default' })?.open();
    const clientId = saved?.kind === 'oauth' ? saved.clientId : undefined;
    const hostId = store.getState('installation.hostId');
    if (clientId === undefined || typeof hostId !== 'string') throw new Error('the first sign-in did not register');
    registering = 0;
    signatureChecks = 0;
    phases.length = 0;
    inSituPuts.length = 0;
    const credential = realisticOAuthCredential('openai');
    const baselinePhases: Phases[] = [];
    const baseline = async (): Promise<number> => {
      const input = await freshCode(server.issuer, clientId, hostId);
      const { total, phases: measured } = await timedPhases(watch, async () => {
        const response = await fetch(`${server.issuer}/api/accounts/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            client_id: clientId,
            code: input.code,
            code_verifier: input.verifier,
            redirect_uri: input.redirectUri,
            resource: RESOURCE,
          }),
        });
        const body = (await response.json()) as { access_token?: unknown };
        if (!response.ok || typeof body.access_token !== 'string') refused += 1;
        store.put({
          provider: 'openai',
          authMethod: 'oauth',
          accountLabel: 'commit-floor',
          credential,
          expiresAt: credential.expiresAt ?? null,
        });
      });
      if (measured !== undefined) baselinePhases.push(measured);
      return total;
    };
    const warmup = 2;
    await server.reset();
    const result = await paired({ rounds: settings.callbackRounds, warmup, ours: signIn, baseline });
    const requests = await server.tokenRequests();
    const completions = settings.callbackRounds + warmup;
    const oursPuts = inSituPuts;
    const invariants: Invariant[] = [
      { name: 'every exchange succeeded', ok: refused === 0, detail: `${refused} refused` },
      {
        name: 'every timed sign-in reused the issued client id',
        ok: registering === 0,
        detail: `${registering} registrations`,
      },
      {
        name: 'one token request per completion',
        ok: requests === completions * 2,
        detail: `${requests} token requests for ${completions * 2} exchanges`,
      },
      {
        name: 'one commit per completion',
        ok: oursPuts.length === completions,
        detail: `${oursPuts.length} store.put for ${completions} completions`,
      },
      {
        name: 'every completion verified the ID token signature',
        ok: signatureChecks === completions,
        detail: `${signatureChecks} signatures verified for ${completions} completions`,
      },
    ];
    const part = (side: readonly Phases[], key: 'before' | 'request' | 'after'): string =>
      `${median(side.slice(warmup).map((measured) => measured[key])).toFixed(2)} ms`;
    return [
      pairedRow({
        id: 'siwc-callback',
        name: 'Sign in with ChatGPT callback completion (client id, ID token incl. signature, exchange, store)',
        unit: 'ms',
        baselineName: 'bare token request + one durable commit',
        result,
        target: { kind: 'ratio', max: 1.3 },
        invariants,
        notes: [
          "a returning sign-in: the issued client id, resource, nonce; openid-client checks the ID token's claims, its signature is verified (node:crypto) against the cached key set",
          `ours: ${part(phases, 'before')} before the token request, ${part(phases, 'request')} waiting for it, ${part(phases, 'after')} after it (ID-token checks, account and plan checks, seal, commit)`,
          `baseline: ${part(baselinePhases, 'before')} before, ${part(baselinePhases, 'request')} waiting, ${part(baselinePhases, 'after')} after (JSON, commit)`,
          `the durable commit inside the completion: ${median(oursPuts.slice(warmup)).toFixed(2)} ms`,
        ],
      }),
    ];
  },
};
