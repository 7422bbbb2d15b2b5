import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AnthropicOAuthServer } from '../../fakes/anthropic-oauth.js';
import { ANTHROPIC_FAKE_CLIENT_ID, startAnthropicOAuthServer } from '../../fakes/anthropic-oauth.js';
import { completeInBrowser, deliverToLoopback, pasteCodeOf } from '../../fakes/browser-login.js';
import type { OidcServer } from '../../fakes/oauth-server.js';
import {
  GOOGLE_STYLE_CLIENT_ID,
  GOOGLE_STYLE_CLIENT_SECRET,
  PUBLIC_CLIENT_ID,
  startOidcServer,
} from '../../fakes/oauth-server.js';
import { findCanaries } from '../../support/canary-scan.js';
import { cliEnv, runCli, startCli } from '../../support/run-cli.js';

/**
 * `the-maestro login <provider> --oauth` end to end: the real program, a real authorization
 * server on 127.0.0.1 for each provider style, and a test playing the browser.
 */
let oidc: OidcServer;
let anthropicAs: AnthropicOAuthServer;
let dataDir: string;
let env: NodeJS.ProcessEnv;
const seenTokens: string[] = [];

beforeAll(async () => {
  oidc = await startOidcServer({ accessTokenTtlSeconds: 120 });
  anthropicAs = await startAnthropicOAuthServer({ accessTokenTtlSeconds: 120 });
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-cli-oauth-'));
  env = cliEnv({
    THE_MAESTRO_DATA_DIR: dataDir,
    THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
    THE_MAESTRO_OPENAI_OAUTH_ISSUER: oidc.issuer,
    THE_MAESTRO_OPENAI_OAUTH_LOOPBACK_PORTS: '0',
    GOOGLE_OAUTH_CLIENT_ID: GOOGLE_STYLE_CLIENT_ID,
    GOOGLE_OAUTH_CLIENT_SECRET: GOOGLE_STYLE_CLIENT_SECRET,
    THE_MAESTRO_GOOGLE_OAUTH_ISSUER: oidc.issuer,
    ANTHROPIC_OAUTH_CLIENT_ID: ANTHROPIC_FAKE_CLIENT_ID,
    THE_MAESTRO_ANTHROPIC_OAUTH_ISSUER: anthropicAs.origin,
  });
});

afterAll(async () => {
  await Promise.all([oidc.close(), anthropicAs.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  oidc.resetCounters();
  anthropicAs.resetCounters();
});

async function token(provider: string): Promise<{ token: string; source: string; expiresAt: string | null }> {
  const run = await runCli(['token', provider, '--json'], env);
  // An OpenAI sign-in spends the ChatGPT plan: `token` says so on stderr (plan-credentials.ts).
  if (provider === 'openai') expect(run.stderr).toMatch(/^the-maestro: .*spends your ChatGPT plan.*\n$/);
  else expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const parsed = JSON.parse(run.stdout) as { token: string; source: string; expiresAt: string | null };
  seenTokens.push(parsed.token);
  return parsed;
}

/** Starts an OAuth login and returns the authorization URL the program printed. */
async function startLogin(provider: string, extra: readonly string[] = []) {
  const cli = startCli(['login', provider, '--oauth', '--no-browser', ...extra], env);
  const [, url] = await cli.waitForStderr(/^\s+(https?:\/\/\S+)$/m);
  return { cli, url: url ?? '' };
}

describe('the-maestro login --oauth', () => {
  it('completes an OpenAI login with a configured organisation client by loopback (discovery, PKCE, no registration)', async () => {
    const { cli, url } = await startLogin('openai');
    const authorize = new URL(url);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/callback$/);
    expect(authorize.searchParams.get('client_id')).toBe(PUBLIC_CLIENT_ID);
    expect(authorize.searchParams.has('agent_name_hint')).toBe(false);
    const redirect = await completeInBrowser(url);
    const page = await deliverToLoopback(redirect);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(redirect.searchParams.get('code') ?? 'no code');
    const done = await cli.done;
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('ada@example.test');
    expect(oidc.counters.byGrant['authorization_code']).toBe(1);
    const status = JSON.parse((await runCli(['status', '--json'], env)).stdout) as {
      providers: {
        id: string;
        source: string;
        activeMethod: string;
        expiresAt: string | null;
        accounts: { identity: string | null }[];
      }[];
    };
    const view = status.providers.find((provider) => provider.id === 'openai');
    expect(view).toMatchObject({ source: 'oauth', activeMethod: 'oauth' });
    expect(view?.expiresAt).not.toBeNull();
    expect(view?.accounts[0]?.identity).toBe('ada@example.test');
  });

  it('completes a Google-style login by pasting the full redirect address (loopback unreachable)', async () => {
    const { cli, url } = await startLogin('google');
    expect(new URL(url).searchParams.get('access_type')).toBe('offline');
    const redirect = await completeInBrowser(url);
    cli.write(`${redirect.href}\n`);
    const done = await cli.done;
    expect(done.stderr).not.toMatch(/error/i);
    expect(done.code).toBe(0);
    expect(oidc.counters.byGrant['authorization_code']).toBe(1);
  });

  it('completes an Anthropic-style login by pasting code#state (no discovery, JSON token body)', async () => {
    const { cli, url } = await startLogin('anthropic');
    const redirect = await completeInBrowser(url);
    expect(redirect.pathname).toBe('/oauth/code/callback');
    cli.write('not-the-code#wrong-state\n');
    await cli.waitForStderr(/Try again/);
    cli.write(`${pasteCodeOf(redirect)}\n`);
    const done = await cli.done;
    expect(done.code).toBe(0);
    expect(anthropicAs.counters.byGrant['authorization_code']).toBe(1);
    expect(anthropicAs.counters.formBodiesRejected).toBe(0);
    expect((await token('anthropic')).source).toBe('oauth');
  });

  it('refreshes tokens by itself when `token` finds them due, rotating the refresh token', async () => {
    const first = await token('openai');
    const second = await token('openai');
    // Access tokens live 120 s here, inside the refresh margin: every resolve refreshes.
    expect(oidc.counters.byGrant['refresh_token']).toBe(2);
    expect(second.token).not.toBe(first.token);
    expect(await oidc.accessTokenWorks(second.token)).toBe(true);
    const google = await token('google');
    expect(await oidc.accessTokenWorks(google.token)).toBe(true);
  });

  it('refuses a forged state and a forged issuer with no token request, and exits 3', async () => {
    const { cli, url } = await startLogin('openai', ['--account', 'forged']);
    const genuine = await completeInBrowser(url);
    const forgedState = new URL(genuine);
    forgedState.searchParams.set('state', 'forged-state');
    cli.write(`${forgedState.href}\n`);
    await cli.waitForStderr(/Try again/);
    const forgedIss = new URL(genuine);
    forgedIss.searchParams.set('iss', 'https://evil.example');
    await deliverToLoopback(forgedIss);
    const done = await cli.done;
    expect(done.code).toBe(3);
    expect(done.stderr).toMatch(/did not come from OpenAI/);
    expect(oidc.counters.byGrant['authorization_code'] ?? 0).toBe(0);
  });

  it('logs out with revocation at the provider and deletes locally', async () => {
    const run = await runCli(['logout', 'openai'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('revoked');
    expect(oidc.counters.revocations).toBeGreaterThan(0);
    expect((await runCli(['token', 'openai'], env)).code).toBe(3);
  });

  it('leaves no token in plaintext anywhere in the data directory', () => {
    expect(seenTokens.length).toBeGreaterThan(3);
    expect(findCanaries(dataDir, seenTokens, ['master.key'])).toEqual([]);
  });
});
