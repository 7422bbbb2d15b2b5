import { main, processIo } from './main.js';

// Entry point of the `the-maestro` binary (bin/the-maestro.js loads this through tsx).
const code = await main(process.argv.slice(2), process.env, processIo());
process.exit(code);
