import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/create-core.js';
import { createIpcHandlers } from '../../../src-main/ipc/ipc-handlers.js';
import { createDispatch } from '../../../src-main/ipc/ipc-dispatch.js';
import { withStorageNotices } from '../../../src-main/electron/storage-notices.js';
import { FilePreferencesStore } from '../../../src-main/preferences/file-preferences.js';
import type { StatusView } from '../../../src-shared/view-models.js';
import { runCliInProcess } from '../../support/run-cli-in-process.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

const cli = runCliInProcess;

const DAMAGED = /The credential database was damaged/;

describe('acknowledging the storage notice', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let env: NodeJS.ProcessEnv;
  const cores: Core[] = [];
  const open = async (): Promise<Core> => {
    const core = await createCore({ dataDir: temp.dir, env, purpose: 'test' });
    cores.push(core);
    return core;
  };

  beforeEach(async () => {
    temp = makeTempDir('maestro-notice-');
    env = { THE_MAESTRO_DATA_DIR: temp.dir, THE_MAESTRO_NO_AGENT: '1' };
    expect(
      (await cli(['login', 'anthropic', '--api-key-stdin', '--no-validate'], env, 'sk-ant-api03-n-0001')).code,
    ).toBe(0);
    writeFileSync(join(temp.dir, 'maestro.db'), randomBytes(8192));
  });
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    temp.remove();
  });

  it('in the window (over IPC) silences it everywhere: the window, and every command', async () => {
    const window = await open();
    const before = await window.auth.status();
    expect(before.storageNotices).toEqual([expect.stringMatching(DAMAGED)]);
    expect(before.storage.warnings).toEqual(before.storageNotices);
    const pushed: StatusView[] = [];
    window.auth.onDidChangeStatus((status) => pushed.push(status));

    const preferences = new FilePreferencesStore(join(temp.dir, 'web-preferences.json'));
    const dispatch = createDispatch(createIpcHandlers({ auth: window.auth, preferences }));
    expect(await dispatch('storage.acknowledgeNotices', { extra: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    const reply = (await dispatch('storage.acknowledgeNotices', {})) as { ok: true; value: StatusView };
    expect(reply.ok).toBe(true);
    expect(reply.value.storageNotices).toEqual([]);
    expect(reply.value.storage.warnings).toEqual([]);
    await expect.poll(() => pushed.at(-1)?.storageNotices).toEqual([]);

    const token = await cli(['token', 'anthropic'], env);
    expect(token.stderr).not.toMatch(DAMAGED);
    expect((await cli(['status'], env)).stdout).not.toMatch(DAMAGED);
  });

  it('on the command line silences it in a window that is already open', async () => {
    const window = await open();
    expect((await window.auth.status()).storageNotices).toHaveLength(1);
    const pushed: StatusView[] = [];
    window.auth.onDidChangeStatus((status) => pushed.push(status));

    expect(await cli(['status', '--acknowledge'], env)).toMatchObject({ code: 0 });
    await expect.poll(() => pushed.at(-1)?.storageNotices, { timeout: 5000 }).toEqual([]);
    expect((await window.auth.status()).storage.warnings).toEqual([]);
  });

  it('keeps the shell’s own notices (memory only, say) after the database notice is acknowledged', async () => {
    const window = await open();
    const shell = withStorageNotices(window.auth, ['Credentials are kept in memory only here.']);
    const after = await shell.acknowledgeStorageNotices();
    expect(after.storageNotices).toEqual([]);
    expect(after.storage.warnings).toEqual(['Credentials are kept in memory only here.']);
  });
});
