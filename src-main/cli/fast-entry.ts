import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runAgentFirst } from './agent-first.js';

// The entry file of the command-line bundle (out/cli/the-maestro.cjs, built alone by
// scripts/build-cli.mjs): what a hook runs most — `the-maestro token` with an agent running — is
// answered from this one module. Anything else loads the full program (cli-main.mjs, run.ts), which
// parses the command line again and runs it; when an agent was there but failed, that program goes
// straight to the store (THE_MAESTRO_NO_AGENT), as it would after the same failure.
// It is built as CommonJS, and the launcher is CommonJS too: a new process that loads no ES module
// never starts Node's ES-module loader, ~10 % of a hook's start. Only the full program is an ES
// module, imported when needed. (So this file runs only bundled: `__dirname` is the bundle's folder.)

/**
 * Writes to standard output or error without building process.stdout / process.stderr: a stream
 * over a pipe costs a hook ~1 ms to set up, a write(2) on the descriptor nothing. A descriptor
 * that would block (EAGAIN on a non-blocking pipe) or fails otherwise gets the rest through the
 * stream, which waits or reports the failure as it always did.
 */
function writeTo(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(fd, bytes, written);
  } catch {
    (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(written));
  }
}

async function main(): Promise<void> {
  const outcome = await runAgentFirst(process.argv.slice(2), process.env, {
    stdout: (text) => writeTo(1, text),
    stderr: (text) => writeTo(2, text),
    now: () => Date.now(),
  });
  if (outcome.kind === 'done') process.exit(outcome.code);
  if (outcome.kind === 'store') process.env['THE_MAESTRO_NO_AGENT'] = '1';
  // A path computed at run time, so the bundler leaves the full program in its own file.
  await import(pathToFileURL(join(__dirname, 'cli-main.mjs')).href);
}

// A failure here ends the process as an uncaught error would: exit code 1 and the stack.
void main();
