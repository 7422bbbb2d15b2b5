import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverToLoopback } from '../../fakes/browser-login.js';
import { SIWC_FULL_SCOPE, SIWC_RESOURCE, startSiwcFake, type SiwcFake } from '../../fakes/openai-siwc.js';
import { SIWC_REPLY } from '../../fakes/siwc-api.js';
import { authorizeInBrowser } from '../../fakes/siwc-browser.js';
import { findCanaries } from '../../support/canary-scan.js';
import { cliEnv, runCli, startCli } from '../../support/run-cli.js';

/**
 * issue 12, "Done when": on a fresh data directory with NO configuration (only where OpenAI is:
 * the local fake instead of auth.openai.com and api.openai.com), `the-maestro login openai
 * --oauth` signs in with ChatGPT, a second sign-in reuses the issued client id, `models` lists the
 * plan catalogue, `test openai` streams a reply, and `logout openai` revokes with the issued
 * client id. The real program, run as a person would.
 */
let fake: SiwcFake;
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  fake = await startSiwcFake();
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-cli-siwc-'));
  env = cliEnv({
    THE_MAESTRO_DATA_DIR: dataDir,
    // Where OpenAI is, nothing else: no client id, no ports, no secret.
    THE_MAESTRO_OPENAI_OAUTH_ISSUER: fake.issuer,
    THE_MAESTRO_OPENAI_API_BASE_URL: fake.url,
    THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
  });
});
afterAll(async () => {
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `login openai --oauth`, plays the browser, and returns the authorize URL and the result. */
async function login(extra: readonly string[] = [], returning = false) {
  const cli = startCli(['login', 'openai', '--oauth', '--no-browser', ...extra], env);
  const [, url = ''] = await cli.waitForStderr(/^\s+(https?:\/\/\S+)$/m);
  const back = await authorizeInBrowser(fake, url, { returning });
  const page = await deliverToLoopback(back);
  cli.end();
  return { authorize: new URL(url).searchParams, back, page, done: await cli.done };
}

describe('the-maestro with Sign in with ChatGPT, no configuration', () => {
  let issued = '';
  let hostId = '';

  it('login openai --oauth registers The Maestro for the account and stores a plan sign-in', async () => {
    const { authorize, back, page, done } = await login();
    expect(authorize.get('client_id')).toBe('dynamic_agent_client');
    expect(authorize.get('agent_name_hint')).toBe('The Maestro');
    expect(authorize.get('scope')).toBe(SIWC_FULL_SCOPE);
    expect(authorize.get('resource')).toBe(SIWC_RESOURCE);
    expect(authorize.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/callback$/);
    expect(page.status).toBe(200);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(fake.account.email);
    expect(done.stdout).toContain("You're using your ChatGPT plan");
    issued = back.searchParams.get('client_id') ?? '';
    hostId = authorize.get('ext_agent_host_id') ?? '';
    expect(issued).toMatch(/^oaiapp_/);
    expect(fake.tokenRequests.at(-1)?.form.get('client_id')).toBe(issued);
  });

  it('a second sign-in to the same account reuses the issued client id and the host id', async () => {
    const { authorize, done } = await login([], true);
    expect(done.code).toBe(0);
    expect(authorize.get('client_id')).toBe(issued);
    expect(authorize.has('agent_name_hint')).toBe(false);
    expect(authorize.get('ext_agent_host_id')).toBe(hostId);
    expect(authorize.get('login_hint')).toBe(fake.account.email);
    expect(fake.counters.registrations).toBe(1);
  });

  it('status says which OpenAI accounts are ChatGPT plan sign-ins', async () => {
    const text = await runCli(['status'], env);
    expect(text.stdout).toMatch(/ChatGPT plan sign-ins: default \(in use/);
    const json = JSON.parse((await runCli(['status', '--json'], env)).stdout) as {
      providers: { id: string; accounts: { plan?: boolean }[]; planSignIn?: { inUse: boolean } }[];
    };
    const openai = json.providers.find((provider) => provider.id === 'openai');
    expect(openai?.accounts[0]?.plan).toBe(true);
    expect(openai?.planSignIn?.inUse).toBe(true);
  });

  it('models lists the plan catalogue: visible entries, display names, slugs', async () => {
    const run = await runCli(['models', 'openai', '--json'], env);
    expect(run.code).toBe(0);
    const view = JSON.parse(run.stdout) as { models: { id: string; displayName: string }[] };
    expect(view.models).toEqual([
      { id: 'gpt-6.1-sol', displayName: 'GPT-6.1 Sol' },
      { id: 'gpt-6-luna', displayName: 'GPT-6 Luna' },
      { id: 'gpt-6-sol', displayName: 'GPT-6 Sol' },
    ]);
  });

  it('test openai streams a reply with the plan credential', async () => {
    const run = await runCli(['test', 'openai'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'openai gpt-6.1-sol answered with the OAuth sign-in of account "default" (ChatGPT plan)',
    );
    expect(run.stdout).toContain(SIWC_REPLY.join(''));
    const json = JSON.parse((await runCli(['test', 'openai', '--model', 'gpt-6-luna', '--json'], env)).stdout) as {
      model: string;
      plan: string;
      firstTokenMs: number;
    };
    expect(json).toMatchObject({ model: 'gpt-6-luna', plan: 'ChatGPT plan' });
    expect(json.firstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('a usage limit mid-stream says so, with Manage usage, and exits 4', async () => {
    fake.scenario.api = 'usage-limit-mid-stream';
    const run = await runCli(['test', 'openai'], env);
    fake.scenario.api = 'ok';
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/usage limit.*https:\/\/chatgpt\.com\/settings\/usage/);
  });

  it('token labels the plan credential on stderr', async () => {
    const run = await runCli(['token', 'openai'], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'the-maestro: This openai token spends your ChatGPT plan: use it only in tools you run yourself, never as shared API access.\n',
    );
  });

  it('logout openai revokes with the issued client id and keeps the registration', async () => {
    const run = await runCli(['logout', 'openai'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('revoked');
    const revocation = fake.revocationRequests.at(-1);
    expect(revocation?.get('client_id')).toBe(issued);
    expect(revocation?.get('token_type_hint')).toBe('refresh_token');
    expect((await runCli(['token', 'openai'], env)).code).toBe(3);
    // Signing in again uses the same registration.
    const again = await login([], true);
    expect(again.authorize.get('client_id')).toBe(issued);
    expect(again.done.code).toBe(0);
  });

  it('says when the revocation could not be confirmed', async () => {
    fake.scenario.revocation = 'drop';
    const run = await runCli(['logout', 'openai'], env);
    fake.scenario.revocation = 'ok';
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/did not confirm that it revoked them.*disconnect The Maestro in ChatGPT/s);
  });

  it('leaves no token in plaintext anywhere in the data directory', () => {
    expect(fake.issuedSecrets().length).toBeGreaterThan(3);
    expect(findCanaries(dataDir, fake.issuedSecrets(), ['master.key'])).toEqual([]);
  });
});

describe('bad input through the command line', () => {
  it('a forged state is refused with no token request; the real callback still completes', async () => {
    const cli = startCli(['login', 'openai', '--oauth', '--no-browser', '--account', 'forged'], env);
    const [, url = ''] = await cli.waitForStderr(/^\s+(https?:\/\/\S+)$/m);
    const back = await authorizeInBrowser(fake, url, { returning: false });
    const before = fake.counters.tokenRequests;
    const forged = new URL(back);
    forged.searchParams.set('state', 'forged');
    cli.write(`${forged.href}\n`);
    await cli.waitForStderr(/Try again/);
    expect(fake.counters.tokenRequests).toBe(before);
    await deliverToLoopback(back);
    cli.end();
    expect((await cli.done).code).toBe(0);
  });

  it('a first sign-in without an issued client id stores nothing and exits 3', async () => {
    fake.scenario.omitIssuedClientId = true;
    const before = fake.counters.tokenRequests;
    const { done } = await login(['--account', 'incomplete']);
    fake.scenario.omitIssuedClientId = false;
    expect(done.code).toBe(3);
    expect(done.stderr).toMatch(/did not finish registering The Maestro/);
    expect(fake.counters.tokenRequests).toBe(before);
    const status = JSON.parse((await runCli(['status', '--json'], env)).stdout) as {
      providers: { id: string; accounts: { account: string }[] }[];
    };
    expect(status.providers.find((p) => p.id === 'openai')?.accounts.map((a) => a.account)).not.toContain('incomplete');
  });

  it('an identity-only grant is kept, marked "ChatGPT plan not enabled", and --enable-plan enables it', async () => {
    fake.scenario.identityOnly = true;
    const first = await login(['--account', 'identity']);
    expect(first.done.code).toBe(0);
    expect(first.done.stderr).toMatch(/ChatGPT plan not enabled/);
    expect((await runCli(['token', 'openai', '--account', 'identity'], env)).code).toBe(3);
    const enabled = await login(['--account', 'identity', '--enable-plan'], true);
    fake.scenario.identityOnly = false;
    expect(enabled.authorize.get('prompt')).toBe('consent');
    expect(enabled.done.code).toBe(0);
    expect((await runCli(['token', 'openai', '--account', 'identity'], env)).code).toBe(0);
  });
});
