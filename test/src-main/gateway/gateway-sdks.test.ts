import { execFile } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startGatewayFixture, type GatewayFixture } from './gateway-fixture.js';

/**
 * The three official SDKs and curl, pointed at the gateway with the gateway key as their "API
 * key", against the local fakes: a listing, a streamed answer, and an account switch between two
 * requests seen at the fake.
 */
let fx: GatewayFixture;
const run = promisify(execFile);

function sse(response: ServerResponse, events: readonly string[]): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const text of events) response.write(text);
  response.end();
}

const data = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;
const named = (name: string, value: unknown): string => `event: ${name}\n${data(value)}`;

beforeAll(async () => {
  fx = await startGatewayFixture();
  fx.fakes.anthropic.extraRoutes.set('POST /v1/messages', (_request, response) => {
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5-20251001',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 0 },
    };
    sse(response, [
      named('message_start', { type: 'message_start', message }),
      named('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      }),
      named('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: 'Hello' },
      }),
      named('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: ' there' },
      }),
      named('content_block_stop', { type: 'content_block_stop', index: 0 }),
      named('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: 2 },
      }),
      named('message_stop', { type: 'message_stop' }),
    ]);
  });
  fx.fakes.openai.extraRoutes.set('POST /v1/chat/completions', (_request, response) => {
    const chunk = (content: string, finish: string | null) => ({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'gpt-5',
      choices: [{ index: 0, delta: { content }, finish_reason: finish }],
    });
    sse(response, [data(chunk('Hello', null)), data(chunk(' there', 'stop')), 'data: [DONE]\n\n']);
  });
  fx.fakes.google.extraRoutes.set(
    'POST /v1beta/models/gemini-2.5-flash:streamGenerateContent',
    (_request, response) => {
      const part = (text: string) => ({ candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0 }] });
      sse(response, [data(part('Hello')), data(part(' there'))]);
    },
  );
}, 30_000);

afterAll(async () => {
  await fx.close();
});

async function switchTo(provider: 'anthropic' | 'openai' | 'google', account: 'work' | 'default'): Promise<void> {
  expect((await fx.core.auth.setActiveProvider({ provider, account })).ok).toBe(true);
}

describe('@anthropic-ai/sdk through the gateway', () => {
  it('lists, streams and follows an account switch', async () => {
    const client = new Anthropic({ apiKey: fx.gatewayKey, baseURL: `${fx.gateway.url}/anthropic`, maxRetries: 0 });
    const page = await client.models.list({ limit: 2 });
    expect(page.data[0]?.id).toBe('claude-opus-4-5-20251101');
    expect(fx.fakes.anthropic.lastRequest().headers['x-api-key']).toBe(KEYS.anthropic.default);
    await switchTo('anthropic', 'work');
    const stream = await client.messages.create({
      model: 'claude-haiku-4-5-20251001',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    let text = '';
    for await (const event of stream)
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    expect(text).toBe('Hello there');
    expect(fx.fakes.anthropic.lastRequest().headers['x-api-key']).toBe(KEYS.anthropic.work);
    await switchTo('anthropic', 'default');
  });

  it('shows the gateway error for a wrong key', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: `${fx.gateway.url}/anthropic`, maxRetries: 0 });
    const failure: unknown = await client.models.list().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(String(failure)).toContain('gateway key is wrong');
  });
});

describe('openai through the gateway', () => {
  it('lists, streams and follows an account switch', async () => {
    const client = new OpenAI({ apiKey: fx.gatewayKey, baseURL: `${fx.gateway.url}/openai/v1`, maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.length).toBeGreaterThan(0);
    expect(fx.fakes.openai.lastRequest().headers.authorization).toBe(`Bearer ${KEYS.openai.default}`);
    await switchTo('openai', 'work');
    const stream = await client.chat.completions.create({
      model: 'gpt-5',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello there');
    expect(fx.fakes.openai.lastRequest().headers.authorization).toBe(`Bearer ${KEYS.openai.work}`);
    await switchTo('openai', 'default');
  });

  it('shows the gateway error for a wrong key', async () => {
    const client = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${fx.gateway.url}/openai/v1`, maxRetries: 0 });
    await expect(client.models.list()).rejects.toMatchObject({ status: 401, code: 'wrong_key' });
  });
});

describe('@google/genai through the gateway', () => {
  it('lists, streams and follows an account switch', async () => {
    const ai = new GoogleGenAI({
      apiKey: fx.gatewayKey,
      httpOptions: { baseUrl: `${fx.gateway.url}/google`, apiVersion: 'v1beta' },
    });
    const pager = await ai.models.list({ config: { pageSize: 2 } });
    expect(pager.page.length).toBeGreaterThan(0);
    expect(fx.fakes.google.lastRequest().headers['x-goog-api-key']).toBe(KEYS.google.default);
    await switchTo('google', 'work');
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' });
    let text = '';
    for await (const chunk of stream) text += chunk.text ?? '';
    expect(text).toBe('Hello there');
    expect(fx.fakes.google.lastRequest().headers['x-goog-api-key']).toBe(KEYS.google.work);
    await switchTo('google', 'default');
  });
});

describe('curl through the gateway', () => {
  it('lists models with the gateway key, per account by header', async () => {
    const { stdout } = await run('curl', [
      '-sS',
      '-H',
      `x-api-key: ${fx.gatewayKey}`,
      '-H',
      'x-maestro-account: work',
      `${fx.gateway.url}/anthropic/v1/models?limit=1`,
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ data: [{ id: 'claude-opus-4-5-20251101' }] });
    expect(fx.fakes.anthropic.lastRequest().headers['x-api-key']).toBe(KEYS.anthropic.work);
  });

  it('streams with --no-buffer', async () => {
    const { stdout } = await run('curl', [
      '-sS',
      '-N',
      '-H',
      `Authorization: Bearer ${fx.gatewayKey}`,
      '-H',
      'content-type: application/json',
      '-d',
      '{"model":"gpt-5","stream":true,"messages":[]}',
      `${fx.gateway.url}/openai/v1/chat/completions`,
    ]);
    expect(stdout).toContain('data: [DONE]');
  });
});
