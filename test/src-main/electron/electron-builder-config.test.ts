import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { APP_ID, PRODUCT_NAME } from '../../../src-main/electron/app-identity.js';
import { DEFAULT_DEEP_LINK_SCHEME } from '../../../src-main/config/load-config.js';

// electron-builder cannot run here (it downloads Electron), but its own schema validator and
// YAML parser can: they come with the electron-builder devDependency.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration: (config: unknown, logger: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

/** What electron-builder asks of a walked file (its `Filter`); modules' files carry their packed path. */
interface WalkedStat {
  isDirectory(): boolean;
  readonly moduleFullFilePath?: string;
}
type Filter = (file: string, stat: WalkedStat) => boolean;
interface Matcher {
  readonly patterns: string[];
  createFilter(): Filter;
}
interface PlatformOptions {
  readonly files?: string[];
  readonly extraResources?: { readonly from: string; readonly to: string; readonly filter: string[] }[];
}
// electron-builder's own matchers: the app's files (`files` as written) and production modules'
// files (only the `!` patterns of `files`, after `**/*`), as its packager builds them.
const { FileMatcher, getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher.js') as {
  FileMatcher: new (
    from: string,
    to: string,
    macroExpander: (pattern: string) => string,
    patterns: string[],
  ) => Matcher;
  getNodeModuleFileMatcher: (
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformOptions: PlatformOptions,
    packager: { config: unknown; debugLogger: { isEnabled: boolean } },
  ) => Matcher;
};

interface BuilderConfig {
  appId: string;
  asarUnpack?: string[];
  productName: string;
  npmRebuild: boolean;
  asar: { smartUnpack: boolean };
  files: string[];
  protocols: { schemes: string[] }[];
  electronFuses: Record<string, boolean>;
  mac: PlatformOptions & { target: string[] };
  win: PlatformOptions & { target: string[] };
  linux: PlatformOptions & {
    target: string[];
    mimeTypes?: string[];
    executableName: string;
    syncDesktopName: boolean;
    desktop: { entry: Record<string, string> };
  };
}

const config = yaml.load(
  readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8'),
) as BuilderConfig;
const APP_DIR = '/project';
const same = (pattern: string): string => pattern;
const directory: WalkedStat = { isDirectory: () => true };
const file: WalkedStat = { isDirectory: () => false };

/** Whether a walk with `filter` reaches `path` (relative, `/`-separated): every folder on the way passes, then the file. */
function walks(filter: Filter, path: string, statOf: (path: string, stat: WalkedStat) => WalkedStat): boolean {
  const parts = path.split('/');
  return parts.every((_, index) => {
    const partial = parts.slice(0, index + 1).join('/');
    return filter(`${APP_DIR}/${partial}`, statOf(partial, index === parts.length - 1 ? file : directory));
  });
}

/** The project files (outside node_modules) the packaged app contains for a platform, out of `paths`. */
function packedAppFiles(platform: PlatformOptions, paths: readonly string[]): string[] {
  const filter = new FileMatcher(APP_DIR, '/app', same, [...config.files, ...(platform.files ?? [])]).createFilter();
  return paths.filter((path) => walks(filter, path, (_, stat) => stat));
}

/** The files of production modules (paths under node_modules/) the packaged app contains for a platform. */
function packedModuleFiles(platform: PlatformOptions, paths: readonly string[]): string[] {
  const patterns = getNodeModuleFileMatcher(APP_DIR, '/app', same, platform, {
    config,
    debugLogger: { isEnabled: false },
  }).patterns;
  return paths.filter((path) => {
    const [, name = ''] = path.split('/');
    const filter = new FileMatcher(
      `${APP_DIR}/node_modules/${name}`,
      `/app/node_modules/${name}`,
      same,
      patterns,
    ).createFilter();
    const inModule = path.split('/').slice(2).join('/');
    return walks(filter, inModule, (partial, stat) => ({
      isDirectory: () => stat.isDirectory(),
      moduleFullFilePath: `node_modules/${name}/${partial}`,
    }));
  });
}

const SQLITE_PREBUILDS = ['darwin', 'linux', 'linuxmusl', 'win32'].flatMap((os) =>
  ['x64', 'arm64'].map((arch) => `node_modules/better-sqlite3/prebuilds/${os}-${arch}.node`),
);

describe('electron-builder.yml', () => {
  it('is valid for electron-builder', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app as the shell does and registers the deep-link scheme the core uses', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
    expect(config.protocols.flatMap((protocol) => protocol.schemes)).toEqual([DEFAULT_DEEP_LINK_SCHEME]);
  });

  it('leaves the desktop entry Exec and MimeType to electron-builder (it refuses an Exec override)', () => {
    expect(config.linux.desktop.entry).not.toHaveProperty('Exec');
    expect(config.linux.desktop.entry).not.toHaveProperty('MimeType');
    // MimeType comes from `protocols`; a linux.mimeTypes copy would list the scheme twice.
    expect(config.linux.mimeTypes).toBeUndefined();
    expect(config.linux.executableName).toBe('the-maestro');
    expect(config.linux.syncDesktopName).toBe(true);
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(pkg['desktopName']).toBe('the-maestro.desktop');
  });

  it('targets macOS, Windows and Linux, packs into asar and never rebuilds native modules', () => {
    expect(config.mac.target.length).toBeGreaterThan(0);
    expect(config.win.target.length).toBeGreaterThan(0);
    expect(config.linux.target.length).toBeGreaterThan(0);
    expect(config.asar).toMatchObject({ smartUnpack: false });
    expect(config.npmRebuild).toBe(false);
  });

  it('flips the fuses: no run-as-node, no NODE_OPTIONS, no inspect, asar integrity, asar only', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packs the built app and the command line bundle, and no source, test, tool or web build', () => {
    const built = [
      'out/main/index.js',
      'out/main/chunks/a.js',
      'out/preload/index.cjs',
      'out/renderer-app/index.html',
      'out/renderer-app/assets/index.js',
      'out/cli/the-maestro.cjs',
      'out/cli/chunks/chunk-a.mjs',
      'package.json',
    ];
    const notShipped = [
      'out/renderer/index.html',
      'out/main/index.js.map',
      'src-main/cli/run.ts',
      'src-shared/errors.ts',
      'src-renderer/main.tsx',
      'test/bin/cli-bundle.test.ts',
      'bin/the-maestro.js',
      'scripts/build-cli.mjs',
      'tutorials/epic5/story5.1/README.md',
      'README.md',
      'electron-builder.yml',
    ];
    for (const platform of [config.mac, config.win, config.linux]) {
      expect(packedAppFiles(platform, [...built, ...notShipped])).toEqual(built);
    }
  });

  it('leaves to package.json only what the bundles load from node_modules: better-sqlite3 and electron-store', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['better-sqlite3', 'electron-store']);
    expect(Object.keys(pkg.devDependencies)).toEqual(
      expect.arrayContaining(['tsx', 'react', 'react-dom', 'zod', 'openid-client', 'esbuild']),
    );
  });

  it("packs better-sqlite3's loader, not its sources, addons or a local build", () => {
    const loader = [
      'node_modules/better-sqlite3/package.json',
      'node_modules/better-sqlite3/lib/binding.js',
      'node_modules/better-sqlite3/lib/index.js',
    ];
    const buildOnly = [
      'node_modules/better-sqlite3/deps/sqlite3/sqlite3.c',
      'node_modules/better-sqlite3/src/better_sqlite3.cpp',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/better-sqlite3/lib/linux-x64.js',
      'node_modules/node-addon-api/index.js',
    ];
    const store = ['node_modules/electron-store/index.js', 'node_modules/conf/dist/source/index.js'];
    for (const platform of [config.mac, config.win, config.linux]) {
      expect(packedModuleFiles(platform, [...loader, ...buildOnly, ...store, ...SQLITE_PREBUILDS])).toEqual([
        ...loader,
        ...store,
      ]);
    }
  });

  it("copies each platform's prebuilds beside the archive, and uses no platform-level files", () => {
    // A platform-level `files` list of exclusions makes electron-builder pack the whole project.
    for (const platform of [config.mac, config.win, config.linux]) expect(platform.files).toBeUndefined();
    const filters = [config.mac, config.win, config.linux].map((platform) =>
      (platform.extraResources ?? []).map((resource) => [resource.from, resource.to, ...resource.filter].join(' ')),
    );
    expect(filters).toEqual([
      ['node_modules/better-sqlite3/prebuilds sqlite darwin-*.node'],
      ['node_modules/better-sqlite3/prebuilds sqlite win32-${arch}.node'],
      ['node_modules/better-sqlite3/prebuilds sqlite linux*-${arch}.node'],
    ]);
  });

  it('unpacks nothing from the asar archive, and stops electron-builder unpacking whole packages', () => {
    expect(config.asarUnpack).toBeUndefined();
    expect(config.asar).toEqual({ smartUnpack: false });
  });
});
