import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../src-shared/errors.js';
import type { ResolvedCredential } from '../../../src-main/core/auth-service.js';
import type { AgentAuth } from '../../../src-main/agent/agent-handler.js';
import type { RunningAgent } from '../../../src-main/agent/agent-server.js';
import { AgentStartError, startAgent } from '../../../src-main/agent/agent-server.js';
import { MAX_REQUEST_BYTES } from '../../../src-main/agent/protocol.js';
import { statusView } from '../../support/auth-service-double.js';

const SECRET = 'sk-ant-api03-CANARY-agent-0123456789abcdef';

function credential(overrides: Partial<ResolvedCredential> = {}): ResolvedCredential {
  return {
    provider: 'anthropic',
    source: 'api_key',
    method: 'api_key',
    account: 'default',
    headers: { 'x-api-key': SECRET },
    secret: SECRET,
    expiresAt: null,
    apiBaseUrl: 'https://api.anthropic.com',
    plan: null,
    ...overrides,
  };
}

/** The agent's view of the core: answers from fixed values, counting forced refreshes. */
function fakeAuth(options: { expiresAt?: number; slow?: boolean } = {}): AgentAuth & { forced: number } {
  const auth = {
    forced: 0,
    status: () => Promise.resolve(statusView()),
    async resolve(provider: string, opts?: { forceRefresh?: boolean }): Promise<Result<ResolvedCredential>> {
      if (options.slow === true) await new Promise((resolve) => setTimeout(resolve, 500));
      if (provider !== 'anthropic')
        return { ok: false, error: { code: 'unknown_provider', message: `Unknown provider ${provider}.` } };
      if (opts?.forceRefresh === true) auth.forced += 1;
      const expiresAt = opts?.forceRefresh === true ? Date.now() + 3_600_000 : (options.expiresAt ?? null);
      return { ok: true, value: credential({ expiresAt }) };
    },
    listModels: () => Promise.resolve({ ok: false, error: { code: 'not_authenticated', message: 'Not signed in.' } }),
    setActiveProvider: () => Promise.resolve({ ok: true, value: statusView() }),
    selectModel: () => Promise.resolve({ ok: false, error: { code: 'invalid_input', message: 'No such model.' } }),
  } satisfies AgentAuth & { forced: number };
  return auth;
}

/** Sends raw bytes and collects everything the agent writes until it closes or `lines` lines arrived. */
function exchange(path: string, payload: string | null, lines = 1, timeoutMs = 5_000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(path);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer; got ${received}`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received.split('\n').filter((line) => line !== ''));
    };
    socket.on('connect', () => {
      if (payload !== null) socket.write(payload);
    });
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      received += chunk.toString();
      if (received.split('\n').length > lines) finish();
    });
    socket.on('close', finish);
  });
}

function request(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  return exchange(path, `${JSON.stringify({ v: 1, id: 7, ...body })}\n`).then(
    ([line]) => JSON.parse(line ?? 'null') as Record<string, unknown>,
  );
}

let dataDir: string;
let agents: RunningAgent[];
let logs: string[];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-agent-'));
  agents = [];
  logs = [];
});

afterEach(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(auth: AgentAuth = fakeAuth(), extra: { idleTimeoutMs?: number; requestTimeoutMs?: number } = {}) {
  const agent = await startAgent({ dataDir, auth, log: (line) => logs.push(line), ...extra });
  agents.push(agent);
  return agent;
}

describe('the agent', () => {
  it('listens on a 0600 socket inside a 0700 data directory', async () => {
    chmodSync(dataDir, 0o755);
    const agent = await start();
    expect(agent.endpoint).toBe(join(dataDir, 'agent.sock'));
    expect(statSync(agent.endpoint).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('answers status and token requests, logging one line per request without the secret', async () => {
    const agent = await start();
    const status = await request(agent.endpoint, { op: 'status' });
    expect(status).toMatchObject({ v: 1, id: 7, ok: true });
    const token = await request(agent.endpoint, { op: 'token', provider: 'anthropic' });
    expect(token).toMatchObject({ ok: true, value: { secret: SECRET, provider: 'anthropic' } });
    expect(logs).toHaveLength(2);
    expect(logs[1]).toMatch(/^agent: token anthropic ok [\d.]+ ms$/);
    expect(logs.join('\n')).not.toContain(SECRET);
  });

  it('answers errors from the core as values and unknown fields as invalid requests', async () => {
    const agent = await start();
    expect(await request(agent.endpoint, { op: 'token', provider: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_provider' },
    });
    expect(await request(agent.endpoint, { op: 'token' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(await request(agent.endpoint, { op: 'delete-everything' })).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_request',
        message: expect.stringContaining('status, token, models, use, gateway and acknowledge') as string,
      },
    });
    expect(await request(agent.endpoint, { v: 2, op: 'status' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringContaining('version 1') as string },
    });
  });

  it('refreshes first when the token expires sooner than --min-valid asks, and forces one refresh with refresh', async () => {
    const auth = fakeAuth({ expiresAt: Date.now() + 30_000 });
    const agent = await start(auth);
    await request(agent.endpoint, { op: 'token', provider: 'anthropic', minValidSeconds: 10 });
    expect(auth.forced).toBe(0);
    await request(agent.endpoint, { op: 'token', provider: 'anthropic', minValidSeconds: 120 });
    expect(auth.forced).toBe(1);
    await request(agent.endpoint, { op: 'token', provider: 'anthropic', refresh: true });
    expect(auth.forced).toBe(2);
  });

  it('answers garbage with an error and keeps serving', async () => {
    const agent = await start();
    const [answer] = await exchange(agent.endpoint, 'this is not json\n');
    expect(JSON.parse(answer ?? '')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await request(agent.endpoint, { op: 'status' })).toMatchObject({ ok: true });
  });

  it('refuses a line over the size limit, closes that connection, and keeps serving', async () => {
    const agent = await start();
    const lines = await exchange(agent.endpoint, 'x'.repeat(MAX_REQUEST_BYTES * 4), 5);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringContaining('longer than') as string },
    });
    expect(await request(agent.endpoint, { op: 'status' })).toMatchObject({ ok: true });
  });

  it('answers a client that sends nothing with an error once the idle time has passed', async () => {
    const agent = await start(fakeAuth(), { idleTimeoutMs: 200 });
    const [answer] = await exchange(agent.endpoint, null);
    expect(JSON.parse(answer ?? '')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await request(agent.endpoint, { op: 'status' })).toMatchObject({ ok: true });
  });

  it('answers a request the core does not finish in time with an error', async () => {
    const agent = await start(fakeAuth({ slow: true }), { requestTimeoutMs: 100 });
    expect(await request(agent.endpoint, { op: 'token', provider: 'anthropic' })).toMatchObject({
      ok: false,
      error: { code: 'provider_unavailable' },
    });
  });

  it('answers a core that throws with a generic error, not the exception', async () => {
    const auth = fakeAuth();
    auth.status = () => Promise.reject(new Error(`boom ${SECRET}`));
    const agent = await start(auth);
    const answer = await request(agent.endpoint, { op: 'status' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(answer)).not.toContain(SECRET);
  });

  it('replaces the socket file a crashed agent left behind', async () => {
    const path = join(dataDir, 'agent.sock');
    // A process that binds the socket and is killed: the file stays, nobody answers on it.
    const crash = spawnSync(process.execPath, [
      '-e',
      `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    expect(crash.signal).toBe('SIGKILL');
    expect(existsSync(path)).toBe(true);
    const agent = await start();
    expect(await request(agent.endpoint, { op: 'status' })).toMatchObject({ ok: true });
  });

  it('refuses to start while another agent serves the same data directory', async () => {
    await start();
    await expect(startAgent({ dataDir, auth: fakeAuth() })).rejects.toThrow(/Another agent is already running/);
  });

  it('refuses a data directory other users can write to', async () => {
    chmodSync(dataDir, 0o777);
    await expect(startAgent({ dataDir, auth: fakeAuth() })).rejects.toThrow(
      new AgentStartError(
        `${dataDir} can be written by other users (mode 777); run \`chmod 700 '${dataDir}'\` and start the agent again.`,
      ),
    );
  });

  it('refuses to replace a file that is not a socket', async () => {
    writeFileSync(join(dataDir, 'agent.sock'), 'not a socket');
    await expect(startAgent({ dataDir, auth: fakeAuth() })).rejects.toThrow(/is not a socket/);
  });

  it.runIf(process.getuid?.() === 0)('refuses a socket file that belongs to another user', async () => {
    const path = join(dataDir, 'agent.sock');
    spawnSync(process.execPath, [
      '-e',
      `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    chownSync(path, 65534, 65534);
    await expect(startAgent({ dataDir, auth: fakeAuth() })).rejects.toThrow(/belongs to another user \(uid 65534\)/);
  });

  it('removes its socket when it stops', async () => {
    const agent = await start();
    await agent.close();
    agents = [];
    expect(existsSync(agent.endpoint)).toBe(false);
  });
});
