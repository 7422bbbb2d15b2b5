import { mkdirSync } from 'node:fs';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { startMaestro, type MaestroHarness } from './maestro-harness.js';

export { expect };

const SCREENSHOTS = 'test-results/screenshots';

/** A fresh app (fakes, core, web transport) per test, opened in the page; `chatgpt`: OpenAI out of the box. */
export const test = base.extend<{ chatgpt: boolean; desktopCommandLine: boolean; maestro: MaestroHarness; app: Page }>({
  chatgpt: [false, { option: true }],
  desktopCommandLine: [false, { option: true }],
  maestro: async ({ chatgpt, desktopCommandLine }, use) => {
    const harness = await startMaestro({ chatgpt, desktopCommandLine });
    await use(harness);
    await harness.close();
  },
  app: async ({ page, maestro }, use) => {
    await page.goto(maestro.appUrl);
    await expect(page.getByRole('article').first()).toBeVisible();
    await use(page);
  },
});

/** The card of one provider, found by its heading as a person would. */
export function card(page: Page, name: 'Anthropic' | 'Google' | 'OpenAI'): Locator {
  return page.getByRole('article', { name });
}

/** Saves a screenshot of a main screen as a test artifact. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** Signs in with an API key through the card's form and waits for the confirmation. */
export async function signInWithKey(
  page: Page,
  name: 'Anthropic' | 'Google' | 'OpenAI',
  key: string,
  account?: string,
): Promise<void> {
  const target = card(page, name);
  if (account !== undefined) await target.getByLabel('Account label (optional)').fill(account);
  await target.getByLabel(`${name} API key`).fill(key);
  await target.getByRole('button', { name: 'Save key' }).click();
  await expect(target.getByRole('status').filter({ hasText: 'saved for account' })).toBeVisible();
}
