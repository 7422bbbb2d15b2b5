import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_DEFINITIONS, ProviderRegistry } from '../../../../src-main/core/providers/registry.js';
import { mistralDefinition } from './example-provider.js';
import { openTutorialCore, type TutorialCore } from './tutorial-core.js';

const KEY = 'mistral-tutorial-key-0123456789-m4st';

/**
 * A small fake of Mistral's model list: `Authorization: Bearer <key>`, `GET /v1/models`, one
 * chat model that is deprecated and one that cannot chat among the usable ones.
 */
function startFakeMistral(): Promise<{ url: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(
      `${request.method ?? ''} ${request.url ?? ''} ${request.headers.authorization ?? '(no authorization)'}`,
    );
    const reply = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${KEY}`)
      return reply(401, { message: 'Unauthorized', request_id: 'req-1' });
    if (request.method !== 'GET' || request.url !== '/v1/models') return reply(404, { message: 'Not Found' });
    const model = (
      id: string,
      name: string,
      created: number,
      chat: boolean,
      extra: Record<string, unknown> = {},
    ): Record<string, unknown> => ({
      id,
      object: 'model',
      created,
      owned_by: 'mistralai',
      name,
      description: `${name}, for the tutorial`,
      max_context_length: 131_072,
      capabilities: { completion_chat: chat, function_calling: chat },
      aliases: [],
      deprecation: null,
      ...extra,
    });
    return reply(200, {
      object: 'list',
      data: [
        model('mistral-small-latest', 'Mistral Small', 1_750_000_000, true),
        model('mistral-embed', 'Mistral Embed', 1_700_000_000, false),
        model('mistral-large-latest', 'Mistral Large', 1_760_000_000, true),
        model('open-mistral-7b', 'Mistral 7B', 1_690_000_000, true, { deprecation: '2025-03-30T12:00:00Z' }),
        { id: 42 },
      ],
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, server, requests });
    });
  });
}

let fake: Awaited<ReturnType<typeof startFakeMistral>>;
let opened: TutorialCore | undefined;
beforeAll(async () => {
  fake = await startFakeMistral();
});
afterAll(() => new Promise<void>((resolve) => fake.server.close(() => resolve())));
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

/** The real core with the built-in providers plus Mistral, its API pointed at the fake. */
function openWithMistral(env: NodeJS.ProcessEnv = {}): Promise<TutorialCore> {
  return openTutorialCore({
    registry: new ProviderRegistry([...PROVIDER_DEFINITIONS, mistralDefinition]),
    env: { THE_MAESTRO_MISTRAL_API_BASE_URL: fake.url, ...env },
  });
}

describe('chapter 6 — adding a fourth provider', () => {
  it('appears beside the built-in providers, offering API keys', async () => {
    opened = await openWithMistral();
    const status = await opened.core.auth.status();
    expect(status.providers.map((provider) => provider.id)).toEqual(['anthropic', 'google', 'openai', 'mistral']);
    expect(status.providers[3]).toMatchObject({
      displayName: 'Mistral',
      state: 'missing',
      availableMethods: ['api_key'],
      consoleUrl: 'https://console.mistral.ai/api-keys',
    });
    expect(status.providers[3]?.unavailableMethods).toContainEqual({
      method: 'oauth',
      reason: 'Mistral offers no browser sign-in for other apps; use an API key.',
    });
    expect(await opened.core.auth.startOAuth({ provider: 'mistral' })).toMatchObject({
      ok: false,
      error: { code: 'not_configured' },
    });
  });

  it('saves a key after checking it with the provider, lists its chat models, and resolves Bearer headers', async () => {
    opened = await openWithMistral();
    const { auth } = opened.core;
    expect(await auth.saveApiKey({ provider: 'mistral', apiKey: KEY })).toMatchObject({
      ok: true,
      value: { validated: true, maskedKey: '…m4st' },
    });
    expect(fake.requests).toContain(`GET /v1/models Bearer ${KEY}`);

    const models = await auth.listModels({ provider: 'mistral' });
    if (!models.ok) throw new Error(models.error.message);
    expect(models.value.models.map((model) => model.id)).toEqual(['mistral-large-latest', 'mistral-small-latest']);
    expect(models.value.models[0]).toMatchObject({ displayName: 'Mistral Large', contextWindow: 131_072 });

    expect(await auth.selectModel({ provider: 'mistral', model: 'mistral-large-latest' })).toMatchObject({
      ok: true,
      value: { selectedModel: 'mistral-large-latest' },
    });
    expect(await auth.resolve('mistral')).toMatchObject({
      ok: true,
      value: { source: 'api_key', headers: { Authorization: `Bearer ${KEY}` }, apiBaseUrl: fake.url },
    });
  });

  it('maps a refused key to invalid_credentials and stores nothing', async () => {
    opened = await openWithMistral();
    const saved = await opened.core.auth.saveApiKey({ provider: 'mistral', apiKey: 'mistral-wrong-key-000000000000' });
    expect(saved).toMatchObject({
      ok: false,
      error: { code: 'invalid_credentials', provider: 'mistral', status: 401 },
    });
    expect(saved.ok ? '' : saved.error.message).toMatch(/^Mistral rejected the credential \(401 Unauthorized\)/);
    expect(opened.core.store.list({ provider: 'mistral' })).toEqual([]);
  });

  it('takes part in the fallback chain like any provider: MISTRAL_API_KEY from the environment', async () => {
    opened = await openWithMistral({ MISTRAL_API_KEY: KEY });
    expect(await opened.core.auth.resolve('mistral')).toMatchObject({
      ok: true,
      value: { source: 'env', account: null },
    });
  });

  it('is the small diff the chapter shows: it applies to src-main, and its new file is this one', () => {
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const diffPath = fileURLToPath(new URL('./add-mistral.diff', import.meta.url));
    const check = spawnSync('git', ['apply', '--check', diffPath], { cwd: root, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);

    const diff = readFileSync(diffPath, 'utf8');
    // One definition file, and the registry's list (its import and one entry).
    expect([...diff.matchAll(/^\+\+\+ b\/(.+)$/gm)].map((match) => match[1])).toEqual([
      'src-main/core/providers/mistral.ts',
      'src-main/core/providers/registry.ts',
    ]);
    const section = diff.split('+++ b/src-main/core/providers/mistral.ts\n')[1]?.split('\ndiff --git')[0];
    const newFile = section
      ?.split('\n')
      .filter((line) => line.startsWith('+'))
      .map((line) => line.slice(1));
    const tutorialFile = readFileSync(fileURLToPath(new URL('./example-provider.ts', import.meta.url)), 'utf8')
      .replaceAll("'../../../../src-shared/", "'../../../src-shared/")
      .replaceAll("'../../../../src-main/core/providers/", "'./");
    expect(newFile?.join('\n')).toBe(tutorialFile.trimEnd());
  });
});
