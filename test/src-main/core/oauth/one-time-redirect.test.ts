import { describe, expect, it } from 'vitest';
import {
  openThroughStartAddress,
  START_ADDRESS_USED,
  startOneTimeRedirect,
} from '../../../../src-main/core/oauth/one-time-redirect.js';

const TARGET = 'https://auth.example.test/authorize?state=s3cr3t-state&code_challenge=abc';

describe('startOneTimeRedirect', () => {
  it('redirects once from an unguessable local path, then says it was used and to start again', async () => {
    const redirect = await startOneTimeRedirect(TARGET, { timeoutMs: 60_000 });
    try {
      expect(redirect.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/start\/[A-Za-z0-9_-]{32}$/);
      expect(redirect.url).not.toContain('s3cr3t');
      const origin = new URL(redirect.url).origin;
      const wrong = await fetch(`${origin}/start/guess`, { redirect: 'manual' });
      expect(wrong.status).toBe(404);
      expect(wrong.headers.get('location')).toBeNull();
      const first = await fetch(redirect.url, { redirect: 'manual' });
      expect(first.status).toBe(302);
      expect(first.headers.get('location')).toBe(TARGET);
      expect(first.headers.get('cache-control')).toBe('no-store');
      // Opened a second time (a copied address, a reloaded tab): no redirect, a sentence instead.
      const second = await fetch(redirect.url, { redirect: 'manual' });
      expect(second.status).toBe(404);
      expect(second.headers.get('location')).toBeNull();
      expect(await second.text()).toBe(`${START_ADDRESS_USED}\n`);
      expect(START_ADDRESS_USED).toMatch(/start the sign-in again/);
      expect(await (await fetch(`${origin}/start/guess`)).text()).toBe('Not found.\n');
    } finally {
      await redirect.close();
    }
  });

  it('stops listening once closed', async () => {
    const redirect = await startOneTimeRedirect(TARGET, { timeoutMs: 60_000 });
    expect((await fetch(redirect.url, { redirect: 'manual' })).status).toBe(302);
    await redirect.close();
    await expect(fetch(redirect.url, { redirect: 'manual' })).rejects.toThrow();
  });

  it('stops listening after its time even when nobody came', async () => {
    const redirect = await startOneTimeRedirect(TARGET, { timeoutMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(fetch(redirect.url, { redirect: 'manual' })).rejects.toThrow();
  });
});

describe('openThroughStartAddress', () => {
  it('hands the opener a local address for a sign-in URL, and other pages unchanged', async () => {
    const opened: string[] = [];
    const open = async (url: string): Promise<void> => {
      opened.push(url);
    };
    await openThroughStartAddress(TARGET, open);
    await openThroughStartAddress('https://console.example.test/settings/keys', open);
    expect(opened[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/start\//);
    expect(opened[1]).toBe('https://console.example.test/settings/keys');
    const first = await fetch(opened[0] ?? '', { redirect: 'manual' });
    expect(first.headers.get('location')).toBe(TARGET);
  });
});
