#!/usr/bin/env node
// Builds the command line into out/cli (run by `npm install` through `prepare`, by `npm run build`
// and by `npm run build:cli`): a CommonJS entry file (the fast path) and an ES module bundle
// (node-bundle.mjs says how) that bin/the-maestro.js runs. A command then starts in ~50 ms, with no TypeScript loader at run time.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_BUNDLE_OPTIONS } from './node-bundle.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where bin/the-maestro.js looks for the bundle: out/cli/the-maestro.cjs. */
const CLI_BUNDLE_DIR = join(ROOT, 'out', 'cli');

/**
 * An ES-module `import … from 'node:fs'` builds the module's whole namespace, running lazy getters
 * such as `fs.promises` (which loads file handles, streams and readline): a few milliseconds a hook
 * pays in every new process. The full program takes Node's built-ins with `process.getBuiltinModule`
 * (Node ≥ 22.3) instead, reading only plain properties (no getter runs); a getter-only export
 * (`fs.promises`) is then a build error, so none is missed silently.
 */
const builtinsWithoutNamespaces = {
  name: 'builtins-without-namespaces',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-builtin' }));
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, async (args) => {
      const { createRequire } = await import('node:module');
      const real = createRequire(import.meta.url)(args.path);
      const names = Object.keys(real).filter(
        (name) => /^[A-Za-z_$][\w$]*$/.test(name) && 'value' in (Object.getOwnPropertyDescriptor(real, name) ?? {}),
      );
      const get = `process.getBuiltinModule(${JSON.stringify(args.path)})`;
      return {
        contents: `const m = ${get};\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`,
        loader: 'js',
      };
    });
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
    // The full program, split where it imports lazily (the core, OAuth, exec…).
    await build({
      ...NODE_BUNDLE_OPTIONS,
      plugins: [builtinsWithoutNamespaces],
      entryPoints: { 'cli-main': join(ROOT, 'src-main', 'cli', 'run.ts') },
      outdir: next,
      logLevel: 'warning',
    });
    // The entry the launcher and the app's `--cli` run: the agent-first fast path in ONE CommonJS
    // file (every extra module costs a hook's new process time, and an ES module the start of Node's
    // ES-module loader, ~10 % of a hook's start), importing cli-main.mjs for everything else.
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
