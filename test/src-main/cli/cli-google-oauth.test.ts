import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOGLE_INVALID_GRANT_ADVICE, QUOTA_PROJECT_FIX } from '../../../src-main/core/providers/google.js';
import { completeInBrowser } from '../../fakes/browser-login.js';
import type { FakeGoogleApi } from '../../fakes/google-api.js';
import { startGoogleApi } from '../../fakes/google-api.js';
import type { OidcServer } from '../../fakes/oauth-server.js';
import { GOOGLE_STYLE_CLIENT_ID, GOOGLE_STYLE_CLIENT_SECRET, startOidcServer } from '../../fakes/oauth-server.js';
import { cliEnv, runCli, startCli } from '../../support/run-cli.js';

/**
 * Google with the person's own desktop client, end to end through the real program: an OIDC
 * authorization server (oidc-provider) on 127.0.0.1 in Google's style, and the Gemini API fake,
 * which, like Google, wants `x-goog-user-project` with a person's OAuth token.
 */
let oidc: OidcServer;
let gemini: FakeGoogleApi;
let dataDir: string;
let base: NodeJS.ProcessEnv;
const PROJECT = 'my-gemini-project';

interface TokenJson {
  readonly token: string;
  readonly headers: Readonly<Record<string, string>>;
}

beforeAll(async () => {
  oidc = await startOidcServer({ accessTokenTtlSeconds: 3600 });
  gemini = await startGoogleApi();
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-cli-google-'));
  base = cliEnv({
    THE_MAESTRO_DATA_DIR: dataDir,
    THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    GOOGLE_OAUTH_CLIENT_ID: GOOGLE_STYLE_CLIENT_ID,
    GOOGLE_OAUTH_CLIENT_SECRET: GOOGLE_STYLE_CLIENT_SECRET,
    THE_MAESTRO_GOOGLE_OAUTH_ISSUER: oidc.issuer,
    THE_MAESTRO_GOOGLE_API_BASE_URL: gemini.url,
  });
  await login(base);
});

afterAll(async () => {
  await Promise.all([oidc.close(), gemini.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Signs in to Google by pasting the redirect address, as a person whose loopback is unreachable would. */
async function login(env: NodeJS.ProcessEnv): Promise<void> {
  const cli = startCli(['login', 'google', '--oauth', '--no-browser'], env);
  const [, url] = await cli.waitForStderr(/^\s+(https?:\/\/\S+)$/m);
  cli.write(`${(await completeInBrowser(url ?? '')).href}\n`);
  expect((await cli.done).code).toBe(0);
}

async function tokenJson(env: NodeJS.ProcessEnv, extra: readonly string[] = []): Promise<TokenJson> {
  const run = await runCli(['token', 'google', '--json', ...extra], env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const parsed = JSON.parse(run.stdout) as TokenJson;
  gemini.validTokens.add(parsed.token);
  return parsed;
}

describe('Google OAuth with a quota project', () => {
  it('puts the quota project from GOOGLE_CLOUD_QUOTA_PROJECT in the credential headers and sends it to the API', async () => {
    const env = { ...base, GOOGLE_CLOUD_QUOTA_PROJECT: PROJECT };
    const json = await tokenJson(env);
    expect(json.headers).toEqual({ Authorization: `Bearer ${json.token}`, 'x-goog-user-project': PROJECT });
    const models = await runCli(['models', 'google'], env);
    expect(models.stderr).toBe('');
    expect(models.code).toBe(0);
    expect(models.stdout).toContain('gemini-2.5-pro');
    expect(gemini.lastRequest().headers['x-goog-user-project']).toBe(PROJECT);
  });

  it('takes the quota project from the config file when the environment sets none', async () => {
    const file = join(dataDir, 'quota-config.json');
    writeFileSync(file, JSON.stringify({ providers: { google: { quotaProject: 'file-project' } } }));
    const json = await tokenJson(base, ['--config', file]);
    expect(json.headers['x-goog-user-project']).toBe('file-project');
    const overridden = await tokenJson({ ...base, GOOGLE_CLOUD_QUOTA_PROJECT: PROJECT }, ['--config', file]);
    expect(overridden.headers['x-goog-user-project']).toBe(PROJECT);
  });

  it("explains Google's 403 for a missing quota project and names the fix", async () => {
    const json = await tokenJson(base);
    expect(json.headers['x-goog-user-project']).toBeUndefined();
    // The list from the first test is still cached: it is served, marked stale, with the reason.
    const models = await runCli(['models', 'google', '--refresh', '--json'], base);
    const view = JSON.parse(models.stdout) as { stale: boolean; error: { code: string; message: string } | null };
    expect(view.stale).toBe(true);
    expect(view.error?.code).toBe('permission_denied');
    expect(view.error?.message).toContain('Google needs a quota project for this sign-in');
    expect(view.error?.message).toContain(QUOTA_PROJECT_FIX);
    expect(gemini.lastRequest().headers['x-goog-user-project']).toBeUndefined();
  });
});

describe('a refresh Google refuses with invalid_grant', () => {
  let shortLived: OidcServer;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // Access tokens live 120 s, inside the refresh margin: every `token` refreshes.
    shortLived = await startOidcServer({ accessTokenTtlSeconds: 120 });
    env = {
      ...base,
      THE_MAESTRO_DATA_DIR: join(dataDir, 'short'),
      THE_MAESTRO_GOOGLE_OAUTH_ISSUER: shortLived.issuer,
    };
    await login(env);
  });
  afterAll(() => shortLived.close());

  it('says why (Testing mode first) and what to do, in token and in status', async () => {
    expect((await runCli(['token', 'google'], env)).code).toBe(0);
    shortLived.setTokenFailure('invalid_grant');
    const run = await runCli(['token', 'google'], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('(invalid_grant)');
    expect(run.stderr).toContain(GOOGLE_INVALID_GRANT_ADVICE);
    const status = await runCli(['status'], env);
    expect(status.stdout).toContain('Testing mode');
  });
});
