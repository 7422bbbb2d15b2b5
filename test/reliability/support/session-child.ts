/**
 * Child process of the session lost-update test: composes the real core on a shared data
 * directory and, for `durationMs`, selects models for ONE provider in a tight loop, as a busy
 * window would while the person also uses the command line. Prints `started`, then
 * `done <iterations>`. Usage: session-child.ts <dataDir> <provider> <durationMs>
 */
import { createCore } from '../../../src-main/core/create-core.js';

const [dataDir, provider, durationMs] = process.argv.slice(2);
if (dataDir === undefined || provider === undefined || durationMs === undefined) {
  throw new Error('usage: session-child.ts <dataDir> <provider> <durationMs>');
}
const core = await createCore({ dataDir, env: {}, purpose: 'test' });
process.stdout.write('started\n');
const end = Date.now() + Number(durationMs);
let index = 0;
for (; Date.now() < end; index += 1) {
  const selected = await core.auth.selectModel({ provider, model: `${provider}-${index}` });
  if (!selected.ok) throw new Error(selected.error.message);
}
process.stdout.write(`done ${index}\n`);
await core.dispose();
