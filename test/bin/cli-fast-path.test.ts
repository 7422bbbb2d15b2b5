import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../src-main/agent/agent-server.js';
import { createCore, type Core } from '../../src-main/core/create-core.js';
import { cliEnv } from '../support/run-cli.js';
import { makeTempDir } from '../support/storage/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KEY = 'sk-ant-api03-fast-path-0123456789abcdef';

/**
 * `the-maestro token` through a running agent is answered by the entry file alone: installed
 * WITHOUT the full program (cli-main.cjs), it still prints the token; what the fast
 * path does not handle needs the full program.
 */
describe('the command line’s agent-first fast path', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let core: Core;
  let agent: RunningAgent;
  let launcher: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    temp = makeTempDir('maestro-fast-path-');
    const installed = join(temp.dir, 'installed');
    mkdirSync(join(installed, 'bin'), { recursive: true });
    mkdirSync(join(installed, 'out', 'cli'), { recursive: true });
    copyFileSync(join(ROOT, 'package.json'), join(installed, 'package.json'));
    for (const file of ['the-maestro.js', 'package.json'])
      copyFileSync(join(ROOT, 'bin', file), join(installed, 'bin', file));
    copyFileSync(join(ROOT, 'out', 'cli', 'the-maestro.cjs'), join(installed, 'out', 'cli', 'the-maestro.cjs'));
    launcher = join(installed, 'bin', 'the-maestro.js');
    const dataDir = join(temp.dir, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    env = cliEnv({ THE_MAESTRO_DATA_DIR: dataDir, THE_MAESTRO_MASTER_KEY: 'c'.repeat(64) });
    core = await createCore({ dataDir, env, purpose: 'test' });
    expect((await core.auth.saveApiKey({ provider: 'anthropic', apiKey: KEY, validate: false })).ok).toBe(true);
    agent = await startAgent({ dataDir, auth: core.auth, notices: core.store });
  });
  afterAll(async () => {
    await agent.close();
    await core.dispose();
    temp.remove();
  });

  // Asynchronous: the agent answering it runs in this process.
  const run = (args: readonly string[], extra: NodeJS.ProcessEnv = {}) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [launcher, ...args], { env: { ...env, ...extra } }, (error, stdout, stderr) =>
        resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
      );
    });

  it('answers token from the entry file alone', async () => {
    expect(await run(['token', 'anthropic'])).toMatchObject({ status: 0, stdout: `${KEY}\n`, stderr: '' });
    const json = await run(['token', 'anthropic', '--json', '--min-valid', '60']);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ provider: 'anthropic', token: KEY, method: 'api_key' });
  });

  it('bundles no schema library: the status line’s gateway view stays in the full program', () => {
    const entry = readFileSync(join(ROOT, 'out', 'cli', 'the-maestro.cjs'), 'utf8');
    expect(entry).not.toContain('node_modules/zod');
    expect(entry).not.toContain('src-main/cli/gateway-status.ts');
  });

  it('leaves other commands, and token without an agent, to the full program', async () => {
    for (const result of [await run(['status']), await run(['token', 'anthropic'], { THE_MAESTRO_NO_AGENT: '1' })]) {
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('cli-main.cjs');
    }
  });
});
