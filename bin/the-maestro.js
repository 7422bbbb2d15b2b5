#!/usr/bin/env node
// The command-line front end: a plain launcher for the bundle `npm install` and `npm run build`
// put in out/cli (scripts/build-cli.mjs). It loads nothing else, so no TypeScript loader is needed
// at run time; `npm run cli -- <args>` runs the sources instead while developing.
// It needs Node 22 or newer: better-sqlite3 13 crashes on older Node. Inside the project,
// `npx the-maestro` uses the Node 22 that `npm install` put in node_modules.
// Every hook runs it as a new process, so it is CommonJS (bin/package.json says so), like the
// bundle's entry file: a process that loads no ES module never starts Node's ES-module loader.
'use strict';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(
    `the-maestro: Node ${process.versions.node} is too old; Node 22 or newer is required. ` +
      'Run it as `npx the-maestro` from the project (npm puts its Node 22 first on PATH).\n',
  );
  process.exit(1);
}

const { join } = require('node:path');
const bundle = join(__dirname, '..', 'out', 'cli', 'the-maestro.cjs');
try {
  require(bundle);
} catch (error) {
  // Only the bundle itself missing is "not built"; a module missing inside it is a real failure.
  if (error?.code !== 'MODULE_NOT_FOUND' || !String(error.message).startsWith(`Cannot find module '${bundle}'`))
    throw error;
  const root = join(__dirname, '..');
  process.stderr.write(
    `The Maestro's command line is not built: run \`npm run build:cli\` (or \`npm install\`) in ${root}.\n`,
  );
  process.exit(1);
}
