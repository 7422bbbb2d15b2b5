import type { CommandLine } from 'electron';
import type { Logger } from '../log/logger.js';
import { readPasswordStorePreference } from '../preferences/password-store-preference.js';

/** What happened to the person's keyring choice at this start. */
export type PasswordStoreOutcome = 'applied' | 'explicit-switch' | 'no-choice' | 'not-linux';

/**
 * Applies the keyring preference as Chromium's `--password-store` switch, for desktops Electron
 * does not recognise (tiling window managers fall back to `basic_text`; Electron's
 * `safeStorage.getSelectedStorageBackend` documents the switch and its values). Must run before
 * `ready`, like every Chromium switch appended with `app.commandLine.appendSwitch`
 * (https://www.electronjs.org/docs/latest/api/command-line). Linux only; a `--password-store` the
 * person passed on the command line wins (`hasSwitch` sees the process's real command line).
 */
export function applyPasswordStorePreference(input: {
  readonly commandLine: Pick<CommandLine, 'appendSwitch' | 'hasSwitch'>;
  readonly platform: NodeJS.Platform;
  readonly dataDir: string;
  readonly logger: Logger;
}): PasswordStoreOutcome {
  if (input.platform !== 'linux') return 'not-linux';
  const choice = readPasswordStorePreference(input.dataDir, input.logger);
  if (choice === null) return 'no-choice';
  if (input.commandLine.hasSwitch('password-store')) {
    input.logger.info('--password-store given on the command line; the keyring preference is not applied', {
      preference: choice,
    });
    return 'explicit-switch';
  }
  input.commandLine.appendSwitch('password-store', choice);
  input.logger.info('keyring chosen in Settings', { passwordStore: choice });
  return 'applied';
}
