/**
 * Child process that opens the real core at an agreed moment (a shared start time, so several
 * children really race) and reports how it went as one JSON line. Usage:
 * open-child.ts <dataDir> <startAtEpochMs>
 */
import { createCore } from '../../../src-main/core/create-core.js';
import { toErrorInfo } from '../../../src-main/core/auth-error.js';

const [dataDir, startAt] = process.argv.slice(2);
if (dataDir === undefined || startAt === undefined) throw new Error('usage: open-child.ts <dataDir> <startAtEpochMs>');
// Busy-wait rather than sleep: timers would let the children drift apart by milliseconds.
while (Date.now() < Number(startAt)) {
  // spin
}
try {
  const core = await createCore({ dataDir, env: {}, purpose: 'test' });
  const saved = await core.auth.saveApiKey({
    provider: 'openai',
    apiKey: `sk-proj-race-${process.pid}-0000000000`,
    account: `p${process.pid}`,
    validate: false,
  });
  process.stdout.write(
    `${JSON.stringify({ ok: saved.ok, warnings: core.protection.warnings, account: `p${process.pid}` })}\n`,
  );
  await core.dispose();
} catch (error) {
  process.stdout.write(
    `${JSON.stringify({ ok: false, error: toErrorInfo(error), raw: error instanceof Error ? error.message : String(error) })}\n`,
  );
}
