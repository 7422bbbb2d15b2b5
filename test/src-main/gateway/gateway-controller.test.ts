import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { GatewayController } from '../../../src-main/gateway/gateway-controller.js';
import type { GatewayCredentials } from '../../../src-main/gateway/gateway-types.js';

/** The gateway as a switch: off by default, on and off again, the port reported, a taken port refused. */
const noCredentials: GatewayCredentials = {
  resolve: () => Promise.resolve({ ok: false, error: { code: 'not_authenticated', message: 'Not signed in.' } }),
};

describe('GatewayController', () => {
  it('is off until enabled, reports its port while on, and frees it when turned off', async () => {
    const controller = new GatewayController({
      credentials: noCredentials,
      key: { current: () => 'sk-maestro-gw-x', rotate: () => 'sk-maestro-gw-y' },
    });
    expect(controller.status()).toEqual({
      enabled: false,
      port: null,
      configuredPort: null,
      portSource: 'automatic',
      url: null,
      providers: null,
    });
    const on = await controller.setEnabled(true);
    expect(on.enabled).toBe(true);
    expect(on.url).toBe(`http://127.0.0.1:${on.port ?? 0}`);
    const answer = await fetch(`${on.url ?? ''}/openai/v1/models`, {
      headers: { authorization: 'Bearer sk-maestro-gw-x' },
    });
    expect(answer.status).toBe(401);
    expect(controller.status().providers?.openai.requests).toBe(1);
    expect((await controller.setEnabled(true)).port).toBe(on.port);
    expect((await controller.setEnabled(false)).enabled).toBe(false);
    await expect(fetch(`${on.url ?? ''}/openai/v1/models`)).rejects.toThrow();
    await controller.dispose();
  });

  it('refuses a port in use and stays off', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const controller = new GatewayController({
      credentials: noCredentials,
      key: { current: () => 'k', rotate: () => 'k2' },
      port,
    });
    await expect(controller.setEnabled(true)).rejects.toThrow(
      `Port ${port} is already in use by another program, so the gateway is off`,
    );
    expect(controller.status()).toMatchObject({ enabled: false, configuredPort: port });
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });

  it('moves a running gateway to a newly chosen port, and says where the port came from', async () => {
    const controller = new GatewayController({
      credentials: noCredentials,
      key: { current: () => 'k', rotate: () => 'k2' },
    });
    expect(controller.status()).toMatchObject({ configuredPort: null, portSource: 'automatic' });
    const first = await controller.setEnabled(true);
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    const free = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const moved = await controller.setPort(free, 'settings');
    expect(moved).toMatchObject({ enabled: true, port: free, configuredPort: free, portSource: 'settings' });
    await expect(fetch(`${first.url ?? ''}/openai/v1/models`)).rejects.toThrow();
    expect((await controller.setPort(null, 'settings')).portSource).toBe('automatic');
    await controller.dispose();
  });

  it('turns off when moved to a port in use, naming that port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const controller = new GatewayController({
      credentials: noCredentials,
      key: { current: () => 'k', rotate: () => 'k2' },
    });
    await controller.setEnabled(true);
    await expect(controller.setPort(port, 'settings')).rejects.toThrow(`Port ${port} is already in use`);
    expect(controller.status()).toMatchObject({ enabled: false, configuredPort: port, portSource: 'settings' });
    await controller.dispose();
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });

  it('hands out and rotates the key, which its status never carries', () => {
    let key = 'sk-maestro-gw-first';
    const controller = new GatewayController({
      credentials: noCredentials,
      key: { current: () => key, rotate: () => (key = 'sk-maestro-gw-second') },
    });
    expect(controller.key()).toBe('sk-maestro-gw-first');
    expect(JSON.stringify(controller.rotateKey())).not.toContain('sk-maestro-gw');
    expect(controller.key()).toBe('sk-maestro-gw-second');
  });
});
