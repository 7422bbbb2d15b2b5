import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmitEvent } from '../../../src-main/ipc/ipc-events.js';
import { startWebServer, type WebServer } from '../../../src-main/web/web-server.js';
import { RENDERER_CSP } from '../../../src-main/web/web-security.js';

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A raw HTTP request, so tests can send the headers a browser would not let them forge. */
function send(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('web transport server', () => {
  let dir: string;
  let server: WebServer;
  let emit: EmitEvent = () => undefined;
  const dispatched: [string, unknown][] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maestro-web-'));
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'web.html'), '<!doctype html><title>web</title>');
    writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'renderer', '.secret'), 'hidden');
    writeFileSync(join(dir, 'outside.txt'), 'outside');
    dispatched.length = 0;
    server = await startWebServer({
      dispatch: async (channel, payload) => {
        dispatched.push([channel, payload]);
        return channel === 'session.get'
          ? { ok: true, value: { echoed: payload } }
          : { ok: false, error: { code: 'invalid_input', message: 'Unknown IPC channel.' } };
      },
      subscribe: (next) => {
        emit = next;
        return () => {
          emit = () => undefined;
        };
      },
      staticDir: join(dir, 'renderer'),
      maxBodyBytes: 1024,
    });
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ipc = (path: string, extra: Record<string, string> = {}, body = '{}'): Promise<RawResponse> =>
    send(server.port, {
      method: 'POST',
      path,
      headers: {
        Host: `127.0.0.1:${server.port}`,
        Authorization: `Bearer ${server.token}`,
        'Content-Type': 'application/json',
        ...extra,
      },
      body,
    });

  it('listens on 127.0.0.1 with a fresh 256-bit token and prints the app address with it', () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
    expect(server.appUrl).toBe(`${server.origin}/#token=${server.token}`);
  });

  it('dispatches an authorised JSON request and replies with the result, without CORS headers', async () => {
    const response = await ipc('/ipc/session.get', {}, '{"a":1}');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ ok: true, value: { echoed: { a: 1 } } });
    expect(dispatched).toEqual([['session.get', { a: 1 }]]);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['content-security-policy']).toBe(RENDERER_CSP);
  });

  it('refuses requests without the token, with a wrong one, or with the token in the query', async () => {
    expect((await ipc('/ipc/session.get', { Authorization: '' })).status).toBe(401);
    expect((await ipc('/ipc/session.get', { Authorization: `Bearer ${'A'.repeat(43)}` })).status).toBe(401);
    expect((await ipc(`/ipc/session.get?token=${server.token}`, { Authorization: '' })).status).toBe(401);
    expect(dispatched).toEqual([]);
  });

  it('refuses a Host header that is not this server (DNS rebinding) and a foreign Origin', async () => {
    expect((await ipc('/ipc/session.get', { Host: `evil.example:${server.port}` })).status).toBe(421);
    expect((await ipc('/ipc/session.get', { Host: `127.0.0.1:${server.port + 1}` })).status).toBe(421);
    expect((await ipc('/ipc/session.get', { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await ipc('/ipc/session.get', { Origin: server.origin })).status).toBe(200);
    const page = await send(server.port, { path: '/', headers: { Host: 'attacker.example' } });
    expect(page.status).toBe(421);
    expect(page.body).not.toContain('<title>');
    expect(dispatched).toHaveLength(1);
  });

  it('refuses other methods, other content types, oversized bodies and invalid JSON before dispatching', async () => {
    expect((await ipc('/ipc/session.get', { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await ipc('/ipc/session.get', {}, JSON.stringify({ big: 'x'.repeat(2000) }))).status).toBe(413);
    const bad = await ipc('/ipc/session.get', {}, '{nope');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const get = await send(server.port, {
      path: '/ipc/session.get',
      headers: { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}` },
    });
    expect(get.status).toBe(405);
    expect(dispatched).toEqual([]);
  });

  it('serves the built renderer with the CSP and refuses traversal, dot-files and unknown paths', async () => {
    const host = { Host: `127.0.0.1:${server.port}` };
    const index = await send(server.port, { path: '/', headers: host });
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.headers['content-security-policy']).toBe(RENDERER_CSP);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect((await send(server.port, { path: '/assets/app.js', headers: host })).headers['content-type']).toContain(
      'text/javascript',
    );
    for (const path of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/.secret',
      '/missing.js',
      '/assets',
      '/%00.js',
      '/..%5coutside.txt',
    ]) {
      const response = await send(server.port, { path, headers: host });
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain('outside');
    }
  });

  it('streams push events to a client holding the token and refuses one without it', async () => {
    expect((await send(server.port, { path: '/events', headers: { Host: `127.0.0.1:${server.port}` } })).status).toBe(
      401,
    );
    const received = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          path: `/events?token=${server.token}`,
          headers: { Host: `127.0.0.1:${server.port}` },
        },
        (res) => {
          expect(res.headers['content-type']).toContain('text/event-stream');
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString('utf8');
            if (text.includes(': connected'))
              emit('auth.flowFinished', {
                flowId: 'f',
                provider: 'google',
                account: 'default',
                ok: true,
                credentialId: 'c1',
              });
            if (text.includes('data:') && text.endsWith('\n\n')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(received).toContain(
      'event: auth.flowFinished\ndata: {"flowId":"f","provider":"google","account":"default","ok":true,"credentialId":"c1"}\n\n',
    );
  });

  it('closes even with an event stream open, and unsubscribes from the core', async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/events',
          headers: { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${server.token}` },
        },
        () => resolve(),
      );
      req.on('error', () => undefined);
      req.end();
    });
    await server.close();
    expect(() => emit('status.changed', undefined as never)).not.toThrow();
    server = await startWebServer({
      dispatch: async () => ({ ok: true, value: null }),
      subscribe: () => () => undefined,
      staticDir: dir,
    });
  });
});
