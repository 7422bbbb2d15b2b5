import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeInBrowser, deliverToLoopback } from '../../fakes/browser-login.js';
import type { OidcServer } from '../../fakes/oauth-server.js';
import { PUBLIC_CLIENT_ID, startOidcServer } from '../../fakes/oauth-server.js';
import { cliEnv, startCli } from '../../support/run-cli.js';

/**
 * `login --oauth` opens the browser without putting the flow's state in a process's arguments:
 * the launcher (a fake `xdg-open` first on PATH) gets a one-time local address and an environment
 * without the master key or provider keys.
 */
const MASTER_KEY = 'a'.repeat(64);
const PROVIDER_KEY = 'sk-proj-CANARY-browser-env-0123456789';
let oidc: OidcServer;
let root: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  oidc = await startOidcServer({ accessTokenTtlSeconds: 120 });
  root = mkdtempSync(join(tmpdir(), 'maestro-cli-browser-'));
  const launcher = join(root, 'xdg-open');
  writeFileSync(
    launcher,
    '#!/bin/sh\nprintf "%s\\n" "$@" > "$FAKE_BROWSER_OUT/argv.tmp"\nenv > "$FAKE_BROWSER_OUT/env"\nmv "$FAKE_BROWSER_OUT/argv.tmp" "$FAKE_BROWSER_OUT/argv"\n',
  );
  chmodSync(launcher, 0o755);
  env = cliEnv({
    PATH: `${root}:${process.env['PATH'] ?? ''}`,
    FAKE_BROWSER_OUT: root,
    THE_MAESTRO_DATA_DIR: join(root, 'data'),
    THE_MAESTRO_MASTER_KEY: MASTER_KEY,
    OPENAI_API_KEY: PROVIDER_KEY,
    THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
    THE_MAESTRO_OPENAI_OAUTH_ISSUER: oidc.issuer,
    THE_MAESTRO_OPENAI_OAUTH_LOOPBACK_PORTS: '0',
  });
});

afterAll(async () => {
  await oidc.close();
  rmSync(root, { recursive: true, force: true });
});

async function launched(): Promise<string[]> {
  const file = join(root, 'argv');
  for (let waited = 0; waited < 15_000 && !existsSync(file); waited += 50) await new Promise((r) => setTimeout(r, 50));
  return readFileSync(file, 'utf8').trim().split('\n');
}

describe.skipIf(process.platform !== 'linux')('login --oauth opening the browser', () => {
  it('hands the launcher a one-time local address and a cleaned environment, never the authorization URL', async () => {
    const cli = startCli(['login', 'openai', '--oauth'], env);
    const [, authorizationUrl = ''] = await cli.waitForStderr(/^\s+(https?:\/\/\S+)$/m);
    const argv = await launched();
    expect(argv).toHaveLength(1);
    const start = argv[0] ?? '';
    expect(start).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/start\/[A-Za-z0-9_-]{32}$/);
    expect(start).not.toContain(new URL(authorizationUrl).searchParams.get('state') ?? 'no state');
    const launcherEnv = readFileSync(join(root, 'env'), 'utf8');
    expect(launcherEnv).not.toContain(MASTER_KEY);
    expect(launcherEnv).not.toContain(PROVIDER_KEY);
    expect(launcherEnv).not.toContain('THE_MAESTRO_');
    expect(launcherEnv).toContain('FAKE_BROWSER_OUT=');

    // The address redirects once to the authorization URL; after that it only says it was used.
    const first = await fetch(start, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(authorizationUrl);
    const second = await fetch(start, { redirect: 'manual' });
    expect(second.status).toBe(404);
    expect(second.headers.get('location')).toBeNull();

    const page = await deliverToLoopback(await completeInBrowser(authorizationUrl));
    expect(page.status).toBe(200);
    expect((await cli.done).code).toBe(0);
  });
});
