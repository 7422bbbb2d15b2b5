import { describe, expect, it } from 'vitest';
import { parsePastedCallback } from '../../../../src-main/core/oauth/paste.js';

const target = {
  provider: 'anthropic',
  state: 'state-123',
  redirectUri: 'https://console.example.test/oauth/code/callback',
};

describe('parsePastedCallback', () => {
  it('accepts a bare code for the flow it was pasted into', () => {
    const { params, fromUrl } = parsePastedCallback('  code-abc \n', target);
    expect(Object.fromEntries(params)).toEqual({ code: 'code-abc', state: 'state-123' });
    expect(fromUrl).toBe(false);
  });

  it('accepts code#state and checks the state', () => {
    expect(Object.fromEntries(parsePastedCallback('code-abc#state-123', target).params)).toEqual({
      code: 'code-abc',
      state: 'state-123',
    });
    expect(() => parsePastedCallback('code-abc#state-999', target)).toThrow(
      expect.objectContaining({ code: 'oauth_state_invalid' }),
    );
  });

  it('accepts the full redirect URL of this flow, keeping iss and ignoring other parameters', () => {
    const { params, fromUrl } = parsePastedCallback(
      `${target.redirectUri}?code=c&state=state-123&iss=https%3A%2F%2Fi.test&utm=x`,
      target,
    );
    expect(Object.fromEntries(params)).toEqual({ code: 'c', state: 'state-123', iss: 'https://i.test' });
    expect(fromUrl).toBe(true);
  });

  it.each([
    ['an empty paste', '   ', 'invalid_input'],
    ['text with spaces', 'not a code', 'invalid_input'],
    ['another redirect address', 'https://evil.example/oauth/code/callback?code=c&state=state-123', 'invalid_input'],
    ['a URL without state', 'https://console.example.test/oauth/code/callback?code=c', 'oauth_state_invalid'],
    [
      'a URL with another state',
      'https://console.example.test/oauth/code/callback?code=c&state=nope',
      'oauth_state_invalid',
    ],
    [
      'a URL with a repeated code',
      'https://console.example.test/oauth/code/callback?code=c&code=d&state=state-123',
      'invalid_input',
    ],
    ['an empty state after #', 'code#', 'invalid_input'],
    ['an oversized paste', 'a'.repeat(5000), 'invalid_input'],
  ])('refuses %s', (_name, pasted, code) => {
    expect(() => parsePastedCallback(pasted, target)).toThrow(expect.objectContaining({ code }));
  });
});
