import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../../support/run-cli.js';

/** `status` says every override that sends credentials elsewhere, and where it was set. */
let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-cli-overrides-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the-maestro status with overrides', () => {
  it('names each overridden endpoint and the insecure-loopback switch, in text and JSON', async () => {
    const env = cliEnv({
      THE_MAESTRO_DATA_DIR: dataDir,
      THE_MAESTRO_ANTHROPIC_API_BASE_URL: 'http://127.0.0.1:8080',
      THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    });
    const text = await runCli(['status'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      'Override: anthropic API base URL is http://127.0.0.1:8080 (set by THE_MAESTRO_ANTHROPIC_API_BASE_URL); its credentials are sent there.\n',
    );
    expect(text.stdout).toContain(
      'Override: Plain-http sign-in servers on this machine: allowed (set by THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER).\n',
    );
    const json = JSON.parse((await runCli(['status', '--json'], env)).stdout) as { overrides: unknown[] };
    expect(json.overrides).toHaveLength(2);
  });

  it('says nothing about overrides when there are none', async () => {
    const run = await runCli(['status'], cliEnv({ THE_MAESTRO_DATA_DIR: dataDir }));
    expect(run.stdout).not.toContain('Override');
  });
});
