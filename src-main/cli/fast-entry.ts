import { runAgentFirst } from './agent-first.js';

// The entry file of the command-line bundle (out/cli/the-maestro.mjs, built alone by
// scripts/build-cli.mjs): what a hook runs most — `the-maestro token` with an agent running — is
// answered from this one module. Anything else loads the full program (cli-main.mjs, run.ts), which
// parses the command line again and runs it; when an agent was there but failed, that program goes
// straight to the store (THE_MAESTRO_NO_AGENT), as it would after the same failure.
const outcome = await runAgentFirst(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => Date.now(),
});
if (outcome.kind === 'done') process.exit(outcome.code);
if (outcome.kind === 'store') process.env['THE_MAESTRO_NO_AGENT'] = '1';
// A path computed at run time, so the bundler leaves the full program in its own file.
const fullProgram = new URL('./cli-main.mjs', import.meta.url).href;
await import(fullProgram);
