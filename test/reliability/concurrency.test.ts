import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/create-core.js';
import { completeInBrowser } from '../fakes/browser-login.js';
import type { FakeAnthropicApi, FakeGoogleApi } from '../fakes/index.js';
import { startAnthropicApi, startGoogleApi } from '../fakes/index.js';
import { FAKE_DEEP_LINK_SCHEME, PUBLIC_CLIENT_ID, startOidcServer, type OidcServer } from '../fakes/oauth-server.js';
import { bundleChild, type ChildBundle } from './support/child-bundle.js';
import { FigureRecorder, LONG_RUN } from './support/figures.js';
import { cliEnv, runCli, type CliRun } from '../support/run-cli.js';
import { collect } from '../support/storage/child-process.js';
import { makeTempDir } from '../support/storage/temp-dir.js';

/**
 * The app (an in-process core) and two command-line processes sharing one data directory,
 * saving keys, refreshing OAuth tokens, switching and logging out at the same time: no lost
 * update, exactly one refresh per expiry (counted at the authorization server), and no
 * "database is locked" in anything a person sees.
 */
// At least 20 expiries in CI: a race that loses one round in ten shows up.
const REFRESH_ROUNDS = LONG_RUN ? 60 : 20;
const LOCKED = /database is locked|SQLITE_BUSY|disk I\/O error/i;
const figures = new FigureRecorder('concurrency');

let oidc: OidcServer;
let anthropic: FakeAnthropicApi;
let google: FakeGoogleApi;
let temp: ReturnType<typeof makeTempDir>;
let env: NodeJS.ProcessEnv;
let core: Core;
let openChild: ChildBundle;
let sessionChild: ChildBundle;

beforeAll(async () => {
  [oidc, anthropic, google, openChild, sessionChild] = await Promise.all([
    startOidcServer({ accessTokenTtlSeconds: 3_600 }),
    startAnthropicApi(),
    startGoogleApi(),
    bundleChild(new URL('./support/open-child.ts', import.meta.url)),
    bundleChild(new URL('./support/session-child.ts', import.meta.url)),
  ]);
  temp = makeTempDir('maestro-concurrency-');
  env = {
    THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
    THE_MAESTRO_GOOGLE_API_BASE_URL: google.url,
    THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
    // An organisation's client, configured to come back by deep link (Sign in with ChatGPT itself is loopback only).
    THE_MAESTRO_OPENAI_OAUTH_REDIRECT_MODE: 'deep_link',
    THE_MAESTRO_OPENAI_OAUTH_ISSUER: oidc.issuer,
    THE_MAESTRO_DEEP_LINK_SCHEME: FAKE_DEEP_LINK_SCHEME,
  };
  core = await createCore({ dataDir: temp.dir, env, purpose: 'test' });
  const started = await core.auth.startOAuth({ provider: 'openai', redirectMode: 'deep_link' });
  if (!started.ok) throw new Error(started.error.message);
  expect(await core.auth.handleDeepLink((await completeInBrowser(started.value.authorizationUrl)).href)).toMatchObject({
    ok: true,
  });
}, 180_000);

afterAll(async () => {
  await core.dispose();
  await Promise.all([oidc.close(), anthropic.close(), google.close()]);
  openChild.remove();
  sessionChild.remove();
  temp.remove();
  figures.write();
});

const cli = (args: readonly string[], input = ''): Promise<CliRun> =>
  runCli(args, cliEnv({ THE_MAESTRO_DATA_DIR: temp.dir, ...env }), input);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function expectNothingLocked(runs: readonly CliRun[]): void {
  for (const run of runs) {
    expect(`${run.stdout}${run.stderr}`).not.toMatch(LOCKED);
    // The plan credential's one-line label is all `token` may say on stderr (plan-credentials.ts).
    expect(run.stderr).toMatch(/^(the-maestro: This openai token spends your ChatGPT plan[^\n]*\n)?$/);
    expect(run.code).toBe(0);
  }
}

/** Makes the stored access token look expired, through the store's compare-and-swap. */
function expireOpenAi(): void {
  const meta = core.store.list({ provider: 'openai', authMethod: 'oauth' })[0];
  const row = meta === undefined ? null : core.store.get(meta.id);
  if (row === null || row.credential.kind !== 'oauth') throw new Error('no OpenAI sign-in');
  const at = Date.now() - 1_000;
  expect(
    core.store.rotate({
      id: row.meta.id,
      expectedGeneration: row.meta.generation,
      credential: { ...row.credential, expiresAt: at },
      expiresAt: at,
    }).ok,
  ).toBe(true);
}

describe('the app and two command-line processes on one data directory', () => {
  it(
    `refresh an expired token exactly once per expiry, all getting the same new token (${REFRESH_ROUNDS} expiries)`,
    { timeout: 600_000 },
    async () => {
      let extra = 0;
      let completed = 0;
      try {
        for (let round = 0; round < REFRESH_ROUNDS; round += 1) {
          expireOpenAi();
          oidc.resetCounters();
          // Two CLIs start together; the app asks again and again across the window in which they resolve.
          const clis = Promise.all([cli(['token', 'openai']), cli(['token', 'openai'])]);
          const inProcess: Promise<string>[] = [];
          for (let tick = 0; tick < 30; tick += 1) {
            inProcess.push(
              core.auth
                .resolve('openai')
                .then((result) => (result.ok ? result.value.secret : `error ${result.error.code}`)),
            );
            await sleep(50);
          }
          const runs = await clis;
          expectNothingLocked(runs);
          const tokens = new Set([...runs.map((run) => run.stdout.trim()), ...(await Promise.all(inProcess))]);
          const refreshes = oidc.counters.byGrant['refresh_token'] ?? 0;
          extra += Math.abs(refreshes - 1);
          expect(refreshes, `round ${round}`).toBe(1);
          expect(tokens.size, [...tokens].join(', ')).toBe(1);
          expect(await oidc.accessTokenWorks([...tokens][0] ?? '')).toBe(true);
          completed += 1;
        }
      } finally {
        figures.add({
          kind: 'check',
          target: 'refresh race: app + 2 CLIs per expiry',
          runs: completed,
          failures: extra,
          detail: 'refresh_token grants counted at the AS: exactly 1 per expiry',
        });
      }
    },
  );

  it(
    'save, switch and log out at the same time without losing a credential or showing a lock error',
    { timeout: 180_000 },
    async () => {
      // Null until every credential was checked: an aborted run records no "0 lost".
      let lost: number | null = null;
      let checked = 0;
      try {
        for (const account of ['doomed-1', 'doomed-2'])
          expect(
            (
              await core.auth.saveApiKey({
                provider: 'google',
                apiKey: `AIzaSy-${account}-00000000000000000`,
                account,
                validate: false,
              })
            ).ok,
          ).toBe(true);
        const cliA = (async () => {
          const runs: CliRun[] = [];
          for (let index = 0; index < 3; index += 1)
            runs.push(
              await cli(
                ['login', 'anthropic', '--api-key-stdin', '--no-validate', '--account', `cli-a-${index}`],
                `sk-ant-api03-cli-a-${index}-0000000000000000`,
              ),
            );
          return runs;
        })();
        const cliB = (async () => [
          await cli(['logout', 'google', '--account', 'doomed-1']),
          await cli(['use', 'anthropic', '--account', 'core-0']),
          await cli(['logout', 'google', '--account', 'doomed-2']),
        ])();
        const app = (async () => {
          const results = [];
          for (let index = 0; index < 12; index += 1) {
            results.push(
              await core.auth.saveApiKey({
                provider: 'anthropic',
                apiKey: `sk-ant-api03-core-${index}-000000000000000000`,
                account: `core-${index}`,
                validate: false,
              }),
            );
            results.push(await core.auth.setActiveProvider({ provider: index % 2 === 0 ? 'anthropic' : 'google' }));
            await sleep(60);
          }
          return results;
        })();
        const [a, b, c] = await Promise.all([cliA, cliB, app]);
        expectNothingLocked([...a, ...b]);
        for (const result of c) expect(result.ok, JSON.stringify(result)).toBe(true);
        const stored = new Map<string, string>();
        for (const meta of core.store.list({ provider: 'anthropic' })) {
          const row = core.store.get(meta.id);
          if (row?.credential.kind === 'api_key') stored.set(meta.accountLabel, row.credential.apiKey);
        }
        const expected: (readonly [string, string])[] = [
          ...[0, 1, 2].map((i) => [`cli-a-${i}`, `sk-ant-api03-cli-a-${i}-0000000000000000`] as const),
          ...Array.from({ length: 12 }, (_v, i) => [`core-${i}`, `sk-ant-api03-core-${i}-000000000000000000`] as const),
        ];
        lost = expected.filter(([account, key]) => stored.get(account) !== key).length;
        checked = expected.length;
        expect(lost).toBe(0);
        expect(core.store.list({ provider: 'google' }).map((meta) => meta.accountLabel)).toEqual([]);
      } finally {
        figures.add({
          kind: 'check',
          target: 'concurrent saves, switches, logouts (app + 2 CLIs)',
          runs: checked,
          failures: lost ?? 1,
          detail: 'credentials checked, written by three processes: all present; no lock error shown',
        });
      }
    },
  );

  it(
    `starts on a fresh data directory when four processes open it at the same moment (${LONG_RUN ? 20 : 4} rounds)`,
    { timeout: 180_000 },
    async () => {
      let failures = 0;
      let completed = 0;
      for (let round = 0; round < (LONG_RUN ? 20 : 4); round += 1) {
        const fresh = makeTempDir('maestro-fresh-race-');
        try {
          const startAt = Date.now() + 400;
          const outcomes = await Promise.all(
            [0, 1, 2, 3].map(() =>
              collect(
                spawn(process.execPath, [openChild.file, `${fresh.dir}/data`, String(startAt)], {
                  stdio: ['ignore', 'pipe', 'pipe'],
                }),
              ),
            ),
          );
          const oks = outcomes.map(
            (outcome) => (JSON.parse(outcome.stdout.trim() || '{}') as { ok?: boolean }).ok === true,
          );
          if (oks.includes(false)) failures += 1;
          expect(oks, outcomes.map((outcome) => outcome.stdout + outcome.stderr).join('\n')).toEqual([
            true,
            true,
            true,
            true,
          ]);
          completed += 1;
        } finally {
          fresh.remove();
        }
      }
      figures.add({
        kind: 'check',
        target: 'four processes create one data directory at once',
        runs: completed,
        failures,
      });
    },
  );

  // SessionManager.update() is one read-modify-write transaction (store.updateState): a session
  // change another process makes at the same moment is never overwritten.
  it(
    'keeps a session change made by the app while a command-line process changes another provider’s model',
    { timeout: 120_000 },
    async () => {
      const child = spawn(process.execPath, [sessionChild.file, temp.dir, 'anthropic', '1500'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const done = collect(child);
      await once(child.stdout, 'data');
      let lost = 0;
      let changes = 0;
      for (let index = 0; index < 10; index += 1) {
        expect((await core.auth.selectModel({ provider: 'google', model: `gemini-pick-${index}` })).ok).toBe(true);
        await sleep(30);
        const selected = (
          core.store.getState('session') as { providers?: Record<string, { selectedModel?: string }> } | null
        )?.providers?.['google']?.selectedModel;
        if (selected !== `gemini-pick-${index}`) lost += 1;
        changes += 1;
      }
      await done;
      figures.add({ kind: 'check', target: 'session change survives another process', runs: changes, failures: lost });
      expect(lost).toBe(0);
    },
  );
});
