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
    const controller = new GatewayController({ credentials: noCredentials, key: { current: () => 'sk-maestro-gw-x' } });
    expect(controller.status()).toEqual({ enabled: false, port: null, url: null, providers: null });
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
    const controller = new GatewayController({ credentials: noCredentials, key: { current: () => 'k' }, port });
    await expect(controller.setEnabled(true)).rejects.toThrow(/EADDRINUSE/);
    expect(controller.status().enabled).toBe(false);
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });
});
