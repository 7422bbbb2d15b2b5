import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../../src-main/agent/agent-server.js';
import { agentEndpoint } from '../../../src-main/agent/endpoint.js';
import { createCore, type Core } from '../../../src-main/core/create-core.js';
import { runCliInProcess } from '../../support/run-cli-in-process.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

const KEY = 'sk-ant-api03-agent-notice-0123456789abcdef';
const DAMAGED = 'The credential database was damaged';

const run = runCliInProcess;

/**
 * The storage notice of a damaged database (moved aside, rows salvaged) said by commands the agent
 * answers exactly as by a direct run: `token` one line on stderr, `status` in its warnings, until
 * `status --acknowledge` — acknowledged by the agent itself.
 */
describe('the agent forwards storage notices', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let env: NodeJS.ProcessEnv;
  let core: Core;
  let agent: RunningAgent | null;
  let agentLog: string[];

  beforeEach(async () => {
    temp = makeTempDir();
    env = { THE_MAESTRO_DATA_DIR: temp.dir };
    agentLog = [];
    expect((await run(['login', 'anthropic', '--api-key-stdin', '--no-validate'], env, KEY)).code).toBe(0);
    writeFileSync(join(temp.dir, 'maestro.db'), randomBytes(8192));
    // `the-maestro agent`'s core: the open finds the damage, moves the file aside and records the notice.
    core = await createCore({ dataDir: temp.dir, env, purpose: 'test' });
    expect(core.store.storageNotices()).toEqual([expect.stringContaining(DAMAGED)]);
    const saved = await core.auth.saveApiKey({ provider: 'anthropic', apiKey: KEY, validate: false });
    expect(saved.ok).toBe(true);
    agent = await startAgent({
      dataDir: temp.dir,
      auth: core.auth,
      notices: core.store,
      log: (line) => agentLog.push(line),
    });
  });
  afterEach(async () => {
    await agent?.close();
    await core.dispose();
    temp.remove();
  });

  it('says it on token and status until acknowledged through the agent', async () => {
    const token = await run(['token', 'anthropic'], env);
    expect(token.code).toBe(0);
    expect(token.stdout).toBe(`${KEY}\n`);
    expect(token.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^the-maestro: warning: The credential database was damaged .*status --acknowledge/),
    ]);
    expect(agentLog.some((line) => line.startsWith('agent: token anthropic ok'))).toBe(true);
    expect((await run(['status'], env)).stdout).toContain(DAMAGED);

    const ack = await run(['status', '--acknowledge'], env);
    expect(ack).toEqual({ code: 0, stdout: 'Storage notice acknowledged.\n', stderr: '' });
    expect(agentLog.some((line) => line.startsWith('agent: acknowledge ok'))).toBe(true);
    expect(core.store.storageNotices()).toEqual([]);

    expect(await run(['token', 'anthropic'], env)).toEqual({ code: 0, stdout: `${KEY}\n`, stderr: '' });
    const status = await run(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).not.toContain('damaged');
    expect(await run(['status', '--acknowledge'], env)).toMatchObject({ stdout: 'There was no storage notice.\n' });
  });

  it('with an agent from before `acknowledge`, acknowledges in the store directly and says why', async () => {
    await agent?.close();
    agent = null;
    const endpoint = agentEndpoint(temp.dir);
    const old: Server = createServer((socket) =>
      socket.once('data', () =>
        socket.end(
          `${JSON.stringify({ v: 1, id: 1, ok: false, error: { code: 'invalid_request', message: 'Unknown operation: the agent answers status, token, models and use.' } })}\n`,
        ),
      ),
    );
    await new Promise<void>((resolve) => old.listen(endpoint, resolve));
    chmodSync(endpoint, 0o600);
    try {
      const ack = await run(['status', '--acknowledge'], env);
      expect(ack.code).toBe(0);
      expect(ack.stdout).toBe('Storage notice acknowledged.\n');
      expect(ack.stderr).toMatch(
        /^the-maestro: the running agent could not acknowledge \(Unknown operation.*\); opening the credential store directly\.\n$/,
      );
      expect(core.store.storageNotices()).toEqual([]);
    } finally {
      await new Promise((resolve) => old.close(resolve));
    }
  });
});
