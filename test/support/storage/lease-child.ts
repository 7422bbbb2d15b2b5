/**
 * Child process for the lease test: takes a shared lease `iterations` times and, while holding
 * it, does a read-modify-write of a counter in separate transactions. Mutual exclusion failing
 * would show as a lost update or as another holder seen inside the critical section.
 * It prints `ready` once its store is open and starts only when the parent creates `<dataDir>/go`,
 * so two children start together however long each took to start up.
 * Usage: lease-child.ts <dataDir> <owner> <iterations>
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FileKeyProvider } from '../../../src-main/core/store/key-providers/file-key-provider.js';
import { openCredentialStore } from '../../../src-main/core/store/open-store.js';
import { sleepSync } from './child-process.js';
import { LEASE_NAME } from './child-protocol.js';

/** State key a child sets when it is first refused the lease. */
const CONTENDED = 'lease-contended';

async function main(dataDir: string, owner: string, iterations: number): Promise<void> {
  const { store } = await openCredentialStore({
    dataDir,
    keyProviders: [new FileKeyProvider(join(dataDir, 'master.key'))],
  });
  process.stdout.write('ready\n');
  const startBy = Date.now() + 60_000;
  while (!existsSync(join(dataDir, 'go')) && Date.now() < startBy) sleepSync(2);
  let acquired = 0;
  let refused = 0;
  while (acquired < iterations) {
    if (store.tryAcquireLease(LEASE_NAME, owner, 10_000) === null) {
      if (refused === 0) store.setState(CONTENDED, true);
      refused += 1;
      sleepSync(1);
      continue;
    }
    // The first holder keeps the lease until the other process has been refused (or 5 s passed, well
    // inside the lease's 10 s): the two then really contend, however the machine schedules them.
    const keepUntil = Date.now() + 5_000;
    while (acquired === 0 && store.getState(CONTENDED) !== true && Date.now() < keepUntil) sleepSync(2);
    const holder = store.getState('holder');
    if (typeof holder === 'string') process.stdout.write(`violation: ${holder} was inside when ${owner} entered\n`);
    store.setState('holder', owner);
    const stored = store.getState('count');
    const count = typeof stored === 'number' ? stored : 0;
    sleepSync(2);
    store.setState('count', count + 1);
    store.setState('holder', null);
    store.releaseLease(LEASE_NAME, owner);
    acquired += 1;
  }
  store.close();
  process.stdout.write(`done ${owner} acquired=${acquired} refused=${refused}\n`);
}

const [dataDir, owner, iterations] = process.argv.slice(2);
if (dataDir === undefined || owner === undefined || iterations === undefined)
  throw new Error('usage: lease-child.ts <dataDir> <owner> <iterations>');
await main(dataDir, owner, Number(iterations));
