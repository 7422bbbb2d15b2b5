import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trayIconPath } from '../../../src-main/electron/tray-icon.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('trayIconPath', () => {
  it('gives macOS the template image (named …Template, with its @2x beside it)', () => {
    const file = trayIconPath(root, 'darwin');
    expect(file).toBe(`${root}resources/tray/trayTemplate.png`);
    expect(existsSync(file)).toBe(true);
    expect(existsSync(file.replace('.png', '@2x.png'))).toBe(true);
  });

  it('gives Windows and Linux the coloured icon, with its @2x beside it', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const file = trayIconPath(root, platform);
      expect(file).toBe(`${root}resources/tray/tray.png`);
      expect(existsSync(file.replace('.png', '@2x.png'))).toBe(true);
    }
  });
});
