/**
 * Runs electron-builder for real on Linux (`--dir`: the unpacked app every Linux target is made
 * from) with electron-builder.yml as written, and inspects the result. No Electron binary can be
 * downloaded here, so `electronDist` points at a stand-in distribution this test creates: an
 * `electron` file that carries the fuse wire (the sentinel and the bytes @electron/fuses flips)
 * and a `chrome-sandbox`. What the stand-in cannot show: that a real Electron honours the fuses and
 * loads the app (the Playwright `_electron` tests cover that where a binary exists).
 * README.md "What ships" lists what this test checks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEEP_LINK_SCHEME } from '../../src-main/config/load-config.js';
import { makeTempDir } from '../support/storage/temp-dir.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const ELECTRON_VERSION = (require('electron/package.json') as { version: string }).version;
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults, as a fresh binary carries them: '1' on, '0' off (fuse wire v1, 8 fuses). */
const DEFAULT_FUSES = '10110001';

interface BuilderContext {
  readonly appOutDir: string;
  readonly packager: {
    readonly executableName: string;
    readonly platformSpecificBuildOptions: Record<string, unknown>;
    readonly config: Record<string, unknown>;
    readonly appInfo: {
      readonly companyName: string | null;
      readonly productFilename: string;
      computePackageUrl(): Promise<string | null>;
    };
    readonly info: { readonly metadata: { readonly author?: { readonly name?: string; readonly email?: string } } };
  };
}
interface LinuxHelper {
  computeDesktopEntry(options: Record<string, unknown>, exec?: string): Promise<string>;
  getDesktopFileName(): string;
  readonly icons: Promise<readonly { readonly file: string; readonly size: number }[]>;
}
interface AppImageDesktop {
  readonly desktopEntry: { readonly value: Promise<string> };
}

const { build, Platform } = require('electron-builder') as {
  build: (options: Record<string, unknown>) => Promise<string[]>;
  Platform: { LINUX: { createTarget(type: string): unknown } };
};
const { LinuxTargetHelper } = require('app-builder-lib/out/targets/LinuxTargetHelper.js') as {
  LinuxTargetHelper: new (packager: BuilderContext['packager']) => LinuxHelper;
};
const { default: AppImageTarget } = require('app-builder-lib/out/targets/appimage/AppImageTarget.js') as {
  default: new (ignored: null, packager: unknown, helper: LinuxHelper, outDir: string) => AppImageDesktop;
};
const { deepAssign } = require('builder-util-runtime') as {
  deepAssign: (target: Record<string, unknown>, ...sources: unknown[]) => Record<string, unknown>;
};
const asar = require('@electron/asar') as { listPackage(file: string, options: { isPack: boolean }): string[] };
const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses') as {
  getCurrentFuseWire: (file: string) => Promise<Record<number, number>>;
  FuseV1Options: Record<string, number>;
};

/** A directory that electron-builder accepts as an unpacked Electron for Linux. */
function createStandInElectron(dir: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const binary = Buffer.concat([
    Buffer.from(
      `#!/bin/sh\n# stand-in for Electron ${ELECTRON_VERSION}: it cannot run an app\nexit 1\n# ${FUSE_SENTINEL}`,
    ),
    Buffer.from([1, DEFAULT_FUSES.length]),
    Buffer.from(DEFAULT_FUSES),
    Buffer.from('\n'),
  ]);
  writeFileSync(join(dir, 'electron'), binary, { mode: 0o755 });
  writeFileSync(join(dir, 'chrome-sandbox'), 'stand-in', { mode: 0o755 });
  writeFileSync(join(dir, 'version'), ELECTRON_VERSION);
}

/** The app's out/ bundles (the test runner's build step made them; built here when missing). */
function ensureBuilt(): void {
  const needed = ['main/index.js', 'preload/index.cjs', 'renderer-app/index.html', 'cli/the-maestro.cjs'];
  if (needed.every((file) => existsSync(join(root, 'out', file)))) return;
  const result = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`);
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((total, name) => total + sizeOf(join(path, name)), 0);
}

let temp: ReturnType<typeof makeTempDir>;
let appDir = '';
let packed: string[] = [];
let debEntry = '';
let appImageEntry = '';
let desktopFileName = '';
let icons: readonly { readonly file: string; readonly size: number }[] = [];
let companyName: string | null = null;
let packageUrl: string | null = null;
let authorEmail: string | undefined;
let buildMs = 0;

beforeAll(async () => {
  ensureBuilt();
  temp = makeTempDir('maestro-package-');
  const electronDist = join(temp.dir, 'electron-dist');
  createStandInElectron(electronDist);
  const started = Date.now();
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir'),
    // electron-builder.yml is read as it is; only where the output goes and which Electron to use
    // are given here (the CLI's `--dir -c.electronDist=…`).
    config: {
      electronDist,
      electronVersion: ELECTRON_VERSION,
      directories: { output: join(temp.dir, 'dist') },
      afterPack: async (context: BuilderContext) => {
        // The desktop entries the deb and the AppImage targets would write, computed by
        // electron-builder's own code from this packager (both refuse an Exec override).
        const helper = new LinuxTargetHelper(context.packager);
        const linux = context.packager.platformSpecificBuildOptions;
        debEntry = await helper.computeDesktopEntry(deepAssign({}, linux, context.packager.config['deb']));
        appImageEntry = await new AppImageTarget(null, context.packager, helper, temp.dir).desktopEntry.value;
        desktopFileName = helper.getDesktopFileName();
        icons = await helper.icons;
        companyName = context.packager.appInfo.companyName;
        // What the deb and rpm targets (FpmTarget) read for the package's URL and maintainer.
        packageUrl = await context.packager.appInfo.computePackageUrl();
        authorEmail = context.packager.info.metadata.author?.email;
      },
    },
  });
  buildMs = Date.now() - started;
  appDir = join(temp.dir, 'dist', 'linux-unpacked');
  packed = asar.listPackage(join(appDir, 'resources', 'app.asar'), { isPack: false }).map((path) => path.slice(1));
  process.stdout.write(
    `electron-builder --dir: ${buildMs} ms; app.asar ${sizeOf(join(appDir, 'resources', 'app.asar'))} bytes, ` +
      `${packed.length} entries; resources/sqlite ${sizeOf(join(appDir, 'resources', 'sqlite'))} bytes\n`,
  );
}, 180_000);

afterAll(() => temp.remove());

const topLevel = (): string[] => [...new Set(packed.map((path) => path.split('/')[0] ?? ''))].sort();
const modules = (): string[] =>
  [
    ...new Set(packed.filter((path) => path.startsWith('node_modules/')).map((path) => path.split('/')[1] ?? '')),
  ].sort();

describe('electron-builder --dir on Linux, with electron-builder.yml as written', () => {
  it('names the executable the-maestro and keeps chrome-sandbox beside it', () => {
    expect(existsSync(join(appDir, 'the-maestro'))).toBe(true);
    expect(existsSync(join(appDir, 'electron'))).toBe(false);
    expect(existsSync(join(appDir, 'chrome-sandbox'))).toBe(true);
  });

  it('packs only the built app, the command line and the tray images into app.asar', () => {
    expect(topLevel()).toEqual(['node_modules', 'out', 'package.json', 'resources']);
    const own = packed.filter((path) => !path.startsWith('node_modules'));
    expect(own).toEqual(
      expect.arrayContaining([
        'out/main/index.js',
        'out/preload/index.cjs',
        'out/renderer-app/index.html',
        'out/cli/the-maestro.cjs',
        'resources/tray/trayTemplate.png',
        'resources/tray/trayTemplate@2x.png',
        'resources/tray/tray.png',
        'resources/tray/tray@2x.png',
      ]),
    );
    expect(own.filter((path) => path.startsWith('out/')).map((path) => path.split('/')[1])).not.toContain('renderer');
    expect(own.filter((path) => /\.(map|ts|tsx)$/.test(path))).toEqual([]);
  });

  it('packs no sources, tests, docs, scripts or development tools', () => {
    for (const name of [
      'src-main',
      'src-shared',
      'src-renderer',
      'test',
      'tutorials',
      'docs',
      'scripts',
      'bin',
      'build',
    ])
      expect(topLevel(), name).not.toContain(name);
    for (const name of [
      'react',
      'react-dom',
      'zod',
      'openid-client',
      'tsx',
      'esbuild',
      'electron',
      'vite',
      'typescript',
    ])
      expect(modules(), name).not.toContain(name);
  });

  it('packs better-sqlite3 JavaScript only; its addon for this architecture lies beside the archive', () => {
    const sqlite = packed.filter((path) => path.startsWith('node_modules/better-sqlite3/'));
    expect(sqlite).toContain('node_modules/better-sqlite3/lib/binding.js');
    expect(sqlite).toContain('node_modules/better-sqlite3/package.json');
    expect(sqlite.filter((path) => /\.node$|\/(src|deps|build|prebuilds)(\/|$)/.test(path))).toEqual([]);
    expect(modules()).not.toContain('node-addon-api');
    expect(readdirSync(join(appDir, 'resources', 'sqlite')).sort()).toEqual([
      `linux-${process.arch}.node`,
      `linuxmusl-${process.arch}.node`,
    ]);
    // Nothing is unpacked from the archive: the addon is not in it.
    expect(existsSync(join(appDir, 'resources', 'app.asar.unpacked'))).toBe(false);
  });

  it('packs electron-store and its dependencies (the main bundle loads them from node_modules)', () => {
    expect(modules()).toEqual(expect.arrayContaining(['better-sqlite3', 'conf', 'electron-store']));
  });

  it('gives the deb a desktop entry with electron-builder own Exec, %U and the scheme handler', () => {
    expect(debEntry).toMatch(/^Exec=\/opt\/The Maestro\/the-maestro %U$|^Exec="\/opt\/The Maestro\/the-maestro" %U$/m);
    expect(debEntry).toContain(`MimeType=x-scheme-handler/${DEFAULT_DEEP_LINK_SCHEME};\n`);
    expect(debEntry).toContain('StartupWMClass=the-maestro\n');
    expect(debEntry).toContain('Icon=the-maestro\n');
    expect(debEntry).toContain('Categories=Development;\n');
    expect(debEntry).toMatch(/^Comment=Sign in to Anthropic, Google and OpenAI/m);
    expect(desktopFileName).toBe('the-maestro');
  });

  it('gives the AppImage the same handler, with the --no-sandbox electron-builder adds', () => {
    expect(appImageEntry).toContain('Exec=AppRun --no-sandbox %U\n');
    expect(appImageEntry).toContain(`MimeType=x-scheme-handler/${DEFAULT_DEEP_LINK_SCHEME};\n`);
  });

  it('uses the generated Linux icon set and names an author (the deb maintainer)', () => {
    expect(icons.map((icon) => icon.size).sort((a, b) => a - b)).toEqual([16, 32, 48, 64, 128, 256, 512]);
    expect(icons.every((icon) => icon.file.startsWith(join(root, 'build', 'icons')))).toBe(true);
    expect(companyName).toBe('The Maestro contributors');
  });

  it('invents no homepage or contact address: the deb and rpm wait for real ones (README "Before a public release")', () => {
    // electron-builder's FpmTarget refuses to build a deb or rpm without both, naming each; the
    // unpacked app, the AppImage and the other platforms do not need them.
    expect(packageUrl).toBeNull();
    expect(authorEmail).toBeUndefined();
  });

  it('flips the fuses in the executable: no run-as-node, no NODE_OPTIONS, no inspect, asar only', async () => {
    const wire = await getCurrentFuseWire(join(appDir, 'the-maestro'));
    const state = (name: string): string => String.fromCharCode(wire[FuseV1Options[name] ?? -1] ?? 0);
    expect(state('RunAsNode')).toBe('0');
    expect(state('EnableNodeOptionsEnvironmentVariable')).toBe('0');
    expect(state('EnableNodeCliInspectArguments')).toBe('0');
    expect(state('OnlyLoadAppFromAsar')).toBe('1');
    expect(state('EnableEmbeddedAsarIntegrityValidation')).toBe('1');
    expect(state('EnableCookieEncryption')).toBe('1');
    expect(state('GrantFileProtocolExtraPrivileges')).toBe('0');
  });
});
