// How The Maestro bundles code that runs under plain Node — the command line (build-cli.mjs) and
// the benchmarks' copies of the core (bench/bundle-core.ts), so the bench measures what ships:
// one ES module split where the code imports lazily (openid-client is a chunk loaded on the first
// OAuth request), better-sqlite3's JavaScript inlined (its native addon is opened by path from
// node_modules), and only its whitespace and comments minified: names stay readable in a stack
// trace, while every new process reads, hashes and decodes a smaller source (one non-ASCII
// character in a kept comment also made V8 hold a whole chunk as UTF-16).
/** @type {import('esbuild').BuildOptions} */
export const NODE_BUNDLE_OPTIONS = {
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: false,
  minifyWhitespace: true,
  sourcemap: false,
  // CommonJS dependencies inside an ESM bundle still call require() for built-ins.
  banner: {
    js: "import { createRequire as __maestroCreateRequire } from 'node:module'; const require = __maestroCreateRequire(import.meta.url);",
  },
};
