import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callAgent } from '../../../src-main/agent/agent-client.js';
import { agentEndpoint } from '../../../src-main/agent/endpoint.js';
import { CLI_BIN, cliEnv, runCli } from '../../support/run-cli.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

/** `the-maestro agent` keeps a redacted, owner-only log file in the data directory, and `status` says where. */
const KEY = 'sk-ant-api03-CANARY-agent-log-0123456789abcdef';

describe('the agent’s log file', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir('maestro-agent-log-');
  });
  afterEach(() => temp.remove());

  it('records what the agent served, holds no secret, and is named by `status`', { timeout: 60_000 }, async () => {
    const env = cliEnv({ THE_MAESTRO_DATA_DIR: temp.dir });
    expect((await runCli(['login', 'anthropic', '--api-key-stdin', '--no-validate'], env, KEY)).code).toBe(0);
    const agent = spawn(process.execPath, [CLI_BIN, 'agent'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = once(agent, 'close');
    try {
      await new Promise<void>((resolve, reject) => {
        let stderr = '';
        agent.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes('serving')) resolve();
        });
        agent.once('close', () => reject(new Error(`the agent stopped: ${stderr}`)));
      });
      const token = await runCli(['token', 'anthropic'], env);
      expect(token.stdout.trim()).toBe(KEY);
      const status = await runCli(['status'], env);
      const logFile = join(temp.dir, 'logs', 'the-maestro.log');
      expect(status.stdout).toContain(`Log file: ${logFile}`);
      const text = readFileSync(logFile, 'utf8');
      expect(text).toContain('agent serving');
      expect(text).toMatch(/token anthropic/);
      expect(text).not.toContain('CANARY');
      if (process.platform !== 'win32') {
        expect(statSync(join(temp.dir, 'logs')).mode & 0o777).toBe(0o700);
        expect(statSync(logFile).mode & 0o777).toBe(0o600);
      }
    } finally {
      agent.kill('SIGTERM');
      await exited;
    }
    expect(readFileSync(join(temp.dir, 'logs', 'the-maestro.log'), 'utf8')).toContain('agent stopped');
  });

  it('writes every request’s line, batched, before it says it stopped on SIGTERM', { timeout: 60_000 }, async () => {
    const env = cliEnv({ THE_MAESTRO_DATA_DIR: temp.dir });
    expect((await runCli(['login', 'anthropic', '--api-key-stdin', '--no-validate'], env, KEY)).code).toBe(0);
    const agent = spawn(process.execPath, [CLI_BIN, 'agent'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    agent.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(agent, 'close');
    await new Promise<void>((resolve, reject) => {
      agent.stderr.on('data', () => {
        if (stderr.includes('serving')) resolve();
      });
      agent.once('close', () => reject(new Error(`the agent stopped: ${stderr}`)));
    });
    const endpoint = agentEndpoint(temp.dir);
    const requests = 200;
    // Two waves: the second comes right after the first was written, so its lines wait for the
    // next batch — and the agent is stopped at once, before that batch is due.
    for (const wave of [0, 1]) {
      const calls = await Promise.all(
        Array.from({ length: requests / 2 }, () => callAgent(endpoint, { op: 'token', provider: 'anthropic' })),
      );
      expect(
        calls.every((call) => call.kind === 'answered' && call.response.ok),
        `wave ${wave}`,
      ).toBe(true);
    }
    agent.kill('SIGTERM');
    await exited;
    const lines = stderr.split('\n');
    const stopped = lines.findIndex((line) => line.includes('the-maestro agent: stopped (SIGTERM)'));
    const served = lines.flatMap((line, index) => (/ agent: token anthropic ok [\d.]+ ms$/.test(line) ? [index] : []));
    expect(served).toHaveLength(requests);
    expect(stopped).toBeGreaterThan(served.at(-1) ?? Infinity);
    const file = readFileSync(join(temp.dir, 'logs', 'the-maestro.log'), 'utf8');
    expect(file.match(/agent: token anthropic ok/g)).toHaveLength(requests);
    expect(`${stderr}${file}`).not.toContain('CANARY');
  });
});
