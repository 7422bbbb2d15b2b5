import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { NODE_BUNDLE_OPTIONS } from '../node-bundle.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Inside node_modules so that the bundle finds better-sqlite3's installed package (its native addon) like the app does. */
export const BENCH_CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'the-maestro-bench');

/** Routes the core's `node:crypto` imports (not the dependencies') to the counting shim. */
function countingCrypto(): Plugin {
  const shim = fileURLToPath(new URL('./counting-crypto.ts', import.meta.url));
  const core = join(ROOT, 'src-main') + sep;
  return {
    name: 'count-decryptions',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^(node:)?crypto$/ }, (args) =>
        args.importer.startsWith(core) ? { path: shim } : undefined,
      );
    },
  };
}

/**
 * Bundles the cold-start program as the command line is built (NODE_BUNDLE_OPTIONS: ESM,
 * dependencies and better-sqlite3's JavaScript inlined, openid-client in a chunk, whitespace and
 * comments minified; main's electron-vite build makes the same choices but keeps the whitespace).
 * Returns the entry.
 * `counting` builds the checking variant that counts decryptions.
 */
export async function bundleCoreStart(options: {
  readonly counting: boolean;
  readonly entry?: 'core-start-child' | 'core-load-child' | 'sqlite-floor';
}): Promise<string> {
  const entry = options.entry ?? 'core-start-child';
  const outdir = join(BENCH_CACHE_DIR, `${entry}${options.counting ? '-counting' : ''}`);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    ...NODE_BUNDLE_OPTIONS,
    entryPoints: [fileURLToPath(new URL(`./${entry}.ts`, import.meta.url))],
    outdir,
    logLevel: 'silent',
    plugins: options.counting ? [countingCrypto()] : [],
  });
  return join(outdir, `${entry}.mjs`);
}

/** Sizes of a bundle made by bundleCoreStart: its entry, and the chunks it loads only on demand. */
export function bundleSizes(entryFile: string): { readonly entryKiB: number; readonly chunksKiB: number } {
  const chunks = join(dirname(entryFile), 'chunks');
  const chunkBytes = existsSync(chunks)
    ? readdirSync(chunks).reduce((sum, name) => sum + statSync(join(chunks, name)).size, 0)
    : 0;
  return { entryKiB: Math.round(statSync(entryFile).size / 1024), chunksKiB: Math.round(chunkBytes / 1024) };
}
