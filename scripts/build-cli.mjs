#!/usr/bin/env node
// Builds the command line into out/cli (run by `npm install` through `prepare`, and by
// `npm run build`): one ES module bundle (node-bundle.mjs says how) and the stamp of the sources
// it was built from, so bin/the-maestro.js runs it only while it is current. A command then
// starts in ~50 ms instead of the ~150 ms the sources take through tsx.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { CLI_BUNDLE_DIR, CLI_STAMP, ROOT, sourceStamp } from '../bin/cli-bundle.js';
import { NODE_BUNDLE_OPTIONS } from './node-bundle.mjs';

/** Builds the bundle beside the current one, then swaps it in. */
async function buildCli() {
  const stamp = sourceStamp();
  // Built beside, then swapped in: a command starting meanwhile finds the old bundle, or none (and
  // runs the sources), never half of one.
  const next = `${CLI_BUNDLE_DIR}.next-${process.pid}`;
  const previous = `${CLI_BUNDLE_DIR}.previous-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next, { recursive: true });
  try {
    await build({
      ...NODE_BUNDLE_OPTIONS,
      entryPoints: { 'the-maestro': join(ROOT, 'src-main', 'cli', 'run.ts') },
      outdir: next,
      logLevel: 'warning',
    });
    writeFileSync(join(next, basename(CLI_STAMP)), `${JSON.stringify(stamp)}\n`);
    if (existsSync(CLI_BUNDLE_DIR)) renameSync(CLI_BUNDLE_DIR, previous);
    renameSync(next, CLI_BUNDLE_DIR);
  } finally {
    rmSync(next, { recursive: true, force: true });
    rmSync(previous, { recursive: true, force: true });
  }
}

try {
  await buildCli();
} catch (error) {
  // During `npm install` the bundle is a speed-up, not a requirement: the command line then runs
  // from its sources. `npm run build` (and so `npm test`) fails on it.
  if (process.env.npm_lifecycle_event !== 'prepare') throw error;
  process.stderr.write(`the-maestro: the command line was not bundled (${error instanceof Error ? error.message : String(error)}); it will run from its sources.\n`);
}
