import { createHash, randomBytes } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import { join } from 'node:path';
import { loadConfig } from '../../../src-main/config/load-config.js';
import { OAuthClients } from '../../../src-main/core/oauth/oauth-client.js';
import { PkceFlowManager } from '../../../src-main/core/oauth/flow-manager.js';
import type { OAuthProviderContext } from '../../../src-main/core/oauth/oauth-types.js';
import { defaultCliKeyProviders, openCredentialStore } from '../../../src-main/core/store/open-store.js';
import { openaiDefinition } from '../../../src-main/core/providers/openai.js';
import { ProviderRegistry } from '../../../src-main/core/providers/registry.js';
import { completeInBrowser } from '../../../test/fakes/browser-login.js';
import { PUBLIC_CLIENT_ID } from '../../../test/fakes/oauth-server.js';
import { openaiOAuthEnv, startRemoteAuthorizationServer } from '../authorization-server.js';
import type { Benchmark, BenchContext, BenchRow, Invariant } from '../bench-types.js';
import { pairedRow } from '../bench-types.js';
import { benchEnv, realisticOAuthCredential } from '../fixtures.js';
import { median, nowMs, paired, quantile } from '../harness.js';
import type { SqliteCredentialStore } from '../../../src-main/core/store/sqlite/sqlite-store.js';

/** The flow manager as the core composes it, over a real store, with OpenAI as its ProviderAuth hands it over (definition + the configuration the env gives). */
export async function composeFlows(
  dataDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{
  flows: PkceFlowManager;
  clients: OAuthClients;
  openai: OAuthProviderContext;
  store: SqliteCredentialStore;
  puts: number[];
  close: () => Promise<void>;
}> {
  const registry = new ProviderRegistry();
  const config = loadConfig({ file: join(dataDir, 'config.json'), definitions: registry.definitions, env });
  const { store } = await openCredentialStore({ dataDir, keyProviders: defaultCliKeyProviders(dataDir, env) });
  // Each commit the completion makes, timed where it happens (after the token response), to
  // show the durable commit's real share: back-to-back commits on a warm CPU cost less.
  const puts: number[] = [];
  const put = store.put.bind(store);
  store.put = (input) => {
    const start = nowMs();
    try {
      return put(input);
    } finally {
      puts.push(nowMs() - start);
    }
  };
  const openaiConfig = config.providers.get(openaiDefinition.id);
  if (openaiConfig === undefined) throw new Error('no OpenAI configuration was resolved');
  const clients = new OAuthClients({});
  const flows = new PkceFlowManager({ store, clients });
  return {
    flows,
    clients,
    openai: { definition: openaiDefinition, config: openaiConfig },
    store,
    puts,
    close: async () => {
      await flows.dispose();
      store.close();
    },
  };
}

/** When the token request of a timed completion was handed to the connection and when its response headers came back. */
interface TokenRequestTimes {
  created: number | undefined;
  headers: number | undefined;
}

export interface TokenRequestWatch {
  current: TokenRequestTimes;
  connections(): number;
  stop(): void;
}

/**
 * Watches the HTTP client (undici's diagnostics channels, the same client under both sides'
 * fetch) for token requests and new connections, so the report can say where each side's time
 * went and that both reused the kept-alive connection. Observing does not change the path measured.
 */
export function watchTokenRequests(tokenPath: string): TokenRequestWatch {
  let connections = 0;
  const watch = {
    current: { created: undefined, headers: undefined } as TokenRequestTimes,
    connections: () => connections,
    stop: () => {
      diagnosticsChannel.unsubscribe('undici:request:create', onCreate);
      diagnosticsChannel.unsubscribe('undici:request:headers', onHeaders);
      diagnosticsChannel.unsubscribe('undici:client:connected', onConnected);
    },
  };
  const isToken = (message: unknown): boolean => {
    const request = (message as { request?: { path?: unknown } }).request;
    return typeof request?.path === 'string' && request.path.startsWith(tokenPath);
  };
  function onCreate(message: unknown): void {
    if (isToken(message)) watch.current.created = nowMs();
  }
  function onHeaders(message: unknown): void {
    if (isToken(message)) watch.current.headers = nowMs();
  }
  function onConnected(): void {
    connections += 1;
  }
  diagnosticsChannel.subscribe('undici:request:create', onCreate);
  diagnosticsChannel.subscribe('undici:request:headers', onHeaders);
  diagnosticsChannel.subscribe('undici:client:connected', onConnected);
  return watch;
}

/** One timed side of a round, split at the token request: before it is sent, waiting for its response, after it. */
export interface Phases {
  readonly before: number;
  readonly request: number;
  readonly after: number;
  readonly newConnections: number;
}

export async function timedPhases(
  watch: TokenRequestWatch,
  fn: () => Promise<unknown>,
): Promise<{ total: number; phases: Phases | undefined }> {
  watch.current = { created: undefined, headers: undefined };
  const connectionsBefore = watch.connections();
  const start = nowMs();
  await fn();
  const end = nowMs();
  const { created, headers } = watch.current;
  const newConnections = watch.connections() - connectionsBefore;
  const phases =
    created !== undefined && headers !== undefined
      ? { before: created - start, request: headers - created, after: end - headers, newConnections }
      : undefined;
  return { total: end - start, phases };
}

const ms = (values: readonly number[]): string => `${median(values).toFixed(2)} ms`;

/**
 * An authorization response for a request identical to ours (same client, scopes, redirect and
 * extra parameters), but with a PKCE verifier we know, so the baseline can spend the code itself.
 * The manager's own pending flow is cancelled.
 */
async function freshCode(
  flows: PkceFlowManager,
  openai: OAuthProviderContext,
): Promise<{ code: string; verifier: string; redirectUri: string }> {
  const view = await flows.start(openai, { accountLabel: 'baseline', redirectMode: 'deep_link' });
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

export function millisOfSync(fn: () => unknown): number {
  const start = nowMs();
  fn();
  return nowMs() - start;
}

/** The bare token request: one POST to the token endpoint with the code, read the JSON. */
async function bareTokenRequest(
  tokenEndpoint: string,
  input: { code: string; verifier: string; redirectUri: string },
): Promise<boolean> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: input.code,
      redirect_uri: input.redirectUri,
      client_id: PUBLIC_CLIENT_ID,
      code_verifier: input.verifier,
    }),
  });
  const body = (await response.json()) as { access_token?: unknown };
  return response.ok && typeof body.access_token === 'string';
}

/**
 * Completing a callback through PkceFlowManager (parse the deep link, match and validate state
 * and iss, exchange the code through openid-client, seal and commit the credential) versus the
 * floor any completion has: the bare token request for an equally fresh code plus one durable
 * commit of a credential of the same size (issue 13 restated this row: a completion must commit,
 * a bare request does not). Browser steps are outside the timing.
 */
export const callbackBenchmark: Benchmark = {
  id: 'callback',
  title: 'Callback completion vs the bare token request + one durable commit',
  async run(context: BenchContext): Promise<BenchRow[]> {
    const { settings } = context;
    const server = await startRemoteAuthorizationServer();
    context.defer(() => server.close());
    const env = benchEnv(openaiOAuthEnv(server.issuer));
    const { flows, openai, store, puts, close } = await composeFlows(context.tempDir('maestro-bench-callback-'), env);
    context.defer(close);
    const tokenEndpoint = `${server.issuer}/oauth/token`;
    const watch = watchTokenRequests(new URL(tokenEndpoint).pathname);
    context.defer(() => watch.stop());
    const warmup = 2;
    const phases: { ours: Phases[]; baseline: Phases[] } = { ours: [], baseline: [] };
    const inSituPuts: number[] = [];
    let unobserved = 0;
    let refused = 0;
    const record = (side: Phases[], measured: Phases | undefined): void => {
      if (measured === undefined) unobserved += 1;
      else side.push(measured);
    };
    const ours = async (): Promise<number> => {
      const view = await flows.start(openai, { accountLabel: 'default', redirectMode: 'deep_link' });
      const back = await completeInBrowser(view.authorizationUrl);
      puts.length = 0;
      const { total, phases: measured } = await timedPhases(watch, async () => {
        await flows.handleDeepLink(openai, back.href).catch(() => {
          refused += 1;
        });
      });
      record(phases.ours, measured);
      inSituPuts.push(...puts);
      return total;
    };
    // The floor any completion has: the token request, then one durable commit of what it returned.
    const floorCredential = realisticOAuthCredential('openai');
    const baselinePuts: number[] = [];
    const baseline = async (): Promise<number> => {
      const input = await freshCode(flows, openai);
      const { total, phases: measured } = await timedPhases(watch, async () => {
        if (!(await bareTokenRequest(tokenEndpoint, input))) refused += 1;
        baselinePuts.push(
          millisOfSync(() =>
            store.put({
              provider: 'openai',
              authMethod: 'oauth',
              accountLabel: 'commit-floor',
              credential: floorCredential,
              expiresAt: floorCredential.expiresAt ?? null,
            }),
          ),
        );
      });
      record(phases.baseline, measured);
      return total;
    };
    await server.reset();
    const result = await paired({ rounds: settings.callbackRounds, warmup, ours, baseline });
    const requests = await server.tokenRequests();
    // The durable commit alone (synchronous=FULL: the WAL is fsynced before put returns), back to back.
    const credential = realisticOAuthCredential('openai');
    const commits = Array.from({ length: 9 }, () =>
      millisOfSync(() =>
        store.put({
          provider: 'openai',
          authMethod: 'oauth',
          accountLabel: 'commit-probe',
          credential,
          expiresAt: credential.expiresAt ?? null,
        }),
      ),
    );
    const expected = (settings.callbackRounds + warmup) * 2;
    const measuredOurs = phases.ours.slice(warmup);
    const measuredBaseline = phases.baseline.slice(warmup);
    const oursPuts = inSituPuts.slice(warmup);
    const newConnections = [...measuredOurs, ...measuredBaseline].reduce(
      (sum, measured) => sum + measured.newConnections,
      0,
    );
    const invariants: Invariant[] = [
      { name: 'every exchange succeeded', ok: refused === 0, detail: `${refused} refused` },
      {
        name: 'one token request per completion',
        ok: requests === expected,
        detail: `${requests} token requests for ${expected} exchanges`,
      },
      {
        name: 'one commit per completion',
        ok: inSituPuts.length === settings.callbackRounds + warmup,
        detail: `${inSituPuts.length} store.put for ${settings.callbackRounds + warmup} completions`,
      },
      {
        name: 'both sides reuse the kept-alive connection (same fetch, same dispatcher)',
        ok: unobserved === 0 && newConnections === 0,
        detail: `${newConnections} new connections in timed rounds; ${unobserved} token requests not observed`,
      },
    ];
    // The comparison this row made before issue 13 restated it, kept as information: the same
    // rounds with the baseline's commit taken out (a bare request commits nothing).
    const bare = result.samples.baseline.map((total, index) => total - (baselinePuts[warmup + index] ?? 0));
    const bareRatios = result.samples.ours.map((total, index) => total / (bare[index] ?? total));
    const bareResult = {
      ...result,
      baseline: median(bare),
      ratio: median(bareRatios),
      ratioIqr: [quantile(bareRatios, 0.25), quantile(bareRatios, 0.75)] as const,
    };
    const part = (side: readonly Phases[], key: 'before' | 'request' | 'after'): string =>
      ms(side.map((measured) => measured[key]));
    return [
      pairedRow({
        id: 'callback',
        name: 'callback completion (parse+validate+exchange+store)',
        unit: 'ms',
        baselineName: 'bare token request + one durable commit',
        result,
        target: { kind: 'ratio', max: 1.3 },
        invariants,
        notes: [
          'OpenAI style: deep link, PKCE, iss checked; the store commits with synchronous=FULL (fsync) before the login counts as done',
          `ours: ${part(measuredOurs, 'before')} before the token request is sent (parse, state/iss checks, openid-client builds the request), ` +
            `${part(measuredOurs, 'request')} waiting for its response, ${part(measuredOurs, 'after')} after it (openid-client checks the response and id_token, seal, commit)`,
          `baseline: ${part(measuredBaseline, 'before')} before the request is sent, ${part(measuredBaseline, 'request')} waiting, ${part(measuredBaseline, 'after')} reading the JSON and committing (the commit alone ${ms(baselinePuts.slice(warmup))})`,
          `the durable commit (store.put: validate, seal, write, fsync) takes ${ms(oursPuts)} inside the completion; back to back on a warm CPU ${ms(commits)} (median of ${commits.length})`,
        ],
      }),
      pairedRow({
        id: 'callback-bare',
        name: 'callback completion vs the bare token request alone (no commit)',
        unit: 'ms',
        baselineName: 'bare token request',
        result: bareResult,
        target: { kind: 'info' },
        notes: [
          'the same rounds as the row above, the baseline without its commit: a completion must commit, a bare request does not',
        ],
      }),
    ];
  },
};
