import { join } from 'node:path';

/** What choosing better-sqlite3's addon depends on; `sqliteAddonPath` fills it from the process. */
export interface AddonSearch {
  /** Electron's `process.resourcesPath` (undefined under plain Node). */
  readonly resourcesPath: string | undefined;
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  /** Linux with musl libc (Alpine): better-sqlite3 ships a separate `linuxmusl-*` prebuild. */
  readonly musl: boolean;
  /** The installed better-sqlite3 package. */
  readonly packageRoot: string;
  readonly exists: (file: string) => boolean;
}

/** better-sqlite3's name for the prebuild of a platform: `linux-x64`, `linuxmusl-arm64`, `darwin-arm64`, `win32-x64`. */
export function prebuildName(search: Pick<AddonSearch, 'platform' | 'arch' | 'musl'>): string {
  const os = search.platform === 'linux' && search.musl ? 'linuxmusl' : search.platform;
  return `${os}-${search.arch}.node`;
}

/**
 * Which better-sqlite3 addon to open, the running platform's prebuild first:
 * 1. the packaged app's copy beside app.asar (`resources/sqlite/`, electron-builder.yml
 *    `extraResources`: an addon cannot be loaded from inside the archive);
 * 2. the installed package's prebuild for this platform and architecture;
 * 3. a locally compiled build (node-gyp's `build/Release` or `build/Debug`) — only when no
 *    prebuild fits, so a build compiled for one machine never shadows the right prebuild;
 * 4. `build/Release` as the path to report when nothing exists (opening it then says so).
 */
export function chooseSqliteAddon(search: AddonSearch): string {
  const name = prebuildName(search);
  const candidates = [
    ...(search.resourcesPath !== undefined ? [join(search.resourcesPath, 'sqlite', name)] : []),
    join(search.packageRoot, 'prebuilds', name),
    join(search.packageRoot, 'build', 'Release', 'better_sqlite3.node'),
    join(search.packageRoot, 'build', 'Debug', 'better_sqlite3.node'),
  ];
  return (
    candidates.find((file) => search.exists(file)) ??
    join(search.packageRoot, 'build', 'Release', 'better_sqlite3.node')
  );
}

/** better-sqlite3's own musl test (lib/binding.js): is a musl loader mapped into this process? */
export function isMuslProcess(readMaps: () => string): boolean {
  try {
    return /\/ld-musl-[^/\s]*\.so/.test(readMaps());
  } catch {
    return false;
  }
}
