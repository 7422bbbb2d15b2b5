// Where the command line's prebuilt bundle lives and whether it is current. Shared by
// bin/the-maestro.js (which runs the bundle when current, else the sources through tsx) and
// scripts/build-cli.mjs (which writes the bundle and the stamp of the sources it was built from).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundle's folder, entry and stamp in the checkout or package at `root`. */
function bundlePaths(root) {
  const dir = join(root, 'out', 'cli');
  return { dir, bundle: join(dir, 'the-maestro.mjs'), stamp: join(dir, 'source-stamp.json') };
}

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const here = bundlePaths(ROOT);
export const CLI_BUNDLE_DIR = here.dir;
export const CLI_BUNDLE = here.bundle;
export const CLI_STAMP = here.stamp;
const SOURCE_DIRS = ['src-main', 'src-shared'];

/** The newest modification time and the number of files under the CLI's source folders. */
export function sourceStamp(root = ROOT) {
  let newest = 0;
  let files = 0;
  for (const dir of SOURCE_DIRS) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      files += 1;
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return { newest, files };
}

/**
 * Whether the bundle can run instead of the sources: it exists and, in a checkout (a .git
 * folder: sources may have been edited since the build), was built from the sources as they are.
 */
export function bundleIsCurrent(root = ROOT) {
  const { bundle, stamp: stampFile } = bundlePaths(root);
  if (!existsSync(bundle) || !existsSync(stampFile)) return false;
  if (!existsSync(join(root, '.git'))) return true;
  try {
    const built = JSON.parse(readFileSync(stampFile, 'utf8'));
    const now = sourceStamp(root);
    return built.newest === now.newest && built.files === now.files;
  } catch {
    return false;
  }
}
