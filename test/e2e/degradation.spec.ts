import { card, expect, screenshot, signInWithKey, test } from './support/fixtures.js';
import { VALID_KEYS } from './support/maestro-harness.js';

test.describe('one provider down', () => {
  test('marks its cached model list stale and its status unavailable while the others keep working', async ({
    app,
    maestro,
  }) => {
    await signInWithKey(app, 'Google', VALID_KEYS.google);
    await signInWithKey(app, 'Anthropic', VALID_KEYS.anthropic);
    await app.getByRole('tab', { name: 'Models' }).click();
    await app.getByLabel('Provider').selectOption('google');
    const googleModels = app.getByRole('listbox', { name: 'Google models' });
    await expect(googleModels.getByRole('option').first()).toBeVisible();
    const count = await googleModels.getByRole('option').count();

    maestro.google.setMode({ kind: 'status', status: 503 });
    await app.getByRole('button', { name: 'Refresh' }).click();
    await expect(app.getByText(/Stale: cached list, Google could not be reached/)).toBeVisible();
    await expect(googleModels.getByRole('option')).toHaveCount(count);
    await screenshot(app, '07-provider-down-models');

    await app.getByLabel('Provider').selectOption('anthropic');
    const anthropicModels = app.getByRole('listbox', { name: 'Anthropic models' });
    await app.getByRole('button', { name: 'Refresh' }).click();
    await expect(anthropicModels.getByRole('option')).toHaveCount(6);
    await expect(app.getByText(/Stale/)).toHaveCount(0);

    await app.getByRole('tab', { name: 'Providers' }).click();
    const google = card(app, 'Google');
    await google.getByRole('button', { name: 'Check now' }).click();
    await expect(google.getByRole('alert')).toContainText('Provider down');
    await expect(google.locator('.badge').first()).toHaveText('Unavailable');
    await card(app, 'Anthropic').getByRole('button', { name: 'Check now' }).click();
    await expect(card(app, 'Anthropic').locator('.badge').first()).toHaveText('Signed in');
    await expect(card(app, 'Anthropic').getByRole('alert')).toHaveCount(0);
    await screenshot(app, '08-provider-down-status');

    maestro.google.setMode({ kind: 'ok' });
    await google.getByRole('button', { name: 'Retry' }).click();
    await expect(google.getByRole('alert')).toHaveCount(0);
    await expect(google.locator('.badge').first()).toHaveText('Signed in');
  });
});
