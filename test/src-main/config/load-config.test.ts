import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config/load-config.js';
import { anthropicDefinition } from '../../../src-main/core/providers/anthropic.js';
import type { ProviderDefinition } from '../../../src-main/core/providers/definition.js';
import { PROVIDER_DEFINITIONS } from '../../../src-main/core/providers/registry.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-config-'));
  file = join(dir, 'config.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function load(content: unknown, env: NodeJS.ProcessEnv = {}) {
  if (content !== undefined) writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return loadConfig({ file, definitions: PROVIDER_DEFINITIONS, env });
}

describe('loadConfig', () => {
  it('uses the documented defaults when there is no file', () => {
    const config = load(undefined);
    expect(config.problems).toEqual([]);
    expect(config.providers.get('anthropic')?.apiBaseUrl).toBe('https://api.anthropic.com');
    expect(config.providers.get('openai')?.apiBaseUrl).toBe('https://api.openai.com');
    expect(config.providers.get('google')?.apiBaseUrl).toBe('https://generativelanguage.googleapis.com');
    expect(config.providers.get('google')?.apiKeyEnvVars).toEqual(['GEMINI_API_KEY', 'GOOGLE_API_KEY']);
    expect(config.fallbackOrder).toEqual(['oauth', 'api_key', 'env']);
  });

  it('ships no OAuth client id and says what to set', () => {
    const config = load(undefined);
    for (const provider of config.providers.values()) {
      expect(provider.oauth.clientId).toBeNull();
    }
    expect(config.providers.get('anthropic')?.oauth.clientIdHint).toContain('ANTHROPIC_OAUTH_CLIENT_ID');
    expect(config.providers.get('google')?.oauth.clientIdHint).toContain('GOOGLE_OAUTH_CLIENT_SECRET');
  });

  it('resolves { "env": NAME } references like the story’s {:system, NAME}', () => {
    const config = load(
      {
        providers: { openai: { oauth: { clientId: { env: 'MY_OPENAI_CLIENT' } }, apiKey: { env: 'WORK_OPENAI_KEY' } } },
      },
      { MY_OPENAI_CLIENT: 'client-123' },
    );
    expect(config.problems).toEqual([]);
    expect(config.providers.get('openai')?.oauth.clientId).toBe('client-123');
    expect(config.providers.get('openai')?.apiKeyEnvVars).toEqual(['WORK_OPENAI_KEY', 'OPENAI_API_KEY']);
  });

  it('lets the environment override every endpoint', () => {
    const config = load(
      { providers: { anthropic: { apiBaseUrl: 'https://gateway.example.com/anthropic' } } },
      {
        THE_MAESTRO_ANTHROPIC_API_BASE_URL: 'http://127.0.0.1:4000/prefix/',
        THE_MAESTRO_OPENAI_OAUTH_ISSUER: 'http://127.0.0.1:5000',
        ANTHROPIC_OAUTH_CLIENT_ID: 'anthropic-client',
      },
    );
    expect(config.providers.get('anthropic')?.apiBaseUrl).toBe('http://127.0.0.1:4000/prefix');
    expect(config.providers.get('anthropic')?.oauth.clientId).toBe('anthropic-client');
    expect(config.providers.get('openai')?.oauth.issuer).toBe('http://127.0.0.1:5000');
  });

  it('moves the endpoints of a provider without discovery along with an overridden issuer', () => {
    const config = load(undefined, { THE_MAESTRO_ANTHROPIC_OAUTH_ISSUER: 'http://127.0.0.1:7000' });
    const oauth = config.providers.get('anthropic')?.oauth;
    expect(oauth?.authorizationEndpoint).toBe('http://127.0.0.1:7000/cai/oauth/authorize');
    expect(oauth?.tokenEndpoint).toBe('http://127.0.0.1:7000/v1/oauth/token');
  });

  it('reports a malformed file by name and keeps every provider working with defaults', () => {
    const config = load('{ "providers": { "anthropic": ');
    expect(config.problems).toHaveLength(1);
    expect(config.problems[0]?.code).toBe('config_invalid');
    expect(config.problems[0]?.message).toContain(file);
    expect(config.providers.size).toBe(3);
  });

  it('names the bad field and leaves the providers it does not concern untouched', () => {
    const config = load({
      providers: {
        anthropic: { apiBaseUrl: 'ftp://nope', requestTimeoutMs: 'fast' },
        openai: { apiBaseUrl: 'https://proxy.example.com/openai' },
      },
    });
    const messages = config.problems.map((problem) => problem.message);
    expect(messages.some((message) => message.includes('providers.anthropic.apiBaseUrl'))).toBe(true);
    expect(messages.some((message) => message.includes('providers.anthropic.requestTimeoutMs'))).toBe(true);
    expect(config.problems.every((problem) => problem.provider === 'anthropic')).toBe(true);
    expect(config.providers.get('anthropic')?.apiBaseUrl).toBe('https://api.anthropic.com');
    expect(config.providers.get('openai')?.apiBaseUrl).toBe('https://proxy.example.com/openai');
  });

  it('refuses plain http except on loopback, and URLs with credentials', () => {
    const config = load({
      providers: {
        google: { apiBaseUrl: 'http://example.com' },
        openai: { apiBaseUrl: 'https://user:pw@example.com' },
      },
    });
    expect(config.providers.get('google')?.apiBaseUrl).toBe('https://generativelanguage.googleapis.com');
    expect(config.providers.get('openai')?.apiBaseUrl).toBe('https://api.openai.com');
    expect(config.problems).toHaveLength(2);
  });

  it('refuses a plaintext API key in the file (only environment references)', () => {
    const config = load({ providers: { openai: { apiKey: 'sk-proj-plaintext-in-a-file' } } });
    expect(config.problems[0]?.message).toContain('providers.openai.apiKey');
    expect(JSON.stringify(config.problems)).not.toContain('sk-proj-plaintext-in-a-file');
  });

  it('reports unknown providers and unknown settings as likely typos', () => {
    const config = load({ providers: { antropic: {} }, fallbackOrdr: [] });
    const messages = config.problems.map((problem) => problem.message).join('\n');
    expect(messages).toContain('providers.antropic');
    expect(messages).toContain('fallbackOrdr');
  });

  it('reports bad environment overrides by variable name and ignores them', () => {
    const config = load(undefined, {
      THE_MAESTRO_OPENAI_OAUTH_REDIRECT_MODE: 'carrier-pigeon',
      THE_MAESTRO_GOOGLE_API_BASE_URL: 'not a url',
    });
    const messages = config.problems.map((problem) => problem.message).join('\n');
    expect(messages).toContain('THE_MAESTRO_OPENAI_OAUTH_REDIRECT_MODE');
    expect(messages).toContain('THE_MAESTRO_GOOGLE_API_BASE_URL');
    expect(config.providers.get('openai')?.oauth.redirectMode).toBe('loopback');
  });

  it('accepts a custom fallback order and rejects one that repeats a method', () => {
    expect(load({ fallbackOrder: ['env', 'api_key'] }).fallbackOrder).toEqual(['env', 'api_key']);
    const repeated = load({ fallbackOrder: ['env', 'env'] });
    expect(repeated.fallbackOrder).toEqual(['oauth', 'api_key', 'env']);
    expect(repeated.problems).toHaveLength(1);
  });

  it('gives a provider without OAuth no OAuth settings, and reports any configured for it as ignored', () => {
    const { oauth: _oauth, ...rest } = anthropicDefinition;
    const keyOnly: ProviderDefinition = { ...rest, id: 'keyonly', displayName: 'KeyOnly' };
    writeFileSync(file, JSON.stringify({ providers: { keyonly: { oauth: { clientId: 'some-client' } } } }));
    const config = loadConfig({
      file,
      definitions: [...PROVIDER_DEFINITIONS, keyOnly],
      env: { KEYONLY_OAUTH_CLIENT_ID: 'x' },
    });
    const oauth = config.providers.get('keyonly')?.oauth;
    expect(oauth).toMatchObject({ clientId: null });
    expect(oauth?.clientIdHint).toContain('offers no browser sign-in');
    expect(config.problems.map((problem) => problem.message).join('\n')).toContain('providers.keyonly.oauth');
  });
});
