import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/config/load-config.js';
import { PROVIDER_DEFINITIONS } from '../../../src-main/core/providers/registry.js';

/** `providers.anthropic.apiVersion` and `providers.google.quotaProject`: default ← file ← environment. */
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-request-settings-'));
  file = join(dir, 'config.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function load(content: unknown, env: NodeJS.ProcessEnv = {}) {
  if (content !== undefined) writeFileSync(file, JSON.stringify(content));
  return loadConfig({ file, definitions: PROVIDER_DEFINITIONS, env });
}

describe('the Anthropic API version setting', () => {
  it('defaults to the current documented version', () => {
    const config = load(undefined);
    expect(config.providers.get('anthropic')?.requestSettings).toEqual({ apiVersion: '2026-10-21' });
    expect(config.problems).toEqual([]);
  });

  it('takes the file field, and THE_MAESTRO_ANTHROPIC_API_VERSION over it', () => {
    const content = { providers: { anthropic: { apiVersion: '2023-06-01' } } };
    expect(load(content).providers.get('anthropic')?.requestSettings?.apiVersion).toBe('2023-06-01');
    const overridden = load(content, { THE_MAESTRO_ANTHROPIC_API_VERSION: '2026-10-21' });
    expect(overridden.providers.get('anthropic')?.requestSettings?.apiVersion).toBe('2026-10-21');
  });

  it('reports a malformed file value by file and field and defaults only that field', () => {
    const config = load({ providers: { anthropic: { apiVersion: 'latest', requestTimeoutMs: 2000 } } });
    expect(config.problems.map((problem) => problem.message)).toEqual([
      `${file}: providers.anthropic.apiVersion: must be an API version date such as 2026-10-21; the default is used`,
    ]);
    const anthropic = config.providers.get('anthropic');
    expect(anthropic?.requestSettings?.apiVersion).toBe('2026-10-21');
    expect(anthropic?.requestTimeoutMs).toBe(2000);
  });

  it('ignores a malformed environment value with a problem naming the variable, keeping the file value', () => {
    const config = load(
      { providers: { anthropic: { apiVersion: '2023-06-01' } } },
      { THE_MAESTRO_ANTHROPIC_API_VERSION: 'v2' },
    );
    expect(config.problems.map((problem) => problem.message)).toEqual([
      'THE_MAESTRO_ANTHROPIC_API_VERSION: must be an API version date such as 2026-10-21; it was ignored',
    ]);
    expect(config.providers.get('anthropic')?.requestSettings?.apiVersion).toBe('2023-06-01');
  });
});

describe('the Google quota project setting', () => {
  it('is unset by default', () => {
    const google = load(undefined).providers.get('google');
    expect(google?.requestSettings).toEqual({});
    expect(google?.quotaProjectSource).toBeUndefined();
  });

  it('takes the file field, and GOOGLE_CLOUD_QUOTA_PROJECT over it, saying where it came from', () => {
    const content = { providers: { google: { quotaProject: 'file-project' } } };
    const fromFile = load(content).providers.get('google');
    expect(fromFile?.requestSettings?.quotaProject).toBe('file-project');
    expect(fromFile?.quotaProjectSource).toBe('file');
    const fromEnv = load(content, { GOOGLE_CLOUD_QUOTA_PROJECT: 'env-project' }).providers.get('google');
    expect(fromEnv?.requestSettings?.quotaProject).toBe('env-project');
    expect(fromEnv?.quotaProjectSource).toBe('env');
    expect(
      load(undefined, { GOOGLE_CLOUD_QUOTA_PROJECT: '123456789012' }).providers.get('google')?.requestSettings,
    ).toEqual({ quotaProject: '123456789012' });
  });

  it('reports a bad project id by file and field; the rest of Google and the other providers are untouched', () => {
    const config = load({
      providers: {
        google: { quotaProject: 'My Project!', apiBaseUrl: 'http://127.0.0.1:9000' },
        anthropic: { apiVersion: '2023-06-01' },
      },
    });
    expect(config.problems.map((problem) => problem.message)).toEqual([
      `${file}: providers.google.quotaProject: must be a Google Cloud project ID (6–30 lowercase letters, digits or hyphens, starting with a letter) or project number; the default is used`,
    ]);
    expect(config.providers.get('google')?.requestSettings).toEqual({});
    expect(config.providers.get('google')?.apiBaseUrl).toBe('http://127.0.0.1:9000');
    expect(config.providers.get('anthropic')?.requestSettings?.apiVersion).toBe('2023-06-01');
  });

  it('ignores a bad GOOGLE_CLOUD_QUOTA_PROJECT, naming it, and keeps the file value', () => {
    const config = load(
      { providers: { google: { quotaProject: 'file-project' } } },
      { GOOGLE_CLOUD_QUOTA_PROJECT: 'x' },
    );
    expect(config.problems[0]?.message).toMatch(/^GOOGLE_CLOUD_QUOTA_PROJECT: must be a Google Cloud project ID/);
    expect(config.providers.get('google')?.requestSettings?.quotaProject).toBe('file-project');
  });

  it('reports the setting on a provider that does not take it, and ignores it', () => {
    const config = load({
      providers: { openai: { quotaProject: 'my-project' }, google: { apiVersion: '2026-10-21' } },
    });
    expect(config.problems.map((problem) => problem.message).sort()).toEqual([
      `${file}: providers.google.apiVersion: Google takes no API version setting; it was ignored`,
      `${file}: providers.openai.quotaProject: OpenAI takes no quota project; it was ignored`,
    ]);
    expect(config.providers.get('openai')?.requestSettings).toEqual({});
  });
});
