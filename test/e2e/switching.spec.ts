import { card, expect, screenshot, signInWithKey, test } from './support/fixtures.js';
import { VALID_KEYS } from './support/maestro-harness.js';

test.describe('switching provider and account', () => {
  test('makes another provider active, then switches, renames and removes accounts', async ({ app, maestro }) => {
    const workKey = 'sk-ant-api03-e2e-work-account-w002';
    maestro.anthropic.validKeys.add(workKey);
    await signInWithKey(app, 'Anthropic', VALID_KEYS.anthropic);
    await signInWithKey(app, 'OpenAI', VALID_KEYS.openai);
    await expect(app.locator('.active-summary')).toContainText('Anthropic');

    await card(app, 'OpenAI').getByRole('button', { name: 'Use OpenAI' }).click();
    await expect(app.locator('.active-summary')).toContainText('Active: OpenAI');
    await expect(card(app, 'OpenAI').getByText('Active', { exact: true })).toBeVisible();

    await signInWithKey(app, 'Anthropic', workKey, 'work');
    await app.getByRole('tab', { name: 'Accounts' }).click();
    const work = app.getByRole('listitem', { name: /Anthropic account work/ });
    // The new sign-in is the account Anthropic uses: its button says so and is disabled.
    await expect(work.getByRole('button', { name: 'In use' })).toBeDisabled();
    const first = app.getByRole('listitem', { name: /Anthropic account default/ });
    await first.getByRole('button', { name: 'Use', exact: true }).click();
    await expect(app.locator('.active-summary')).toContainText('Active: Anthropic (default)');
    await work.getByRole('button', { name: 'Use', exact: true }).click();
    await expect(work.getByRole('button', { name: 'In use' })).toBeDisabled();
    await expect(app.locator('.active-summary')).toContainText('Active: Anthropic (work)');
    await screenshot(app, '06-accounts');

    await work.getByRole('button', { name: 'Rename' }).click();
    await app.getByLabel('New label for work').fill('office');
    await app.getByRole('button', { name: 'Save' }).click();
    const office = app.getByRole('listitem', { name: /Anthropic account office/ });
    await expect(office).toBeVisible();

    const fallback = app.getByRole('listitem', { name: /Anthropic account default/ });
    await fallback.getByRole('button', { name: 'Remove' }).click();
    await fallback.getByRole('button', { name: 'Remove' }).click();
    await expect(app.getByRole('listitem', { name: /Anthropic account default/ })).toHaveCount(0);
    await expect(office).toBeVisible();
  });
});

test.describe('many accounts', () => {
  test('shows the first page of accounts and loads the rest on request', async ({ app, maestro }) => {
    const labels = Array.from({ length: 60 }, (_, index) => `bulk-${String(index).padStart(2, '0')}`);
    for (const account of labels) {
      const saved = await maestro.auth.saveApiKey({
        provider: 'openai',
        apiKey: `${VALID_KEYS.openai}-${account}`,
        account,
        validate: false,
      });
      expect(saved.ok).toBe(true);
    }
    await app.getByRole('tab', { name: 'Accounts' }).click();
    const panel = app.getByRole('region', { name: 'OpenAI' });
    // The first 50 in order, and the account in use (the newest: no "default" account exists).
    await expect(panel.getByRole('listitem')).toHaveCount(51);
    await expect(panel.getByRole('listitem', { name: /OpenAI account bulk-59/ }).getByText('In use')).toBeVisible();
    await expect(panel.getByText('Showing 51 of 60.')).toBeVisible();
    await panel.getByRole('button', { name: 'Show 9 more' }).click();
    await expect(panel.getByRole('listitem')).toHaveCount(60);
    await expect(panel.getByRole('listitem', { name: /OpenAI account bulk-59/ })).toBeVisible();
    await expect(panel.getByRole('button', { name: /more/ })).toHaveCount(0);
  });
});
