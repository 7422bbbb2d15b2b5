import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicApi, type FakeAnthropicApi } from '../../fakes/index.js';
import { runCliInProcess } from '../../support/run-cli-in-process.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

const KEY = 'sk-ant-api03-revoked-later-0123456789abcdef';

const run = runCliInProcess;

describe('a stored key the provider refuses', () => {
  let anthropic: FakeAnthropicApi;
  let temp: ReturnType<typeof makeTempDir>;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    anthropic = await startAnthropicApi();
  });
  afterAll(() => anthropic.close());
  beforeEach(() => {
    temp = makeTempDir();
    env = { THE_MAESTRO_DATA_DIR: temp.dir, THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url };
  });
  afterEach(() => temp.remove());

  it('is marked invalid when `models` gets a 401, not only when `login` or the window validates it', async () => {
    expect((await run(['login', 'anthropic', '--api-key-stdin', '--no-validate'], env, KEY)).code).toBe(0);
    const models = await run(['models', 'anthropic', '--refresh'], env);
    expect(models.code).toBe(3);
    const status = JSON.parse((await run(['status', '--json'], env)).stdout) as {
      providers: { id: string; state: string }[];
    };
    expect(status.providers.find((provider) => provider.id === 'anthropic')?.state).toBe('invalid');
  });

  it('shows a key stored with --no-validate as unverified in `status`, text and JSON, until the provider accepts it', async () => {
    const login = await run(['login', 'anthropic', '--api-key-stdin', '--no-validate'], env, KEY);
    expect(login.stdout).toContain('(not validated: --no-validate');
    const text = await run(['status'], env);
    expect(text.stdout).toMatch(/Anthropic\s+unverified/);
    const stateOf = async (): Promise<string | undefined> =>
      (
        JSON.parse((await run(['status', '--json'], env)).stdout) as { providers: { id: string; state: string }[] }
      ).providers.find((provider) => provider.id === 'anthropic')?.state;
    expect(await stateOf()).toBe('unverified');
    anthropic.validKeys.add(KEY);
    try {
      expect((await run(['models', 'anthropic', '--refresh'], env)).code).toBe(0);
    } finally {
      anthropic.validKeys.delete(KEY);
    }
    expect(await stateOf()).toBe('valid');
  });
});
