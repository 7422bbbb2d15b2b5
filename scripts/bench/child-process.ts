import { spawn } from 'node:child_process';
import { nowMs } from './harness.js';

export interface ChildRun {
  /** From spawn until the process has exited and its output is closed. */
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node <args>` with the same binary as this process (Node 22 under npm) and a controlled
 * environment, and times it from spawn to exit. Ours and its baseline are started the same way.
 */
export function runNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const start = nowMs();
    const child = spawn(process.execPath, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ ms: nowMs() - start, code, stdout, stderr }));
  });
}

/** Only what a child needs to run: no provider key or proxy setting from this machine leaks in. */
export function minimalEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...extra };
}
