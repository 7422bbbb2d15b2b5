import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCliInProcess } from '../../support/run-cli-in-process.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.remove());

it('exec with no provider named and nothing signed in does not start the command, and says what to do', async () => {
  const marker = join(temp.dir, 'started');
  const run = await runCliInProcess(
    ['exec', '--', process.execPath, '-e', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, '')`],
    { THE_MAESTRO_DATA_DIR: join(temp.dir, 'data') },
  );
  expect(run.code).not.toBe(0);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    'the-maestro: No provider has a credential to pass: sign in with `the-maestro login <provider>` first. The command was not started.\n',
  );
  expect(existsSync(marker)).toBe(false);
});
