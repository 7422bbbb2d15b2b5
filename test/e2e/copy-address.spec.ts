import { START_ADDRESS_USED } from '../../src-main/core/oauth/one-time-redirect.js';
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

  test('copies the one-time start address; opened a second time, the browser says to start again', async ({
    app,
    maestro,
  }) => {
    await app.evaluate(() => {
      const copies: string[] = [];
      Object.defineProperty(window, 'copies', { value: copies });
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: (text: string) => Promise.resolve(void copies.push(text)) },
      });
    });
    const google = card(app, 'Google');
    await google.getByRole('button', { name: 'Continue in your browser' }).click();
    await google.getByRole('button', { name: 'Copy address' }).click();
    const [copied = ''] = await app.evaluate(() => (window as unknown as { copies: string[] }).copies);
    expect(copied).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/start\/[\w-]+$/);
    await expect(google.getByLabel('Sign-in address')).toHaveValue(copied);

    const browser = await app.context().newPage();
    // The first visit goes on to the provider, and (the local provider signs in at once) back to the app.
    await browser.goto(copied);
    await expect(browser.getByRole('heading', { name: 'You can return to The Maestro' })).toBeVisible();
    await expect(google.getByRole('status').filter({ hasText: 'Signed in to Google' })).toBeVisible();
    expect(maestro.oidc.counters.byGrant['authorization_code']).toBe(1);
    const second = await browser.goto(copied);
    expect(second?.status()).toBe(404);
    await expect(browser.locator('body')).toHaveText(START_ADDRESS_USED);
    await browser.close();
  });
});
