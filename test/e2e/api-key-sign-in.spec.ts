import { card, expect, screenshot, signInWithKey, test } from './support/fixtures.js';
import { VALID_KEYS } from './support/maestro-harness.js';

test.describe('signing in with an API key', () => {
  test('shows every provider, signs in to Anthropic with a key checked live, and shows only its masked tail', async ({
    app,
    maestro,
  }) => {
    for (const name of ['Anthropic', 'Google', 'OpenAI'] as const) await expect(card(app, name)).toBeVisible();
    await screenshot(app, '01-providers-signed-out');

    const anthropic = card(app, 'Anthropic');
    await expect(anthropic.getByText('Not signed in')).toBeVisible();
    await anthropic.getByLabel('Anthropic API key').fill(VALID_KEYS.anthropic);
    await expect(anthropic.getByLabel('Anthropic API key')).toHaveAttribute('type', 'password');
    await anthropic.getByRole('button', { name: 'Save key' }).click();
    await expect(anthropic.getByRole('status').filter({ hasText: 'checked with Anthropic' })).toContainText('…a001');
    await expect(anthropic.locator('.badge').first()).toHaveText('Signed in');
    await expect(anthropic.getByText('Stored API key')).toBeVisible();
    await expect(anthropic.getByLabel('Anthropic API key')).toHaveValue('');
    expect(maestro.anthropic.count()).toBeGreaterThan(0);
    // The page never holds the key once it is saved.
    expect(await app.content()).not.toContain(VALID_KEYS.anthropic);
    await screenshot(app, '02-anthropic-signed-in');
  });

  test('rejects a wrong key with the precise reason and stores nothing', async ({ app }) => {
    const google = card(app, 'Google');
    await google.getByLabel('Google API key').fill('AIzaSy-this-key-is-wrong-000000');
    await google.getByRole('button', { name: 'Save key' }).click();
    const alert = google.getByRole('alert');
    await expect(alert).toContainText('Wrong key or sign-in');
    await expect(google.locator('.badge').first()).toHaveText('Not signed in');
    await expect(alert.getByRole('button', { name: 'Store without checking' })).toHaveCount(0);
    await screenshot(app, '03-wrong-key');
  });

  test('offers to store a key unchecked only when the provider cannot be reached', async ({ app, maestro }) => {
    maestro.openai.setMode({ kind: 'status', status: 503 });
    const openai = card(app, 'OpenAI');
    await openai.getByLabel('OpenAI API key').fill(VALID_KEYS.openai);
    await openai.getByRole('button', { name: 'Save key' }).click();
    const alert = openai.getByRole('alert');
    await expect(alert).toContainText(/Provider (down|unreachable)/);
    await alert.getByRole('button', { name: 'Store without checking' }).click();
    await expect(openai.getByRole('status').filter({ hasText: 'not checked yet' })).toContainText('…o003');
    // Stored, not validated: the card's badge says so instead of "Signed in".
    await expect(openai.getByText('Not checked yet', { exact: true }).first()).toBeVisible();
  });

  test('signs in to a second account under its own label', async ({ app, maestro }) => {
    const workKey = 'sk-ant-api03-e2e-work-account-w002';
    maestro.anthropic.validKeys.add(workKey);
    await signInWithKey(app, 'Anthropic', VALID_KEYS.anthropic);
    await signInWithKey(app, 'Anthropic', workKey, 'work');
    await app.getByRole('tab', { name: 'Accounts' }).click();
    await expect(app.getByRole('listitem', { name: /Anthropic account default/ })).toBeVisible();
    await expect(app.getByRole('listitem', { name: /Anthropic account work/ })).toBeVisible();
  });
});
