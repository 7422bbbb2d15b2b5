import { describeCommandLineTool } from '../../src-shared/command-line-tool-view.js';
import type { CommandLineTool } from '../cli-install/command-line-tool.js';
import type { Logger } from '../log/logger.js';

/** A message box's content (the shape of Electron's MessageBoxOptions this needs). */
export interface InstallMessage {
  readonly type: 'info' | 'warning';
  readonly title: string;
  readonly message: string;
}

/**
 * The tray's "Install command-line tool…": installs (or points an earlier launcher at this copy
 * of the app) and tells the person where it went and whether their PATH finds it — or, in one
 * sentence, why nothing was written.
 */
export function installFromMenu(
  tool: CommandLineTool,
  show: (message: InstallMessage) => Promise<unknown>,
  logger: Logger,
): Promise<void> {
  const result = tool.install();
  const title = 'Install command-line tool';
  if (result.ok) logger.info('command-line tool installed', { file: result.value.file, onPath: result.value.onPath });
  else logger.warn('command-line tool not installed', { code: result.error.code });
  const message: InstallMessage = result.ok
    ? { type: 'info', title, message: describeCommandLineTool(result.value) }
    : { type: 'warning', title, message: result.error.message };
  return show(message).then(
    () => undefined,
    (error: unknown) => logger.error('could not show the command-line tool message', { error }),
  );
}

/**
 * The tray's "Uninstall command-line tool…": removes the launcher The Maestro wrote and says so —
 * or that there was none, or, in one sentence, why a file there was left alone.
 */
export function uninstallFromMenu(
  tool: CommandLineTool,
  show: (message: InstallMessage) => Promise<unknown>,
  logger: Logger,
): Promise<void> {
  const title = 'Uninstall command-line tool';
  const before = tool.status();
  let message: InstallMessage;
  if (before.state === 'not_installed') {
    message = {
      type: 'info',
      title,
      message: `The command the-maestro is not installed; there was nothing to remove at ${before.file}.`,
    };
  } else {
    const result = tool.uninstall();
    if (result.ok) logger.info('command-line tool uninstalled', { file: result.value.file });
    else logger.warn('command-line tool not uninstalled', { code: result.error.code });
    message = result.ok
      ? { type: 'info', title, message: `The command the-maestro was removed from ${result.value.file}.` }
      : { type: 'warning', title, message: result.error.message };
  }
  return show(message).then(
    () => undefined,
    (error: unknown) => logger.error('could not show the command-line tool message', { error }),
  );
}
