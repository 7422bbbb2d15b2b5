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
