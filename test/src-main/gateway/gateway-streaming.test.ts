import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, type GatewayFixture } from './gateway-fixture.js';

/**
 * Streaming through the gateway against the local Anthropic fake: events arrive before the stream
 * ends (no buffering), a client that goes away aborts the provider request, and a provider that
 * resets mid-stream ends the client stream with an error event while the gateway keeps serving.
 */
let fx: GatewayFixture;
let release: () => void = () => undefined;
let upstreamClosed: Promise<void>;

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

function sse(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.write(event('message_start', { type: 'message_start' }));
}

beforeAll(async () => {
  fx = await startGatewayFixture({ idleTimeoutMs: 2_000 });
  const routes = fx.fakes.anthropic.extraRoutes;
  // Sends one event, then the rest only once the test has seen the first one.
  routes.set('POST /v1/messages', (_request, response) => {
    sse(response);
    release = () => {
      response.write(event('content_block_delta', { type: 'content_block_delta', delta: { text: 'hi' } }));
      response.end(event('message_stop', { type: 'message_stop' }));
    };
  });
  // Never ends; reports when the gateway closes it.
  routes.set('POST /v1/hang', (_request, response) => {
    sse(response);
    upstreamClosed = new Promise((resolve) => response.once('close', () => resolve()));
  });
  // Resets the connection after the first event.
  routes.set('POST /v1/reset', (_request, response) => {
    sse(response);
    setTimeout(() => response.socket?.destroy(), 20);
  });
  // Sends one event, then nothing, without closing: a provider that hangs mid-stream.
  routes.set('POST /v1/stall', (_request, response) => {
    sse(response);
  });
  routes.set('POST /v1/reset-json', (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"partial":');
    setTimeout(() => response.socket?.destroy(), 20);
  });
}, 30_000);

afterAll(async () => {
  await fx.close();
});

function post(path: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${fx.gateway.url}/anthropic${path}`, {
    method: 'POST',
    headers: { 'x-api-key': fx.gatewayKey, 'content-type': 'application/json' },
    body: '{"stream":true}',
    ...(signal !== undefined ? { signal } : {}),
  });
}

async function readAll(response: Response): Promise<string> {
  return new TextDecoder().decode(await response.arrayBuffer());
}

describe('streaming', () => {
  it('forwards each event as it arrives, without waiting for the end', async () => {
    const response = await post('/v1/messages');
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body?.getReader();
    if (reader === undefined) throw new Error('no body');
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('message_start');
    release();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toContain('message_stop');
  });

  it('aborts the provider request when the client goes away', async () => {
    const abort = new AbortController();
    const response = await post('/v1/hang', abort.signal);
    const reader = response.body?.getReader();
    await reader?.read();
    abort.abort();
    await expect(upstreamClosed).resolves.toBeUndefined();
  });

  it('ends an event stream with an error event when the provider resets mid-stream', async () => {
    const text = await readAll(await post('/v1/reset'));
    expect(text).toContain('message_start');
    expect(text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"api_error"/);
    expect(
      (await fetch(`${fx.gateway.url}/anthropic/v1/models`, { headers: { 'x-api-key': fx.gatewayKey } })).status,
    ).toBe(200);
  });

  it('ends an event stream with an error event when the provider goes quiet mid-stream', async () => {
    const started = performance.now();
    const text = await readAll(await post('/v1/stall'));
    expect(text).toContain('message_start');
    expect(text).toContain('event: error');
    // The fixture's idle timeout is 2 s.
    expect(performance.now() - started).toBeGreaterThan(1_900);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('cuts off a non-streamed body the provider resets, so the client sees it incomplete', async () => {
    const response = await post('/v1/reset-json');
    await expect(readAll(response)).rejects.toThrow();
  });
});
