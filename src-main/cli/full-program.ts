import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

/** The cache files of the full program's compiled code: `full-program-<key>.v8cache`. */
const CACHE_PREFIX = 'full-program-';
const CACHE_SUFFIX = '.v8cache';

/**
 * Runs the full program (`cli-main.cjs`) as `require` would, but with a V8 code cache of its own,
 * made when the process exits: Node's compile cache is made right after a file is compiled, so
 * it holds only the code that runs at load, and every function a command calls was compiled again
 * in every new process (a fifth of `token`'s instructions with the store opened directly). A
 * cache made at exit holds everything that ran. It lives in `cacheDir` (private: made 0700, used
 * only when it is this user's and no one else may write to it), keyed by the V8 version, the
 * architecture and the file's size, modification time and inode, so a rebuilt program, another
 * Node or a changed file never meets an old cache; V8 checks it again and rejects a mismatch. A
 * cache that cannot be read or written is only a slower start, never a failure.
 */
export function runFullProgram(
  file: string,
  cacheDir: string | null,
  atExit: (save: () => void) => void = (save) => process.once('exit', save),
): void {
  const source = readFileSync(file, 'utf8');
  const cache = cacheDir !== null ? cacheFile(file, cacheDir) : null;
  let cachedData: Buffer | undefined;
  if (cache !== null) {
    try {
      cachedData = readFileSync(cache.path);
    } catch {
      // None yet: this run makes it.
    }
    // What the full program loads with `require` (the OAuth libraries) uses Node's own cache here.
    enableCompileCache(join(cache.dir, 'node'));
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapper, { filename: file, ...(cachedData !== undefined ? { cachedData } : {}) });
  if (cache !== null && (cachedData === undefined || script.cachedDataRejected === true)) {
    atExit(() => saveCache(script, cache));
  }
  const run = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: object },
    filename: string,
    dirname: string,
  ) => void;
  const loaded = { exports: {} };
  run(loaded.exports, createRequire(file), loaded, file, join(file, '..'));
}

interface CacheFile {
  readonly dir: string;
  readonly path: string;
}

/** Where this build of the program's cache is, when the folder is private; else null. */
function cacheFile(file: string, cacheDir: string): CacheFile | null {
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') {
      const folder = lstatSync(cacheDir);
      if (!folder.isDirectory() || folder.uid !== process.getuid?.() || (folder.mode & 0o022) !== 0) return null;
    }
    const { size, mtimeMs, ino } = statSync(file);
    const key = [process.versions.v8, process.arch, size, Math.trunc(mtimeMs), ino].join('-');
    return { dir: cacheDir, path: join(cacheDir, `${CACHE_PREFIX}${key.replace(/[^\w.-]/g, '_')}${CACHE_SUFFIX}`) };
  } catch {
    return null;
  }
}

/**
 * Writes the cache beside, then renames it in (a reader never sees half), and drops what older
 * builds left (their caches, and a write a crash cut short).
 */
function saveCache(script: Script, cache: CacheFile): void {
  try {
    const next = `${cache.path}.${process.pid}.tmp`;
    writeFileSync(next, script.createCachedData(), { mode: 0o600 });
    renameSync(next, cache.path);
    const current = cache.path.slice(cache.dir.length + 1);
    for (const name of readdirSync(cache.dir)) {
      if (name !== current && name.startsWith(CACHE_PREFIX) && !name.startsWith(current))
        rmSync(join(cache.dir, name), { force: true });
    }
  } catch {
    // A cache is an optimisation: the next run tries again.
  }
}
