import type { CliIo } from '../../src-main/cli/commands.js';
import { main } from '../../src-main/cli/main.js';

/**
 * Runs the command line's `main` in this process (no child, no bundle) with `input` as its
 * standard input, collecting what it prints. `runCli` (run-cli.ts) runs the built bundle instead.
 */
export async function runCliInProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readStdin: () => Promise.resolve(input),
    stdinLines: async function* () {},
    openBrowser: () => Promise.resolve(false),
    now: () => Date.now(),
  };
  const code = await main(args, env, io);
  return { code, stdout, stderr };
}
