import type { ShellOptions } from '../../../../src-main/electron/app-shell.js';
import type { TrayHostPresence } from '../../../../src-main/electron/tray-host.js';
import { silentLogger } from '../../../../src-main/log/logger.js';

/**
 * Shell options as a Linux start of the packaged app would pass them (fake paths, a tray host
 * present), for the fake-Electron tests; each test gives its own core and what else it varies.
 */
export function shellOptionsFor(
  dir: string,
  openCore: ShellOptions['openCore'],
  overrides: Partial<ShellOptions> = {},
): ShellOptions {
  return {
    scheme: 'app.themaestro.desktop',
    preloadPath: '/app/out/preload/index.cjs',
    rendererDir: dir,
    trayIconPath: '/app/resources/tray/tray.png',
    userDataDir: dir,
    argv: ['/usr/bin/the-maestro'],
    platform: 'linux',
    launch: { isDefaultApp: false, execPath: '/usr/bin/the-maestro', appPath: undefined },
    allowInsecureLoopback: false,
    openCore,
    logger: silentLogger,
    detectTrayHost: () => Promise.resolve<TrayHostPresence>('present'),
    ...overrides,
  };
}
