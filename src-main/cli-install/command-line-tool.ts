import { join } from 'node:path';
import type { CommandLineToolView } from '../../src-shared/command-line-tool-view.js';
import { err, ok, type Result } from '../../src-shared/errors.js';
import {
  installLauncher,
  isOnPath,
  LauncherError,
  launcherFileName,
  launcherState,
  uninstallLauncher,
  type LauncherTarget,
} from './launcher.js';

/** Where and what the "Install command-line tool" action writes. */
export interface CommandLineToolOptions {
  /** The folder that stands for `~/.local/bin` (defaultLauncherDirectory). */
  readonly directory: string;
  readonly target: LauncherTarget;
  /** The PATH to check the folder against (the app's own `process.env.PATH`). */
  readonly pathVariable: string | undefined;
}

/**
 * A user-writable folder that terminals usually search: `~/.local/bin` (XDG; on PATH by default
 * in most Linux distributions, and the usual place for user-installed commands on macOS), or on
 * Windows a folder of our own under `%LOCALAPPDATA%`, which the person adds to their user PATH.
 * `/usr/local/bin` would need an administrator's password, so the app never writes there.
 */
export function defaultLauncherDirectory(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') return join(env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local'), 'the-maestro', 'bin');
  return join(home, '.local', 'bin');
}

/**
 * What the launcher runs: the app's executable with `--cli` (command-line-launch.ts). Unpackaged
 * (`electron .`), the app's path goes first; an AppImage's executable lives in a mount that changes
 * on every start, so its launcher runs the AppImage file itself (`$APPIMAGE`).
 */
export function launcherTargetFor(input: {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly isDefaultApp: boolean;
  readonly execPath: string;
  readonly appPath: string | undefined;
}): LauncherTarget {
  const appImage = input.platform === 'linux' ? input.env['APPIMAGE'] : undefined;
  const executable = appImage !== undefined && appImage !== '' ? appImage : input.execPath;
  const leadingArgs = input.isDefaultApp && input.appPath !== undefined ? [input.appPath, '--cli'] : ['--cli'];
  return { executable, leadingArgs, platform: input.platform };
}

/** The sentence that tells how to put `directory` on PATH, for the platform's usual shells. */
export function pathAdvice(directory: string, platform: NodeJS.Platform): string {
  if (platform === 'win32')
    return `Add ${directory} to your user Path (Settings → System → About → Advanced system settings → Environment Variables), then open a new terminal.`;
  const quoted = directory.replace(/(["\\$`])/g, '\\$1');
  return `${directory} is not on your PATH: add the line export PATH="${quoted}:$PATH" to your shell's startup file (~/.profile, ~/.bashrc or ~/.zshrc), then open a new terminal.`;
}

/** Installs, removes and reports the `the-maestro` launcher; refusals are error values with one sentence. */
export class CommandLineTool {
  constructor(private readonly options: CommandLineToolOptions) {}

  status(): CommandLineToolView {
    const { directory, target, pathVariable } = this.options;
    const onPath = isOnPath(directory, pathVariable);
    return {
      state: launcherState(directory, target),
      file: join(directory, launcherFileName(target.platform)),
      directory,
      onPath,
      pathAdvice: onPath ? null : pathAdvice(directory, target.platform),
    };
  }

  install(): Result<CommandLineToolView> {
    return this.change(() => installLauncher(this.options.directory, this.options.target, this.options.pathVariable));
  }

  uninstall(): Result<CommandLineToolView> {
    return this.change(() => uninstallLauncher(this.options.directory, this.options.target.platform));
  }

  private change(action: () => unknown): Result<CommandLineToolView> {
    try {
      action();
      return ok(this.status());
    } catch (error) {
      if (error instanceof LauncherError) return err({ code: 'invalid_request', message: error.message });
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code !== 'string') throw error;
      return err({
        code: 'storage_error',
        message: `The command could not be changed in ${this.options.directory} (${code}); check that the folder is yours and writable.`,
      });
    }
  }
}
