import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from './support/fixtures.js';
import type { MaestroHarness } from './support/maestro-harness.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The command line from its sources (`npm run cli`), as a second process on the page's data
 * directory: no agent runs here, so it opens the store itself, with the same key file.
 */
function cli(maestro: MaestroHarness, args: readonly string[], input = ''): Promise<{ code: number; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/run.ts', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      THE_MAESTRO_DATA_DIR: maestro.dataDir,
      THE_MAESTRO_NO_AGENT: '1',
      THE_MAESTRO_ANTHROPIC_API_BASE_URL: maestro.anthropic.url,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

test.describe('changes made by the command line', () => {
  test('show in the open window without a reload', async ({ app, maestro }) => {
    test.setTimeout(120_000);
    const workKey = 'sk-ant-api03-e2e-cli-work-key-c101';
    const homeKey = 'sk-ant-api03-e2e-cli-home-key-c102';
    maestro.anthropic.validKeys.add(workKey);
    maestro.anthropic.validKeys.add(homeKey);
    await app.getByRole('tab', { name: 'Accounts' }).click();
    const accounts = app.getByRole('region', { name: 'Anthropic' });
    await expect(accounts.getByText('No stored accounts.')).toBeVisible();
    // Marks this page: a reload would forget it.
    await app.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const work = await cli(maestro, ['login', 'anthropic', '--api-key-stdin', '--account', 'work'], `${workKey}\n`);
    expect(work.code, work.output).toBe(0);
    await expect(app.getByRole('listitem', { name: /Anthropic account work/ })).toBeVisible();

    const home = await cli(maestro, ['login', 'anthropic', '--api-key-stdin', '--account', 'home'], `${homeKey}\n`);
    expect(home.code, home.output).toBe(0);
    const used = await cli(maestro, ['use', 'anthropic', '--account', 'home']);
    expect(used.code, used.output).toBe(0);
    await expect(app.locator('.active-summary')).toContainText('Active: Anthropic (home)');

    const removed = await cli(maestro, ['logout', 'anthropic', '--account', 'work']);
    expect(removed.code, removed.output).toBe(0);
    await expect(app.getByRole('listitem', { name: /Anthropic account work/ })).toHaveCount(0);
    await expect(app.getByRole('listitem', { name: /Anthropic account home/ })).toBeVisible();

    expect(await app.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });
});
