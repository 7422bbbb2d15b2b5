import { authorizationUrlBehind, deliverToLoopback } from '../fakes/browser-login.js';
import { SIWC_REPLY } from '../fakes/siwc-api.js';
import { authorizeInBrowser } from '../fakes/siwc-browser.js';
import { card, expect, screenshot, test } from './support/fixtures.js';
import type { Locator, Page } from '@playwright/test';
import type { MaestroHarness } from './support/maestro-harness.js';

/**
 * Sign in with ChatGPT in the window, with no configuration (OpenAI pointed at the local SIWC
 * fake only): OpenAI's guidelines for the button, the one-time notice, "Using ChatGPT plan" with
 * "Manage usage" beside the model, the account picker, and "Test this model".
 */
test.use({ chatgpt: true });

/** Plays the browser for the sign-in the card is waiting on. */
async function finishInBrowser(openai: Locator, maestro: MaestroHarness, returning: boolean): Promise<URL> {
  const address = await openai.getByLabel('Sign-in address').inputValue();
  // The window holds the one-time start address only: no state, nonce, PKCE challenge or ID token hint.
  expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/start\/[\w-]+$/);
  const authorization = await authorizationUrlBehind(address);
  const back = await authorizeInBrowser(maestro.siwc, authorization.href, { returning });
  expect((await deliverToLoopback(back)).status).toBe(200);
  return authorization;
}

async function dismissNotice(app: Page): Promise<void> {
  const notice = app.getByRole('dialog', { name: "You're using your ChatGPT plan" });
  await expect(notice).toBeVisible();
  await expect(notice.getByRole('link', { name: 'Manage usage' })).toHaveAttribute(
    'href',
    'https://chatgpt.com/settings/usage',
  );
  await notice.getByRole('button', { name: 'Got it' }).click();
  await expect(notice).toBeHidden();
}

test.describe('Sign in with ChatGPT', () => {
  test('Continue with ChatGPT signs in with no setup, shows the notice once, and the plan beside the model', async ({
    app,
    maestro,
  }) => {
    const openai = card(app, 'OpenAI');
    await openai.getByRole('button', { name: 'Continue with ChatGPT' }).click();
    const first = await finishInBrowser(openai, maestro, false);
    expect(first.searchParams.get('client_id')).toBe('dynamic_agent_client');
    expect(first.searchParams.get('agent_name_hint')).toBe('The Maestro');
    // The card now shows the account picker with the new sign-in in use, and the one-time notice.
    await expect(openai.getByRole('list', { name: 'ChatGPT accounts' }).getByText('In use')).toBeVisible();
    await screenshot(app, '08-chatgpt-notice');
    await dismissNotice(app);
    await app.reload();
    await expect(card(app, 'OpenAI').getByRole('list', { name: 'ChatGPT accounts' })).toBeVisible();
    await expect(app.getByRole('dialog')).toHaveCount(0);

    await app.getByRole('tab', { name: 'Models' }).click();
    await app.getByLabel('Provider').selectOption('openai');
    const list = app.getByRole('listbox', { name: 'OpenAI models' });
    await expect(list.getByRole('option')).toHaveCount(3);
    await expect(list.getByRole('option', { name: /Internal preview/ })).toHaveCount(0);
    await expect(app.locator('.plan-usage').getByText('Using ChatGPT plan')).toBeVisible();
    await expect(app.locator('.active-summary')).toContainText('Using ChatGPT plan');
    await expect(app.locator('.plan-usage').getByRole('link', { name: 'Manage usage' })).toHaveAttribute(
      'href',
      'https://chatgpt.com/settings/usage',
    );
    await list.getByRole('option', { name: /GPT-6 Luna/ }).click();
    await expect(list.getByRole('option', { name: /GPT-6 Luna/ })).toHaveAttribute('aria-selected', 'true');
    await app.getByRole('button', { name: 'Test this model' }).click();
    const passed = app.locator('.model-test').getByRole('status');
    await expect(passed).toContainText('gpt-6-luna answered');
    await expect(passed).toContainText(SIWC_REPLY.join(''));
    await expect(passed).toContainText('using your ChatGPT plan');
    await screenshot(app, '09-chatgpt-model-test');
    const sent = maestro.siwc.apiRequests.find((request) => request.path === '/v1/responses')?.body;
    expect(sent).toMatchObject({ model: 'gpt-6-luna', store: false, stream: true });
  });

  test('the account picker continues with the saved account (its issued client id) and signs out with revocation', async ({
    app,
    maestro,
  }) => {
    const openai = card(app, 'OpenAI');
    await openai.getByRole('button', { name: 'Continue with ChatGPT' }).click();
    await finishInBrowser(openai, maestro, false);
    await dismissNotice(app);
    const issued = [...maestro.siwc.clients.keys()][0];
    const accounts = openai.getByRole('list', { name: 'ChatGPT accounts' });
    await expect(accounts.getByText(maestro.siwc.account.email, { exact: true })).toBeVisible();
    await expect(openai.getByRole('button', { name: 'Use a different account' })).toBeVisible();

    await accounts.getByRole('button', { name: `Continue as ${maestro.siwc.account.email}` }).click();
    const page = await app.content();
    const again = await finishInBrowser(openai, maestro, true);
    // The returning sign-in's authorization URL carries the account's ID token; the window never had it.
    const hint = again.searchParams.get('id_token_hint') ?? '';
    expect(hint).toMatch(/^eyJ/);
    expect(page).not.toContain(hint);
    expect(page).not.toMatch(/eyJ[\w-]*\.[\w-]+\./);
    expect(again.searchParams.get('client_id')).toBe(issued);
    expect(again.searchParams.has('agent_name_hint')).toBe(false);
    await expect(accounts.getByRole('status').filter({ hasText: 'Signed in to OpenAI' })).toBeVisible();
    expect(maestro.siwc.counters.registrations).toBe(1);

    await accounts.getByRole('button', { name: 'Sign out' }).click();
    await expect(openai.getByRole('button', { name: 'Continue with ChatGPT' })).toBeVisible();
    expect(maestro.siwc.revocationRequests.at(-1)?.get('client_id')).toBe(issued);
  });

  test('a usage limit shows "Manage usage" as the way forward, not another way to pay', async ({ app, maestro }) => {
    const openai = card(app, 'OpenAI');
    await openai.getByRole('button', { name: 'Continue with ChatGPT' }).click();
    await finishInBrowser(openai, maestro, false);
    await dismissNotice(app);
    maestro.siwc.scenario.api = 'usage-limit-mid-stream';
    await app.getByRole('tab', { name: 'Models' }).click();
    await app.getByLabel('Provider').selectOption('openai');
    await app.getByRole('button', { name: 'Test this model' }).click();
    const alert = app.locator('.model-test').getByRole('alert');
    await expect(alert).toContainText('Usage limit reached');
    await expect(alert.getByRole('link', { name: 'Manage usage' })).toHaveAttribute(
      'href',
      'https://chatgpt.com/settings/usage',
    );
  });
});
