import { join } from 'node:path';

/**
 * node:os taken only when the home folder is needed: importing it evaluates the module (~0.3 ms),
 * which a hook's `the-maestro token` pays in every new process even when THE_MAESTRO_DATA_DIR is set.
 */
function homedir(): string {
  return process.getBuiltinModule('node:os').homedir();
}

/** The product name; Electron's `userData` directory is `<appData>/<productName>`. */
export const PRODUCT_NAME = 'The Maestro';

/**
 * The data directory shared by the app and the command line: THE_MAESTRO_DATA_DIR, else the
 * same folder Electron's `app.getPath('userData')` gives for this product on each platform.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const explicit = env['THE_MAESTRO_DATA_DIR'];
  if (explicit !== undefined && explicit.trim() !== '') return explicit;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  const configHome = env['XDG_CONFIG_HOME'];
  return join(configHome !== undefined && configHome !== '' ? configHome : join(homedir(), '.config'), PRODUCT_NAME);
}

/** The configuration file inside a data directory. */
export function configFileIn(dataDir: string): string {
  return join(dataDir, 'config.json');
}

/**
 * The per-user cache folder (compiled code, nothing secret): THE_MAESTRO_CACHE_DIR, else
 * `~/Library/Caches/The Maestro` on macOS, `%LOCALAPPDATA%\The Maestro\Cache` on Windows, and
 * `$XDG_CACHE_HOME/the-maestro` (`~/.cache/the-maestro`) elsewhere.
 */
export function defaultCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const explicit = env['THE_MAESTRO_CACHE_DIR'];
  if (explicit !== undefined && explicit.trim() !== '') return explicit;
  if (platform === 'darwin') return join(env['HOME'] ?? homedir(), 'Library', 'Caches', PRODUCT_NAME);
  if (platform === 'win32')
    return join(env['LOCALAPPDATA'] ?? join(homedir(), 'AppData', 'Local'), PRODUCT_NAME, 'Cache');
  const cacheHome = env['XDG_CACHE_HOME'];
  return join(
    cacheHome !== undefined && cacheHome !== '' ? cacheHome : join(env['HOME'] ?? homedir(), '.cache'),
    'the-maestro',
  );
}
