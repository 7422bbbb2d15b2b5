import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LauncherError,
  installLauncher,
  launcherScript,
  uninstallLauncher,
} from '../../../src-main/cli-install/launcher.js';
import { CLI_BIN } from '../../support/run-cli.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "maestro launcher 'quoted' "));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Plain node stands in for the app's executable: a tiny "app" that, given `--cli`, runs the
 * command line with the remaining arguments, as the desktop shell does.
 */
function fakeApp(): string {
  const app = join(dir, 'fake app.mjs');
  writeFileSync(
    app,
    `if (process.argv[2] !== '--cli') process.exit(90);\nprocess.argv.splice(2, 1);\nawait import(${JSON.stringify(CLI_BIN)});\n`,
  );
  return app;
}

describe.runIf(process.platform !== 'win32')('the command-line launcher', () => {
  it('runs the app executable with --cli and the person’s arguments, quoted', () => {
    const bin = join(dir, 'bin');
    const { file, onPath } = installLauncher(
      bin,
      { executable: process.execPath, leadingArgs: [fakeApp(), '--cli'], platform: 'linux' },
      `/usr/bin:${bin}`,
    );
    expect(onPath).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o755);
    const run = spawnSync(file, ['--version'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^the-maestro \d+\.\d+\.\d+\n$/);
    const usage = spawnSync(file, ['token', 'a b', '--min-valid', "x'y"], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain(`"x'y"`);
  });

  it('replaces its own launcher, refuses to overwrite anything else, and uninstalls only its own', () => {
    const target = {
      executable: '/Applications/The Maestro.app/Contents/MacOS/The Maestro',
      leadingArgs: ['--cli'],
      platform: 'darwin',
    } as const;
    installLauncher(dir, target, '');
    installLauncher(dir, target, '');
    expect(readFileSync(join(dir, 'the-maestro'), 'utf8')).toBe(launcherScript(target));
    expect(uninstallLauncher(dir, 'darwin')).toBe(true);
    expect(uninstallLauncher(dir, 'darwin')).toBe(false);
    writeFileSync(join(dir, 'the-maestro'), '#!/bin/sh\necho someone else\n');
    expect(() => installLauncher(dir, target, '')).toThrow(LauncherError);
    expect(() => uninstallLauncher(dir, 'darwin')).toThrow(/not installed by The Maestro/);
    expect(readFileSync(join(dir, 'the-maestro'), 'utf8')).toContain('someone else');
  });

  it('writes a .cmd shim for Windows that passes every argument on', () => {
    expect(
      launcherScript({
        executable: 'C:\\Program Files\\The Maestro\\The Maestro.exe',
        leadingArgs: ['--cli'],
        platform: 'win32',
      }),
    ).toBe(
      '@echo off\r\nrem Installed by The Maestro: runs its command line.\r\n"C:\\Program Files\\The Maestro\\The Maestro.exe" "--cli" %*\r\n',
    );
  });
});
