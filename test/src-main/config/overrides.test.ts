import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config/load-config.js';
import { PROVIDER_DEFINITIONS } from '../../../src-main/core/providers/registry.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-overrides-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function load(content: unknown, env: NodeJS.ProcessEnv = {}) {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(content));
  const config = loadConfig({ file, definitions: PROVIDER_DEFINITIONS, env });
  const named = (text: string): string => text.replace(file, '<file>');
  return {
    config,
    overrides: config.overrides.map((item) => ({ ...item, source: named(item.source) })),
    problems: config.problems.map((problem) => named(problem.message)),
  };
}

describe('endpoint overrides', () => {
  it('lists each one with the variable or file field that set it, and nothing else', () => {
    const { overrides } = load(
      { providers: { openai: { apiBaseUrl: 'https://gateway.example.test/v1' } } },
      {
        THE_MAESTRO_ANTHROPIC_API_BASE_URL: 'http://127.0.0.1:8080',
        THE_MAESTRO_GOOGLE_OAUTH_TOKEN_ENDPOINT: 'https://tokens.example.test/token',
        THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
      },
    );
    expect(overrides).toEqual([
      {
        provider: 'anthropic',
        setting: 'API base URL',
        value: 'http://127.0.0.1:8080',
        source: 'THE_MAESTRO_ANTHROPIC_API_BASE_URL',
      },
      {
        provider: 'google',
        setting: 'OAuth token endpoint',
        value: 'https://tokens.example.test/token',
        source: 'THE_MAESTRO_GOOGLE_OAUTH_TOKEN_ENDPOINT',
      },
      {
        provider: 'openai',
        setting: 'API base URL',
        value: 'https://gateway.example.test/v1',
        source: '<file>: providers.openai.apiBaseUrl',
      },
      {
        provider: null,
        setting: 'Plain-http sign-in servers on this machine',
        value: 'allowed',
        source: 'THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER',
      },
    ]);
  });

  it('lists none without overrides', () => {
    expect(load({}).overrides).toEqual([]);
  });
});

describe('apiKeyEnv', () => {
  it('refuses variables that do not look like the provider’s keys, so no other secret is sent to it', () => {
    const { config, problems } = load({
      providers: {
        anthropic: { apiKeyEnv: ['AWS_SECRET_ACCESS_KEY', 'WORK_ANTHROPIC_KEY'] },
        openai: { apiKey: { env: 'GITHUB_TOKEN' } },
      },
    });
    expect(config.providers.get('anthropic')?.apiKeyEnvVars).toEqual(['WORK_ANTHROPIC_KEY']);
    expect(config.providers.get('openai')?.apiKeyEnvVars).toEqual(['OPENAI_API_KEY']);
    expect(problems).toEqual([
      '<file>: providers.anthropic.apiKeyEnv: AWS_SECRET_ACCESS_KEY does not look like a key variable for Anthropic (its name must contain KEY and one of ANTHROPIC); it was ignored, so its value is never sent to Anthropic',
      '<file>: providers.openai.apiKey: GITHUB_TOKEN does not look like a key variable for OpenAI (its name must contain KEY and one of OPENAI); it was ignored, so its value is never sent to OpenAI',
    ]);
  });
});
