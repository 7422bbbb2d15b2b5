#!/usr/bin/env node
// The command-line front end. It needs Node 22 or newer: better-sqlite3 13 crashes on older Node.
// Inside the project, `npx the-maestro` uses the Node 22 that `npm install` put in node_modules.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(
    `the-maestro: Node ${process.versions.node} is too old; Node 22 or newer is required. ` +
      'Run it as `npx the-maestro` from the project (npm puts its Node 22 first on PATH).\n',
  );
  process.exit(1);
}
// Cache compiled code between runs (Node ≥ 22.1): a noticeably faster start for every command.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
// The prebuilt bundle (out/cli, made by `npm install` / `npm run build`) starts in about a third
// of the time the sources take through tsx; the sources run when the bundle is missing or older
// than them, or when THE_MAESTRO_CLI_FROM_SOURCE=1 asks for them.
const { CLI_BUNDLE, bundleIsCurrent } = await import('./cli-bundle.js');
if (process.env.THE_MAESTRO_CLI_FROM_SOURCE !== '1' && bundleIsCurrent()) {
  await import(CLI_BUNDLE);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src-main/cli/run.ts');
}
