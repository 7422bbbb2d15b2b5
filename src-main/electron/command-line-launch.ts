import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The argument that makes the app's own executable run the command line instead of the app. */
export const CLI_FLAG = '--cli';

/**
 * The command line's arguments when this process was launched as `<executable> --cli …`, else
 * null. The `runAsNode` fuse is off (electron-builder.yml; Electron's fuses guidance), so
 * `ELECTRON_RUN_AS_NODE` cannot turn the packaged app into Node: the app's executable runs the
 * command line itself. `--cli` counts only as the first argument of the launch — after the app
 * path when run unpackaged (`electron . --cli …`), and after switches a launcher adds in front (the
 * AppImage's `--no-sandbox`) — so a deep link or a later argument never starts the command line.
 */
export function commandLineArguments(argv: readonly string[], isDefaultApp: boolean): string[] | null {
  const first = isDefaultApp ? 2 : 1;
  for (let index = first; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (argument === CLI_FLAG) return argv.slice(index + 1);
    if (!argument.startsWith('--')) return null;
  }
  return null;
}

/**
 * Runs the command line's bundle (out/cli, packed into app.asar) in this process with `args`, as
 * bin/the-maestro.js does under Node: the bundle reads `process.argv.slice(2)` and ends the process
 * with its exit code. Runs before the single-instance lock and the privileged schemes, so the app
 * running already is no obstacle and nothing of the window is set up. On Windows the GUI executable
 * has no console: the installed command is a `.cmd` shim (`"<app>.exe" --cli %*`) run from a console.
 */
export async function runCommandLine(input: {
  readonly bundle: string;
  readonly args: readonly string[];
  readonly execPath: string;
}): Promise<void> {
  if (!existsSync(input.bundle)) {
    process.stderr.write(`The Maestro's command line is missing from this installation (${input.bundle}).\n`);
    process.exit(1);
  }
  process.argv = [input.execPath, input.bundle, ...input.args];
  await import(pathToFileURL(input.bundle).href);
}
