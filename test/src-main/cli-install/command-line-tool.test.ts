import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CommandLineTool,
  defaultLauncherDirectory,
  launcherTargetFor,
  pathAdvice,
} from '../../../src-main/cli-install/command-line-tool.js';
import { describeCommandLineTool } from '../../../src-shared/command-line-tool-view.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-cli-tool-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const APP = '/opt/The Maestro/the-maestro';

describe('where the command goes and what it runs', () => {
  it('uses ~/.local/bin on Linux and macOS, and a folder of its own under LOCALAPPDATA on Windows', () => {
    expect(defaultLauncherDirectory('linux', {}, '/home/ada')).toBe('/home/ada/.local/bin');
    expect(defaultLauncherDirectory('darwin', {}, '/Users/ada')).toBe('/Users/ada/.local/bin');
    expect(defaultLauncherDirectory('win32', { LOCALAPPDATA: '/L' }, '/home/ada')).toBe(
      join('/L', 'the-maestro', 'bin'),
    );
  });

  it('runs the packaged executable with --cli, the unpackaged app path first, and an AppImage by its file', () => {
    const base = { platform: 'linux', env: {}, execPath: APP, appPath: '/src/app' } as const;
    expect(launcherTargetFor({ ...base, isDefaultApp: false })).toEqual({
      executable: APP,
      leadingArgs: ['--cli'],
      platform: 'linux',
    });
    expect(launcherTargetFor({ ...base, isDefaultApp: true }).leadingArgs).toEqual(['/src/app', '--cli']);
    // The AppImage's executable sits in a mount that changes with every start.
    const appImage = launcherTargetFor({
      ...base,
      isDefaultApp: false,
      execPath: '/tmp/.mount_TheMaXYZ/the-maestro',
      env: { APPIMAGE: '/home/ada/Apps/The-Maestro.AppImage' },
    });
    expect(appImage.executable).toBe('/home/ada/Apps/The-Maestro.AppImage');
  });

  it('tells how to put the folder on PATH, per platform, with the folder quoted for sh', () => {
    expect(pathAdvice('/home/a"b/.local/bin', 'linux')).toContain('export PATH="/home/a\\"b/.local/bin:$PATH"');
    expect(pathAdvice('C:\\Users\\ada\\bin', 'win32')).toMatch(/^Add C:\\Users\\ada\\bin to your user Path/);
  });
});

describe.runIf(process.platform !== 'win32')('the command-line tool', () => {
  const target = { executable: APP, leadingArgs: ['--cli'], platform: 'linux' } as const;

  it('tells installed from a launcher of another copy of the app, and installing again points it here', () => {
    const bin = join(dir, 'bin');
    new CommandLineTool({
      directory: bin,
      target: { ...target, executable: '/old/the-maestro' },
      pathVariable: bin,
    }).install();
    const tool = new CommandLineTool({ directory: bin, target, pathVariable: `${bin}/` });
    const before = tool.status();
    expect(before).toMatchObject({ state: 'outdated', onPath: true, pathAdvice: null });
    expect(describeCommandLineTool(before)).toContain('runs another copy of The Maestro');
    expect(tool.install()).toMatchObject({ ok: true, value: { state: 'installed' } });
  });

  it('answers a folder that cannot be made with a storage error that names it, and writes nothing', () => {
    // A file where a folder should be: refused even for root, unlike a permission bit.
    writeFileSync(join(dir, 'home'), 'not a folder');
    const bin = join(dir, 'home', '.local', 'bin');
    const tool = new CommandLineTool({ directory: bin, target, pathVariable: '' });
    expect(tool.install()).toEqual({
      ok: false,
      error: {
        code: 'storage_error',
        message: `The command could not be changed in ${bin} (ENOTDIR); check that the folder is yours and writable.`,
      },
    });
    expect(readFileSync(join(dir, 'home'), 'utf8')).toBe('not a folder');
  });
});
