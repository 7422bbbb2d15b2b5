import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_KEY_PROVIDER } from '../../../src-main/gateway/gateway-key.js';
import { KEYS, startGatewayFixture, type GatewayFixture } from './gateway-fixture.js';

/** The gateway's admission, routing, injection and error rules, through the real core to the local fakes. */
let fx: GatewayFixture;

beforeAll(async () => {
  fx = await startGatewayFixture({ maxBodyBytes: 64 * 1024, headersTimeoutMs: 400, idleTimeoutMs: 600 });
}, 30_000);

afterAll(async () => {
  await fx.close();
});

function call(path: string, init: RequestInit & { key?: string | null } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.key !== null && !headers.has('authorization'))
    headers.set('authorization', `Bearer ${init.key ?? fx.gatewayKey}`);
  return fetch(`${fx.gateway.url}${path}`, { ...init, headers });
}

/** A raw HTTP exchange, for what fetch will not send (a foreign Host, a dribbled request). */
function raw(text: string | readonly string[], gapMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(fx.gateway.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    const parts = typeof text === 'string' ? [text] : text;
    let index = 0;
    const next = (): void => {
      const part = parts[index++];
      if (part === undefined || socket.destroyed) return;
      socket.write(part);
      setTimeout(next, gapMs);
    };
    next();
  });
}

describe('credential injection', () => {
  it('replaces the client auth with the active account key in each provider form', async () => {
    expect((await call('/anthropic/v1/models?limit=2', { headers: { 'x-api-key': fx.gatewayKey } })).status).toBe(200);
    const anthropic = fx.fakes.anthropic.lastRequest();
    expect(anthropic.headers['x-api-key']).toBe(KEYS.anthropic.default);
    expect(anthropic.headers['anthropic-version']).toBeDefined();
    expect(anthropic.headers.authorization).toBeUndefined();
    expect(anthropic.query.get('limit')).toBe('2');

    expect((await call('/openai/v1/models')).status).toBe(200);
    expect(fx.fakes.openai.lastRequest().headers.authorization).toBe(`Bearer ${KEYS.openai.default}`);

    const google = await call(`/google/v1beta/models?pageSize=3&key=${fx.gatewayKey}`, { key: null });
    expect(google.status).toBe(200);
    const seen = fx.fakes.google.lastRequest();
    expect(seen.headers['x-goog-api-key']).toBe(KEYS.google.default);
    expect(seen.query.get('key')).toBeNull();
    expect(seen.query.get('pageSize')).toBe('3');
  });

  it('serves another account by header or route prefix, and follows a switch on the next request', async () => {
    await call('/openai/v1/models', { headers: { 'x-maestro-account': 'work' } });
    expect(fx.fakes.openai.lastRequest().headers.authorization).toBe(`Bearer ${KEYS.openai.work}`);
    expect(fx.fakes.openai.lastRequest().headers['x-maestro-account']).toBeUndefined();
    await call('/openai@work/v1/models');
    expect(fx.fakes.openai.lastRequest().headers.authorization).toBe(`Bearer ${KEYS.openai.work}`);
    await fx.core.auth.setActiveProvider({ provider: 'openai', account: 'work' });
    await call('/openai/v1/models');
    expect(fx.fakes.openai.lastRequest().headers.authorization).toBe(`Bearer ${KEYS.openai.work}`);
    await fx.core.auth.setActiveProvider({ provider: 'openai', account: 'default' });
    await call('/openai/v1/models');
    expect(fx.fakes.openai.lastRequest().headers.authorization).toBe(`Bearer ${KEYS.openai.default}`);
  });

  it('answers an unknown account in the provider shape', async () => {
    const response = await call('/anthropic@nobody/v1/models');
    expect(response.status).toBe(401);
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('authentication_error');
    expect(body.error.message).toMatch(/nobody/);
  });
});

describe('who may use it', () => {
  it('binds to loopback only', () => {
    expect(fx.gateway.url).toBe(`http://127.0.0.1:${fx.gateway.port}`);
  });

  it('refuses a missing or wrong key in each provider shape, never reaching the provider', async () => {
    const before = fx.fakes.anthropic.count() + fx.fakes.openai.count() + fx.fakes.google.count();
    const anthropic = await call('/anthropic/v1/models', { key: null });
    expect(anthropic.status).toBe(401);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const openai = await call('/openai/v1/models', { key: 'sk-wrong' });
    expect(openai.status).toBe(401);
    expect(await openai.json()).toMatchObject({ error: { type: 'authentication_error', code: 'wrong_key' } });
    const google = await call('/google/v1beta/models', { key: null, headers: { 'x-goog-api-key': 'AIza-wrong' } });
    expect(google.status).toBe(401);
    expect(await google.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    // A provider key is not the gateway key either.
    expect((await call('/openai/v1/models', { key: KEYS.openai.default })).status).toBe(401);
    expect(fx.fakes.anthropic.count() + fx.fakes.openai.count() + fx.fakes.google.count()).toBe(before);
  });

  it('refuses a rotated key and accepts the new one', async () => {
    const old = fx.gatewayKey;
    const fresh = fx.keySource.rotate();
    expect(fresh).not.toBe(old);
    expect((await call('/openai/v1/models', { key: old })).status).toBe(401);
    expect((await call('/openai/v1/models', { key: fresh })).status).toBe(200);
    Object.assign(fx, { gatewayKey: fresh });
  });

  it('keeps the key sealed in the store under a provider the status never shows', async () => {
    const meta = fx.core.store.list({ provider: GATEWAY_KEY_PROVIDER });
    expect(meta).toHaveLength(1);
    const status = await fx.core.auth.status();
    const ids = status.providers.map((provider) => provider.id);
    expect(ids).toContain('anthropic');
    expect(ids).not.toContain(GATEWAY_KEY_PROVIDER);
  });

  it('refuses a DNS-rebinding Host', async () => {
    const answer = await raw(
      `GET /openai/v1/models HTTP/1.1\r\nHost: evil.example:${fx.gateway.port}\r\nAuthorization: Bearer ${fx.gatewayKey}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 403/);
    expect(answer).toContain('foreign_host');
  });

  it('accepts localhost:<port> as a Host', async () => {
    const answer = await raw(
      `GET /openai/v1/models HTTP/1.1\r\nHost: localhost:${fx.gateway.port}\r\nAuthorization: Bearer ${fx.gatewayKey}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
  });

  it('rejects browser preflights and requests with an Origin, and sends no CORS header', async () => {
    const preflight = await fetch(`${fx.gateway.url}/openai/v1/models`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect([...preflight.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const withOrigin = await call('/openai/v1/models', { headers: { origin: 'https://evil.example' } });
    expect(withOrigin.status).toBe(403);
    // A no-cors GET (an <img src> with ?key=) carries no Origin, but a browser still marks it.
    const noCors = await call(`/google/v1beta/models?key=${fx.gatewayKey}`, {
      key: null,
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' },
    });
    expect(noCors.status).toBe(403);
    const ok = await call('/openai/v1/models');
    expect([...ok.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});

describe('bad input', () => {
  it('answers an unknown route with 404', async () => {
    const response = await call('/mistral/v1/models');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'unknown_route' } });
  });

  it('refuses a body over the limit with 413 in the provider shape', async () => {
    const response = await call('/anthropic/v1/messages', { method: 'POST', body: 'x'.repeat(65 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
  });

  it('cuts off a client that sends its headers one byte at a time, within a bounded time', async () => {
    const request = `GET /openai/v1/models HTTP/1.1\r\nHost: 127.0.0.1:${fx.gateway.port}\r\nX-Padding: ${'a'.repeat(40)}\r\n\r\n`;
    const started = performance.now();
    const answer = await raw(request.split(''), 50);
    const elapsed = performance.now() - started;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(elapsed).toBeLessThan(2_000);
    expect((await call('/openai/v1/models')).status).toBe(200);
  });

  it('answers a body that stalls with 408', async () => {
    const answer = await raw(
      `POST /openai/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${fx.gateway.port}\r\nAuthorization: Bearer ${fx.gatewayKey}\r\nContent-Length: 100\r\n\r\n{"a":`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('body_timeout');
  });
});

describe('provider answers', () => {
  it('passes provider errors through unchanged (429 retry-after, 529)', async () => {
    fx.fakes.anthropic.setMode({ kind: 'status', status: 429, retryAfter: 7 }, { times: 1 });
    const limited = await call('/anthropic/v1/models');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('request-id')).toBe('req_011CFake429');
    expect(await limited.json()).toMatchObject({ error: { type: 'rate_limit_error' } });
    fx.fakes.anthropic.setMode({ kind: 'status', status: 529 }, { times: 1 });
    const overloaded = await call('/anthropic/v1/models');
    expect(overloaded.status).toBe(529);
    expect(await overloaded.json()).toMatchObject({ error: { type: 'overloaded_error' } });
    fx.fakes.openai.setMode({ kind: 'status', status: 429, code: 'insufficient_quota' }, { times: 1 });
    const quota = await call('/openai/v1/models');
    expect(quota.status).toBe(429);
  });

  it('answers a provider that hangs with 504 in its shape, and keeps serving', async () => {
    fx.fakes.google.setMode({ kind: 'slow', delayMs: 3_000 }, { times: 1 });
    const started = performance.now();
    const response = await call('/google/v1beta/models');
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ error: { code: 504, status: 'DEADLINE_EXCEEDED' } });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect((await call('/google/v1beta/models')).status).toBe(200);
  });

  it('answers a provider that drops the connection with 502', async () => {
    fx.fakes.openai.setMode({ kind: 'drop' }, { times: 1 });
    const response = await call('/openai/v1/models');
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: { code: 'upstream_unreachable' } });
  });

  it('counts requests and keeps the last error per provider', () => {
    const stats = fx.gateway.stats();
    expect(stats.openai.requests).toBeGreaterThan(5);
    expect(stats.openai.lastError?.status).toBe(502);
    expect(stats.google.lastError?.status).toBe(504);
  });
});

describe('logs', () => {
  it('writes one line per request with no key, token or body', () => {
    expect(fx.logLines.length).toBeGreaterThan(10);
    const text = fx.logLines.join('\n');
    const canaries = [fx.gatewayKey, ...Object.values(KEYS).flatMap((keys) => Object.values(keys)), 'x'.repeat(100)];
    for (const canary of canaries) expect(text).not.toContain(canary);
    expect(text).not.toContain('key=');
    const line = fx.logLines.find((entry) => entry.includes('/anthropic/v1/models'));
    expect(line).toMatch(/"status":200/);
    expect(line).toMatch(/"account":"default"/);
  });
});
