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

const stamp = sourceStamp();
// Built beside, then swapped in: a command starting meanwhile finds the old bundle, or none (and
// runs the sources), never half of one.
const next = `${CLI_BUNDLE_DIR}.next-${process.pid}`;
const previous = `${CLI_BUNDLE_DIR}.previous-${process.pid}`;
rmSync(next, { recursive: true, force: true });
mkdirSync(next, { recursive: true });
await build({
  ...NODE_BUNDLE_OPTIONS,
  entryPoints: { 'the-maestro': join(ROOT, 'src-main', 'cli', 'run.ts') },
  outdir: next,
  logLevel: 'warning',
});
writeFileSync(join(next, basename(CLI_STAMP)), `${JSON.stringify(stamp)}\n`);
if (existsSync(CLI_BUNDLE_DIR)) renameSync(CLI_BUNDLE_DIR, previous);
renameSync(next, CLI_BUNDLE_DIR);
rmSync(previous, { recursive: true, force: true });
