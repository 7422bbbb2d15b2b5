import { expect, screenshot, test } from './support/fixtures.js';

test.describe('settings', () => {
  test('switches to the dark theme, reorders the fallback chain and says how credentials are protected', async ({
    app,
  }) => {
    await app.getByRole('tab', { name: 'Settings' }).click();
    await expect(app.getByRole('heading', { name: 'Storage protection' })).toBeVisible();
    await expect(app.getByText(/^Credentials are encrypted on disk; their key is protected by/)).toBeVisible();

    await app.getByRole('radio', { name: 'Dark' }).check();
    await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
    const background = await app.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(20, 23, 28)');

    await app.getByRole('button', { name: 'Move Stored API key up' }).click();
    await expect(app.locator('.order-list li').first()).toContainText('Stored API key');
    await screenshot(app, '09-settings-dark');

    await app.reload();
    await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
    await app.getByRole('tab', { name: 'Settings' }).click();
    await expect(app.locator('.order-list li').first()).toContainText('Stored API key');
    await app.getByRole('tab', { name: 'Providers' }).click();
    await screenshot(app, '10-providers-dark');
  });
});
