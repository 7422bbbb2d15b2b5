import { authorizationUrlBehind, completeInBrowser, deliverToLoopback, pasteCodeOf } from '../fakes/browser-login.js';
import { card, expect, screenshot, test } from './support/fixtures.js';

test.describe('signing in by OAuth', () => {
  test('Google: the app shows its one-time start address, the browser comes back by loopback, the card signs in', async ({
    app,
    maestro,
  }) => {
    const google = card(app, 'Google');
    await google.getByRole('button', { name: 'Continue in your browser' }).click();
    const address = google.getByLabel('Sign-in address');
    // A local address that redirects once to the sign-in page: the window never holds the flow's state.
    await expect(address).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/start\/[\w-]+$/);
    await expect(google.getByRole('link', { name: 'Open the Google sign-in page' })).toHaveAttribute(
      'href',
      await address.inputValue(),
    );
    await screenshot(app, '04-oauth-waiting');

    const redirect = await completeInBrowser(await address.inputValue());
    expect((await deliverToLoopback(redirect)).status).toBeLessThan(400);
    await expect(google.getByRole('status').filter({ hasText: 'Signed in to Google' })).toBeVisible();
    await expect(google.getByText('OAuth sign-in')).toBeVisible();
    await expect(google.locator('.details time')).toContainText(/^in \d/);
    expect(maestro.oidc.counters.byGrant['authorization_code']).toBe(1);
  });

  test('Anthropic: the code pasted from the provider’s page finishes the sign-in', async ({ app, maestro }) => {
    const anthropic = card(app, 'Anthropic');
    await anthropic.getByRole('button', { name: 'Continue in your browser' }).click();
    const address = await anthropic.getByLabel('Sign-in address').inputValue();
    const authorization = await authorizationUrlBehind(address);
    expect(authorization.href.startsWith(maestro.anthropicOAuth.authorizationEndpoint)).toBe(true);
    const redirect = await completeInBrowser(authorization.href);
    await anthropic.getByLabel(/paste the code or the full address/).fill(pasteCodeOf(redirect));
    await anthropic.getByRole('button', { name: 'Submit code' }).click();
    await expect(anthropic.getByRole('status').filter({ hasText: 'Signed in to Anthropic' })).toBeVisible();
    await expect(anthropic.getByText('OAuth sign-in')).toBeVisible();
    expect(maestro.anthropicOAuth.counters.byGrant['authorization_code']).toBe(1);
  });

  test('cancelling a sign-in closes it and makes no token request', async ({ app, maestro }) => {
    const openai = card(app, 'OpenAI');
    await openai.getByRole('button', { name: 'Continue with ChatGPT' }).click();
    await expect(openai.getByLabel('Sign-in address')).toBeVisible();
    await openai.getByRole('button', { name: 'Cancel' }).click();
    await expect(openai.getByRole('button', { name: 'Continue with ChatGPT' })).toBeVisible();
    await expect(openai.locator('.badge').first()).toHaveText('Not signed in');
    expect(maestro.oidc.counters.tokenRequests).toBe(0);
  });
});
