/**
 * Child process of the core crash test: composes the REAL core (createCore, default command-line
 * key file) on a data directory and performs the operations of one run (reliability-crash-
 * protocol.ts) as fast as it can: saves API keys through the coordinator, rotates the OAuth
 * credential through the store's compare-and-swap, logs accounts out. It prints `do <i>` before
 * and `ack <i>` after each operation; the test kills it with SIGKILL at a random moment.
 * Usage: core-child.ts <dataDir> <run>
 */
import { createCore, type Core } from '../../../src-main/core/create-core.js';
import type { CredentialMeta } from '../../../src-main/core/store/credential-store.js';
import { CRASH_OAUTH_ACCOUNT, crashOp, rotationExpiry, rotationTokens } from './crash-protocol.js';

/** First run on a fresh directory: create the rotating credential (generation 1), announced like an operation. */
function seed(core: Core): CredentialMeta {
  process.stdout.write('do seed\n');
  const meta = core.store.put({
    provider: 'openai',
    authMethod: 'oauth',
    accountLabel: CRASH_OAUTH_ACCOUNT,
    expiresAt: rotationExpiry(1),
    credential: { kind: 'oauth', tokenType: 'Bearer', expiresAt: rotationExpiry(1), ...rotationTokens(1) },
  });
  process.stdout.write('ack seed\n');
  return meta;
}

async function main(dataDir: string, run: number): Promise<void> {
  const core = await createCore({ dataDir, env: {}, purpose: 'test' });
  const rotating =
    core.store.list({ provider: 'openai', authMethod: 'oauth', accountLabel: CRASH_OAUTH_ACCOUNT })[0] ?? seed(core);
  let generation = rotating.generation;
  // Pipes are synchronous on Linux and macOS: once write returns, the parent will see the line.
  process.stdout.write('ready\n');
  for (let index = 0; ; index += 1) {
    const op = crashOp(run, index);
    process.stdout.write(`do ${index}\n`);
    if (op.kind === 'save') {
      const saved = await core.auth.saveApiKey({
        provider: 'anthropic',
        apiKey: op.apiKey,
        account: op.account,
        validate: false,
      });
      if (!saved.ok) throw new Error(`save refused: ${saved.error.code}`);
    } else if (op.kind === 'rotate') {
      const next = generation + 1;
      const outcome = core.store.rotate({
        id: rotating.id,
        expectedGeneration: generation,
        expiresAt: rotationExpiry(next),
        credential: { kind: 'oauth', tokenType: 'Bearer', expiresAt: rotationExpiry(next), ...rotationTokens(next) },
      });
      if (!outcome.ok) throw new Error(`rotation refused: ${outcome.reason}`);
      generation = outcome.meta.generation;
    } else {
      const out = await core.auth.logout({ provider: 'anthropic', account: op.account });
      if (!out.ok && out.error.code !== 'unknown_account') throw new Error(`logout failed: ${out.error.code}`);
    }
    process.stdout.write(`ack ${index}\n`);
  }
}

const [dataDir, run] = process.argv.slice(2);
if (dataDir === undefined || run === undefined) throw new Error('usage: core-child.ts <dataDir> <run>');
await main(dataDir, Number(run));
