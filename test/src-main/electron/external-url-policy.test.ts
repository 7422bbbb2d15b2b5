import { describe, expect, it } from 'vitest';
import { createExternalOpener, isExternallyOpenable } from '../../../src-main/electron/external-url-policy.js';
import { silentLogger } from '../../../src-main/log/logger.js';

describe('opening pages in the system browser', () => {
  it('opens https only, and plain http only on loopback for local test issuers', () => {
    const strict = { allowInsecureLoopback: false };
    const local = { allowInsecureLoopback: true };
    expect(isExternallyOpenable('https://auth.openai.com/oauth/authorize?x=1', strict)).toBe(true);
    expect(isExternallyOpenable('http://127.0.0.1:4000/auth', strict)).toBe(false);
    expect(isExternallyOpenable('http://127.0.0.1:4000/auth', local)).toBe(true);
    expect(isExternallyOpenable('http://localhost:4000/auth', local)).toBe(true);
    expect(isExternallyOpenable('http://evil.example/auth', local)).toBe(false);
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-settings:',
      'https://user:pw@evil.example/',
      'nope',
    ]) {
      expect(isExternallyOpenable(url, local)).toBe(false);
    }
  });

  it('hands allowed URLs to shell.openExternal and refuses the rest without calling it', async () => {
    const opened: string[] = [];
    const open = createExternalOpener({
      openExternal: async (url) => void opened.push(url),
      allowInsecureLoopback: false,
      logger: silentLogger,
    });
    expect(await open('https://accounts.google.com/o/oauth2/v2/auth')).toEqual({ ok: true, value: true });
    expect(await open('file:///etc/passwd')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(opened).toEqual(['https://accounts.google.com/o/oauth2/v2/auth']);
  });

  it('reports a browser that could not be opened as an error value', async () => {
    const open = createExternalOpener({
      openExternal: () => Promise.reject(new Error('no browser')),
      allowInsecureLoopback: false,
      logger: silentLogger,
    });
    expect(await open('https://example.com/')).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
