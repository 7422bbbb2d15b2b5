import { join } from 'node:path';
import { runAgentFirst } from './agent-first.js';
import { fdWriter } from './fd-writer.js';
import { runFullProgram } from './full-program.js';
import { defaultCacheDir } from '../config/paths.js';

// The entry file of the command-line bundle (out/cli/the-maestro.cjs, built alone by
// scripts/build-cli.mjs): what a hook runs most — `the-maestro token` with an agent running — is
// answered from this one module. Anything else loads the full program (cli-main.cjs, run.ts), which
// parses the command line again and runs it; when an agent was there but failed, that program goes
// straight to the store (THE_MAESTRO_NO_AGENT), as it would after the same failure.
// It is CommonJS, like the launcher and the full program: a process that loads no ES module never
// starts Node's ES-module loader (~10 % of a hook's start). So this file runs only bundled:
// `__dirname` is the bundle's folder.

async function main(): Promise<void> {
  const outcome = await runAgentFirst(process.argv.slice(2), process.env, {
    stdout: fdWriter(1),
    stderr: fdWriter(2),
    now: () => Date.now(),
  });
  if (outcome.kind === 'done') process.exit(outcome.code);
  if (outcome.kind === 'store') process.env['THE_MAESTRO_NO_AGENT'] = '1';
  // A path computed at run time, so the bundler leaves the full program in its own file.
  runFullProgram(join(__dirname, 'cli-main.cjs'), defaultCacheDir(process.env));
}

// A failure here ends the process as an uncaught error would: exit code 1 and the stack.
void main();
