import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../src-main/core/create-core.js';
import { StoreChangeWatcher } from '../../../../src-main/core/session/store-change-watcher.js';
import type { StatusView } from '../../../../src-shared/view-models.js';
import { makeTempDir } from '../../../support/storage/temp-dir.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A store whose change version the test moves by hand, counting how often it was read. */
function versionedStore() {
  let version = 1;
  const store = {
    reads: 0,
    changeVersion: () => {
      store.reads += 1;
      return String(version);
    },
    bump: () => void (version += 1),
  };
  return store;
}

describe('StoreChangeWatcher', () => {
  it('reports a change of the version once, and nothing while it stays the same', async () => {
    const store = versionedStore();
    let changes = 0;
    const watcher = new StoreChangeWatcher(store, () => (changes += 1), 5);
    watcher.start();
    await wait(30);
    expect(changes).toBe(0);
    store.bump();
    await wait(30);
    expect(changes).toBe(1);
    watcher.stop();
  });

  it('stays quiet for a version the listeners were already told about', async () => {
    const store = versionedStore();
    let changes = 0;
    const watcher = new StoreChangeWatcher(store, () => (changes += 1), 5);
    watcher.start();
    store.bump();
    watcher.markSeen();
    await wait(30);
    expect(changes).toBe(0);
    watcher.stop();
  });

  it('reads nothing before start and after stop', async () => {
    const store = versionedStore();
    const watcher = new StoreChangeWatcher(store, () => undefined, 5);
    watcher.markSeen();
    await wait(20);
    expect(store.reads).toBe(0);
    watcher.start();
    await wait(20);
    watcher.stop();
    const reads = store.reads;
    expect(reads).toBeGreaterThan(1);
    await wait(20);
    expect(store.reads).toBe(reads);
  });
});

describe('status listeners and changes made by another process', () => {
  const temp = makeTempDir('maestro-watch-');
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
  });
  afterAll(() => temp.remove());

  const open = async (): Promise<Core> => {
    // The command line's key file: both "processes" open the same data key, as the app and the CLI do.
    const core = await createCore({ dataDir: temp.dir, env: {}, purpose: 'test' });
    cores.push(core);
    return core;
  };

  it('hear about an account another process saved, switched to and removed, without asking', async () => {
    const window = await open();
    const cli = await open();
    const pushed: StatusView[] = [];
    const dispose = window.auth.onDidChangeStatus((status) => pushed.push(status));
    const anthropicAccounts = () =>
      pushed
        .at(-1)
        ?.providers.find((provider) => provider.id === 'anthropic')
        ?.accounts.map((a) => a.account) ?? [];

    const saved = await cli.auth.saveApiKey({
      provider: 'anthropic',
      apiKey: 'sk-ant-api03-watch-test-key-0001',
      account: 'work',
      validate: false,
    });
    expect(saved.ok).toBe(true);
    await expect.poll(anthropicAccounts, { timeout: 5000 }).toEqual(['work']);

    await cli.auth.setActiveProvider({ provider: 'anthropic', account: 'work' });
    await expect.poll(() => pushed.at(-1)?.activeProvider, { timeout: 5000 }).toBe('anthropic');

    await cli.auth.logout({ provider: 'anthropic', account: 'work' });
    await expect.poll(anthropicAccounts, { timeout: 5000 }).toEqual([]);

    // No listener left: nothing is pushed any more.
    dispose();
    const count = pushed.length;
    await cli.auth.saveApiKey({ provider: 'anthropic', apiKey: 'sk-ant-api03-watch-test-key-0002', validate: false });
    await wait(1200);
    expect(pushed).toHaveLength(count);
  });

  it('announce a change made in this process once, not again when the poll sees it', async () => {
    const window = await open();
    const pushed: StatusView[] = [];
    window.auth.onDidChangeStatus((status) => pushed.push(status));
    await window.auth.saveApiKey({ provider: 'openai', apiKey: 'sk-proj-watch-test-key-000003', validate: false });
    await wait(1200);
    expect(pushed).toHaveLength(1);
  });
});
