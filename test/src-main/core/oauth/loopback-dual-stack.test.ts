import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackReceiver, type LoopbackReceiver } from '../../../../src-main/core/oauth/loopback-receiver.js';

/** A `localhost` redirect may reach either loopback address: the receiver must hold both, or refuse. */
const STATE = 'dual-stack-state-0123456789';
const opened: LoopbackReceiver[] = [];
const blockers: Server[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((receiver) => receiver.close()));
  await Promise.all(blockers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Another local program that listens on [::1]:port and records what reaches it. */
async function squatIpv6(port = 0): Promise<{ port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('stolen');
  });
  await new Promise<void>((resolve) => server.listen({ port, host: '::1', ipv6Only: true }, resolve));
  blockers.push(server);
  return { port: (server.address() as AddressInfo).port, hits };
}

async function start(host: '127.0.0.1' | 'localhost', ports: readonly number[]): Promise<LoopbackReceiver> {
  const receiver = await startLoopbackReceiver({
    host,
    ports,
    path: '/auth/callback',
    expectedState: STATE,
    timeoutMs: 60_000,
    onCallback: () => undefined,
  });
  opened.push(receiver);
  return receiver;
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch {
    return true;
  }
}

describe('a loopback receiver for a `localhost` redirect', () => {
  it('refuses to start when another program already listens on [::1] at its port', async () => {
    const squatter = await squatIpv6();
    await expect(start('localhost', [squatter.port])).rejects.toMatchObject({
      code: 'network_error',
      message: `Another program is listening on [::1]:${String(squatter.port)}, where the browser may deliver the sign-in code for localhost:${String(squatter.port)}. The Maestro does not start the sign-in while it does: close that program, or paste the code instead.`,
    });
    // Nothing is left listening on 127.0.0.1 for a flow that did not start.
    expect(await refused(`http://127.0.0.1:${String(squatter.port)}/auth/callback`)).toBe(true);
    expect(squatter.hits).toEqual([]);
  });

  it('serves the callback on [::1] as well as on 127.0.0.1, so no one else can take that address', async () => {
    const receiver = await start('localhost', [0]);
    expect((await fetch(`http://[::1]:${String(receiver.port)}/elsewhere`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${String(receiver.port)}/elsewhere`)).status).toBe(404);
    const done = await fetch(`http://[::1]:${String(receiver.port)}/auth/callback?code=c&state=${STATE}`);
    expect(done.status).toBe(200);
    await receiver.closed;
    expect(await refused(`http://[::1]:${String(receiver.port)}/auth/callback`)).toBe(true);
    expect(await refused(`http://127.0.0.1:${String(receiver.port)}/auth/callback`)).toBe(true);
  });

  it('binds 127.0.0.1 only for a redirect registered with the 127.0.0.1 literal', async () => {
    const receiver = await start('127.0.0.1', [0]);
    expect(receiver.redirectUri).toBe(`http://127.0.0.1:${String(receiver.port)}/auth/callback`);
    expect(await refused(`http://[::1]:${String(receiver.port)}/elsewhere`)).toBe(true);
  });
});
