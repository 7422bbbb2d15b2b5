import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeOpenAiApi } from '../fakes/index.js';
import { startOpenAiApi } from '../fakes/index.js';
import { FAKE_REPLY } from '../fakes/generation-streams.js';
import { cliEnv, runCli } from '../support/run-cli.js';
import { codexTool, installTheMaestro, runTool } from './real-tools.js';

/**
 * The real Codex CLI (`codex exec`), offline, against the OpenAI fake, taking its bearer token
 * from `the-maestro token` through `[model_providers.<id>.auth]` exactly as the README's recipe
 * writes it; only `base_url` points at the fake.
 */
const KEY = 'sk-proj-CANARY-codex-hook-0123456789abcdef';
const codex = codexTool();

let openai: FakeOpenAiApi;
let root: string;
let maestroEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  if (!codex.ok) return;
  openai = await startOpenAiApi({ validKeys: [KEY] });
  root = mkdtempSync(join(tmpdir(), 'maestro-codex-hook-'));
  maestroEnv = cliEnv({
    THE_MAESTRO_DATA_DIR: join(root, 'data'),
    THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
  });
  const login = await runCli(['login', 'openai', '--api-key-stdin'], maestroEnv, `${KEY}\n`);
  expect(login.code, login.stderr).toBe(0);
});

afterAll(async () => {
  if (!codex.ok) return;
  await openai.close();
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!codex.ok)(
  `Codex through model_providers.<id>.auth${codex.ok ? '' : ` (skipped: ${codex.reason})`}`,
  () => {
    it('runs `the-maestro token openai`, sends its stdout as the bearer token, and prints the answer', async () => {
      if (!codex.ok) return;
      const codexHome = join(root, 'codex-home');
      const home = join(root, 'home');
      const bin = join(root, 'bin');
      const work = join(root, 'work');
      for (const dir of [codexHome, home, bin, work]) mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(codexHome, 'config.toml'),
        [
          'model_provider = "maestro-openai"',
          'model = "gpt-5"',
          // Offline: no look for a newer release.
          'check_for_update_on_startup = false',
          '',
          '[model_providers.maestro-openai]',
          'name = "OpenAI through The Maestro"',
          `base_url = "${openai.url}/v1"`,
          'wire_api = "responses"',
          '',
          '[model_providers.maestro-openai.auth]',
          'command = "the-maestro"',
          'args = ["token", "openai", "--min-valid", "600"]',
          'timeout_ms = 5000',
          'refresh_interval_ms = 300000',
          '',
        ].join('\n'),
      );
      const maestro = installTheMaestro(bin);

      // No OPENAI_API_KEY or other credential in the environment: the hook is the only way in.
      const run = await runTool(codex, ['exec', '--skip-git-repo-check', 'Say hello'], {
        cwd: work,
        timeoutMs: 45_000,
        env: { ...maestroEnv, PATH: maestro.path, HOME: home, CODEX_HOME: codexHome },
      });
      const transcript = `exit ${String(run.code)}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;

      expect(run.code, transcript).toBe(0);
      // `codex exec` prints the final answer alone on stdout.
      expect(run.stdout.trim(), transcript).toBe(FAKE_REPLY.join(''));
      expect(maestro.calls()).toContain('token openai --min-valid 600');

      const generations = openai.requests.filter((request) => request.path === '/v1/responses');
      expect(generations.length).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(generations[0]?.body ?? '{}')).toMatchObject({ model: 'gpt-5', stream: true });
      // Every request Codex made (its model list too) carried exactly the stored key as the bearer.
      for (const request of openai.requests) {
        expect(`${request.method} ${request.path}: ${String(request.headers.authorization)}`).toBe(
          `${request.method} ${request.path}: Bearer ${KEY}`,
        );
      }
    });
  },
);
