import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialState } from '../../../src-shared/auth-types.js';
import type { Core } from '../../../src-main/core/create-core.js';
import { createCore } from '../../../src-main/core/create-core.js';
import { MemoryKeyProvider } from '../../../src-main/core/store/key-providers/memory-key-provider.js';
import type { FakeAnthropicApi } from '../../fakes/index.js';
import { startAnthropicApi } from '../../fakes/index.js';

/** "Valid" means a provider accepted it: the state of keys stored without a check, over the real core and a fake API. */
const GOOD_KEY = 'sk-ant-api03-unverified-good-key-0123456789';
const BAD_KEY = 'sk-ant-api03-unverified-bad-key-9876543210';

let anthropic: FakeAnthropicApi;
let dataDir: string;
let core: Core;
const keyProvider = new MemoryKeyProvider({ protection: 'key_file' });

function open(): Promise<Core> {
  return createCore({
    dataDir,
    env: { THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url },
    keyProviders: [keyProvider],
    purpose: 'test',
  });
}

/** The provider's state and its account's, as status (CLI, window, agent) shows them. */
async function anthropicState(): Promise<{ provider: CredentialState; account: CredentialState | undefined }> {
  const status = await core.auth.status();
  const provider = status.providers.find((entry) => entry.id === 'anthropic');
  if (provider === undefined) throw new Error('no anthropic in status');
  return { provider: provider.state, account: provider.accounts[0]?.state };
}

async function storeUnchecked(apiKey: string): Promise<void> {
  const saved = await core.auth.saveApiKey({ provider: 'anthropic', apiKey, validate: false });
  expect(saved).toMatchObject({ ok: true, value: { validated: false } });
}

beforeAll(async () => {
  anthropic = await startAnthropicApi();
  anthropic.validKeys.add(GOOD_KEY);
});
afterAll(() => anthropic.close());
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-unverified-'));
  core = await open();
});
afterEach(async () => {
  await core.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a key stored without a check', () => {
  it('is unverified, not valid, and stays so across a restart', async () => {
    await storeUnchecked(GOOD_KEY);
    expect(await anthropicState()).toEqual({ provider: 'unverified', account: 'unverified' });
    // Handing it out does not reach the provider: still unverified.
    expect(await core.auth.resolve('anthropic')).toMatchObject({ ok: true, value: { secret: GOOD_KEY } });
    await core.dispose();
    core = await open();
    expect(await anthropicState()).toEqual({ provider: 'unverified', account: 'unverified' });
  });

  it('becomes valid once the provider serves the model list with it', async () => {
    await storeUnchecked(GOOD_KEY);
    const listed = await core.auth.listModels({ provider: 'anthropic', refresh: true });
    expect(listed).toMatchObject({ ok: true, value: { stale: false, error: null } });
    expect(await anthropicState()).toEqual({ provider: 'valid', account: 'valid' });
  });

  it('becomes valid after Check now, and after a model test', async () => {
    await storeUnchecked(GOOD_KEY);
    expect(await core.auth.validate({ provider: 'anthropic' })).toMatchObject({ ok: true, value: { state: 'valid' } });
    await storeUnchecked(GOOD_KEY);
    expect(await anthropicState()).toEqual({ provider: 'unverified', account: 'unverified' });
    const model = anthropic.models[0]?.id;
    if (model === undefined) throw new Error('the fake lists no model');
    expect(await core.auth.testModel({ provider: 'anthropic', model })).toMatchObject({ ok: true });
    expect(await anthropicState()).toEqual({ provider: 'valid', account: 'valid' });
  });

  it('is invalid after the provider refuses it to the model list', async () => {
    await storeUnchecked(BAD_KEY);
    await core.auth.listModels({ provider: 'anthropic', refresh: true });
    expect(await anthropicState()).toEqual({ provider: 'invalid', account: 'invalid' });
  });

  it('is invalid after the provider refuses it to a model test', async () => {
    await storeUnchecked(BAD_KEY);
    const model = anthropic.models[0]?.id;
    if (model === undefined) throw new Error('the fake lists no model');
    expect(await core.auth.testModel({ provider: 'anthropic', model })).toMatchObject({
      ok: false,
      error: { code: 'invalid_credentials' },
    });
    expect(await anthropicState()).toEqual({ provider: 'invalid', account: 'invalid' });
  });

  it('a key checked when it was stored is valid at once', async () => {
    expect(await core.auth.saveApiKey({ provider: 'anthropic', apiKey: GOOD_KEY })).toMatchObject({
      ok: true,
      value: { validated: true },
    });
    expect(await anthropicState()).toEqual({ provider: 'valid', account: 'valid' });
  });
});
