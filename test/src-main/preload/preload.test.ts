import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../electron/support/fake-electron.js')).electronMockFactory());

import { createPreloadApi } from '../../../src-main/preload/preload-api.js';
import { CHANNEL_NAMES, type MaestroApi } from '../../../src-shared/ipc-contract.js';
import { fake, resetFakeElectron } from '../electron/support/fake-electron.js';
import { statusView } from '../../support/auth-service-double.js';

class RecordingIpcRenderer extends EventEmitter {
  readonly invocations: [string, unknown][] = [];
  reply: unknown = { ok: true, value: [] };
  invoke(channel: string, payload: unknown): Promise<unknown> {
    this.invocations.push([channel, payload]);
    return Promise.resolve(this.reply);
  }
}

beforeEach(() => resetFakeElectron());

describe('the preload', () => {
  it('exposes a frozen API at window.maestro through the context bridge, never ipcRenderer', async () => {
    await import('../../../src-main/preload/index.js');
    expect([...fake.exposed.keys()]).toEqual(['maestro']);
    const api = fake.exposed.get('maestro') as Record<string, unknown>;
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.values(api).every((value) => value !== fake.ipcRenderer)).toBe(true);
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipcRenderer|send|invoke/);
  });

  it('has one method per contract channel, each invoking exactly that channel', async () => {
    const ipc = new RecordingIpcRenderer();
    const api = createPreloadApi(ipc) as unknown as Record<
      string,
      Record<string, (input?: unknown) => Promise<unknown>>
    >;
    for (const channel of CHANNEL_NAMES) {
      const [domain = '', verb = ''] = channel.split('.');
      expect(typeof api[domain]?.[verb], channel).toBe('function');
      expect(Object.isFrozen(api[domain])).toBe(true);
    }
    ipc.reply = { ok: true, value: statusView() };
    const reply = await (api as unknown as MaestroApi).session.get();
    expect(reply).toMatchObject({ ok: true, value: { activeProvider: null } });
    expect(ipc.invocations).toEqual([['session.get', {}]]);
  });

  it('turns a reply that breaks the contract into an error value', async () => {
    const ipc = new RecordingIpcRenderer();
    ipc.reply = { ok: true, value: { token: 'sk-secret' } };
    const api = createPreloadApi(ipc);
    expect(await api.session.get()).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('delivers contract events with the payload only, and unsubscribes', () => {
    const ipc = new RecordingIpcRenderer();
    const api = createPreloadApi(ipc);
    const received: unknown[][] = [];
    const unsubscribe = api.on('status.changed', (...args: unknown[]) => received.push(args));
    ipc.emit('status.changed', { sender: ipc, ports: [] }, statusView({ activeProvider: 'openai' }));
    expect(received).toHaveLength(1);
    expect(received[0]).toHaveLength(1);
    expect(received[0]?.[0]).toMatchObject({ activeProvider: 'openai' });
    unsubscribe();
    expect(ipc.listenerCount('status.changed')).toBe(0);
  });

  it('refuses to listen on anything but a contract event', () => {
    const api = createPreloadApi(new RecordingIpcRenderer()) as unknown as {
      on(event: string, listener: () => void): void;
    };
    expect(() => api.on('electron-store-get-data', () => undefined)).toThrow(TypeError);
  });
});
