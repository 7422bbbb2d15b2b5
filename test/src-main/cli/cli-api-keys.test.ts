import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAnthropicApi, FakeGoogleApi, FakeOpenAiApi } from '../../fakes/index.js';
import { refusedUrl, startAnthropicApi, startGoogleApi, startOpenAiApi } from '../../fakes/index.js';
import { findCanaries } from '../../support/canary-scan.js';
import { cliEnv, runCli } from '../../support/run-cli.js';

/** The real program against the fake providers, with a temporary data directory. */
const ANTHROPIC_KEY = 'sk-ant-api03-CANARY-anthropic-0123456789abcdef';
const OPENAI_KEY = 'sk-proj-CANARY-openai-0123456789abcdefghij';
const GOOGLE_KEY = 'AIzaSyCANARY-google-0123456789abcdefgh';
const WORK_KEY = 'sk-ant-api03-CANARY-work-account-fedcba9876543210';

let anthropic: FakeAnthropicApi;
let openai: FakeOpenAiApi;
let google: FakeGoogleApi;
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  [anthropic, openai, google] = await Promise.all([startAnthropicApi(), startOpenAiApi(), startGoogleApi()]);
  anthropic.validKeys.add(ANTHROPIC_KEY);
  anthropic.validKeys.add(WORK_KEY);
  openai.validKeys.add(OPENAI_KEY);
  google.validKeys.add(GOOGLE_KEY);
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-cli-'));
  env = cliEnv({
    THE_MAESTRO_DATA_DIR: dataDir,
    THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
    THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
    THE_MAESTRO_GOOGLE_API_BASE_URL: google.url,
  });
});

afterAll(async () => {
  await Promise.all([anthropic.close(), openai.close(), google.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

interface StatusJson {
  activeProvider: string | null;
  providers: {
    id: string;
    availableMethods: string[];
    unavailableMethods: { method: string; reason: string }[];
    source: string | null;
    state: string;
    account: string | null;
    maskedKey: string | null;
    selectedModel: string | null;
  }[];
}

async function status(extraEnv: NodeJS.ProcessEnv = {}): Promise<StatusJson> {
  const run = await runCli(['status', '--json'], { ...env, ...extraEnv });
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as StatusJson;
}

describe('the-maestro with API keys', () => {
  it('shows all three providers with their methods, and why OAuth and env are not available', async () => {
    const view = await status();
    expect(view.providers.map((provider) => provider.id)).toEqual(['anthropic', 'google', 'openai']);
    for (const provider of view.providers) {
      expect(provider.state).toBe('missing');
      // Sign in with ChatGPT needs no configuration; the others need their own OAuth client.
      if (provider.id === 'openai') {
        expect(provider.availableMethods).toEqual(['oauth', 'api_key']);
        expect(provider.unavailableMethods.map((item) => item.method)).toEqual(['env']);
        continue;
      }
      expect(provider.availableMethods).toEqual(['api_key']);
      expect(provider.unavailableMethods.map((item) => item.method)).toEqual(['oauth', 'env']);
    }
    const withEnv = await status({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_OAUTH_CLIENT_ID: 'my-client' });
    const openaiView = withEnv.providers.find((provider) => provider.id === 'openai');
    expect(openaiView?.availableMethods).toEqual(['oauth', 'api_key', 'env']);
    expect(openaiView?.source).toBe('env');
    expect(JSON.stringify(withEnv)).not.toContain(OPENAI_KEY);
  });

  it('rejects a wrong key with exit 3 and a clear message, and stores nothing', async () => {
    const run = await runCli(['login', 'google', '--api-key-stdin'], env, 'AIzaSy-not-a-valid-key-000000000\n');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Google/);
    expect(run.stderr).toMatch(/key/i);
    expect(run.stderr).not.toContain('AIzaSy-not-a-valid-key');
    expect((await status()).providers.find((provider) => provider.id === 'google')?.state).toBe('missing');
  });

  it('saves a valid key for each provider after validating it live, and lists its models', async () => {
    for (const [provider, key] of [
      ['anthropic', ANTHROPIC_KEY],
      ['openai', OPENAI_KEY],
      ['google', GOOGLE_KEY],
    ] as const) {
      const run = await runCli(['login', provider, '--api-key-stdin'], env, `${key}\n`);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(key.slice(-4));
      expect(run.stdout).not.toContain(key);
    }
    const view = await status();
    for (const provider of view.providers) {
      expect(provider).toMatchObject({ state: 'valid', source: 'api_key', account: 'default' });
    }
    const models = await runCli(['models', 'google', '--json'], env);
    expect(models.code).toBe(0);
    const list = JSON.parse(models.stdout) as { models: { id: string }[]; stale: boolean };
    expect(list.stale).toBe(false);
    expect(list.models.length).toBeGreaterThan(0);
    expect(list.models.every((model) => !model.id.startsWith('models/'))).toBe(true);
  });

  it('prints a working credential for scripts with `token`', async () => {
    const plain = await runCli(['token', 'anthropic'], env);
    expect(plain).toMatchObject({ code: 0, stdout: `${ANTHROPIC_KEY}\n` });
    const json = JSON.parse((await runCli(['token', 'anthropic', '--json'], env)).stdout) as {
      source: string;
      headers: Record<string, string>;
    };
    expect(json.source).toBe('api_key');
    expect(json.headers).toEqual({ 'x-api-key': ANTHROPIC_KEY, 'anthropic-version': '2026-10-21' });
  });

  it('keeps a second account and switches between them with `use`', async () => {
    expect((await runCli(['login', 'anthropic', '--api-key-stdin', '--account', 'work'], env, WORK_KEY)).code).toBe(0);
    expect((await runCli(['token', 'anthropic'], env)).stdout.trim()).toBe(WORK_KEY);
    expect((await runCli(['use', 'anthropic', '--account', 'default'], env)).code).toBe(0);
    expect((await runCli(['token', 'anthropic'], env)).stdout.trim()).toBe(ANTHROPIC_KEY);
    const unknown = await runCli(['use', 'anthropic', '--account', 'nobody'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('nobody');
  });

  it('selects a model from the list and refuses one that is not in it', async () => {
    expect((await runCli(['models', 'openai'], env)).code).toBe(0);
    const chosen = await runCli(['use', 'openai', '--model', 'gpt-5'], env);
    expect(chosen.code).toBe(0);
    expect((await status()).providers.find((provider) => provider.id === 'openai')?.selectedModel).toBe('gpt-5');
    expect((await runCli(['use', 'openai', '--model', 'no-such-model'], env)).code).toBe(2);
  });

  it('serves the cached model list, marked stale, when the provider is down, and exits 4 when it cannot validate', async () => {
    openai.setMode({ kind: 'status', status: 503 });
    try {
      const models = await runCli(['models', 'openai', '--refresh', '--json'], env);
      expect(models.code).toBe(0);
      expect(JSON.parse(models.stdout)).toMatchObject({ stale: true, error: { code: 'provider_unavailable' } });
      const login = await runCli(['login', 'openai', '--api-key-stdin', '--account', 'spare'], env, OPENAI_KEY);
      expect(login.code).toBe(4);
      expect(login.stderr).toContain('--no-validate');
      // The other providers keep working while one is down.
      expect((await runCli(['models', 'anthropic', '--refresh'], env)).code).toBe(0);
    } finally {
      openai.setMode({ kind: 'ok' });
    }
  });

  it('stores a key unvalidated only when asked, when the provider cannot be reached', async () => {
    const refused = await refusedUrl();
    const offline = { ...env, THE_MAESTRO_GOOGLE_API_BASE_URL: refused };
    const denied = await runCli(['login', 'google', '--api-key-stdin', '--account', 'offline'], offline, GOOGLE_KEY);
    expect(denied.code).toBe(4);
    const stored = await runCli(
      ['login', 'google', '--api-key-stdin', '--account', 'offline', '--no-validate'],
      offline,
      GOOGLE_KEY,
    );
    expect(stored.code).toBe(0);
    expect(stored.stdout).toContain('not validated');
  });

  it('logs out one account and leaves the others', async () => {
    const run = await runCli(['logout', 'anthropic', '--account', 'work'], env);
    expect(run.code).toBe(0);
    expect((await runCli(['token', 'anthropic', '--account', 'work'], env)).code).toBe(3);
    expect((await runCli(['token', 'anthropic'], env)).code).toBe(0);
  });

  it('exits 3 with the chain’s findings when nothing works, and 2 for an unknown provider', async () => {
    const none = await runCli(['token', 'openai', '--account', 'nobody'], env);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/oauth: .*; api_key: .*; env: /);
    const json = await runCli(['token', 'openai', '--account', 'nobody', '--json'], env);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'not_authenticated', provider: 'openai' } });
    expect((await runCli(['status', 'mistral'], env)).code).toBe(2);
    expect((await runCli(['token', 'mistral'], env)).code).toBe(2);
  });

  it('leaves no plaintext secret anywhere in the data directory', () => {
    expect(findCanaries(dataDir, [ANTHROPIC_KEY, OPENAI_KEY, GOOGLE_KEY, WORK_KEY], ['master.key'])).toEqual([]);
  });
});
