import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./support/fake-electron.js')).electronMockFactory());

import { startShell, type ShellOptions } from '../../../src-main/electron/app-shell.js';
import { createCore, type Core } from '../../../src-main/core/create-core.js';
import type { StatusView } from '../../../src-shared/view-models.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';
import { shellOptionsFor } from './support/shell-options.js';
import { fake, FakeBrowserWindow, resetFakeElectron } from './support/fake-electron.js';

let temp: ReturnType<typeof makeTempDir>;
const cores: Core[] = [];

/** The app's core and the command line's both open this data directory with its key file. */
const openCore = async (): Promise<Core> => {
  const core = await createCore({ dataDir: temp.dir, env: {}, purpose: 'test' });
  cores.push(core);
  return core;
};

function options(): ShellOptions {
  return shellOptionsFor(temp.dir, async () => {
    const core = await openCore();
    return { auth: core.auth, dispose: async () => undefined };
  });
}

beforeEach(() => {
  resetFakeElectron();
  temp = makeTempDir('maestro-status-push-');
});
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
  temp.remove();
});

describe('the window follows changes made by another process', () => {
  it('pushes a fresh status when the command line saves and removes an account', async () => {
    const shell = startShell(options());
    fake.app.makeReady();
    await shell.ready;
    const window = FakeBrowserWindow.instances[0];
    if (window === undefined) throw new Error('no window was created');
    const anthropicAccounts = (): string[] => {
      const pushed = window.webContents.sent.filter(([channel]) => channel === 'status.changed').at(-1)?.[1] as
        StatusView | undefined;
      return pushed?.providers.find((provider) => provider.id === 'anthropic')?.accounts.map((a) => a.account) ?? [];
    };

    const cli = await openCore();
    const saved = await cli.auth.saveApiKey({
      provider: 'anthropic',
      apiKey: 'sk-ant-api03-status-push-key-001',
      account: 'from-cli',
      validate: false,
    });
    expect(saved.ok).toBe(true);
    await expect.poll(anthropicAccounts, { timeout: 5000 }).toEqual(['from-cli']);

    await cli.auth.logout({ provider: 'anthropic', account: 'from-cli' });
    await expect.poll(anthropicAccounts, { timeout: 5000 }).toEqual([]);
  });
});
