import { expect, test } from './support/fixtures.js';

test.describe('local gateway switch', () => {
  test('is off by default, shows the address and port when turned on, and turns off again', async ({ app }) => {
    await app.getByRole('tab', { name: 'Settings' }).click();
    await expect(app.getByRole('heading', { name: 'Local gateway' })).toBeVisible();
    const toggle = app.getByRole('checkbox', { name: 'Serve the local gateway' });
    await expect(toggle).not.toBeChecked();
    await toggle.check();
    await expect(app.getByText(/Listening on http:\/\/127\.0\.0\.1:\d+ \(port \d+, any free port\)/)).toBeVisible();
    await expect(app.getByText(/OpenAI .*: 0 requests/)).toBeVisible();
    await toggle.uncheck();
    await expect(app.getByText(/Listening on/)).toHaveCount(0);
  });
});
