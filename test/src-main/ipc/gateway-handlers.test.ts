import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIpcHandlers, type IpcHandlers } from '../../../src-main/ipc/ipc-handlers.js';
import { GatewayController } from '../../../src-main/gateway/gateway-controller.js';
import { FilePreferencesStore } from '../../../src-main/preferences/file-preferences.js';
import { parsePreferences } from '../../../src-main/preferences/preferences-schema.js';
import { createAuthServiceDouble } from '../../support/auth-service-double.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

/** The gateway's port and key channels: the port remembered and validated, the key only ever on the clipboard. */
const KEY = 'sk-maestro-gw-handlers-canary-0123456789';

async function occupiedPort(): Promise<{ readonly port: number; readonly server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, server };
}

describe('gateway channels', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let preferences: FilePreferencesStore;
  let gateway: GatewayController;
  let clipboard: string[];
  let handlers: IpcHandlers;
  let key: string;

  beforeEach(() => {
    temp = makeTempDir('maestro-gateway-ipc-');
    preferences = new FilePreferencesStore(join(temp.dir, 'preferences.json'));
    key = KEY;
    gateway = new GatewayController({
      credentials: createAuthServiceDouble(),
      key: { current: () => key, rotate: () => (key = `${KEY}-rotated`) },
    });
    clipboard = [];
    handlers = createIpcHandlers({
      auth: createAuthServiceDouble(),
      preferences,
      gateway,
      writeClipboard: async (text) => {
        clipboard.push(text);
      },
    });
  });

  afterEach(async () => {
    await gateway.dispose();
    temp.remove();
  });

  it('copies the key to the clipboard in main and answers only that it did', async () => {
    const reply = await handlers['gateway.copyKey']({});
    expect(reply).toEqual({ ok: true, value: { copied: true } });
    expect(clipboard).toEqual([KEY]);
  });

  it('rotates only when the request says the person confirmed, and the reply holds no key', async () => {
    expect(await handlers['gateway.rotateKey']({})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(key).toBe(KEY);
    const reply = await handlers['gateway.rotateKey']({ confirmed: true });
    expect(reply.ok).toBe(true);
    expect(key).toBe(`${KEY}-rotated`);
    expect(JSON.stringify(reply)).not.toContain(KEY);
  });

  it('refuses to copy where main has no clipboard (web mode), with a sentence, sending no key', async () => {
    const web = createIpcHandlers({ auth: createAuthServiceDouble(), preferences, gateway });
    const reply = await web['gateway.copyKey']({});
    expect(reply).toMatchObject({ ok: false, error: { code: 'not_configured' } });
    expect(reply.ok ? '' : reply.error.message).toMatch(/can be copied only in The Maestro app/);
    expect(JSON.stringify(reply)).not.toContain(KEY);
  });

  it('remembers a chosen port, refuses one outside 1024–65535 and keeps the previous choice', async () => {
    const free = await occupiedPort();
    await new Promise<void>((resolve) => free.server.close(() => resolve()));
    const saved = await handlers['gateway.setPort']({ port: free.port });
    expect(saved).toMatchObject({ ok: true, value: { configuredPort: free.port, portSource: 'settings' } });
    expect(preferences.get().gatewayPort).toBe(free.port);
    for (const port of [80, 70_000, 8787.5, '8787']) {
      expect(await handlers['gateway.setPort']({ port })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    }
    expect(preferences.get().gatewayPort).toBe(free.port);
    const on = await handlers['gateway.setEnabled']({ enabled: true });
    expect(on).toMatchObject({ ok: true, value: { enabled: true, port: free.port } });
    expect((await handlers['gateway.setPort']({ port: null })).ok).toBe(true);
    expect(preferences.get().gatewayPort).toBeNull();
  });

  it('names a port in use and leaves the gateway off', async () => {
    const taken = await occupiedPort();
    try {
      await handlers['gateway.setEnabled']({ enabled: true });
      const reply = await handlers['gateway.setPort']({ port: taken.port });
      expect(reply).toMatchObject({ ok: false, error: { code: 'network_error' } });
      expect(reply.ok ? '' : reply.error.message).toBe(
        `Port ${taken.port} is already in use by another program, so the gateway is off: choose another port, or leave the port empty for any free one.`,
      );
      expect(await handlers['gateway.get']({})).toMatchObject({ ok: true, value: { enabled: false } });
      expect(await handlers['gateway.setEnabled']({ enabled: true })).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining(`Port ${taken.port}`) as string },
      });
    } finally {
      await new Promise<void>((resolve) => taken.server.close(() => resolve()));
    }
  });

  it('reads a stored port outside the range as no choice (any free port)', () => {
    expect(parsePreferences({ gatewayPort: 8787 }).gatewayPort).toBe(8787);
    expect(parsePreferences({ gatewayPort: 22 }).gatewayPort).toBeNull();
    expect(parsePreferences({ gatewayPort: 'x' }).gatewayPort).toBeNull();
  });
});
