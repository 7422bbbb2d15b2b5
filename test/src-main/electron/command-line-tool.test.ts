import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./support/fake-electron.js')).electronMockFactory());

import { startShell, type ShellOptions } from '../../../src-main/electron/app-shell.js';
import { launcherTargetFor } from '../../../src-main/cli-install/command-line-tool.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';
import { CLI_BIN } from '../../support/run-cli.js';
import { createAuthServiceDouble } from '../../support/auth-service-double.js';
import { shellOptionsFor } from './support/shell-options.js';
import { fake, FakeBrowserWindow, FakeTray, resetFakeElectron } from './support/fake-electron.js';

const OUR_FRAME = { url: 'app://maestro/index.html', parent: null };
const flush = () => new Promise((resolve) => setTimeout(resolve, 5));

let temp: ReturnType<typeof makeTempDir>;
/** Stands in for ~/.local/bin. */
let bin: string;
let launcher: string;

/**
 * Plain node stands in for the app's executable: started unpackaged as `node <app> --cli …`, the
 * "app" checks for `--cli` and runs the real command line with the rest, as the desktop shell does.
 */
function fakeApp(): string {
  const app = join(temp.dir, 'fake app.mjs');
  writeFileSync(
    app,
    `if (process.argv[2] !== '--cli') process.exit(90);\nprocess.argv.splice(2, 1);\nawait import(${JSON.stringify(CLI_BIN)});\n`,
  );
  return app;
}

function options(pathVariable: string): ShellOptions {
  const auth = createAuthServiceDouble();
  return shellOptionsFor(temp.dir, async () => ({ auth, dispose: async () => undefined }), {
    userDataDir: join(temp.dir, 'data'),
    argv: [process.execPath],
    launch: { isDefaultApp: true, execPath: process.execPath, appPath: undefined },
    commandLineTool: {
      directory: bin,
      target: launcherTargetFor({
        platform: 'linux',
        env: {},
        isDefaultApp: true,
        execPath: process.execPath,
        appPath: fakeApp(),
      }),
      pathVariable,
    },
  });
}

async function startReady(overrides: Partial<ShellOptions> = {}, pathVariable = `/usr/bin:${bin}`): Promise<void> {
  mkdirSync(join(temp.dir, 'data'), { mode: 0o700, recursive: true });
  const shell = startShell({ ...options(pathVariable), ...overrides });
  fake.app.makeReady();
  await shell.ready;
  await flush();
  if (FakeBrowserWindow.instances[0] === undefined) throw new Error('no window was created');
}

function trayItem(label: string): { label?: string; click?: () => void } | undefined {
  const menus = FakeTray.instances[0]?.menus ?? [];
  const template = menus[menus.length - 1]?.template as { label?: string; click?: () => void }[] | undefined;
  return template?.find((item) => item.label === label);
}

const invoke = (channel: string, payload: unknown = {}) => {
  const handler = fake.ipcHandlers.get(channel);
  if (handler === undefined) throw new Error(`no handler for ${channel}`);
  return (handler as (event: unknown, payload: unknown) => Promise<unknown>)({ senderFrame: OUR_FRAME }, payload);
};

beforeEach(() => {
  resetFakeElectron();
  temp = makeTempDir('maestro-cli-install-');
  bin = join(temp.dir, 'home', '.local', 'bin');
  launcher = join(bin, 'the-maestro');
});
afterEach(async () => {
  fake.app.quit();
  await flush();
  temp.remove();
});

describe.runIf(process.platform !== 'win32')('"Install command-line tool" in the desktop app', () => {
  it('installs from the tray menu, says where and that the folder is on PATH, and the command runs the app with --cli', async () => {
    await startReady();
    const item = trayItem('Install command-line tool…');
    expect(item?.click).toBeTypeOf('function');
    item?.click?.();
    await flush();

    expect(existsSync(launcher)).toBe(true);
    expect(fake.messageBoxes).toEqual([
      expect.objectContaining({
        type: 'info',
        message: `The command the-maestro is installed at ${launcher}. ${bin} is on your PATH.`,
      }),
    ]);
    const run = spawnSync(launcher, ['--version'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^the-maestro \d+\.\d+\.\d+\n$/);
  });

  it('uninstalls from the tray menu, and says so when there was nothing to remove', async () => {
    await startReady();
    trayItem('Uninstall command-line tool…')?.click?.();
    await flush();
    trayItem('Install command-line tool…')?.click?.();
    await flush();
    expect(existsSync(launcher)).toBe(true);
    trayItem('Uninstall command-line tool…')?.click?.();
    await flush();

    expect(existsSync(launcher)).toBe(false);
    expect(fake.messageBoxes.map((box) => (box as { message?: string }).message)).toEqual([
      `The command the-maestro is not installed; there was nothing to remove at ${launcher}.`,
      `The command the-maestro is installed at ${launcher}. ${bin} is on your PATH.`,
      `The command the-maestro was removed from ${launcher}.`,
    ]);
  });

  it('installs and uninstalls through IPC, and says what to add when the folder is not on PATH', async () => {
    await startReady({}, '/usr/bin:/bin');
    expect(await invoke('cli.get')).toMatchObject({ ok: true, value: { state: 'not_installed' } });
    const installed = await invoke('cli.install');
    expect(installed).toEqual({
      ok: true,
      value: {
        state: 'installed',
        file: launcher,
        directory: bin,
        onPath: false,
        pathAdvice: expect.stringContaining(`export PATH="${bin}:$PATH"`) as unknown,
      },
    });
    expect(spawnSync(launcher, ['--version'], { encoding: 'utf8' }).status).toBe(0);
    expect(await invoke('cli.uninstall')).toMatchObject({ ok: true, value: { state: 'not_installed' } });
    expect(existsSync(launcher)).toBe(false);
  });

  it('refuses to overwrite a file that is not ours, from the menu and through IPC, and leaves it as it was', async () => {
    mkdirSync(bin, { recursive: true });
    writeFileSync(launcher, '#!/bin/sh\necho someone else\n', { mode: 0o755 });
    await startReady();
    expect(await invoke('cli.get')).toMatchObject({ ok: true, value: { state: 'not_ours' } });

    trayItem('Install command-line tool…')?.click?.();
    await flush();
    expect(fake.messageBoxes).toEqual([
      expect.objectContaining({
        type: 'warning',
        message: `${launcher} exists and was not installed by The Maestro; remove it first.`,
      }),
    ]);
    expect(await invoke('cli.install')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    trayItem('Uninstall command-line tool…')?.click?.();
    await flush();
    expect(fake.messageBoxes.at(-1)).toEqual(
      expect.objectContaining({
        type: 'warning',
        message: `${launcher} was not installed by The Maestro; it was left alone.`,
      }),
    );
    expect(await invoke('cli.uninstall')).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: `${launcher} was not installed by The Maestro; it was left alone.` },
    });
    expect(readFileSync(launcher, 'utf8')).toBe('#!/bin/sh\necho someone else\n');
  });

  it('is not offered where no launcher target is known', async () => {
    const { commandLineTool: _omitted, ...withoutTool } = options('');
    mkdirSync(join(temp.dir, 'data'), { mode: 0o700, recursive: true });
    const shell = startShell(withoutTool);
    fake.app.makeReady();
    await shell.ready;
    await flush();
    expect(trayItem('Install command-line tool…')).toBeUndefined();
    expect(trayItem('Uninstall command-line tool…')).toBeUndefined();
    expect(await invoke('cli.install')).toMatchObject({ ok: false, error: { code: 'not_configured' } });
  });
});
