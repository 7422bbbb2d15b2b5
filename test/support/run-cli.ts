import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The real command-line program, as `npx the-maestro` runs it. */
export const CLI_BIN = fileURLToPath(new URL('../../bin/the-maestro.js', import.meta.url));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment for the CLI: nothing inherited that could point it at real providers or real keys. */
export function cliEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'], HOME: process.env['HOME'], ...extra };
}

/** Runs the program to completion with `input` on standard input. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, input = ''): Promise<CliRun> {
  const child = startCli(args, env);
  child.write(input);
  child.end();
  return child.done;
}

export interface RunningCli {
  /** Resolves with the first stderr text matching `pattern`. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the first stdout text matching `pattern` (a server's address). */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends the process a signal (a foreground server stops on SIGTERM). */
  kill(signal: NodeJS.Signals): void;
  write(text: string): void;
  end(): void;
  readonly done: Promise<CliRun>;
}

/** Starts the program and lets the test talk to it while it runs (OAuth login). */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv): RunningCli {
  const child = spawn(process.execPath, [CLI_BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  // A command may end without reading its input (a refusal before the prompt): writing to it then
  // fails with EPIPE, which is no failure of the test.
  child.stdin.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of [...waiters]) waiter();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of [...waiters]) waiter();
  });
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  // 60 s: a command starts in well under a second, but in several on a loaded 2-core machine.
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const text = (): string => (stream === 'stdout' ? stdout : stderr);
      const check = (): void => {
        const match = text().match(pattern);
        if (match === null) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(match);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`CLI never printed ${String(pattern)} on ${stream}; so far:\n${text()}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    waitForStderr: (pattern, timeoutMs) => waitFor('stderr', pattern, timeoutMs),
    waitForStdout: (pattern, timeoutMs) => waitFor('stdout', pattern, timeoutMs),
    kill: (signal) => child.kill(signal),
    write: (text) => child.stdin.write(text),
    end: () => child.stdin.end(),
    done,
  };
}
