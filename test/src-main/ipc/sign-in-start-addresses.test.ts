import { describe, expect, it } from 'vitest';
import type { FlowFinishedEvent } from '../../../src-main/core/providers/provider-auth.js';
import { SignInStartAddresses } from '../../../src-main/ipc/sign-in-start-addresses.js';

const AUTHORIZATION = 'https://auth.example.test/authorize?state=s&code_challenge=c';

/** The core's flow events, as far as the addresses use them: who listens, and a way to end a flow. */
function flowEvents() {
  const listeners = new Set<(event: FlowFinishedEvent) => void>();
  return {
    listeners,
    subscribe: (listener: (event: FlowFinishedEvent) => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    finish: (flowId: string) => {
      for (const listener of [...listeners])
        listener({ flowId, provider: 'google', account: 'default', ok: true, credentialId: 'c' });
    },
  };
}

describe('SignInStartAddresses', () => {
  it('knows a flow’s address while it is in progress, and listens for flow ends only meanwhile', async () => {
    const events = flowEvents();
    const addresses = new SignInStartAddresses(events.subscribe);
    expect(events.listeners.size).toBe(0);
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    const url = await addresses.create({ flowId: 'f1', authorizationUrl: AUTHORIZATION, expiresAt });
    expect(addresses.has(url)).toBe(true);
    expect(addresses.has(AUTHORIZATION)).toBe(false);
    expect(addresses.hasAny()).toBe(true);
    expect(events.listeners.size).toBe(1);
    events.finish('f1');
    expect(addresses.has(url)).toBe(false);
    expect(addresses.hasAny()).toBe(false);
    expect(events.listeners.size).toBe(0);
    // Retired, not closed: opening it now says so instead of leading to a sign-in nobody waits for.
    const late = await fetch(url, { redirect: 'manual' });
    expect(late.status).toBe(404);
    await addresses.dispose();
    await expect(fetch(url)).rejects.toThrow();
  });

  it('forgets an address once its flow has expired', async () => {
    let now = Date.now();
    const addresses = new SignInStartAddresses(flowEvents().subscribe, () => now);
    const expiresAt = new Date(now + 60_000).toISOString();
    const url = await addresses.create({ flowId: 'f2', authorizationUrl: AUTHORIZATION, expiresAt });
    now += 60_001;
    expect(addresses.has(url)).toBe(false);
    expect(addresses.hasAny()).toBe(false);
    await addresses.dispose();
  });
});
