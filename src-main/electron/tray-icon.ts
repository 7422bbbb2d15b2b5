import { join } from 'node:path';

/**
 * The tray icon's file (scripts/generate-icons.mjs draws it; electron-builder.yml packs
 * resources/tray/ into app.asar). Opened by path so that Electron's nativeImage picks the `@2x`
 * file beside it on high-DPI screens, and on macOS treats a name ending in `Template` as a template
 * image (black and alpha, tinted by the system for light and dark menu bars) — Electron's
 * nativeImage docs, "High Resolution Image" and "Template Image". Elsewhere the coloured icon.
 */
export function trayIconPath(appRoot: string, platform: NodeJS.Platform): string {
  return join(appRoot, 'resources', 'tray', platform === 'darwin' ? 'trayTemplate.png' : 'tray.png');
}
