import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src-main/core/create-core.js';
import { createCore } from '../../../src-main/core/create-core.js';
import { SafeStorageKeyProvider } from '../../../src-main/core/store/key-providers/safe-storage-key-provider.js';
import type { RunningAgent } from '../../../src-main/agent/agent-server.js';
import { startAgent } from '../../../src-main/agent/agent-server.js';
import type { FakeAnthropicApi, FakeGoogleApi, FakeOpenAiApi } from '../../fakes/index.js';
import { startAnthropicApi, startGoogleApi, startOpenAiApi } from '../../fakes/index.js';
import { FakeSafeStorage } from '../../support/storage/fake-safe-storage.js';
import { CLI_BIN, cliEnv, runCli } from '../../support/run-cli.js';

/**
 * The real program with an agent holding keychain-protected credentials (the app's case), and
 * without one. The agent runs in this process over a core whose data key only the (fake) keychain
 * opens: the command line could not open that store itself.
 */
const ANTHROPIC_KEY = 'sk-ant-api03-CANARY-agent-anthropic-0123456789ab';
const OPENAI_KEY = 'sk-proj-CANARY-agent-openai-0123456789abcdefgh';
const GOOGLE_KEY = 'AIzaSyCANARY-agent-google-0123456789abcd';

let anthropic: FakeAnthropicApi;
let openai: FakeOpenAiApi;
let google: FakeGoogleApi;
let dataDir: string;
let env: NodeJS.ProcessEnv;
let core: Core;
let agent: RunningAgent | null;
const agentLog: string[] = [];

async function startTheAgent(): Promise<void> {
  agent = await startAgent({ dataDir, auth: core.auth, log: (line) => agentLog.push(line) });
}

beforeAll(async () => {
  [anthropic, openai, google] = await Promise.all([startAnthropicApi(), startOpenAiApi(), startGoogleApi()]);
  anthropic.validKeys.add(ANTHROPIC_KEY);
  openai.validKeys.add(OPENAI_KEY);
  google.validKeys.add(GOOGLE_KEY);
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-cli-agent-'));
  env = cliEnv({
    THE_MAESTRO_DATA_DIR: dataDir,
    THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
    THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
    THE_MAESTRO_GOOGLE_API_BASE_URL: google.url,
  });
  core = await createCore({
    dataDir,
    env,
    keyProviders: [new SafeStorageKeyProvider(new FakeSafeStorage(), 'linux')],
    purpose: 'test',
  });
  for (const [provider, apiKey] of [
    ['anthropic', ANTHROPIC_KEY],
    ['openai', OPENAI_KEY],
    ['google', GOOGLE_KEY],
  ] as const) {
    const saved = await core.auth.saveApiKey({ provider, apiKey });
    expect(saved.ok).toBe(true);
  }
  await startTheAgent();
});

afterAll(async () => {
  await agent?.close();
  await core.dispose();
  await Promise.all([anthropic.close(), openai.close(), google.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the program and also reports the signal that ended it. */
function runRaw(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [CLI_BIN, ...args], { env: { ...env, ...extraEnv } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    },
  );
}

/** A child that prints the variables named, as JSON. */
const PRINT_ENV = (names: readonly string[]) => [
  process.execPath,
  '-e',
  `process.stdout.write(JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, process.env[n] ?? null]))))`,
];

describe('the-maestro with an agent running', () => {
  it('prints keychain-protected credentials through the agent, with no key file written', async () => {
    const run = await runCli(['token', 'anthropic'], env);
    expect(run).toMatchObject({ code: 0, stdout: `${ANTHROPIC_KEY}\n`, stderr: '' });
    expect(readdirSync(dataDir).filter((name) => name.includes('key'))).toEqual([]);
    expect(agentLog.at(-1)).toMatch(/^agent: token anthropic ok/);
    expect(agentLog.join('\n')).not.toContain(ANTHROPIC_KEY);
  });

  it('answers status, models and use through the agent', async () => {
    const status = await runCli(['status', '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.stringify(status)).not.toContain(OPENAI_KEY);
    const models = await runCli(['models', 'openai', '--json'], env);
    expect(models.code).toBe(0);
    const used = await runCli(['use', 'openai', '--model', 'gpt-5'], env);
    expect(used).toMatchObject({ code: 0, stdout: 'Active provider: openai, account "default", model gpt-5.\n' });
    // `status` also asks for the gateway's status (never its key).
    expect(agentLog.slice(-4).map((line) => line.split(' ')[1])).toEqual(['status', 'gateway', 'models', 'use']);
  });

  it('adds ready-to-spread SDK options to token --json, with OpenAI base URL ending in /v1', async () => {
    const openaiJson = JSON.parse((await runCli(['token', 'openai', '--json'], env)).stdout) as Record<string, unknown>;
    expect(openaiJson['sdk']).toEqual({
      package: 'openai',
      options: { apiKey: OPENAI_KEY, baseURL: `${openai.url}/v1` },
    });
    const googleJson = JSON.parse((await runCli(['token', 'google', '--json'], env)).stdout) as Record<string, unknown>;
    expect(googleJson['sdk']).toEqual({
      package: '@google/genai',
      options: { apiKey: GOOGLE_KEY, httpOptions: { baseUrl: google.url, apiVersion: 'v1beta' } },
    });
  });

  it('exec puts every signed-in provider in the child environment and passes its exit code through', async () => {
    const names = [
      'ANTHROPIC_API_KEY',
      'ANTHROPIC_AUTH_TOKEN',
      'OPENAI_API_KEY',
      'OPENAI_BASE_URL',
      'GEMINI_API_KEY',
      'GOOGLE_API_KEY',
    ];
    const run = await runRaw(['exec', '--', ...PRINT_ENV(names)], { ANTHROPIC_AUTH_TOKEN: 'stale-token' });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_AUTH_TOKEN: null,
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: `${openai.url}/v1`,
      GEMINI_API_KEY: GOOGLE_KEY,
      GOOGLE_API_KEY: GOOGLE_KEY,
    });
    expect(run.stderr).toBe('');
    const failing = await runRaw(['exec', '--provider', 'openai', '--', process.execPath, '-e', 'process.exit(7)']);
    expect(failing.code).toBe(7);
  });

  it('exec leaves variables the person set only with --keep-env', async () => {
    const names = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'];
    const kept = await runRaw(['exec', '--provider', 'openai', '--keep-env', '--', ...PRINT_ENV(names)], {
      OPENAI_API_KEY: 'mine',
    });
    expect(JSON.parse(kept.stdout)).toEqual({ OPENAI_API_KEY: 'mine', ANTHROPIC_API_KEY: null });
    const replaced = await runRaw(['exec', '--provider', 'openai', '--', ...PRINT_ENV(names)], {
      OPENAI_API_KEY: 'mine',
    });
    expect(JSON.parse(replaced.stdout)).toEqual({ OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: null });
  });

  it('exec ends the way the child ended when a signal killed it', async () => {
    const run = await runRaw([
      'exec',
      '--provider',
      'openai',
      '--',
      process.execPath,
      '-e',
      "process.kill(process.pid, 'SIGTERM')",
    ]);
    expect(run.signal).toBe('SIGTERM');
  });

  it('exec exits 127 with one sentence when the command does not exist', async () => {
    const run = await runRaw(['exec', '--provider', 'openai', '--', 'no-such-command-maestro']);
    expect(run).toMatchObject({
      code: 127,
      stdout: '',
      stderr: 'the-maestro: command not found: no-such-command-maestro\n',
    });
  });

  it('exec does not start the command when a credential cannot be had, and says why', async () => {
    const marker = join(dataDir, 'started');
    const run = await runRaw([
      'exec',
      '--provider',
      'anthropic',
      '--account',
      'nobody',
      '--',
      process.execPath,
      '-e',
      `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x')`,
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/nobody.*The command was not started\.\n$/s);
    expect(existsSync(marker)).toBe(false);
  });

  it('a second agent on the same data directory refuses with a clear message', async () => {
    const run = await runCli(['agent'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Another agent is already running for ${dataDir}`);
  });
});

describe('the-maestro without an agent', () => {
  it('says to open the app or run the agent when the store is keychain-protected', async () => {
    await agent?.close();
    agent = null;
    try {
      const run = await runCli(['token', 'anthropic'], env);
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('open The Maestro, or run `the-maestro agent`');
    } finally {
      await startTheAgent();
    }
  });

  it('falls back to the store, and says so, when the agent dies mid-request', async () => {
    const ownDir = mkdtempSync(join(tmpdir(), 'maestro-cli-dying-'));
    const ownEnv = { ...env, THE_MAESTRO_DATA_DIR: ownDir };
    let broken: Server | null = null;
    try {
      expect((await runCli(['login', 'openai', '--api-key-stdin'], ownEnv, OPENAI_KEY)).code).toBe(0);
      // An "agent" that reads the request and hangs up without answering.
      broken = createServer((socket) => socket.once('data', () => socket.destroy()));
      const path = join(ownDir, 'agent.sock');
      await new Promise<void>((resolve) => broken?.listen(path, resolve));
      chmodSync(path, 0o600);
      const run = await runCli(['token', 'openai'], ownEnv);
      expect(run).toMatchObject({
        code: 0,
        stdout: `${OPENAI_KEY}\n`,
        stderr:
          'the-maestro: the agent closed the connection before answering; opening the credential store directly.\n',
      });
    } finally {
      await new Promise<void>((resolve) => (broken ? broken.close(() => resolve()) : resolve()));
      rmSync(ownDir, { recursive: true, force: true });
    }
  });
});
