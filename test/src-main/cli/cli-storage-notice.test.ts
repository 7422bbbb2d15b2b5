import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../support/run-cli-in-process.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

const KEY = 'sk-ant-api03-notice-0123456789abcdef';

const run = runCliInProcess;

describe('a damaged database is never silent on the command line', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    temp = makeTempDir();
    env = { THE_MAESTRO_DATA_DIR: temp.dir };
  });
  afterEach(() => temp.remove());

  it('every command says so on stderr (token: one line, stdout untouched) until acknowledged', async () => {
    expect((await run(['login', 'anthropic', '--api-key-stdin', '--no-validate'], env, KEY)).code).toBe(0);
    writeFileSync(join(temp.dir, 'maestro.db'), randomBytes(8192));

    // The open that finds the damage, then every later one, says so.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const before = await run(['token', 'anthropic'], env);
      expect(before.code).not.toBe(0);
      expect(before.stderr).toMatch(
        /^the-maestro: warning: The credential database was damaged .*maestro\.db\.corrupt-/,
      );
    }
    expect((await run(['login', 'anthropic', '--api-key-stdin', '--no-validate'], env, KEY)).code).toBe(0);
    const token = await run(['token', 'anthropic'], env);
    expect(token.code).toBe(0);
    expect(token.stdout).toBe(`${KEY}\n`);
    expect(token.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining('status --acknowledge')]);
    const status = await run(['status'], env);
    expect(status.stdout).toContain('The credential database was damaged');

    const ack = await run(['status', '--acknowledge'], env);
    expect(ack).toMatchObject({ code: 0, stdout: 'Storage notice acknowledged.\n' });
    const quiet = await run(['token', 'anthropic'], env);
    expect(quiet).toEqual({ code: 0, stdout: `${KEY}\n`, stderr: '' });
    expect((await run(['status'], env)).stdout).not.toContain('damaged');
  });
});
