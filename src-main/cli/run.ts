import { config } from 'zod/mini';
import { keepsRunning, parseCommandLine } from './args.js';
import { main, processIo } from './main.js';

// Entry point of the `the-maestro` binary: bundled into out/cli/cli-main.cjs
// (scripts/build-cli.mjs), which the fast path's entry loads; `npm run cli -- <args>` runs it from
// the sources. No top-level await: the bundle is CommonJS.
const argv = process.argv.slice(2);
if (!longRunning(argv)) {
  // A one-shot command parses each stored document once: zod's JIT, which compiles a parser with
  // `new Function` on a schema's first use, costs it more than it saves (~10 ms of `token`'s start
  // with the store opened directly). The servers (`agent`, `gateway`) and `exec`, which live on,
  // keep it.
  config({ jitless: true });
}
void main(argv, process.env, processIo()).then((code) => process.exit(code));

function longRunning(args: readonly string[]): boolean {
  try {
    return keepsRunning(parseCommandLine(args).command);
  } catch {
    return false; // main() reports the mistake
  }
}
