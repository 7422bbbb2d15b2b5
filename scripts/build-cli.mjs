#!/usr/bin/env node
// Builds the command line into out/cli (run by `npm install` through `prepare`, by `npm run build`
// and by `npm run build:cli`): two CommonJS files (node-bundle.mjs says how the code is bundled),
// the fast path's entry that bin/the-maestro.js runs and the full program it loads when needed. A command then starts in ~50 ms, with no TypeScript loader at run time.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_BUNDLE_OPTIONS } from './node-bundle.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where bin/the-maestro.js looks for the bundle: out/cli/the-maestro.cjs. */
const CLI_BUNDLE_DIR = join(ROOT, 'out', 'cli');

/** The OAuth libraries' file, beside the full program: loaded on the first OAuth request. */
const OAUTH_LIBRARIES = './oauth-libraries.cjs';

/**
 * openid-client (with oauth4webapi and jose, a quarter of the program) goes in a file of its own,
 * which the full program `require`s where the sources import it lazily (openid-client-module.ts):
 * a command that makes no OAuth request never reads it.
 */
const oauthLibrariesApart = {
  name: 'oauth-libraries-apart',
  setup(build) {
    build.onResolve({ filter: /^openid-client$/ }, () => ({ path: OAUTH_LIBRARIES, external: true }));
  },
};

/** Builds the bundle beside the current one, then swaps it in. */
async function buildCli() {
  // esbuild is a devDependency: imported here so that its absence is the failure reported below.
  const { build } = await import('esbuild');
  // Built beside, then swapped in: a command starting meanwhile finds the old bundle, or none (and
  // says how to build it), never half of one.
  const next = `${CLI_BUNDLE_DIR}.next-${process.pid}`;
  const previous = `${CLI_BUNDLE_DIR}.previous-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next, { recursive: true });
  try {
    // The full program in one CommonJS file (but for the OAuth libraries, below): no ES-module
    // loader to start and no chunk to resolve,
    // link and read from the compile cache one by one (~8 % of `token`'s start with the store opened
    // directly). What it imports lazily (the agent, OAuth, exec…) is still evaluated only when
    // imported. Its dependencies' `import.meta.url` is this file's URL, as in an ES module.
    await build({
      ...NODE_BUNDLE_OPTIONS,
      splitting: false,
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
      banner: { js: 'var __maestroImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
      define: { 'import.meta.url': '__maestroImportMetaUrl' },
      // `import()` becomes `require()`: no ES-module loader even for OAuth, and the program can run as
      // a plain script with its own code cache (cli/full-program.ts), where `import()` has no loader.
      supported: { 'dynamic-import': false },
      plugins: [oauthLibrariesApart],
      entryPoints: { 'cli-main': join(ROOT, 'src-main', 'cli', 'run.ts') },
      outdir: next,
      logLevel: 'warning',
    });
    await build({
      ...NODE_BUNDLE_OPTIONS,
      splitting: false,
      format: 'cjs',
      banner: {},
      stdin: { contents: "export * from 'openid-client';", resolveDir: ROOT, sourcefile: 'oauth-libraries.js' },
      outfile: join(next, OAUTH_LIBRARIES),
      logLevel: 'warning',
    });
    // The entry the launcher and the app's `--cli` run: the agent-first fast path in ONE small file
    // (a hook through the agent reads nothing else), requiring cli-main.cjs for everything else.
    await build({
      ...NODE_BUNDLE_OPTIONS,
      splitting: false,
      format: 'cjs',
      outExtension: { '.js': '.cjs' },
      banner: {},
      // Small and plain ASCII: kept as written, with the bundler's file-name comments, so a test can
      // tell which sources went in (test/bin/cli-fast-path.test.ts).
      minifyWhitespace: false,
      entryPoints: { 'the-maestro': join(ROOT, 'src-main', 'cli', 'fast-entry.ts') },
      outdir: next,
      logLevel: 'warning',
    });
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
  // During `npm install` (where devDependencies may be left out) the command line is not worth
  // failing the install for: the app does not need it, and bin/the-maestro.js says how to build it.
  // `npm run build` (and so `npm test`) and `npm run build:cli` fail on it.
  if (process.env.npm_lifecycle_event !== 'prepare') throw error;
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `the-maestro: the command line was not built (${reason}); run \`npm run build:cli\` to build it.\n`,
  );
}
