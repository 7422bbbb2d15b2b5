import { ANTHROPIC_OAUTH_POLICY } from '../../src-main/core/providers/anthropic.js';
import { card, expect, signInWithKey, test } from './support/fixtures.js';
import { startMaestro, VALID_KEYS } from './support/maestro-harness.js';

test.describe('window polish', () => {
  test('a checkbox’s label wraps as one block beside its box, not in columns', async ({ app }) => {
    await app.setViewportSize({ width: 700, height: 900 });
    await app.getByRole('tab', { name: 'Settings' }).click();
    const box = app.getByRole('checkbox', { name: /Let the command line/ });
    await expect(box).toBeVisible();
    // Where each line of the label's text starts: one left edge for every line, right of the box.
    const layout = await box.evaluate((input) => {
      const label = input.closest('label');
      if (label === null) throw new Error('no label');
      const range = document.createRange();
      range.setStartAfter(input);
      range.setEndAfter(label.lastChild ?? input);
      const starts = new Map<number, number>();
      for (const rect of range.getClientRects()) {
        if (rect.width === 0) continue;
        const line = Math.round(rect.top);
        starts.set(line, Math.min(starts.get(line) ?? Infinity, rect.left));
      }
      return { boxRight: input.getBoundingClientRect().right, starts: [...starts.values()] };
    });
    expect(layout.starts.length).toBeGreaterThan(1);
    const first = layout.starts[0] ?? 0;
    expect(first).toBeGreaterThan(layout.boxRight);
    for (const start of layout.starts) expect(Math.abs(start - first)).toBeLessThan(2);
  });

  test('the account each provider uses has a disabled “In use” button, whichever provider is active', async ({
    app,
    maestro,
  }) => {
    const workKey = 'sk-ant-api03-e2e-polish-work-p001';
    maestro.anthropic.validKeys.add(workKey);
    await signInWithKey(app, 'Anthropic', VALID_KEYS.anthropic);
    await signInWithKey(app, 'Anthropic', workKey, 'work');
    await signInWithKey(app, 'OpenAI', VALID_KEYS.openai);
    await card(app, 'OpenAI').getByRole('button', { name: 'Use OpenAI' }).click();
    await expect(app.locator('.active-summary')).toContainText('Active: OpenAI');
    await app.getByRole('tab', { name: 'Accounts' }).click();

    const openai = app.getByRole('listitem', { name: /OpenAI account default/ });
    const anthropicInUse = app.getByRole('listitem', { name: /Anthropic account work/ });
    const anthropicOther = app.getByRole('listitem', { name: /Anthropic account default/ });
    for (const row of [openai, anthropicInUse]) {
      await expect(row.getByRole('button', { name: 'In use' })).toBeDisabled();
      await expect(row.getByRole('button', { name: 'Use', exact: true })).toHaveCount(0);
    }
    await expect(anthropicOther.getByRole('button', { name: 'Use', exact: true })).toBeEnabled();
  });

  test('Escape closes the rename form and the removal question; removing a key does not speak of revoking', async ({
    app,
  }) => {
    await signInWithKey(app, 'Anthropic', VALID_KEYS.anthropic);
    await app.getByRole('tab', { name: 'Accounts' }).click();
    const row = app.getByRole('listitem', { name: /Anthropic account default/ });

    await row.getByRole('button', { name: 'Rename' }).click();
    const field = app.getByLabel('New label for default');
    await field.fill('half-typed');
    await field.press('Escape');
    await expect(field).toHaveCount(0);
    await expect(row.getByRole('button', { name: 'Rename' })).toBeVisible();
    await row.getByRole('button', { name: 'Rename' }).click();
    await expect(app.getByLabel('New label for default')).toHaveValue('default');
    await app.getByLabel('New label for default').press('Escape');

    await row.getByRole('button', { name: 'Remove' }).click();
    const question = row.getByRole('group', { name: 'Confirm removal' });
    await expect(question).toContainText('The key is deleted from this computer only');
    await expect(question).not.toContainText(/revok/i);
    await question.getByRole('button', { name: 'Remove' }).press('Escape');
    await expect(question).toHaveCount(0);
    await expect(row).toBeVisible();
  });

  test('the model list’s highlighted row is the selected model’s', async ({ app }) => {
    await signInWithKey(app, 'Anthropic', VALID_KEYS.anthropic);
    await app.getByRole('tab', { name: 'Models' }).click();
    const list = app.getByRole('listbox', { name: 'Anthropic models' });
    await expect(list.getByRole('option')).toHaveCount(6);
    await list.getByRole('option').nth(3).click();
    await expect(list.getByRole('option').nth(3)).toHaveAttribute('aria-selected', 'true');

    // Back on the tab later, the list opens on the model chosen, ring and check mark on one row.
    await app.getByRole('tab', { name: 'Providers' }).click();
    await app.getByRole('tab', { name: 'Models' }).click();
    const selected = list.getByRole('option', { selected: true });
    await expect(selected).toHaveClass(/\bactive\b/);
    await expect(list.locator('.option.active')).toHaveCount(1);
    await expect(app.getByRole('combobox', { name: 'Filter models' })).toHaveAttribute(
      'aria-activedescendant',
      (await selected.getAttribute('id')) ?? '',
    );
  });

  test('the page has an icon and asks for nothing that is missing', async ({ page, maestro }) => {
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(maestro.appUrl);
    await expect(page.getByRole('article').first()).toBeVisible();
    const icon = await page.locator('link[rel="icon"]').evaluate((link: HTMLLinkElement) => link.href);
    const reply = await page.request.get(icon);
    expect(reply.status()).toBe(200);
    expect(reply.headers()['content-type']).toMatch(/^image\/png/);
    expect(failed).toEqual([]);
  });

  test('a page opened without its token says to open the printed address', async ({ page, maestro }) => {
    await page.goto(new URL(maestro.appUrl).origin);
    await expect(page.getByRole('alert')).toContainText('Open the address `npm run start:web` printed');
    await expect(page.getByRole('article')).toHaveCount(0);
  });
});

test('the long explanation of why browser sign-in is missing stays folded until asked for', async ({ page }) => {
  const maestro = await startMaestro({ unset: ['ANTHROPIC_OAUTH_CLIENT_ID'] });
  try {
    await page.goto(maestro.appUrl);
    const anthropic = card(page, 'Anthropic');
    const why = anthropic.getByText(ANTHROPIC_OAUTH_POLICY);
    await expect(anthropic.getByText('Browser sign-in (OAuth): not set up here')).toBeVisible();
    await expect(why).toBeHidden();
    await anthropic.getByText('Browser sign-in (OAuth): not set up here').click();
    await expect(why).toBeVisible();
  } finally {
    await maestro.close();
  }
});
