import { spawn } from 'node:child_process';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelName } from '../../src-shared/ipc-contract.js';
import { createCore, type Core } from '../../src-main/core/create-core.js';
import { forwardIpcEvents } from '../../src-main/ipc/ipc-events.js';
import { createIpcHandlers, type IpcHandlers } from '../../src-main/ipc/ipc-handlers.js';
import { createLogger } from '../../src-main/log/logger.js';
import { FilePreferencesStore } from '../../src-main/preferences/file-preferences.js';
import {
  ANTHROPIC_FAKE_CLIENT_ID,
  startAnthropicOAuthServer,
  type AnthropicOAuthServer,
} from '../fakes/anthropic-oauth.js';
import { completeInBrowser, pasteCodeOf } from '../fakes/browser-login.js';
import type { FakeAnthropicApi, FakeGoogleApi, FakeOpenAiApi } from '../fakes/index.js';
import { startAnthropicApi, startGoogleApi, startOpenAiApi } from '../fakes/index.js';
import { FAKE_DEEP_LINK_SCHEME, PUBLIC_CLIENT_ID, startOidcServer, type OidcServer } from '../fakes/oauth-server.js';
import { findCanaries } from '../support/canary-scan.js';
import { bundleChild } from './support/child-bundle.js';
import { FigureRecorder } from './support/figures.js';
import { cliEnv, runCli, type CliRun } from '../support/run-cli.js';
import { collect } from '../support/storage/child-process.js';
import { makeTempDir, readAllFiles } from '../support/storage/temp-dir.js';

/**
 * Canary credentials planted — API keys in the providers' shapes and in no known shape, plus every
 * OAuth token, code and refresh token the flows produce — then every flow run, error paths
 * included: none may appear in the logs (the logger's sink captured), in any IPC reply or event
 * (the real handlers), in command-line output (except `token`), in crash output, or in any file
 * of the data directory (outside the sealed rows, which are ciphertext).
 */
const KEYS = {
  anthropic: 'sk-ant-api03-CANARY-secrets-anthropic-00000000',
  openai: 'CANARY-opaque-openai-key-without-a-known-prefix-111',
  google: 'AIzaSyCANARY-secrets-google-2222222222222',
  refused: 'CANARY-refused-key-the-provider-rejects-33333333',
} as const;
const figures = new FigureRecorder('secrets');

let anthropic: FakeAnthropicApi;
let openai: FakeOpenAiApi;
let google: FakeGoogleApi;
let oidc: OidcServer;
let anthropicAs: AnthropicOAuthServer;
let temp: ReturnType<typeof makeTempDir>;
let env: NodeJS.ProcessEnv;
let core: Core;
let handlers: IpcHandlers;
const logLines: string[] = [];
const ipcTraffic: string[] = [];
const ipcEvents: string[] = [];
const cliOutputs: string[] = [];
const errorsInspected: string[] = [];
/** Every secret that existed during the run: planted keys, and each token, code and verifier-bearing URL seen. */
const canaries = new Set<string>(Object.values(KEYS));

beforeAll(async () => {
  [anthropic, openai, google, oidc, anthropicAs] = await Promise.all([
    startAnthropicApi({ validKeys: [KEYS.anthropic] }),
    startOpenAiApi({ validKeys: [KEYS.openai] }),
    startGoogleApi({ validKeys: [KEYS.google] }),
    startOidcServer({ accessTokenTtlSeconds: 3_600 }),
    startAnthropicOAuthServer({ accessTokenTtlSeconds: 3_600 }),
  ]);
  temp = makeTempDir('maestro-secrets-');
  env = {
    THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
    THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
    THE_MAESTRO_GOOGLE_API_BASE_URL: google.url,
    THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
    // An organisation's client, configured to come back by deep link (Sign in with ChatGPT itself is loopback only).
    THE_MAESTRO_OPENAI_OAUTH_REDIRECT_MODE: 'deep_link',
    THE_MAESTRO_OPENAI_OAUTH_ISSUER: oidc.issuer,
    THE_MAESTRO_OPENAI_OAUTH_LOOPBACK_PORTS: '0',
    ANTHROPIC_OAUTH_CLIENT_ID: ANTHROPIC_FAKE_CLIENT_ID,
    THE_MAESTRO_ANTHROPIC_OAUTH_ISSUER: anthropicAs.origin,
    THE_MAESTRO_DEEP_LINK_SCHEME: FAKE_DEEP_LINK_SCHEME,
  };
  const logger = createLogger({ sink: (line) => logLines.push(line), level: 'debug', scope: 'secrets-test' });
  core = await createCore({ dataDir: temp.dir, env, logger, purpose: 'test' });
  const ipc = createIpcHandlers({
    auth: core.auth,
    preferences: new FilePreferencesStore(`${temp.dir}/preferences.json`),
    logger,
  });
  // Every reply is recorded as it would cross the boundary (JSON over the web transport).
  handlers = ipc;
  forwardIpcEvents(core.auth, (event, payload) => ipcEvents.push(`${event} ${JSON.stringify(payload)}`), logger);
}, 60_000);

afterAll(async () => {
  await core.dispose();
  await Promise.all([anthropic.close(), openai.close(), google.close(), oidc.close(), anthropicAs.close()]);
  temp.remove();
  figures.write();
});

/** Adds the secrets of every stored OAuth credential to the canaries. */
function collectStoredTokens(): void {
  for (const meta of core.store.list({ authMethod: 'oauth' })) {
    const row = core.store.get(meta.id);
    if (row?.credential.kind !== 'oauth') continue;
    for (const secret of [row.credential.accessToken, row.credential.refreshToken, row.credential.idToken])
      if (secret !== undefined) canaries.add(secret);
  }
}

async function call(channel: ChannelName, payload: unknown): Promise<unknown> {
  const reply = await handlers[channel](payload);
  ipcTraffic.push(`${channel} ${JSON.stringify(reply)}`);
  return reply;
}

function expectOk(reply: unknown): void {
  expect((reply as { ok?: unknown }).ok, JSON.stringify(reply)).toBe(true);
}

function recordError(value: unknown): void {
  errorsInspected.push(inspect(value, { depth: 10, showHidden: true }));
}

const cli = async (args: readonly string[], input = '', extra: NodeJS.ProcessEnv = {}): Promise<CliRun> => {
  const run = await runCli(
    args,
    cliEnv({ THE_MAESTRO_DATA_DIR: temp.dir, THE_MAESTRO_LOG: 'debug', ...env, ...extra }),
    input,
  );
  if (args[0] !== 'token') cliOutputs.push(`${args.join(' ')}\n${run.stdout}\n${run.stderr}`);
  return run;
};

describe('canary credentials through every flow', () => {
  it(
    'run: API keys, OAuth by deep link and paste, refresh, models, switching, errors, logout',
    { timeout: 90_000 },
    async () => {
      for (const provider of ['anthropic', 'openai', 'google'] as const)
        expectOk(await call('auth.saveApiKey', { provider, apiKey: KEYS[provider] }));
      expect(
        await call('auth.saveApiKey', { provider: 'openai', apiKey: KEYS.refused, account: 'refused' }),
      ).toMatchObject({ ok: false });
      for (const provider of ['anthropic', 'openai', 'google'] as const) {
        await call('auth.validate', { provider });
        await call('models.list', { provider, refresh: true });
      }
      // OAuth: OpenAI-style by deep link (main process path), Anthropic-style by paste over IPC.
      const started = (await call('auth.startOAuth', {
        provider: 'openai',
        account: 'oauth',
        redirectMode: 'deep_link',
      })) as { ok: true; value: { startUrl: string } };
      const back = await completeInBrowser(started.value.startUrl);
      canaries.add(back.searchParams.get('code') ?? '');
      expectOk(await core.auth.handleDeepLink(back.href));
      const pasteFlow = (await call('auth.startOAuth', {
        provider: 'anthropic',
        account: 'oauth',
        redirectMode: 'paste',
      })) as { ok: true; value: { flowId: string; startUrl: string } };
      const pasted = await completeInBrowser(pasteFlow.value.startUrl);
      canaries.add(pasted.searchParams.get('code') ?? '');
      expect(
        await call('auth.submitPastedCode', {
          flowId: pasteFlow.value.flowId,
          pasted: `${pasted.searchParams.get('code') ?? ''}#forged-state`,
        }),
      ).toMatchObject({ ok: false });
      expectOk(await call('auth.submitPastedCode', { flowId: pasteFlow.value.flowId, pasted: pasteCodeOf(pasted) }));
      collectStoredTokens();
      // Refresh (forced) and a failing refresh.
      expectOk(await core.auth.resolve('openai', { account: 'oauth', forceRefresh: true }));
      collectStoredTokens();
      oidc.setTokenFailure('unavailable');
      recordError(await core.auth.resolve('openai', { account: 'oauth', forceRefresh: true }));
      oidc.setTokenFailure('none');
      // Forged and replayed callbacks, a denied authorization.
      recordError(await core.auth.handleDeepLink(back.href));
      recordError(await core.auth.handleDeepLink(back.href.replace(/state=[^&]+/, 'state=forged')));
      oidc.denyNextAuthorization();
      const denied = (await call('auth.startOAuth', {
        provider: 'openai',
        account: 'denied',
        redirectMode: 'deep_link',
      })) as { ok: true; value: { startUrl: string } };
      recordError(await core.auth.handleDeepLink((await completeInBrowser(denied.value.startUrl)).href));
      // Providers failing, one echoing the credential it received.
      google.setMode({
        kind: 'status',
        status: 400,
        code: 'API_KEY_INVALID',
        message: `API key not valid: ${KEYS.google}`,
      });
      openai.setMode({ kind: 'status', status: 403, code: KEYS.openai, message: `Not allowed for ${KEYS.openai}` });
      anthropic.setMode({ kind: 'drop' });
      // The API-key accounts are in use: a provider can only echo the credential it was sent.
      for (const provider of ['anthropic', 'openai'] as const)
        await call('session.setActiveProvider', { provider, account: 'default' });
      for (const provider of ['anthropic', 'openai', 'google'] as const) {
        recordError(await call('auth.validate', { provider }));
        recordError(await call('models.list', { provider, refresh: true }));
      }
      for (const fake of [google, openai, anthropic]) fake.setMode({ kind: 'ok' });
      await call('session.setActiveProvider', { provider: 'openai', account: 'oauth' });
      await call('accounts.rename', { provider: 'anthropic', from: 'oauth', to: 'signed-in' });
      await call('settings.update', { fallbackOrder: ['api_key', 'oauth', 'env'] });
      await call('session.get', {});
      await call('providers.list', {});
      // The command line on the same data directory, debug logs on.
      await cli(['status', '--json']);
      await cli(['status']);
      await cli(['models', 'google', '--refresh']);
      await cli(['use', 'openai', '--account', 'oauth']);
      await cli(['login', 'openai', '--api-key-stdin', '--account', 'cli'], KEYS.refused);
      await cli(['login', 'google', '--api-key-stdin', '--account', 'cli', '--no-validate'], KEYS.google);
      await cli(['token', 'openai', '--account', 'oauth']);
      await cli(['token', 'anthropic', '--account', 'nobody']);
      await cli(['logout', 'google', '--account', 'cli']);
      expectOk(await call('auth.logout', { provider: 'openai', account: 'oauth' }));
      expect(logLines.length).toBeGreaterThan(10);
      expect(ipcTraffic.length).toBeGreaterThan(25);
      expect(canaries.size).toBeGreaterThan(10);
    },
  );

  const places: readonly (readonly [string, () => Promise<string[]>])[] = [
    ['logs (captured sink, debug level)', async () => logLines],
    ['IPC replies', async () => ipcTraffic],
    ['IPC events', async () => ipcEvents],
    ['errors as a crash would print them (util.inspect)', async () => errorsInspected],
    ['command-line output except `token`', async () => cliOutputs],
    [
      'crash output of a process using the credentials',
      async () => {
        const child = await bundleChild(new URL('./support/crash-output-child.ts', import.meta.url));
        try {
          google.setMode({
            kind: 'status',
            status: 400,
            code: 'API_KEY_INVALID',
            message: `API key not valid: ${KEYS.google}`,
          });
          const outcome = await collect(
            spawn(process.execPath, [child.file, temp.dir, JSON.stringify(env)], { stdio: ['ignore', 'pipe', 'pipe'] }),
          );
          expect(outcome.code).not.toBe(0);
          expect(outcome.stdout).toMatch(/resolved [1-3]/);
          expect(outcome.stderr).toContain('The Maestro crashed');
          return [outcome.stdout, outcome.stderr];
        } finally {
          google.setMode({ kind: 'ok' });
          child.remove();
        }
      },
    ],
  ];

  it.each(places.map(([name, read]) => [name, read]))('leaves no canary in %s', async (name, read) => {
    const texts = await read();
    const leaks = [...canaries].filter((canary) => canary.length >= 8 && texts.some((text) => text.includes(canary)));
    figures.add({
      kind: 'canary',
      target: name,
      runs: texts.length,
      failures: leaks.length,
      detail: `${texts.length} texts from this place, ${canaries.size} canaries`,
    });
    expect(leaks.map((leak) => `${leak.slice(0, 14)}…`)).toEqual([]);
  });

  it('leaves no canary in any file of the data directory (database, -wal, -shm, preferences, config)', () => {
    const hits = findCanaries(
      temp.dir,
      [...canaries].filter((canary) => canary.length >= 8),
      ['master.key'],
    );
    figures.add({
      kind: 'canary',
      target: 'files in the data directory',
      runs: [...readAllFiles(temp.dir).keys()].filter((file) => !file.endsWith('master.key')).length,
      failures: hits.length,
      detail: `files (master.key aside), ${canaries.size} canaries, every encoding`,
    });
    expect(hits).toEqual([]);
  });
});
