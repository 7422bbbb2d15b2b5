import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callAgent } from '../../../src-main/agent/agent-client.js';
import { startAgent } from '../../../src-main/agent/agent-server.js';
import { statusView } from '../../support/auth-service-double.js';

let dataDir: string;
let servers: Server[];
const connections = new Set<Socket>();

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-client-'));
  servers = [];
});

afterEach(async () => {
  for (const socket of connections) socket.destroy();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(dataDir, { recursive: true, force: true });
});

/** A server on the socket path that answers each connection as `reply` says. */
async function serve(reply: (socket: Socket) => void, name = 'agent.sock'): Promise<string> {
  const path = join(dataDir, name);
  const server = createServer((socket) => {
    connections.add(socket);
    reply(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  chmodSync(path, 0o600);
  return path;
}

const UNUSED = () => Promise.reject(new Error('not used'));

describe('the agent client', () => {
  it('reports absent when no socket exists', async () => {
    expect(await callAgent(join(dataDir, 'agent.sock'), { op: 'status' })).toEqual({ kind: 'absent' });
  });

  it('gets the answer of a real agent', async () => {
    const agent = await startAgent({
      dataDir,
      auth: {
        status: () => Promise.resolve(statusView()),
        resolve: UNUSED,
        listModels: UNUSED,
        setActiveProvider: UNUSED,
        selectModel: UNUSED,
      },
    });
    try {
      const call = await callAgent(agent.endpoint, { op: 'status' });
      expect(call).toMatchObject({ kind: 'answered', response: { ok: true, value: statusView() } });
    } finally {
      await agent.close();
    }
  });

  it('reports broken when the agent hangs up mid-request, answers garbage, or says nothing in time', async () => {
    const hangUp = await serve((socket) => socket.once('data', () => socket.destroy()));
    expect(await callAgent(hangUp, { op: 'status' })).toMatchObject({ kind: 'broken' });
    const garbage = await serve((socket) => socket.once('data', () => socket.end('<html>\n')), 'garbage.sock');
    expect(await callAgent(garbage, { op: 'status' })).toEqual({
      kind: 'broken',
      reason: 'the agent answered something that is not a valid response',
    });
    const silent = await serve(() => undefined, 'silent.sock');
    expect(await callAgent(silent, { op: 'status' }, { timeoutMs: 100 })).toEqual({
      kind: 'broken',
      reason: 'the agent did not answer in time',
    });
  });

  it('does not use a socket open to other users', async () => {
    const path = await serve((socket) => socket.end('{"v":1,"id":1,"ok":true,"value":"forged"}\n'));
    chmodSync(path, 0o666);
    expect(await callAgent(path, { op: 'status' })).toMatchObject({
      kind: 'broken',
      reason: expect.stringContaining('open to other users') as string,
    });
  });

  it('does not use a file that is not a socket', async () => {
    const path = join(dataDir, 'agent.sock');
    writeFileSync(path, '');
    expect(await callAgent(path, { op: 'status' })).toMatchObject({
      kind: 'broken',
      reason: `${path} is not a socket`,
    });
  });

  it.runIf(process.getuid?.() === 0)('does not use a socket that belongs to another user', async () => {
    const path = await serve((socket) => socket.end('{"v":1,"id":1,"ok":true,"value":"forged"}\n'));
    chownSync(path, 65534, 65534);
    expect(await callAgent(path, { op: 'status' })).toMatchObject({
      kind: 'broken',
      reason: expect.stringContaining('another user') as string,
    });
  });
});
