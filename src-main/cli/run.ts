import { main, processIo } from './main.js';

// Entry point of the `the-maestro` binary: bundled into out/cli (scripts/build-cli.mjs), which
// bin/the-maestro.js runs; `npm run cli -- <args>` runs it from the sources.
const code = await main(process.argv.slice(2), process.env, processIo());
process.exit(code);
