import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../../src-main/agent/agent-server.js';
import { parseCommandLine } from '../../../src-main/cli/args.js';
import { createCore, type Core } from '../../../src-main/core/create-core.js';
import { GatewayController } from '../../../src-main/gateway/gateway-controller.js';
import { SealedGatewayKey } from '../../../src-main/gateway/gateway-key.js';
import type { FakeAnthropicApi, FakeGoogleApi, FakeOpenAiApi, RecordedRequest } from '../../fakes/index.js';
import { startAnthropicApi, startGoogleApi, startOpenAiApi } from '../../fakes/index.js';
import { cliEnv, runCli } from '../../support/run-cli.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

/**
 * `the-maestro exec --gateway`: the real command line asks the running agent (private socket) for
 * the gateway's address and key, and starts a node script in which the three official SDKs, built
 * with no options at all, reach the fakes through the gateway with the right account's key.
 */
const KEYS = {
  anthropic: {
    default: 'sk-ant-api03-execgw-anthropic-default-0000',
    work: 'sk-ant-api03-execgw-anthropic-work-11111',
  },
  openai: { default: 'sk-proj-execgw-openai-default-22222222222', work: 'sk-proj-execgw-openai-work-3333333333333' },
  google: { default: 'AIzaSyExecGw-google-default-44444444444', work: 'AIzaSyExecGw-google-work-555555555555555' },
} as const;
const PROVIDERS = ['anthropic', 'openai', 'google'] as const;
const SCRIPT = fileURLToPath(new URL('./support/gateway-sdk-client.mjs', import.meta.url));

let fakes: { anthropic: FakeAnthropicApi; openai: FakeOpenAiApi; google: FakeGoogleApi };
let temp: ReturnType<typeof makeTempDir>;
let core: Core;
let gateway: GatewayController;
let agent: RunningAgent;
let env: NodeJS.ProcessEnv;

function presented(request: RecordedRequest): unknown {
  return request.headers['x-api-key'] ?? request.headers['x-goog-api-key'] ?? request.headers.authorization;
}

beforeAll(async () => {
  const [anthropic, openai, google] = await Promise.all([
    startAnthropicApi({ validKeys: Object.values(KEYS.anthropic) }),
    startOpenAiApi({ validKeys: Object.values(KEYS.openai) }),
    startGoogleApi({ validKeys: Object.values(KEYS.google) }),
  ]);
  fakes = { anthropic, openai, google };
  temp = makeTempDir('maestro-execgw-');
  core = await createCore({
    dataDir: temp.dir,
    env: {
      THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
      THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
      THE_MAESTRO_GOOGLE_API_BASE_URL: google.url,
    },
    purpose: 'test',
  });
  for (const provider of PROVIDERS) {
    for (const account of ['work', 'default'] as const)
      expect(
        (await core.auth.saveApiKey({ provider, apiKey: KEYS[provider][account], account, validate: false })).ok,
      ).toBe(true);
    await core.auth.setActiveProvider({ provider, account: 'default' });
  }
  gateway = new GatewayController({ credentials: core.auth, key: new SealedGatewayKey(core.store) });
  agent = await startAgent({ dataDir: temp.dir, auth: core.auth, gateway });
  // Nothing inherited: the child sees only what exec put there (and PATH/HOME).
  env = cliEnv({ THE_MAESTRO_DATA_DIR: temp.dir });
});

afterAll(async () => {
  await agent.close();
  await gateway.dispose();
  await core.dispose();
  await Promise.all(Object.values(fakes).map((fake) => fake.close()));
  temp.remove();
});

describe('exec --gateway', () => {
  it('parses --gateway beside --provider, --account and --keep-env', () => {
    expect(
      parseCommandLine(['exec', '--gateway', '--provider', 'openai', '--account', 'work', '--', 'codex']).command,
    ).toEqual({
      name: 'exec',
      providers: ['openai'],
      account: 'work',
      keepEnv: false,
      gateway: true,
      argv: ['codex'],
    });
  });

  it('refuses in one sentence, starting nothing, when no gateway is running', async () => {
    await gateway.setEnabled(false);
    const run = await runCli(['exec', '--gateway', '--', process.execPath, SCRIPT, 'env', 'OPENAI_BASE_URL'], env);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "the-maestro: No gateway is running: turn it on in The Maestro's Settings (Local gateway), or run `the-maestro gateway` in another terminal. The command was not started.\n",
    );
    expect(run.code).not.toBe(0);
  });

  it('runs each official SDK through the gateway with the active account, and prints no key', async () => {
    await gateway.setEnabled(true);
    const gatewayKey = gateway.key();
    const before = PROVIDERS.map((provider) => fakes[provider].requests.length);
    const run = await runCli(['exec', '--gateway', '--', process.execPath, SCRIPT, 'sdks', ...PROVIDERS], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const results = JSON.parse(run.stdout) as Record<string, { models?: number; error?: string }>;
    for (const provider of PROVIDERS) {
      expect(results[provider]?.models, `${provider}: ${JSON.stringify(results[provider])}`).toBeGreaterThan(0);
      expect(fakes[provider].requests.length).toBeGreaterThan(before[PROVIDERS.indexOf(provider)] ?? 0);
      // The fake saw the stored key of the active account, never the gateway key.
      expect(presented(fakes[provider].lastRequest())).toContain(KEYS[provider].default);
    }
    expect(gateway.status().providers?.google.requests).toBeGreaterThan(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain(gatewayKey);
  });

  it('honours --provider and --account: one tool, the named account through the route prefix', async () => {
    await gateway.setEnabled(true);
    const names = ['OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'GEMINI_API_KEY'];
    const shown = await runCli(
      [
        'exec',
        '--gateway',
        '--provider',
        'openai',
        '--account',
        'work',
        '--',
        process.execPath,
        SCRIPT,
        'env',
        ...names,
      ],
      env,
    );
    expect(JSON.parse(shown.stdout)).toEqual({
      OPENAI_BASE_URL: `${gateway.status().url ?? ''}/openai@work/v1`,
      ANTHROPIC_BASE_URL: null,
      GEMINI_API_KEY: null,
    });
    const used = await runCli(
      [
        'exec',
        '--gateway',
        '--provider',
        'openai',
        '--account',
        'work',
        '--',
        process.execPath,
        SCRIPT,
        'sdks',
        'openai',
      ],
      env,
    );
    expect(JSON.parse(used.stdout)).toEqual({ openai: { models: expect.any(Number) as number } });
    expect(presented(fakes.openai.lastRequest())).toBe(`Bearer ${KEYS.openai.work}`);
  });

  it('keeps the person’s own variables with --keep-env, and replaces them without it', async () => {
    await gateway.setEnabled(true);
    const own = { ...env, OPENAI_BASE_URL: 'http://127.0.0.1:9/mine/v1' };
    const args = ['--gateway', '--provider', 'openai', '--', process.execPath, SCRIPT, 'env', 'OPENAI_BASE_URL'];
    const kept = await runCli(['exec', '--keep-env', ...args], own);
    expect(JSON.parse(kept.stdout)).toEqual({ OPENAI_BASE_URL: 'http://127.0.0.1:9/mine/v1' });
    const replaced = await runCli(['exec', ...args], own);
    expect(JSON.parse(replaced.stdout)).toEqual({ OPENAI_BASE_URL: `${gateway.status().url ?? ''}/openai/v1` });
  });

  it('refuses a provider the gateway does not serve', async () => {
    const run = await runCli(['exec', '--gateway', '--provider', 'mistral', '--', process.execPath, SCRIPT], env);
    expect(run.stderr).toMatch(/The gateway serves anthropic, openai, google; "mistral" is not one of them\./);
    expect(run.stdout).toBe('');
  });

  it('shows the gateway in status, text and --json, without its key', async () => {
    await gateway.setEnabled(true);
    const { url, port } = gateway.status();
    const text = await runCli(['status'], env);
    expect(text.stdout).toContain(`Gateway: on at ${url ?? ''} (port ${port ?? 0}, any free port)`);
    const json = await runCli(['status', '--json'], env);
    const parsed = JSON.parse(json.stdout) as { gateway: unknown };
    expect(parsed.gateway).toMatchObject({ enabled: true, port, portSource: 'automatic' });
    expect(`${text.stdout}${json.stdout}`).not.toContain(gateway.key());
    await gateway.setEnabled(false);
    expect((await runCli(['status'], env)).stdout).toContain("Gateway: off (turn it on in The Maestro's Settings");
  });
});
