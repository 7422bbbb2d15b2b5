import { describe, expect, it } from 'vitest';
import { openIdClient } from '../../../../src-main/core/oauth/openid-client-module.js';

describe('openIdClient', () => {
  it('loads openid-client once and hands every later caller the same loaded module', async () => {
    const first = openIdClient();
    expect(openIdClient()).toBe(first);
    const loaded = await first;
    expect(typeof loaded.authorizationCodeGrant).toBe('function');
    expect(await openIdClient()).toBe(loaded);
  });
});
