import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isAuthError } from '../../../../src-main/core/auth-error.js';
import { startLoopbackReceiver, type LoopbackReceiver } from '../../../../src-main/core/oauth/loopback-receiver.js';

const STATE = 'expected-state-0123456789';
const opened: LoopbackReceiver[] = [];
const blockers: Server[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((receiver) => receiver.close()));
  await Promise.all(blockers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function start(
  overrides: Partial<Parameters<typeof startLoopbackReceiver>[0]> = {},
): Promise<{ receiver: LoopbackReceiver; received: URLSearchParams[] }> {
  const received: URLSearchParams[] = [];
  const receiver = await startLoopbackReceiver({
    host: '127.0.0.1',
    ports: [0],
    path: '/auth/callback',
    expectedState: STATE,
    timeoutMs: 60_000,
    onCallback: (params) => received.push(params),
    ...overrides,
  });
  opened.push(receiver);
  return { receiver, received };
}

async function occupyPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  blockers.push(server);
  return (server.address() as AddressInfo).port;
}

async function connectionRefused(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/auth/callback`);
    return false;
  } catch {
    return true;
  }
}

describe('startLoopbackReceiver', () => {
  it('binds 127.0.0.1 and builds the redirect URI with the registered host name', async () => {
    const { receiver } = await start({ host: 'localhost' });
    expect(receiver.redirectUri).toBe(`http://localhost:${receiver.port}/auth/callback`);
    const localhostOnly = await fetch(`http://127.0.0.1:${receiver.port}/elsewhere`);
    expect(localhostOnly.status).toBe(404);
  });

  it('answers the callback once with a static page that echoes nothing, then closes', async () => {
    const { receiver, received } = await start();
    const marker = '<script>alert(1)</script>';
    const response = await fetch(
      `http://127.0.0.1:${receiver.port}/auth/callback?code=c0de&state=${STATE}&note=${encodeURIComponent(marker)}`,
    );
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toContain('You can return to The Maestro');
    expect(body).not.toContain('c0de');
    expect(body).not.toContain('alert');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    await receiver.closed;
    expect(received).toHaveLength(1);
    expect(received[0]?.get('code')).toBe('c0de');
    expect(await connectionRefused(receiver.port)).toBe(true);
  });

  it('does not consume requests on other paths, other methods or with another state', async () => {
    const { receiver, received } = await start();
    const base = `http://127.0.0.1:${receiver.port}`;
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(404);
    expect((await fetch(`${base}/auth/callback/extra?code=c&state=${STATE}`)).status).toBe(404);
    expect((await fetch(`${base}/auth/callback?code=c&state=forged`)).status).toBe(404);
    expect((await fetch(`${base}/auth/callback?code=c&state=${STATE}`, { method: 'POST' })).status).toBe(404);
    expect(received).toHaveLength(0);
    expect((await fetch(`${base}/auth/callback?code=c&state=${STATE}`)).status).toBe(200);
    await receiver.closed;
    expect(received).toHaveLength(1);
  });

  it('falls back to the next registered port when the first is taken (OpenAI: 1455 then 1457)', async () => {
    const taken = await occupyPort();
    const { receiver } = await start({ ports: [taken, 0] });
    expect(receiver.port).not.toBe(taken);
  });

  it('fails with network_error when every registered port is taken', async () => {
    const first = await occupyPort();
    const second = await occupyPort();
    await expect(start({ ports: [first, second] })).rejects.toSatisfy((error) => isAuthError(error, 'network_error'));
  });

  it('closes on timeout without a callback', async () => {
    const { receiver, received } = await start({ timeoutMs: 50 });
    await receiver.closed;
    expect(received).toHaveLength(0);
    expect(await connectionRefused(receiver.port)).toBe(true);
  });

  it('closes when asked, and closing twice is harmless', async () => {
    const { receiver } = await start();
    await receiver.close();
    await receiver.close();
    expect(await connectionRefused(receiver.port)).toBe(true);
  });
});
