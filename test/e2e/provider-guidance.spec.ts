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
    const help = google.locator('details.provider-help');
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
  const help = google.locator('details.provider-help');
  await expect(help).not.toHaveAttribute('open');
  await help.getByText('How to get a client id').click();
  await expect(help).toHaveAttribute('open', '');
  await expect(card(app, 'Anthropic').getByText(ANTHROPIC_OAUTH_POLICY)).toHaveCount(0);
});
