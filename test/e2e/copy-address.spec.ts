import { card, expect, test } from './support/fixtures.js';

test.describe('copying the sign-in address', () => {
  test('says so when the clipboard refuses, so the person copies the address by hand', async ({ app }) => {
    await app.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) },
      });
    });
    const google = card(app, 'Google');
    await google.getByRole('button', { name: 'Continue in your browser' }).click();
    await google.getByRole('button', { name: 'Copy address' }).click();
    await expect(google.getByRole('alert')).toHaveText(/could not be copied.*copy it yourself/);
  });

  test('confirms a copy that worked', async ({ app }) => {
    await app.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: () => Promise.resolve() },
      });
    });
    const google = card(app, 'Google');
    await google.getByRole('button', { name: 'Continue in your browser' }).click();
    await google.getByRole('button', { name: 'Copy address' }).click();
    await expect(google.getByRole('status').filter({ hasText: 'Address copied.' })).toBeVisible();
  });
});
