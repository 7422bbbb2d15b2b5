import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../../src-main/gateway/routes.js';

/** Route prefixes name an account the way `exec --gateway --account` writes them: percent-encoded. */
describe('parseRoute', () => {
  it('reads a plain and a percent-encoded account label from the prefix', () => {
    expect(parseRoute('/anthropic@work/v1/messages?beta=true')).toMatchObject({
      provider: 'anthropic',
      account: 'work',
      upstreamPath: '/v1/messages?beta=true',
    });
    expect(parseRoute(`/openai@${encodeURIComponent('me@example.com')}/v1/models`)).toMatchObject({
      account: 'me@example.com',
    });
    expect(parseRoute(`/google@${encodeURIComponent('Büro 2')}/v1beta/models`)).toMatchObject({ account: 'Büro 2' });
  });

  it('refuses a prefix that is no account label, or not valid percent-encoding', () => {
    expect(parseRoute('/openai@%ZZ/v1/models')).toBeUndefined();
    expect(parseRoute(`/openai@${encodeURIComponent(' leading space')}/v1/models`)).toBeUndefined();
    expect(parseRoute(`/openai@${'a'.repeat(65)}/v1/models`)).toBeUndefined();
  });
});
