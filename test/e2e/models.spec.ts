import { card, expect, screenshot, signInWithKey, test } from './support/fixtures.js';
import { VALID_KEYS } from './support/maestro-harness.js';

test.describe('choosing a model', () => {
  test('filters as you type, moves with the keyboard, selects with Enter, and keeps the choice', async ({ app }) => {
    await signInWithKey(app, 'Anthropic', VALID_KEYS.anthropic);
    await app.getByRole('tab', { name: 'Models' }).click();
    const list = app.getByRole('listbox', { name: 'Anthropic models' });
    await expect(list.getByRole('option')).toHaveCount(6);
    await expect(list.getByRole('option', { name: /Claude Sonnet 4\.5/ })).toContainText('1M tokens context');

    const filter = app.getByRole('combobox', { name: 'Filter models' });
    await filter.fill('sonnet');
    await expect(list.getByRole('option')).toHaveCount(2);
    await filter.press('ArrowDown');
    await expect(filter).toHaveAttribute(
      'aria-activedescendant',
      (await list.getByRole('option').nth(1).getAttribute('id')) ?? '',
    );
    await filter.press('Enter');
    await expect(list.getByRole('option', { name: /Claude Sonnet 4 claude-sonnet-4-20250514/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(app.locator('.active-summary')).toContainText('claude-sonnet-4-20250514');
    await screenshot(app, '05-models');

    await app.reload();
    await app.getByRole('tab', { name: 'Models' }).click();
    await expect(app.getByRole('option', { name: /claude-sonnet-4-20250514/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await app.getByRole('tab', { name: 'Providers' }).click();
    await expect(card(app, 'Anthropic').locator('.details')).toContainText('claude-sonnet-4-20250514');
  });

  test('is usable from the keyboard alone: tabs with arrow keys, filter, choose', async ({ app }) => {
    await signInWithKey(app, 'Anthropic', VALID_KEYS.anthropic);
    await app.getByRole('tab', { name: 'Providers' }).focus();
    await app.keyboard.press('ArrowRight');
    await expect(app.getByRole('tab', { name: 'Models' })).toBeFocused();
    await expect(app.getByRole('tab', { name: 'Models' })).toHaveAttribute('aria-selected', 'true');
    const filter = app.getByRole('combobox', { name: 'Filter models' });
    await filter.focus();
    await app.keyboard.type('haiku');
    await app.keyboard.press('End');
    await app.keyboard.press('Enter');
    await expect(app.getByRole('option', { name: /Claude Haiku 3\.5/ })).toHaveAttribute('aria-selected', 'true');
  });
});
