import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeAnthropicApi } from '../fakes/index.js';
import { startAnthropicApi } from '../fakes/index.js';
import { FAKE_REPLY } from '../fakes/generation-streams.js';
import { cliEnv, runCli } from '../support/run-cli.js';
import { claudeCodeTool, installTheMaestro, runTool } from './real-tools.js';

/**
 * The real Claude Code (`claude -p`), offline, against the Anthropic fake, taking its key from
 * `the-maestro token` through `apiKeyHelper` in `~/.claude/settings.json` exactly as the README's
 * recipe writes it; only `ANTHROPIC_BASE_URL` points at the fake.
 */
const KEY = 'sk-ant-api03-CANARY-claude-code-hook-0123456789';
// A model the fake lists (Claude Code's default is newer than the fake's list).
const MODEL = 'claude-sonnet-4-5-20250929';
const claude = claudeCodeTool();

let anthropic: FakeAnthropicApi;
let root: string;
let maestroEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  if (!claude.ok) return;
  anthropic = await startAnthropicApi({ validKeys: [KEY] });
  root = mkdtempSync(join(tmpdir(), 'maestro-claude-hook-'));
  maestroEnv = cliEnv({
    THE_MAESTRO_DATA_DIR: join(root, 'data'),
    THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
  });
  const login = await runCli(['login', 'anthropic', '--api-key-stdin'], maestroEnv, `${KEY}\n`);
  expect(login.code, login.stderr).toBe(0);
});

afterAll(async () => {
  if (!claude.ok) return;
  await anthropic.close();
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!claude.ok)(
  `Claude Code through apiKeyHelper${claude.ok ? '' : ` (skipped: ${claude.reason})`}`,
  () => {
    it('runs `the-maestro token anthropic`, sends its stdout as the key, and prints the answer', async () => {
      if (!claude.ok) return;
      const home = join(root, 'home');
      const bin = join(root, 'bin');
      const work = join(root, 'work');
      for (const dir of [join(home, '.claude'), bin, work]) mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(home, '.claude', 'settings.json'),
        `${JSON.stringify({ apiKeyHelper: 'the-maestro token anthropic --min-valid 600' })}\n`,
      );
      const maestro = installTheMaestro(bin);
      const { calls } = maestro;
      const countBefore = anthropic.requests.length;

      // No ANTHROPIC_API_KEY or other credential in the environment: the helper is the only way in.
      const run = await runTool(claude, ['-p', '--model', MODEL, 'Say hello'], {
        cwd: work,
        timeoutMs: 45_000,
        env: {
          ...maestroEnv,
          PATH: maestro.path,
          HOME: home,
          ANTHROPIC_BASE_URL: anthropic.url,
          // Offline: no telemetry, error reports or update checks.
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          // A refused key then fails at once ("Invalid API key") instead of retrying to the time limit.
          CLAUDE_CODE_MAX_RETRIES: '0',
        },
      });
      const transcript = `exit ${String(run.code)}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;

      expect(run.code, transcript).toBe(0);
      expect(run.stdout.trim(), transcript).toBe(FAKE_REPLY.join(''));
      expect(calls()).toContain('token anthropic --min-valid 600');

      const requests = anthropic.requests.slice(countBefore);
      const generations = requests.filter((request) => request.path === '/v1/messages');
      expect(generations.length).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(generations[0]?.body ?? '{}')).toMatchObject({ model: MODEL, stream: true });
      // Claude Code sends the helper's output as the documented key header, and as a bearer too
      // (docs/providers.md); never the OAuth beta, which would make it an OAuth token.
      for (const request of requests) {
        const { headers } = request;
        expect({
          request: `${request.method} ${request.path}`,
          key: headers['x-api-key'],
          authorization: headers.authorization,
          oauth: String(headers['anthropic-beta'] ?? '').includes('oauth-'),
        }).toEqual({
          request: `${request.method} ${request.path}`,
          key: KEY,
          authorization: `Bearer ${KEY}`,
          oauth: false,
        });
      }
    });
  },
);
