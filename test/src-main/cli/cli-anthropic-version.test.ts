import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAnthropicApi } from '../../fakes/index.js';
import { startAnthropicApi } from '../../fakes/index.js';
import { cliEnv, runCli } from '../../support/run-cli.js';

/** The `anthropic-version` setting through the real program, against the Anthropic fake (which accepts both versions). */
const KEY = 'sk-ant-api03-version-test-key-0000000000';
let anthropic: FakeAnthropicApi;
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  anthropic = await startAnthropicApi({ validKeys: [KEY] });
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-cli-version-'));
  env = cliEnv({ THE_MAESTRO_DATA_DIR: dataDir, THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url });
});

afterAll(async () => {
  await anthropic.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function headersOf(extra: NodeJS.ProcessEnv): Promise<Readonly<Record<string, string>>> {
  const run = await runCli(['token', 'anthropic', '--json'], { ...env, ...extra });
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { headers: Record<string, string> }).headers;
}

describe('the anthropic-version setting', () => {
  it('validates a key with the current version by default and hands the same header on', async () => {
    expect((await runCli(['login', 'anthropic', '--api-key-stdin'], env, KEY)).code).toBe(0);
    expect(anthropic.lastRequest().headers['anthropic-version']).toBe('2026-10-21');
    expect(await headersOf({})).toEqual({ 'x-api-key': KEY, 'anthropic-version': '2026-10-21' });
  });

  it('sends the version THE_MAESTRO_ANTHROPIC_API_VERSION names, to the API and in the credential', async () => {
    const older = { THE_MAESTRO_ANTHROPIC_API_VERSION: '2023-06-01' };
    expect((await headersOf(older))['anthropic-version']).toBe('2023-06-01');
    const models = await runCli(['models', 'anthropic', '--refresh'], { ...env, ...older });
    expect(models.code).toBe(0);
    expect(anthropic.lastRequest().headers['anthropic-version']).toBe('2023-06-01');
  });

  it('reports a malformed version by name in status and keeps the default', async () => {
    const run = await runCli(['status'], { ...env, THE_MAESTRO_ANTHROPIC_API_VERSION: 'latest' });
    expect(run.stdout + run.stderr).toContain(
      'THE_MAESTRO_ANTHROPIC_API_VERSION: must be an API version date such as 2026-10-21; it was ignored',
    );
    expect((await headersOf({ THE_MAESTRO_ANTHROPIC_API_VERSION: 'latest' }))['anthropic-version']).toBe('2026-10-21');
  });
});
