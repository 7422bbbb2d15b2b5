import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAnthropicApi } from '../../fakes/index.js';
import { startAnthropicApi } from '../../fakes/index.js';
import { cliEnv, runCli } from '../../support/run-cli.js';

/** `login --api-key-stdin` refuses what cannot be a key, with or without --no-validate, and stores nothing. */
let anthropic: FakeAnthropicApi;
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  anthropic = await startAnthropicApi();
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-cli-shape-'));
  env = cliEnv({ THE_MAESTRO_DATA_DIR: dataDir, THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url });
});

afterAll(async () => {
  await anthropic.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function anthropicState(): Promise<string | undefined> {
  const run = await runCli(['status', '--json'], env);
  const view = JSON.parse(run.stdout) as { providers: { id: string; state: string }[] };
  return view.providers.find((provider) => provider.id === 'anthropic')?.state;
}

const CASES = [
  [
    'a key on two lines',
    'sk-ant-api03-line1\nsk-ant-api03-line2\n',
    'The API key spans more than one line. Paste the key alone, on one line. Nothing was stored.',
  ],
  [
    'a key with a space',
    'sk-ant-api03-abc def0123456789\n',
    'The API key contains spaces. API keys have none; check what you pasted. Nothing was stored.',
  ],
  [
    'a key with a control character',
    'sk-ant-api03-abc\u0007def0123456789\n',
    'The API key contains control or non-ASCII characters, which API keys never have. Check what you pasted. Nothing was stored.',
  ],
  [
    'a key of 10,000 characters',
    `sk-ant-${'a'.repeat(9993)}\n`,
    'The API key is 10000 characters long; keys are at most 4096. Check what you pasted. Nothing was stored.',
  ],
] as const;

describe('login --api-key-stdin with something that cannot be a key', () => {
  for (const [what, input, message] of CASES) {
    for (const flags of [['--no-validate'], []]) {
      it(`refuses ${what}${flags.length > 0 ? ' even with --no-validate' : ' as malformed, not as a connection failure'}`, async () => {
        const before = anthropic.requests.length;
        const run = await runCli(['login', 'anthropic', '--api-key-stdin', ...flags], env, input);
        expect(run).toMatchObject({ code: 2, stdout: '', stderr: `the-maestro: ${message}\n` });
        expect(anthropic.requests.length).toBe(before);
        expect(await anthropicState()).toBe('missing');
      });
    }
  }

  it('still accepts a plain key with the newline a pipe adds', async () => {
    const run = await runCli(
      ['login', 'anthropic', '--api-key-stdin', '--no-validate'],
      env,
      'sk-ant-api03-plain-key-0123456789\n',
    );
    expect(run.code).toBe(0);
    const token = await runCli(['token', 'anthropic'], env);
    expect(token.stdout).toBe('sk-ant-api03-plain-key-0123456789\n');
  });
});
