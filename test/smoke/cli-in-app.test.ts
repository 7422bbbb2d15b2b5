import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/storage/temp-dir.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const temp = makeTempDir('maestro-cli-in-app-');
afterAll(() => temp.remove());

/** Runs `<app> --cli …args` through the built main bundle (electron stubbed); the CLI bundle comes from the global setup. */
function runInApp(args: readonly string[]): { code: number | null; stdout: string; stderr: string; appSide: unknown } {
  const inherited = Object.entries(process.env).filter(
    ([name]) => !/_API_KEY$|^NODE_OPTIONS$|^THE_MAESTRO_/.test(name),
  );
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      `${root}test/smoke/register-electron-stub.mjs`,
      `${root}test/smoke/run-cli-in-app.mjs`,
      `${root}out`,
      ...args,
    ],
    {
      cwd: temp.dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...Object.fromEntries(inherited), THE_MAESTRO_DATA_DIR: temp.dir, HOME: temp.dir },
    },
  );
  const line = result.stderr.split('\n').find((text) => text.startsWith('APP-SIDE '));
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    appSide: line === undefined ? null : JSON.parse(line.slice('APP-SIDE '.length)),
  };
}

describe("the app's executable with --cli runs the command line (the runAsNode fuse stays off)", () => {
  it('prints what the command line prints and exits with its code, without starting the app', () => {
    const run = runInApp(['--cli', '--version']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toMatch(/\d+\.\d+\.\d+/);
    expect(run.appSide).toEqual({ code: 0, privilegedSchemes: 0, lockRequests: 0, ipcHandlers: 0 });
  });

  it("passes the command line's failure code through (usage error: 2)", () => {
    const run = runInApp(['--cli', 'no-such-command']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no-such-command/);
    expect(run.appSide).toMatchObject({ code: 2, lockRequests: 0 });
  });
});
