import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * "Install command-line tool": a small launcher on the PATH that runs the app's own executable
 * with `--cli` (the packaged app carries the command line inside app.asar; the desktop-app shell
 * turns `--cli` into a command-line run). A launcher script rather than a symlink, so the
 * executable's path and arguments can be quoted once, here.
 */
export interface LauncherTarget {
  /** The app's executable (or, in tests, `node`). */
  readonly executable: string;
  /** Arguments before the person's own: `['--cli']` for the app. */
  readonly leadingArgs: readonly string[];
  readonly platform: NodeJS.Platform;
}

/** The line that marks a launcher as ours: only such a file is replaced or removed. */
export const LAUNCHER_MARKER = 'Installed by The Maestro: runs its command line.';

/** Why the launcher was not installed or removed, in one sentence. */
export class LauncherError extends Error {
  override readonly name = 'LauncherError';
}

export function launcherFileName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'the-maestro.cmd' : 'the-maestro';
}

function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function cmdQuote(text: string): string {
  if (/["%\r\n]/.test(text)) throw new LauncherError(`The path ${text} cannot be written into a .cmd launcher.`);
  return `"${text}"`;
}

/** The launcher's text: a POSIX sh script, or a Windows .cmd shim. */
export function launcherScript(target: LauncherTarget): string {
  const command = [target.executable, ...target.leadingArgs];
  if (target.platform === 'win32')
    return `@echo off\r\nrem ${LAUNCHER_MARKER}\r\n${command.map(cmdQuote).join(' ')} %*\r\n`;
  return `#!/bin/sh\n# ${LAUNCHER_MARKER}\nexec ${command.map(shQuote).join(' ')} "$@"\n`;
}

function isOurs(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').includes(LAUNCHER_MARKER);
  } catch {
    return false;
  }
}

/**
 * Writes the launcher into `directory` (created if missing), replacing an earlier one of ours,
 * never anything else. Returns its path and whether the directory is on PATH.
 */
export function installLauncher(
  directory: string,
  target: LauncherTarget,
  pathVariable: string | undefined,
): { readonly file: string; readonly onPath: boolean } {
  const file = join(directory, launcherFileName(target.platform));
  if (existsSync(file) && !isOurs(file))
    throw new LauncherError(`${file} exists and was not installed by The Maestro; remove it first.`);
  mkdirSync(directory, { recursive: true });
  const next = `${file}.next-${process.pid}`;
  writeFileSync(next, launcherScript(target), { mode: 0o755 });
  chmodSync(next, 0o755);
  renameSync(next, file);
  return { file, onPath: isOnPath(directory, pathVariable) };
}

/** Whether `directory` is one of PATH's entries (a trailing separator does not count as different). */
export function isOnPath(directory: string, pathVariable: string | undefined): boolean {
  const wanted = resolve(directory);
  return (pathVariable ?? '')
    .split(delimiter)
    .some((entry) => entry !== '' && isAbsolute(entry) && resolve(entry) === wanted);
}

/** What is at the launcher's place: nothing, our launcher for `target`, ours for another target, or not ours. */
export function launcherState(
  directory: string,
  target: LauncherTarget,
): 'not_installed' | 'installed' | 'outdated' | 'not_ours' {
  const file = join(directory, launcherFileName(target.platform));
  if (!existsSync(file)) return 'not_installed';
  if (!isOurs(file)) return 'not_ours';
  return readFileSync(file, 'utf8') === launcherScript(target) ? 'installed' : 'outdated';
}

/** Removes the launcher if it is ours; true when one was removed. */
export function uninstallLauncher(directory: string, platform: NodeJS.Platform): boolean {
  const file = join(directory, launcherFileName(platform));
  if (!existsSync(file)) return false;
  if (!isOurs(file)) throw new LauncherError(`${file} was not installed by The Maestro; it was left alone.`);
  rmSync(file);
  return true;
}
