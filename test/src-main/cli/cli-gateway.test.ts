import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../../src-main/cli/args.js';
import type { CliIo } from '../../../src-main/cli/commands.js';
import { runGatewayCommand, type GatewayCommand } from '../../../src-main/cli/gateway-command.js';
import { createCore, type Core } from '../../../src-main/core/create-core.js';
import { silentLogger } from '../../../src-main/log/logger.js';
import type { FakeOpenAiApi } from '../../fakes/index.js';
import { startOpenAiApi } from '../../fakes/index.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';
import { callAgent } from '../../../src-main/agent/agent-client.js';
import { agentEndpoint } from '../../../src-main/agent/endpoint.js';

/** `the-maestro gateway`: its options, and a run that serves, prints the key once and stops. */
const OPENAI_KEY = 'sk-proj-cli-gateway-canary-123456789';

function io(out: string[]): CliIo {
  return {
    stdout: (text) => out.push(text),
    stderr: (text) => out.push(text),
    readStdin: () => Promise.resolve(''),
    stdinLines: async function* () {},
    openBrowser: () => Promise.resolve(false),
    now: () => Date.now(),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('gateway options', () => {
  it('parses --port, --rotate-key, --show-key and --json', () => {
    expect(parseCommandLine(['gateway']).command).toEqual({
      name: 'gateway',
      port: 0,
      portFromFlag: false,
      rotateKey: false,
      showKey: false,
      json: false,
    });
    expect(parseCommandLine(['gateway', '--port', '8787', '--rotate-key', '--json']).command).toMatchObject({
      port: 8787,
      portFromFlag: true,
      rotateKey: true,
      json: true,
    });
  });

  it('refuses a bad port, a provider argument and options of other commands', () => {
    expect(() => parseCommandLine(['gateway', '--port', '70000'])).toThrow(UsageError);
    expect(() => parseCommandLine(['gateway', '--port', 'abc'])).toThrow(/--port needs a number/);
    expect(() => parseCommandLine(['gateway', 'openai'])).toThrow(UsageError);
    expect(() => parseCommandLine(['gateway', '--account', 'work'])).toThrow(/does not apply/);
  });
});

describe('gateway run', () => {
  let fake: FakeOpenAiApi;
  let core: Core;
  let temp: ReturnType<typeof makeTempDir>;

  beforeAll(async () => {
    fake = await startOpenAiApi({ validKeys: [OPENAI_KEY] });
    temp = makeTempDir('maestro-cli-gateway-');
    core = await createCore({ dataDir: temp.dir, env: { THE_MAESTRO_OPENAI_API_BASE_URL: fake.url }, purpose: 'test' });
    expect((await core.auth.saveApiKey({ provider: 'openai', apiKey: OPENAI_KEY, validate: false })).ok).toBe(true);
  });

  afterAll(async () => {
    await core.dispose();
    await fake.close();
    temp.remove();
  });

  async function serveOnce(command: GatewayCommand): Promise<{ url: string; key?: string; status: number }> {
    const out: string[] = [];
    let stop: () => void = () => undefined;
    const running = runGatewayCommand(core, command, io(out), silentLogger, new Promise((resolve) => (stop = resolve)));
    while (out.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const printed = JSON.parse(out.join('')) as { url: string; key?: string };
    const key = printed.key ?? 'none';
    const response = await fetch(`${printed.url}/openai/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    stop();
    expect(await running).toBe(0);
    return { ...printed, status: response.status };
  }

  it('prints the key when it is created, not again, and a new one when rotated', async () => {
    const command: GatewayCommand = {
      name: 'gateway',
      port: 0,
      portFromFlag: false,
      rotateKey: false,
      showKey: false,
      json: true,
    };
    const first = await serveOnce(command);
    expect(first.key).toMatch(/^sk-maestro-gw-/);
    expect(first.status).toBe(200);
    const second = await serveOnce(command);
    expect(second.key).toBeUndefined();
    expect(second.status).toBe(401);
    const rotated = await serveOnce({ ...command, rotateKey: true });
    expect(rotated.key).not.toBe(first.key);
    expect(rotated.status).toBe(200);
  });

  it('serves an agent socket beside it: the gateway and its key for exec --gateway, the port from the environment', async () => {
    const out: string[] = [];
    let stop: () => void = () => undefined;
    const command: GatewayCommand = {
      name: 'gateway',
      port: 0,
      portFromFlag: false,
      rotateKey: false,
      showKey: false,
      json: true,
    };
    const running = runGatewayCommand(
      core,
      command,
      io(out),
      silentLogger,
      new Promise((resolve) => (stop = resolve)),
      {
        env: { THE_MAESTRO_GATEWAY_PORT: String(await freePort()) },
        dataDir: temp.dir,
      },
    );
    while (out.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const call = await callAgent(agentEndpoint(temp.dir), { op: 'gateway', key: true });
    stop();
    expect(await running).toBe(0);
    expect(call.kind).toBe('answered');
    const value = call.kind === 'answered' && call.response.ok ? call.response.value : null;
    expect(value).toMatchObject({
      gateway: { enabled: true, portSource: 'environment' },
      key: expect.stringMatching(/^sk-maestro-gw-/) as string,
    });
  });

  it('refuses a THE_MAESTRO_GATEWAY_PORT outside 1024–65535 before starting anything', async () => {
    const out: string[] = [];
    const command: GatewayCommand = {
      name: 'gateway',
      port: 0,
      portFromFlag: false,
      rotateKey: false,
      showKey: false,
      json: false,
    };
    const code = await runGatewayCommand(core, command, io(out), silentLogger, Promise.resolve(), {
      env: { THE_MAESTRO_GATEWAY_PORT: '80' },
    });
    expect(code).toBe(2);
    expect(out.join('')).toBe('the-maestro: THE_MAESTRO_GATEWAY_PORT must be a whole number from 1024 to 65535.\n');
  });
});
