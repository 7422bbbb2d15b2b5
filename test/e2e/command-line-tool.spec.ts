import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, screenshot, test } from './support/fixtures.js';

test.describe('the command-line tool in Settings', () => {
  test('explains the sharing setting against the agent, and says installing is for the desktop app only', async ({
    app,
  }) => {
    await app.getByRole('tab', { name: 'Settings' }).click();
    await expect(app.getByTestId('share-explanation')).toHaveText(
      /While The Maestro is open \(or the-maestro agent runs\), the command line and your tools' hooks ask it for credentials and need no key file.*only matters for using the credentials while neither runs.*costs a key file/,
    );
    const section = app.getByRole('region', { name: 'Command-line tool' });
    await expect(section.getByText('Installing the command-line tool works only in the desktop app')).toBeVisible();
    await expect(section.getByRole('button')).toHaveCount(0);
  });

  test.describe('as the desktop app serves it', () => {
    test.use({ desktopCommandLine: true });

    test('installs the-maestro, says where and what to add to PATH, and uninstalls it', async ({ app, maestro }) => {
      const bin = join(maestro.dataDir, 'home', '.local', 'bin');
      const file = join(bin, 'the-maestro');
      await app.getByRole('tab', { name: 'Settings' }).click();
      const section = app.getByRole('region', { name: 'Command-line tool' });
      await expect(section.getByRole('status')).toHaveText(
        `The command the-maestro is not installed; it would go to ${file}.`,
      );
      await section.getByRole('button', { name: 'Install command-line tool' }).click();
      await expect(section.getByRole('status')).toContainText(`is installed at ${file}. ${bin} is not on your PATH`);
      await expect(section.getByRole('status')).toContainText(`export PATH="${bin}:$PATH"`);
      expect(existsSync(file)).toBe(true);
      await screenshot(app, '21-command-line-tool');
      await section.getByRole('button', { name: 'Uninstall command-line tool' }).click();
      await expect(section.getByRole('status')).toContainText('is not installed');
      expect(existsSync(file)).toBe(false);
    });
  });
});
