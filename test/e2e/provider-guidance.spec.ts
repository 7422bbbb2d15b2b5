import { completeInBrowser, deliverToLoopback } from '../fakes/browser-login.js';
import { ANTHROPIC_OAUTH_POLICY } from '../../src-main/core/providers/anthropic.js';
import { card, expect, test as withClients } from './support/fixtures.js';
import { startMaestro } from './support/maestro-harness.js';

/** The app as a person without their own OAuth clients runs it: no Anthropic or Google client id. */
const test = withClients.extend({
  // eslint-disable-next-line no-empty-pattern
  maestro: async ({}, use) => {
    const harness = await startMaestro({
      unset: ['ANTHROPIC_OAUTH_CLIENT_ID', 'GOOGLE_OAUTH_CLIENT_ID', 'GOOGLE_OAUTH_CLIENT_SECRET'],
    });
    await use(harness);
    await harness.close();
  },
});

test.describe('where OAuth is unavailable', () => {
  test('Anthropic’s card says why there is no Claude.ai subscription sign-in, and offers the API key', async ({
    app,
  }) => {
    const anthropic = card(app, 'Anthropic');
    const unavailable = anthropic.getByRole('list', { name: 'Methods not available' });
    await expect(unavailable).toContainText(ANTHROPIC_OAUTH_POLICY);
    await expect(anthropic.getByRole('button', { name: 'Continue in your browser' })).toHaveCount(0);
    await expect(anthropic.getByLabel(/API key/).first()).toBeVisible();
  });

  test('Google’s card opens “How to get a client id” with the desktop-client steps and the quota project', async ({
    app,
  }) => {
    const google = card(app, 'Google');
    const help = google.locator('details.client-id-help');
    await expect(help).toHaveAttribute('open', '');
    await expect(help).toContainText('Desktop app');
    await expect(help).toContainText('Generative Language API');
    await expect(help).toContainText('GOOGLE_CLOUD_QUOTA_PROJECT');
    await expect(help.getByRole('link', { name: 'the Gemini API OAuth quickstart' })).toHaveAttribute(
      'href',
      'https://ai.google.dev/gemini-api/docs/oauth',
    );
  });
});

withClients('with a Google client configured, the help stays closed until asked for', async ({ app }) => {
  const google = card(app, 'Google');
  const help = google.locator('details.client-id-help');
  await expect(help).not.toHaveAttribute('open');
  await help.getByText('How to get a client id').click();
  await expect(help).toHaveAttribute('open', '');
  await expect(card(app, 'Anthropic').getByText(ANTHROPIC_OAUTH_POLICY)).toHaveCount(0);
});

withClients(
  'the quota project typed on Google’s card is sent with the Google sign-in and kept for the command line',
  async ({ app, maestro }) => {
    const google = card(app, 'Google');
    await google.locator('details.quota-project summary').click();
    const field = google.getByLabel('Google Cloud project ID');
    await field.fill('Not A Project');
    await expect(google.getByText(/Use the project ID/)).toBeVisible();
    await expect(google.getByRole('button', { name: 'Save project' })).toBeDisabled();
    await field.fill('my-gemini-project');
    await google.getByRole('button', { name: 'Save project' }).click();
    await expect(
      google.getByRole('status').filter({ hasText: 'Quota project saved: my-gemini-project.' }),
    ).toBeVisible();
    expect(maestro.auth.getQuotaProject('google')).toEqual({
      ok: true,
      value: {
        provider: 'google',
        quotaProject: 'my-gemini-project',
        source: 'window',
        envVar: 'GOOGLE_CLOUD_QUOTA_PROJECT',
      },
    });

    await google.getByRole('button', { name: 'Continue in your browser' }).click();
    const redirect = await completeInBrowser(await google.getByLabel('Sign-in address').inputValue());
    expect((await deliverToLoopback(redirect)).status).toBeLessThan(400);
    await expect(google.getByRole('status').filter({ hasText: 'Signed in to Google' })).toBeVisible();
    const resolved = await maestro.auth.resolve('google');
    expect(resolved.ok && resolved.value.headers['x-goog-user-project']).toBe('my-gemini-project');
    if (resolved.ok) maestro.google.validTokens.add(resolved.value.secret);
    expect((await maestro.auth.validate({ provider: 'google' })).ok).toBe(true);
    expect(maestro.google.lastRequest().headers['x-goog-user-project']).toBe('my-gemini-project');
  },
);
