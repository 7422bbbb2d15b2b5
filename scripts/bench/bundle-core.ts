import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

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
      pluginBuild.onResolve({ filter: /^(node:)?crypto$/ }, (args) => (args.importer.startsWith(core) ? { path: shim } : undefined));
    },
  };
}

/**
 * Bundles the cold-start program as the app's main bundle is built: ESM, ESM-only dependencies
 * (openid-client, zod) and better-sqlite3's JavaScript inlined, its native addon opened by path
 * from node_modules, not minified, and split where the code imports lazily (openid-client is a
 * separate chunk, loaded on the first OAuth request, as in out/main/chunks). Returns the entry.
 * `counting` builds the checking variant that counts decryptions.
 */
export async function bundleCoreStart(options: { readonly counting: boolean; readonly entry?: 'core-start-child' | 'core-load-child' | 'sqlite-floor' }): Promise<string> {
  const entry = options.entry ?? 'core-start-child';
  const outdir = join(BENCH_CACHE_DIR, `${entry}${options.counting ? '-counting' : ''}`);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [fileURLToPath(new URL(`./${entry}.ts`, import.meta.url))],
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: false,
    sourcemap: false,
    logLevel: 'silent',
    // CommonJS dependencies inside an ESM bundle still call require() for built-ins.
    banner: { js: "import { createRequire as __maestroCreateRequire } from 'node:module'; const require = __maestroCreateRequire(import.meta.url);" },
    plugins: options.counting ? [countingCrypto()] : [],
  });
  return join(outdir, `${entry}.mjs`);
}

/** Sizes of a bundle made by bundleCoreStart: its entry, and the chunks it loads only on demand. */
export function bundleSizes(entryFile: string): { readonly entryKiB: number; readonly chunksKiB: number } {
  const chunks = join(dirname(entryFile), 'chunks');
  const chunkBytes = existsSync(chunks) ? readdirSync(chunks).reduce((sum, name) => sum + statSync(join(chunks, name)).size, 0) : 0;
  return { entryKiB: Math.round(statSync(entryFile).size / 1024), chunksKiB: Math.round(chunkBytes / 1024) };
}
