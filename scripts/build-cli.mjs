#!/usr/bin/env node
// Builds the command line into out/cli (run by `npm install` through `prepare`, and by
// `npm run build`): one ES module bundle as main is built — better-sqlite3's JavaScript inlined,
// its native addon opened by path from node_modules, openid-client in a chunk loaded on the first
// OAuth request — and the stamp of the sources it was built from, so bin/the-maestro.js runs it
// only while it is current. `npx the-maestro token …` then starts in ~50 ms instead of ~150 ms.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { CLI_BUNDLE_DIR, CLI_STAMP, ROOT, sourceStamp } from '../bin/cli-bundle.js';

const stamp = sourceStamp();
// Built beside, then swapped in: a command starting meanwhile finds the old bundle, or none (and
// runs the sources), never half of one.
const next = `${CLI_BUNDLE_DIR}.next-${process.pid}`;
const previous = `${CLI_BUNDLE_DIR}.previous-${process.pid}`;
rmSync(next, { recursive: true, force: true });
mkdirSync(next, { recursive: true });
await build({
  entryPoints: { 'the-maestro': join(ROOT, 'src-main', 'cli', 'run.ts') },
  outdir: next,
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  logLevel: 'warning',
  // CommonJS dependencies inside an ESM bundle still call require() for built-ins.
  banner: { js: "import { createRequire as __maestroCreateRequire } from 'node:module'; const require = __maestroCreateRequire(import.meta.url);" },
});
writeFileSync(join(next, basename(CLI_STAMP)), `${JSON.stringify(stamp)}\n`);
if (existsSync(CLI_BUNDLE_DIR)) renameSync(CLI_BUNDLE_DIR, previous);
renameSync(next, CLI_BUNDLE_DIR);
rmSync(previous, { recursive: true, force: true });
