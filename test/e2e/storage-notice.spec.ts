import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, screenshot, test } from './support/fixtures.js';
import { runCli } from './support/cli-process.js';
import { startMaestro, type MaestroHarness } from './support/maestro-harness.js';

const DAMAGED = /The credential database was damaged/;

test.describe('the storage notice', () => {
  let maestro: MaestroHarness;
  test.beforeEach(async () => {
    // A database file that is not a database: the core moves it aside and records the notice.
    maestro = await startMaestro({
      beforeOpen: (dataDir) => writeFileSync(join(dataDir, 'maestro.db'), randomBytes(8192)),
    });
  });
  test.afterEach(async () => maestro.close());

  test('stays until acknowledged in the window, once on every tab, and the command line stops saying it too', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await page.goto(maestro.appUrl);
    const notice = page.getByRole('alert', { name: 'Storage notice' });
    await expect(notice).toContainText(DAMAGED);
    await expect(page.getByText(DAMAGED)).toHaveCount(1);
    await page.getByRole('tab', { name: 'Settings' }).click();
    await expect(page.getByText(DAMAGED)).toHaveCount(1);
    await screenshot(page, '11-storage-notice');

    // Still there after a reload: only the person's acknowledgement ends it.
    await page.reload();
    await expect(notice).toBeVisible();
    expect((await runCli(maestro.dataDir, ['status'])).stdout).toMatch(DAMAGED);

    await notice.getByRole('button', { name: 'I have read this' }).click();
    await expect(notice).toBeHidden();
    await expect(page.getByText(DAMAGED)).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole('article').first()).toBeVisible();
    await expect(page.getByText(DAMAGED)).toHaveCount(0);

    const status = await runCli(maestro.dataDir, ['status']);
    expect(status.code).toBe(0);
    expect(status.stdout + status.stderr).not.toMatch(DAMAGED);
    const token = await runCli(maestro.dataDir, ['token', 'anthropic']);
    expect(token.stderr).not.toMatch(DAMAGED);
  });

  test('goes away in the open window when the command line acknowledges it', async ({ page }) => {
    await page.goto(maestro.appUrl);
    const notice = page.getByRole('alert', { name: 'Storage notice' });
    await expect(notice).toContainText(DAMAGED);
    const ack = await runCli(maestro.dataDir, ['status', '--acknowledge']);
    expect(ack.stdout).toBe('Storage notice acknowledged.\n');
    await expect(notice).toBeHidden();
  });
});
