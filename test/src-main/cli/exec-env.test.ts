import { describe, expect, it } from 'vitest';
import type { ResolvedCredential } from '../../../src-main/core/auth-service.js';
import { childEnvironment, credentialEnv } from '../../../src-main/cli/exec-env.js';

function credential(overrides: Partial<ResolvedCredential>): ResolvedCredential {
  return {
    provider: 'anthropic',
    source: 'oauth',
    method: 'oauth',
    account: 'default',
    headers: {},
    secret: 'secret-token',
    expiresAt: null,
    apiBaseUrl: 'https://api.example/',
    plan: null,
    ...overrides,
  };
}

describe('the environment exec gives a command', () => {
  it('passes an Anthropic OAuth token with its beta header and clears a competing API key', () => {
    const env = credentialEnv(credential({ headers: { 'anthropic-beta': 'oauth-2025-04-20' } }));
    expect(env).toEqual({
      ok: true,
      set: {
        ANTHROPIC_AUTH_TOKEN: 'secret-token',
        ANTHROPIC_BASE_URL: 'https://api.example',
        ANTHROPIC_CUSTOM_HEADERS: 'anthropic-beta: oauth-2025-04-20',
      },
      clear: ['ANTHROPIC_API_KEY'],
    });
    if (!env.ok) return;
    expect(childEnvironment({ ANTHROPIC_API_KEY: 'old', PATH: '/bin' }, [env], false)).toEqual({
      PATH: '/bin',
      ...env.set,
    });
    expect(childEnvironment({ ANTHROPIC_API_KEY: 'old', ANTHROPIC_AUTH_TOKEN: 'mine' }, [env], true)).toMatchObject({
      ANTHROPIC_API_KEY: 'old',
      ANTHROPIC_AUTH_TOKEN: 'mine',
    });
  });

  it('refuses a Google OAuth token, naming what to do instead', () => {
    const env = credentialEnv(credential({ provider: 'google' }));
    expect(env).toMatchObject({ ok: false, error: { code: 'unsupported_method', provider: 'google' } });
    expect(JSON.stringify(env)).not.toContain('secret-token');
  });

  it('gives OpenAI the SDK base URL ending in /v1', () => {
    expect(credentialEnv(credential({ provider: 'openai', method: 'api_key', source: 'api_key' }))).toMatchObject({
      set: { OPENAI_API_KEY: 'secret-token', OPENAI_BASE_URL: 'https://api.example/v1' },
    });
  });
});
