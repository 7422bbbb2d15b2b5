import { request as httpRequest, type ClientRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../../src-main/web/web-server.js';

/** A slow or greedy local client cannot hold the web transport: bodies time out, event streams are capped. */
let dir: string;
let server: WebServer;
let dispatched = 0;
const open: ClientRequest[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-web-limits-'));
  writeFileSync(join(dir, 'web.html'), '<!doctype html><title>web</title>');
  dispatched = 0;
  server = await startWebServer({
    dispatch: async () => {
      dispatched += 1;
      return { ok: true, value: null };
    },
    subscribe: () => () => undefined,
    staticDir: dir,
    bodyTimeoutMs: 200,
    maxEventStreams: 2,
  });
});

afterEach(async () => {
  for (const request of open.splice(0)) request.destroy();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function headers(): Record<string, string> {
  return { Host: `127.0.0.1:${String(server.port)}`, Authorization: `Bearer ${server.token}` };
}

/** Opens an event stream and resolves with its status once the headers arrive. */
function openEvents(): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port: server.port, path: '/events', headers: headers() }, (res) =>
      resolve(res.statusCode ?? 0),
    );
    request.on('error', reject);
    request.end();
    open.push(request);
  });
}

describe('web transport limits', () => {
  it('drops a request whose body does not arrive in time, without dispatching it', async () => {
    const started = Date.now();
    const outcome = await new Promise<string>((resolve) => {
      const request = httpRequest({
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/ipc/session.get',
        headers: { ...headers(), 'Content-Type': 'application/json', 'Content-Length': '100' },
      });
      request.on('response', (res) => resolve(`answered ${String(res.statusCode)}`));
      request.on('error', () => resolve('closed'));
      request.write('{"a":');
      open.push(request);
    });
    expect(outcome).toBe('closed');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(dispatched).toBe(0);
  });

  it('refuses event streams beyond its cap with 429', async () => {
    expect(await openEvents()).toBe(200);
    expect(await openEvents()).toBe(200);
    expect(await openEvents()).toBe(429);
  });
});
