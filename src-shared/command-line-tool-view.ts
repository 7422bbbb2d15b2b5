import { assertNever } from './errors.js';

/**
 * Where the installed `the-maestro` command stands: none yet, ours and current, ours but for
 * another copy of the app (moved or updated: installing again points it here), or a file that
 * is not ours (never overwritten or removed).
 */
export type CommandLineToolState = 'not_installed' | 'installed' | 'outdated' | 'not_ours';

// No zod here: the window imports this file (its schema is in command-line-tool-schema.ts).

/** What the window and the tray's dialog show of the "Install command-line tool" action. */
export interface CommandLineToolView {
  readonly state: CommandLineToolState;
  /** The launcher's path (where it is, or would be, installed). */
  readonly file: string;
  readonly directory: string;
  /** Whether `directory` is on the app's PATH (on macOS a GUI app's PATH may be shorter than a terminal's). */
  readonly onPath: boolean;
  /** What to do so a terminal finds the command; null when the folder is on PATH already. */
  readonly pathAdvice: string | null;
}

/** The sentences the window and the tray's dialog say about the command (no secret can be in it). */
export function describeCommandLineTool(view: CommandLineToolView): string {
  const path = view.pathAdvice === null ? ` ${view.directory} is on your PATH.` : ` ${view.pathAdvice}`;
  switch (view.state) {
    case 'installed':
      return `The command the-maestro is installed at ${view.file}.${path}`;
    case 'outdated':
      return `${view.file} runs another copy of The Maestro; install again to point it at this one.${path}`;
    case 'not_ours':
      return `${view.file} exists and was not installed by The Maestro, so it is left alone; remove it first to install the command there.`;
    case 'not_installed':
      return `The command the-maestro is not installed; it would go to ${view.file}.`;
    default:
      return assertNever(view.state, 'command-line tool state');
  }
}
