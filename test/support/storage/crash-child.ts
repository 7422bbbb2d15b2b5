/**
 * Child process for the crash-safety test: writes credentials to a real store in a loop and
 * prints each generation once `rotate`/`put` has returned (i.e. committed). The parent kills it
 * with SIGKILL at a random moment. Usage: crash-child.ts <dataDir>
 */
import { join } from 'node:path';
import { FileKeyProvider } from '../../../src-main/core/store/key-providers/file-key-provider.js';
import { openCredentialStore } from '../../../src-main/core/store/open-store.js';
import { CRASH_ACCOUNT, crashTokens } from './child-protocol.js';

async function main(dataDir: string): Promise<void> {
  const { store } = await openCredentialStore({
    dataDir,
    keyProviders: [new FileKeyProvider(join(dataDir, 'master.key'))],
  });
  const existing = store.list({ provider: 'openai', accountLabel: CRASH_ACCOUNT, authMethod: 'oauth' })[0];
  let meta =
    existing ??
    store.put({
      provider: 'openai',
      authMethod: 'oauth',
      accountLabel: CRASH_ACCOUNT,
      expiresAt: 1,
      credential: { kind: 'oauth', tokenType: 'Bearer', ...crashTokens(1) },
    });
  process.stdout.write(`ready ${meta.generation}\n`);
  for (let i = 0; ; i += 1) {
    const next = meta.generation + 1;
    const outcome = store.rotate({
      id: meta.id,
      expectedGeneration: meta.generation,
      expiresAt: next,
      credential: { kind: 'oauth', tokenType: 'Bearer', ...crashTokens(next) },
    });
    if (!outcome.ok) throw new Error(`rotation refused: ${outcome.reason}`);
    meta = outcome.meta;
    // Pipes are synchronous on Linux and macOS: once this returns, the parent will see the line.
    process.stdout.write(`ack ${meta.generation}\n`);
    // Other rows come and go too, so the kill can land in inserts and deletes as well.
    const side = store.put({
      provider: 'anthropic',
      authMethod: 'api_key',
      accountLabel: `side-${i % 5}`,
      expiresAt: null,
      credential: { kind: 'api_key', apiKey: `sk-ant-api03-side-${i}-xxxxxxxx` },
    });
    if (i % 7 === 0) store.delete(side.id);
  }
}

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: crash-child.ts <dataDir>');
await main(dataDir);
