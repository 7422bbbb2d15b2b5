import { expect, test } from './support/fixtures.js';
import { runCli } from './support/cli-process.js';

test.describe('changes made by the command line', () => {
  test('show in the open window without a reload', async ({ app, maestro }) => {
    test.setTimeout(120_000);
    const workKey = 'sk-ant-api03-e2e-cli-work-key-c101';
    const homeKey = 'sk-ant-api03-e2e-cli-home-key-c102';
    maestro.anthropic.validKeys.add(workKey);
    maestro.anthropic.validKeys.add(homeKey);
    const cli = async (args: readonly string[], input?: string): Promise<void> => {
      const run = await runCli(maestro.dataDir, args, {
        ...(input !== undefined ? { input } : {}),
        env: { THE_MAESTRO_ANTHROPIC_API_BASE_URL: maestro.anthropic.url },
      });
      expect(run.code, run.stderr).toBe(0);
    };
    await app.getByRole('tab', { name: 'Accounts' }).click();
    const accounts = app.getByRole('region', { name: 'Anthropic' });
    await expect(accounts.getByText('No stored accounts.')).toBeVisible();
    // Marks this page: a reload would forget it.
    await app.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    await cli(['login', 'anthropic', '--api-key-stdin', '--account', 'work'], `${workKey}\n`);
    await expect(app.getByRole('listitem', { name: /Anthropic account work/ })).toBeVisible();

    await cli(['login', 'anthropic', '--api-key-stdin', '--account', 'home'], `${homeKey}\n`);
    await cli(['use', 'anthropic', '--account', 'home']);
    await expect(app.locator('.active-summary')).toContainText('Active: Anthropic (home)');

    await cli(['logout', 'anthropic', '--account', 'work']);
    await expect(app.getByRole('listitem', { name: /Anthropic account work/ })).toHaveCount(0);
    await expect(app.getByRole('listitem', { name: /Anthropic account home/ })).toBeVisible();

    expect(await app.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });
});
