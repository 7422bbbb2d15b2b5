#!/usr/bin/env node
// The command-line front end: a plain launcher for the bundle `npm install` and `npm run build`
// put in out/cli (scripts/build-cli.mjs). It loads nothing else, so no TypeScript loader is needed
// at run time; `npm run cli -- <args>` runs the sources instead while developing.
// It needs Node 22 or newer: better-sqlite3 13 crashes on older Node. Inside the project,
// `npx the-maestro` uses the Node 22 that `npm install` put in node_modules.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(
    `the-maestro: Node ${process.versions.node} is too old; Node 22 or newer is required. ` +
      'Run it as `npx the-maestro` from the project (npm puts its Node 22 first on PATH).\n',
  );
  process.exit(1);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'cli', 'the-maestro.mjs');
if (!existsSync(bundle)) {
  process.stderr.write(
    `The Maestro's command line is not built: run \`npm run build:cli\` (or \`npm install\`) in ${root}.\n`,
  );
  process.exit(1);
}
// Cache compiled code between runs (Node ≥ 22.1): a noticeably faster start for every command.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
await import(pathToFileURL(bundle).href);
