import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src-shared/errors.js';
import { parseCommandLine, UsageError } from '../../src-main/cli/args.js';
import type { CliIo } from '../../src-main/cli/commands.js';
import { main } from '../../src-main/cli/main.js';
import { loadConfig } from '../../src-main/config/load-config.js';
import { createCore, type Core } from '../../src-main/core/create-core.js';
import { deepLinkRedirectUri, extractDeepLinkFromArgv } from '../../src-main/core/oauth/deep-link.js';
import { PROVIDER_DEFINITIONS } from '../../src-main/core/providers/registry.js';
import { completeInBrowser } from '../fakes/browser-login.js';
import type { FakeAnthropicApi } from '../fakes/index.js';
import { startAnthropicApi } from '../fakes/index.js';
import { FAKE_DEEP_LINK_SCHEME, PUBLIC_CLIENT_ID, startOidcServer, type OidcServer } from '../fakes/oauth-server.js';
import { FigureRecorder, FUZZ_SEED, LONG_RUN } from './support/figures.js';
import { makeTempDir } from '../support/storage/temp-dir.js';

/**
 * Hostile input at the other doors: configuration files (random JSON, random bytes), the
 * command line (random argv through the real program, in-process), and deep links and argv
 * delivered to the real core while a genuine sign-in is pending. Nothing throws, every problem
 * names its file, nothing reaches the authorization server, the genuine sign-in still works.
 */
const RUNS = LONG_RUN ? 2_000 : 150;
const CLI_RUNS = LONG_RUN ? 600 : 60;
const STORED_KEY = 'sk-ant-api03-inputfuzz-stored-key-0000000000';
const figures = new FigureRecorder('fuzz-inputs');

let temp: ReturnType<typeof makeTempDir>;
let anthropic: FakeAnthropicApi;
let oidc: OidcServer;
beforeAll(async () => {
  temp = makeTempDir('maestro-input-fuzz-');
  [anthropic, oidc] = await Promise.all([startAnthropicApi({ validKeys: [STORED_KEY] }), startOidcServer()]);
});
afterAll(async () => {
  await Promise.all([anthropic.close(), oidc.close()]);
  temp.remove();
  figures.write();
});

const stringOrEnv = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.webUrl(),
  fc.record({ env: fc.string({ maxLength: 12 }) }),
  fc.constant('http://127.0.0.1:1/x?q=1'),
  fc.jsonValue({ maxDepth: 1 }),
);
const providerSection = fc.record(
  {
    apiBaseUrl: stringOrEnv,
    apiKey: fc.oneof(stringOrEnv, fc.constant('sk-ant-api03-plaintext-in-a-file')),
    apiKeyEnv: fc.oneof(fc.array(fc.string({ maxLength: 10 }), { maxLength: 10 }), fc.jsonValue({ maxDepth: 1 })),
    requestTimeoutMs: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 5 })),
    oauth: fc.oneof(
      fc.dictionary(
        fc.constantFrom(
          'clientId',
          'clientSecret',
          'issuer',
          'discovery',
          'scopes',
          'redirectMode',
          'loopbackPorts',
          'tokenEndpoint',
          'bogus',
        ),
        fc.oneof(
          stringOrEnv,
          fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 8 })), { maxLength: 4 }),
          fc.boolean(),
        ),
      ),
      fc.jsonValue({ maxDepth: 1 }),
    ),
  },
  { requiredKeys: [] },
);
const configJson = fc
  .oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.record(
      {
        providers: fc.oneof(
          fc.dictionary(
            fc.constantFrom('anthropic', 'google', 'openai', 'mistral', '__proto__', 'constructor'),
            fc.oneof(providerSection, fc.jsonValue({ maxDepth: 1 })),
          ),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        fallbackOrder: fc.oneof(
          fc.array(fc.constantFrom('oauth', 'api_key', 'env', 'none'), { maxLength: 5 }),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        deepLinkScheme: fc.oneof(fc.string({ maxLength: 30 }), fc.constant('app.themaestro.test')),
        requestTimeoutMs: fc.oneof(fc.integer(), fc.string({ maxLength: 4 })),
        $schema: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    ),
  )
  .map((value) => JSON.stringify(value));
const configBytes = fc.oneof(
  configJson.map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
  configJson.chain((text) => fc.nat({ max: text.length }).map((cut) => Buffer.from(text.slice(0, cut)))),
);

describe('configuration files', () => {
  it(
    `never throw: every problem names the file, and the core still starts (${RUNS} files, seed ${FUZZ_SEED})`,
    { timeout: LONG_RUN ? 600_000 : 60_000 },
    async () => {
      const file = join(temp.dir, 'config-fuzz.json');
      let failures = 0;
      let withProblems = 0;
      let coresStarted = 0;
      const result = await fc.check(
        fc.asyncProperty(configBytes, fc.nat({ max: 4 }), async (bytes, startCore) => {
          writeFileSync(file, bytes);
          let ok = false;
          try {
            const config = loadConfig({ file, definitions: PROVIDER_DEFINITIONS, env: {} });
            if (config.problems.length > 0) withProblems += 1;
            for (const problem of config.problems) {
              expect(problem.code).toBe('config_invalid');
              expect(problem.message).toContain(file);
            }
            expect(config.providers.size).toBe(PROVIDER_DEFINITIONS.length);
            if (startCore === 0) {
              const dir = makeTempDir('maestro-config-core-');
              try {
                const core = await createCore({ dataDir: dir.dir, env: {}, configFile: file, purpose: 'test' });
                expect((await core.auth.status()).configProblems).toEqual(config.problems);
                await core.dispose();
                coresStarted += 1;
              } finally {
                dir.remove();
              }
            }
            ok = true;
          } finally {
            if (!ok) failures += 1;
          }
        }),
        { numRuns: RUNS, seed: FUZZ_SEED, endOnFailure: true },
      );
      figures.add({
        kind: 'fuzz',
        target: 'configuration files (JSON and bytes)',
        runs: result.numRuns,
        failures,
        detail: `${withProblems} with problems reported; createCore started on ${coresStarted}`,
      });
      expect(result.failed, fc.defaultReportMessage(result) ?? '').toBe(false);
    },
  );
});

const VOCABULARY = [
  'status',
  'login',
  'logout',
  'models',
  'use',
  'token',
  'help',
  'anthropic',
  'google',
  'openai',
  'mistral',
  '--json',
  '--api-key-stdin',
  '--oauth',
  '--no-browser',
  '--no-validate',
  '--refresh',
  '--account',
  'work',
  '--model',
  'gpt-5',
  '--help',
  '-h',
  '--version',
  '--',
  '-',
  '--account=',
  '--json=1',
  '--unknown',
  'default',
];
const argvArb = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...VOCABULARY) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
  ),
  { maxLength: 7 },
);

function capturingIo(stdin: string): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
    readStdin: async () => stdin,
    stdinLines: async function* () {
      /* nothing typed */
    },
    openBrowser: async () => false,
    now: () => Date.now(),
  };
  return io;
}

describe('the command line', () => {
  it(
    `parses any argv into a command or a usage error, and the program answers with a documented exit code (${CLI_RUNS} runs)`,
    { timeout: LONG_RUN ? 600_000 : 60_000 },
    async () => {
      const dataDir = join(temp.dir, 'cli');
      const env = {
        THE_MAESTRO_DATA_DIR: dataDir,
        THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
        THE_MAESTRO_OPENAI_API_BASE_URL: 'http://127.0.0.1:9',
        THE_MAESTRO_GOOGLE_API_BASE_URL: 'http://127.0.0.1:9',
      };
      expect(await main(['login', 'anthropic', '--api-key-stdin'], env, capturingIo(STORED_KEY))).toBe(0);
      let failures = 0;
      const parsed = fc.check(
        fc.property(argvArb, (argv) => {
          try {
            parseCommandLine(argv);
          } catch (error) {
            if (!(error instanceof UsageError)) failures += 1;
            expect(error).toBeInstanceOf(UsageError);
          }
        }),
        { numRuns: RUNS * 4, seed: FUZZ_SEED },
      );
      let ran = 0;
      const programs = await fc.check(
        fc.asyncProperty(
          argvArb,
          fc.oneof(fc.constant(''), fc.string({ maxLength: 50 }), fc.constant(STORED_KEY)),
          async (argv, stdin) => {
            let global: { dataDir?: string; configFile?: string } = {};
            try {
              global = parseCommandLine(argv);
            } catch {
              // A usage error: the program must say so with exit 2, checked below.
            }
            // Never let the fuzzer point the program at a real directory.
            if (global.dataDir !== undefined || global.configFile !== undefined) return;
            ran += 1;
            const io = capturingIo(stdin);
            const code = await main(argv, env, io);
            const problems: string[] = [];
            if (![0, 2, 3, 4].includes(code)) problems.push(`exit ${code}`);
            if (/Something unexpected|\n\s+at /.test(io.err)) problems.push(`stderr: ${io.err.slice(0, 200)}`);
            if (!argv.includes('token') && `${io.out}${io.err}`.includes(STORED_KEY))
              problems.push('the stored key was printed');
            if (problems.length > 0) failures += 1;
            expect(problems, JSON.stringify(argv)).toEqual([]);
          },
        ),
        { numRuns: CLI_RUNS, seed: FUZZ_SEED, endOnFailure: true },
      );
      figures.add({ kind: 'fuzz', target: 'CLI argv (parser)', runs: parsed.numRuns, failures: parsed.failed ? 1 : 0 });
      figures.add({
        kind: 'fuzz',
        target: 'CLI argv (whole program, in-process)',
        runs: ran,
        failures: programs.failed ? Math.max(1, failures) : 0,
        detail: 'exit codes 0/2/3/4 only, no stack trace, no key printed outside `token`',
      });
      expect(parsed.failed, fc.defaultReportMessage(parsed) ?? '').toBe(false);
      expect(programs.failed, fc.defaultReportMessage(programs) ?? '').toBe(false);
    },
  );
});

describe('deep links and argv delivered to the core while a sign-in is pending', () => {
  let core: Core;
  beforeAll(async () => {
    core = await createCore({
      dataDir: join(temp.dir, 'deep-links'),
      env: {
        THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
        OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
        // An organisation's client, configured to come back by deep link (Sign in with ChatGPT itself is loopback only).
        THE_MAESTRO_OPENAI_OAUTH_REDIRECT_MODE: 'deep_link',
        THE_MAESTRO_OPENAI_OAUTH_ISSUER: oidc.issuer,
        THE_MAESTRO_DEEP_LINK_SCHEME: FAKE_DEEP_LINK_SCHEME,
      },
      purpose: 'test',
    });
  });
  afterAll(async () => {
    await core.dispose();
  });

  it(
    `refuse every forged or near-miss link without a token request, and the genuine one still completes (${RUNS} deliveries)`,
    { timeout: 60_000 },
    async () => {
      const started = await core.auth.startOAuth({ provider: 'openai', redirectMode: 'deep_link' });
      if (!started.ok) throw new Error(started.error.message);
      const genuine = await completeInBrowser(started.value.authorizationUrl);
      const state = genuine.searchParams.get('state') ?? '';
      const base = deepLinkRedirectUri(FAKE_DEEP_LINK_SCHEME, 'openai');
      oidc.resetCounters();
      const token = fc.string({
        unit: fc.constantFrom(...'abcdefXYZ0123456789-_.~%'.split('')),
        minLength: 1,
        maxLength: 40,
      });
      const forged = fc.oneof(
        fc.tuple(token, token).map(([code, forgedState]) => `${base}?code=${code}&state=${forgedState}`),
        fc.constantFrom(
          `${genuine.href}#x`,
          `${genuine.href}&state=${state}`,
          genuine.href.replace('/openai/', '/google/'),
          genuine.href.replace('/callback', '/callback/'),
          genuine.href.toUpperCase(),
          ` ${genuine.href}`,
          `${genuine.href}\n`,
          genuine.href.replace(`${FAKE_DEEP_LINK_SCHEME}:`, 'https:'),
        ),
        fc.string({ maxLength: 200 }),
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
      );
      let failures = 0;
      const result = await fc.check(
        fc.asyncProperty(forged, fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), async (link, noise) => {
          const fromArgv = extractDeepLinkFromArgv([...noise, link], FAKE_DEEP_LINK_SCHEME);
          const outcomes = await Promise.all([
            core.auth.handleDeepLink(link),
            ...(fromArgv !== undefined ? [core.auth.handleDeepLink(fromArgv)] : []),
          ]);
          const bad = outcomes.filter(
            (outcome) =>
              outcome.ok ||
              !(ERROR_CODES as readonly string[]).includes(outcome.error.code) ||
              outcome.error.code === 'internal',
          );
          if (bad.length > 0) failures += 1;
          expect(bad).toEqual([]);
        }),
        { numRuns: RUNS, seed: FUZZ_SEED, endOnFailure: true },
      );
      const tokenRequests = oidc.counters.tokenRequests;
      const completed = await core.auth.handleDeepLink(genuine.href);
      figures.add({
        kind: 'fuzz',
        target: 'deep links and argv into the core',
        runs: result.numRuns,
        failures: failures + tokenRequests + (completed.ok ? 0 : 1),
        detail: `${tokenRequests} token requests for forged links; genuine link ${completed.ok ? 'completed' : 'failed'}`,
      });
      expect(result.failed, fc.defaultReportMessage(result) ?? '').toBe(false);
      expect(tokenRequests).toBe(0);
      expect(completed).toMatchObject({ ok: true, value: { provider: 'openai' } });
      expect(oidc.counters.byGrant['authorization_code']).toBe(1);
    },
  );
});
