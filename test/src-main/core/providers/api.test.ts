import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src-main/log/logger.js';
import { anthropicDefinition } from '../../../../src-main/core/providers/anthropic.js';
import { AuthError } from '../../../../src-main/core/auth-error.js';
import { openaiDefinition } from '../../../../src-main/core/providers/openai.js';
import { createProviderApi, type ProviderApiOptions, providerUrl } from '../../../../src-main/core/providers/api.js';
import { mapNetworkError } from '../../../../src-main/core/providers/error-mapping.js';
import { type FakeAnthropicApi, providerConfigFor, refusedUrl, startAnthropicApi } from '../../../fakes/index.js';

const KEY = 'sk-ant-api03-provider-api-test-key-0000';
const AUTH = { kind: 'api_key', apiKey: KEY } as const;

async function failure(promise: Promise<unknown>): Promise<AuthError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

/** A plain local server for answers the provider fakes do not give (redirects, stalled bodies). */
async function startRawServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ url: string; paths: string[]; close: () => Promise<void> }> {
  const paths: string[] = [];
  const server: Server = createServer((request, response) => {
    paths.push(request.url ?? '');
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('createProviderApi', () => {
  const cleanups: (() => Promise<void>)[] = [];
  let delays: number[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    delays = [];
  });

  const api = (options: ProviderApiOptions = {}) =>
    createProviderApi({ sleep: async (ms) => void delays.push(ms), random: () => 0, ...options });

  async function anthropicFake(): Promise<FakeAnthropicApi> {
    const fake = await startAnthropicApi({ validKeys: [KEY] });
    cleanups.push(() => fake.close());
    return fake;
  }

  describe('URLs', () => {
    it('appends documented paths to a base URL with a path prefix, with or without a trailing slash', () => {
      expect(providerUrl(anthropicDefinition, 'https://gw.example/proxy/anthropic/', '/v1/models?limit=1').href).toBe(
        'https://gw.example/proxy/anthropic/v1/models?limit=1',
      );
      expect(providerUrl(anthropicDefinition, 'https://gw.example/proxy/anthropic', '/v1/models').href).toBe(
        'https://gw.example/proxy/anthropic/v1/models',
      );
      expect(providerUrl(anthropicDefinition, 'https://api.anthropic.com', '/v1/models').href).toBe(
        'https://api.anthropic.com/v1/models',
      );
    });

    it('refuses a base URL that is not http(s) as a configuration error', () => {
      expect(() => providerUrl(anthropicDefinition, 'not a url', '/v1/models')).toThrow(
        expect.objectContaining({ code: 'config_invalid' }) as Error,
      );
      expect(() => providerUrl(anthropicDefinition, 'file:///etc/passwd', '/v1/models')).toThrow(
        expect.objectContaining({ code: 'config_invalid' }) as Error,
      );
    });

    it('sends requests under the configured path prefix', async () => {
      const raw = await startRawServer((_request, response) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}'),
      );
      cleanups.push(raw.close);
      await api().validate(anthropicDefinition, providerConfigFor(anthropicDefinition, `${raw.url}/gateway/`), AUTH);
      expect(raw.paths).toEqual(['/gateway/v1/models?limit=1']);
    });
  });

  describe('network failures', () => {
    it('reports connection refused as network_error naming the provider and host, after bounded retries', async () => {
      const url = await refusedUrl();
      const error = await failure(
        api().validate(anthropicDefinition, providerConfigFor(anthropicDefinition, url), AUTH),
      );
      expect(error.info).toMatchObject({
        code: 'network_error',
        provider: 'anthropic',
        providerCode: 'ECONNREFUSED',
        retryable: true,
      });
      expect(error.message).toBe(
        `${new URL(url).host} refused the connection, so Anthropic could not be reached. Check the internet connection and the API base URL.`,
      );
      expect(delays).toEqual([125, 250]);
    });

    it('times out a slow provider per attempt and says how long it waited', async () => {
      const fake = await anthropicFake();
      fake.setMode({ kind: 'slow', delayMs: 5_000 });
      const started = Date.now();
      const error = await failure(
        api({ timeoutMs: 150, maxAttempts: 2 }).validate(
          anthropicDefinition,
          providerConfigFor(anthropicDefinition, fake.url),
          AUTH,
        ),
      );
      expect(error.info).toMatchObject({ code: 'provider_unavailable', providerCode: 'timeout', retryable: true });
      expect(error.message).toBe(
        `Anthropic did not answer within 1 second (${new URL(fake.url).host}). Try again in a moment.`,
      );
      expect(fake.count()).toBe(2);
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it('uses the configured requestTimeoutMs when no timeout is given', async () => {
      const fake = await anthropicFake();
      fake.setMode({ kind: 'slow', delayMs: 5_000 });
      const config = providerConfigFor(anthropicDefinition, fake.url, { requestTimeoutMs: 100 });
      expect(
        (await failure(api({ maxAttempts: 1 }).validate(anthropicDefinition, config, AUTH))).info.providerCode,
      ).toBe('timeout');
    });

    it('times out a body that stalls after the headers', async () => {
      const raw = await startRawServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"data":[');
      });
      cleanups.push(raw.close);
      const error = await failure(
        api({ timeoutMs: 150, maxAttempts: 1 }).validate(
          anthropicDefinition,
          providerConfigFor(anthropicDefinition, raw.url),
          AUTH,
        ),
      );
      expect(error.info).toMatchObject({ code: 'provider_unavailable', providerCode: 'timeout' });
    });

    it('retries a dropped connection and succeeds when the provider recovers', async () => {
      const fake = await anthropicFake();
      fake.setMode({ kind: 'drop' }, { times: 1 });
      await api().validate(anthropicDefinition, providerConfigFor(anthropicDefinition, fake.url), AUTH);
      expect(fake.count()).toBe(2);
      expect(delays).toHaveLength(1);
    });

    it('maps DNS, certificate and nested (happy eyeballs) failures', () => {
      const url = new URL('https://api.openai.com/v1/models?secret=1');
      const dns = mapNetworkError(
        new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }) }),
        openaiDefinition,
        url,
        30_000,
      );
      expect(dns).toMatchObject({ code: 'network_error', providerCode: 'ENOTFOUND', retryable: true });
      expect(dns.message).toBe(
        'The Maestro could not find api.openai.com to reach OpenAI (ENOTFOUND). Check the internet connection, proxy or DNS.',
      );
      const tls = mapNetworkError(
        new TypeError('fetch failed', { cause: { code: 'SELF_SIGNED_CERT_IN_CHAIN' } }),
        openaiDefinition,
        url,
        30_000,
      );
      expect(tls).toMatchObject({ code: 'network_error', retryable: false });
      const nested = mapNetworkError(
        new TypeError('fetch failed', {
          cause: new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]),
        }),
        openaiDefinition,
        url,
        30_000,
      );
      expect(nested.providerCode).toBe('ECONNREFUSED');
      const unknown = mapNetworkError('weird', openaiDefinition, url, 30_000);
      expect(unknown).toMatchObject({ code: 'network_error', retryable: true });
      for (const info of [dns, tls, nested, unknown]) expect(info.message).not.toContain('secret');
    });
  });

  describe('bodies', () => {
    it('refuses a 200 that is not JSON at once, without retrying', async () => {
      const fake = await anthropicFake();
      fake.setMode({ kind: 'garbage' });
      const error = await failure(
        api().validate(anthropicDefinition, providerConfigFor(anthropicDefinition, fake.url), AUTH),
      );
      expect(error.info).toMatchObject({ code: 'provider_unavailable', status: 200, retryable: false });
      expect(error.message).toContain('something that is not JSON');
      expect(fake.count()).toBe(1);
    });

    it('maps an HTML 502 from a proxy by status and retries it', async () => {
      const fake = await anthropicFake();
      fake.setMode({ kind: 'garbage', status: 502 });
      const error = await failure(
        api().validate(anthropicDefinition, providerConfigFor(anthropicDefinition, fake.url), AUTH),
      );
      expect(error.info).toMatchObject({
        code: 'provider_unavailable',
        status: 502,
        retryable: true,
        provider: 'anthropic',
      });
      expect(fake.count()).toBe(3);
    });

    it('stops reading a body larger than maxBodyBytes, declared or streamed', async () => {
      const fake = await anthropicFake();
      const declared = await failure(
        api({ maxBodyBytes: 200 }).listModels(
          anthropicDefinition,
          providerConfigFor(anthropicDefinition, fake.url),
          AUTH,
        ),
      );
      expect(declared.message).toBe('Anthropic sent a response larger than 200 bytes; The Maestro stopped reading it.');
      const raw = await startRawServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        for (let index = 0; index < 20; index += 1) response.write(' '.repeat(1024));
        response.end('{}');
      });
      cleanups.push(raw.close);
      const streamed = await failure(
        api({ maxBodyBytes: 4096 }).validate(
          anthropicDefinition,
          providerConfigFor(anthropicDefinition, raw.url),
          AUTH,
        ),
      );
      expect(streamed.info).toMatchObject({ code: 'provider_unavailable', retryable: false });
      expect(streamed.message).toContain('larger than 4 KB');
    });

    it('maps an oversized error body by its status', async () => {
      const raw = await startRawServer((_request, response) =>
        response.writeHead(503, { 'content-type': 'text/html' }).end('x'.repeat(10_000)),
      );
      cleanups.push(raw.close);
      const error = await failure(
        api({ maxBodyBytes: 1024, maxAttempts: 1 }).validate(
          anthropicDefinition,
          providerConfigFor(anthropicDefinition, raw.url),
          AUTH,
        ),
      );
      expect(error.info).toMatchObject({ code: 'provider_unavailable', status: 503, retryable: true });
    });

    it('does not follow redirects, so credential headers never reach another host', async () => {
      const other = await anthropicFake();
      const raw = await startRawServer((_request, response) =>
        response.writeHead(302, { location: `${other.url}/v1/models` }).end(),
      );
      cleanups.push(raw.close);
      const error = await failure(
        api().validate(anthropicDefinition, providerConfigFor(anthropicDefinition, raw.url), AUTH),
      );
      expect(error.info).toMatchObject({ code: 'not_configured', status: 302 });
      expect(other.count()).toBe(0);
    });
  });

  describe('retries', () => {
    it('backs off exponentially within a bound', async () => {
      const fake = await anthropicFake();
      fake.setMode({ kind: 'status', status: 503 });
      await failure(
        api({ maxAttempts: 7 }).validate(anthropicDefinition, providerConfigFor(anthropicDefinition, fake.url), AUTH),
      );
      expect(delays).toEqual([125, 250, 500, 1000, 2000, 2000]);
      delays = [];
      await failure(
        api({ maxAttempts: 7, random: () => 0.999 }).validate(
          anthropicDefinition,
          providerConfigFor(anthropicDefinition, fake.url),
          AUTH,
        ),
      );
      expect(delays.every((delay) => delay <= 4_000)).toBe(true);
      expect(delays.at(-1)).toBeGreaterThan(3_900);
    });

    it('does not wait for a retry-after beyond the cap, and hands it to the caller', async () => {
      const fake = await anthropicFake();
      fake.setMode({ kind: 'status', status: 429, retryAfter: 60 });
      const error = await failure(
        api().validate(anthropicDefinition, providerConfigFor(anthropicDefinition, fake.url), AUTH),
      );
      expect(error.info).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 60, retryable: true });
      expect(error.message).toContain('Try again in 60 seconds.');
      expect(fake.count()).toBe(1);
      expect(delays).toEqual([]);
    });

    it('never retries bad credentials, refused permissions or bad requests', async () => {
      const fake = await anthropicFake();
      for (const status of [400, 401, 403, 404]) {
        fake.setMode({ kind: 'status', status });
        await failure(api().validate(anthropicDefinition, providerConfigFor(anthropicDefinition, fake.url), AUTH));
      }
      expect(fake.count()).toBe(4);
      expect(delays).toEqual([]);
    });
  });

  it('logs requests and retries without secrets or query strings', async () => {
    const lines: string[] = [];
    const fake = await anthropicFake();
    fake.setMode({ kind: 'status', status: 500 }, { times: 1 });
    const logger = createLogger({ sink: (line) => lines.push(line), level: 'debug' });
    await api({ logger }).validate(anthropicDefinition, providerConfigFor(anthropicDefinition, fake.url), AUTH);
    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(log).toContain(`${fake.url}/v1/models`);
    expect(log).toContain('retrying');
    expect(log).not.toContain(KEY);
    expect(log).not.toContain('limit=');
  });
});
