import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../src-main/core/create-core.js';
import { createCore } from '../../../../src-main/core/create-core.js';
import { DefinedProviderAuth } from '../../../../src-main/core/providers/defined-provider-auth.js';
import { googleDefinition } from '../../../../src-main/core/providers/google.js';
import { createProviderApi } from '../../../../src-main/core/providers/api.js';
import { MemoryKeyProvider } from '../../../../src-main/core/store/key-providers/memory-key-provider.js';
import { EXTERNAL_VERSION_TTL_MS } from '../../../../src-main/core/store/sqlite/change-version.js';
import { providerConfigFor } from '../../../fakes/index.js';

/** The quota project chosen in the window: shared through the data directory, below the environment. */
const keyProvider = new MemoryKeyProvider({ protection: 'key_file' });
let dataDir: string;
const opened: Core[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-quota-'));
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((core) => core.dispose()));
  rmSync(dataDir, { recursive: true, force: true });
});

/** Another process's write is seen within EXTERNAL_VERSION_TTL_MS (the store's documented bound). */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, EXTERNAL_VERSION_TTL_MS + 5));

async function open(env: NodeJS.ProcessEnv = {}): Promise<Core> {
  const core = await createCore({ dataDir, env, keyProviders: [keyProvider], purpose: 'test' });
  opened.push(core);
  return core;
}

describe('the quota project chosen in the window', () => {
  it('is seen by another core on the same data directory (the command line), and clearing it restores the file value', async () => {
    writeFileSync(
      join(dataDir, 'config.json'),
      JSON.stringify({ providers: { google: { quotaProject: 'file-project' } } }),
    );
    const app = await open();
    expect(app.auth.getQuotaProject('google')).toMatchObject({
      ok: true,
      value: { quotaProject: 'file-project', source: 'file' },
    });
    expect(app.auth.setQuotaProject({ provider: 'google', quotaProject: 'window-project' })).toMatchObject({
      ok: true,
      value: { quotaProject: 'window-project', source: 'window' },
    });
    const cli = await open();
    expect(cli.auth.getQuotaProject('google')).toMatchObject({
      ok: true,
      value: { quotaProject: 'window-project', source: 'window' },
    });
    app.auth.setQuotaProject({ provider: 'google', quotaProject: null });
    await settle();
    expect(cli.auth.getQuotaProject('google')).toMatchObject({
      ok: true,
      value: { quotaProject: 'file-project', source: 'file' },
    });
  });

  it('gives way to GOOGLE_CLOUD_QUOTA_PROJECT', async () => {
    const core = await open({ GOOGLE_CLOUD_QUOTA_PROJECT: 'env-project' });
    const set = core.auth.setQuotaProject({ provider: 'google', quotaProject: 'window-project' });
    expect(set).toMatchObject({ ok: true, value: { quotaProject: 'env-project', source: 'env' } });
  });

  it('is refused for a provider that takes none, naming it', async () => {
    const core = await open();
    expect(core.auth.setQuotaProject({ provider: 'openai', quotaProject: 'my-project' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'OpenAI takes no quota project.', provider: 'openai' },
    });
  });

  it('reaches the headers through the provider’s configuration, read on every use', () => {
    let chosen: string | null = null;
    const auth = new DefinedProviderAuth({
      definition: googleDefinition,
      config: providerConfigFor(googleDefinition, 'http://127.0.0.1:1', {
        requestSettings: { quotaProject: 'file-project' },
        quotaProjectSource: 'file',
      }),
      api: createProviderApi(),
      env: {},
      oauth: null,
      chosenQuotaProject: () => chosen,
    });
    expect(auth.config.requestSettings?.quotaProject).toBe('file-project');
    chosen = 'window-project';
    expect(googleDefinition.bearerHeaders('t', auth.config.requestSettings)).toEqual({
      Authorization: 'Bearer t',
      'x-goog-user-project': 'window-project',
    });
  });
});
