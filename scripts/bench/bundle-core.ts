import { mkdirSync } from 'node:fs';
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
 * Bundles the cold-start program into one ESM file, as the app's main bundle is built: ESM-only
 * dependencies (openid-client, zod) and better-sqlite3's JavaScript inlined, its native addon opened
 * by path from node_modules, not minified.
 * `counting` builds the checking variant that counts decryptions.
 */
export async function bundleCoreStart(options: { readonly counting: boolean; readonly entry?: 'core-start-child' | 'sqlite-floor' }): Promise<string> {
  const entry = options.entry ?? 'core-start-child';
  const outfile = join(BENCH_CACHE_DIR, `${entry}${options.counting ? '-counting' : ''}.mjs`);
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [fileURLToPath(new URL(`./${entry}.ts`, import.meta.url))],
    outfile,
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
  return outfile;
}
