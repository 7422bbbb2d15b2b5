import { createServer, type Server } from 'node:net';
import { expect, test } from './support/fixtures.js';

/** The gateway's port and key in Settings, through the web transport (no main-process clipboard here). */
async function occupied(): Promise<{ readonly port: number; readonly server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, server };
}

test.describe('local gateway settings', () => {
  test('validates the port, names a port in use and leaves the gateway off', async ({ app }) => {
    await app.getByRole('tab', { name: 'Settings' }).click();
    const field = app.getByLabel('Gateway port');
    await field.fill('80');
    await expect(
      app.getByText("The gateway's port is a whole number from 1024 to 65535", { exact: false }),
    ).toBeVisible();
    await expect(app.getByRole('button', { name: 'Save port' })).toBeDisabled();
    const taken = await occupied();
    try {
      // On, then moved to a taken port: refused with its number, and the gateway is off.
      const toggle = app.getByRole('checkbox', { name: 'Serve the local gateway' });
      await toggle.check();
      await expect(app.getByText(/Listening on/)).toBeVisible();
      await field.fill(String(taken.port));
      await app.getByRole('button', { name: 'Save port' }).click();
      await expect(app.getByRole('alert')).toContainText(`Port ${taken.port} is already in use by another program`);
      await expect(toggle).not.toBeChecked();
      await expect(app.getByText(/Listening on/)).toHaveCount(0);
      // Turned on again while the port is still taken: the same sentence, still off.
      await toggle.click();
      await expect(app.getByRole('alert').first()).toContainText(`Port ${taken.port} is already in use`);
      await expect(toggle).not.toBeChecked();
    } finally {
      await new Promise<void>((resolve) => taken.server.close(() => resolve()));
    }
    await field.fill('');
    await app.getByRole('button', { name: 'Save port' }).click();
    await expect(app.getByText('The gateway will use any free port.')).toBeVisible();
  });

  test('refuses to copy the key in a browser page and rotates it only after confirming', async ({ app }) => {
    await app.getByRole('tab', { name: 'Settings' }).click();
    await app.getByRole('button', { name: 'Copy gateway key' }).click();
    await expect(app.getByRole('alert')).toContainText('can be copied only in The Maestro app');
    await app.getByRole('button', { name: 'Rotate key…' }).click();
    const confirm = app.getByRole('alertdialog', { name: 'Rotate the gateway key?' });
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toHaveCount(0);
    await app.getByRole('button', { name: 'Rotate key…' }).click();
    await app.getByRole('alertdialog').getByRole('button', { name: 'Rotate key' }).click();
    await expect(app.getByText('A new gateway key is in use')).toBeVisible();
  });
});
