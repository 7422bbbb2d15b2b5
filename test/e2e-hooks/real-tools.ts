import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { CLI_BIN } from '../support/run-cli.js';

/**
 * The real Codex CLI and Claude Code, installed as exact-version devDependencies, run offline
 * against the provider fakes through their documented credential hooks. Both ship their program
 * in a per-platform optional dependency; where npm installed none for this machine the tool
 * cannot run here, and the tests say so instead of failing.
 */

const require = createRequire(import.meta.url);

/** A real tool ready to run, or why it cannot run on this machine. */
export type RealTool =
  | { readonly ok: true; readonly command: string; readonly prefixArgs: readonly string[] }
  | { readonly ok: false; readonly reason: string };

function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

const platformKey = `${process.platform}-${process.arch}`;

/** Codex: its own launcher (`bin/codex.js`), which finds the platform package's program. */
export function codexTool(): RealTool {
  const launcher = packageDir('@openai/codex');
  if (launcher === undefined) return { ok: false, reason: '@openai/codex is not installed (run npm ci)' };
  const platformPackage = `@openai/codex-${platformKey}`;
  if (packageDir(platformPackage) === undefined)
    return { ok: false, reason: `no Codex build for ${platformKey}: ${platformPackage} is not installed` };
  return { ok: true, command: process.execPath, prefixArgs: [join(launcher, 'bin', 'codex.js')] };
}

function isMusl(): boolean {
  if (process.platform !== 'linux') return false;
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  return report.header?.glibcVersionRuntime === undefined;
}

/**
 * Claude Code: the platform package's program, run directly (what the package's postinstall
 * copies over its `bin/claude.exe` placeholder; run directly, it works whether or not npm ran
 * that script).
 */
export function claudeCodeTool(): RealTool {
  if (packageDir('@anthropic-ai/claude-code') === undefined)
    return { ok: false, reason: '@anthropic-ai/claude-code is not installed (run npm ci)' };
  const platformPackage = `@anthropic-ai/claude-code-${platformKey}${isMusl() ? '-musl' : ''}`;
  const dir = packageDir(platformPackage);
  if (dir === undefined)
    return { ok: false, reason: `no Claude Code build for ${platformKey}: ${platformPackage} is not installed` };
  const program = join(dir, process.platform === 'win32' ? 'claude.exe' : 'claude');
  if (!existsSync(program)) return { ok: false, reason: `${platformPackage} has no program at ${program}` };
  return { ok: true, command: program, prefixArgs: [] };
}

/**
 * Puts a `the-maestro` command in `binDir` that runs this checkout's CLI, as the installed
 * launcher does, and notes each call's arguments (never its output) in `the-maestro.calls`, so a
 * test can tell the tool really ran the hook. Returns the PATH to give the tool.
 */
export function installTheMaestro(binDir: string): { path: string; calls: () => string[] } {
  const log = join(binDir, 'the-maestro.calls');
  writeFileSync(log, '');
  if (process.platform === 'win32') {
    writeFileSync(
      join(binDir, 'the-maestro.cmd'),
      `@echo off\r\necho %*>>"${log}"\r\n"${process.execPath}" "${CLI_BIN}" %*\r\n`,
    );
  } else {
    const script = join(binDir, 'the-maestro');
    const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;
    writeFileSync(
      script,
      `#!/bin/sh\necho "$*" >> ${quote(log)}\nexec ${quote(process.execPath)} ${quote(CLI_BIN)} "$@"\n`,
    );
    chmodSync(script, 0o755);
  }
  return {
    path: [binDir, process.env['PATH'] ?? ''].join(delimiter),
    calls: () =>
      readFileSync(log, 'utf8')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== ''),
  };
}

export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool with nothing on standard input; kills it after `timeoutMs` (and says so in stderr). */
export function runTool(
  tool: Extract<RealTool, { ok: true }>,
  args: readonly string[],
  options: { readonly env: NodeJS.ProcessEnv; readonly cwd: string; readonly timeoutMs: number },
): Promise<ToolRun> {
  const child = spawn(tool.command, [...tool.prefixArgs, ...args], {
    env: options.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => {
    stderr += `\n[test] killed after ${options.timeoutMs} ms\n`;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
