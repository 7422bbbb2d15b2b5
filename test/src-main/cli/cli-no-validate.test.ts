import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src-main/cli/commands.js';
import { main } from '../../../src-main/cli/main.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

describe('login --no-validate', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  it('says the key was not checked, not that the provider could not be reached (nothing was tried)', async () => {
    let stdout = '';
    const io: CliIo = {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      readStdin: () => Promise.resolve('sk-ant-api03-unchecked-0123456789abcdef'),
      stdinLines: async function* () {},
      openBrowser: () => Promise.resolve(false),
      now: () => Date.now(),
    };
    const code = await main(
      ['login', 'anthropic', '--api-key-stdin', '--no-validate'],
      { THE_MAESTRO_DATA_DIR: temp.dir },
      io,
    );
    expect(code).toBe(0);
    expect(stdout).toContain('not validated: --no-validate skips the check with the provider');
    expect(stdout).not.toContain('could not be reached');
  });
});
