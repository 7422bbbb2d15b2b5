import type { ErrorInfo } from '../../src-shared/errors.js';
import { decideHandOut } from '../agent/plan-credential-hook.js';
import type { Command } from './args.js';
import type { CliIo } from './cli-io.js';
import type { CredentialEnv } from './exec-env.js';
import { childEnvironment, credentialEnv } from './exec-env.js';
import { exitCodeFor } from './exit-codes.js';
import type { ToolBackend } from './tool-backend.js';

type ExecCommand = Extract<Command, { name: 'exec' }>;

/** Shell convention: the command was not found (127) or could not be run (126). */
const NOT_FOUND = 127;
const NOT_RUNNABLE = 126;

/**
 * The credentials `exec` puts in the environment: the named providers (each must resolve), or, with
 * none named, every provider signed in (one that cannot go in an environment is skipped with a note;
 * none at all is a refusal).
 * A failure (a refresh that fails, a credential that may not leave) stops here: the command is not started.
 */
export async function execCredentials(
  backend: ToolBackend,
  command: ExecCommand,
  io: Pick<CliIo, 'stderr'>,
): Promise<
  | { readonly ok: true; readonly entries: Extract<CredentialEnv, { ok: true }>[] }
  | { readonly ok: false; readonly error: ErrorInfo }
> {
  const explicit = command.providers.length > 0;
  const providers = explicit
    ? command.providers
    : (await backend.status()).providers.filter((view) => view.source !== null).map((view) => view.id);
  const entries: Extract<CredentialEnv, { ok: true }>[] = [];
  for (const provider of providers) {
    const resolved = await backend.token(provider, {
      minValidSeconds: 60,
      ...(command.account !== undefined ? { account: command.account } : {}),
    });
    if (!resolved.ok) return resolved;
    const decision = decideHandOut(resolved.value, 'exec');
    if (!decision.allowed) return { ok: false, error: decision.error };
    if (decision.notice !== null) io.stderr(`${decision.notice}\n`);
    const env = credentialEnv(resolved.value);
    if (env.ok) entries.push(env);
    else if (explicit) return env;
    else io.stderr(`the-maestro: ${provider} left out: ${env.error.message}\n`);
  }
  // Starting the tool with nothing to give it would only move the failure into the tool.
  if (!explicit && entries.length === 0)
    return {
      ok: false,
      error: {
        code: 'not_authenticated',
        message: 'No provider has a credential to pass: sign in with `the-maestro login <provider>` first.',
      },
    };
  return { ok: true, entries };
}

const FORWARDED_SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT'] as const;

/**
 * Runs the command with the credentials (or, with --gateway, the gateway's address and key) in its
 * environment (never in its argv) and passes its
 * stdio, exit code and signals through. Returns the exit code; a child killed by a signal kills
 * this process with the same signal.
 */
export async function runExec(
  backend: ToolBackend,
  command: ExecCommand,
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const credentials = command.gateway
    ? await (await import('./exec-gateway.js')).execGatewayEntries(backend, command)
    : await execCredentials(backend, command, io);
  if (!credentials.ok) {
    io.stderr(`the-maestro: ${credentials.error.message} The command was not started.\n`);
    return exitCodeFor(credentials.error.code);
  }
  const childEnv = childEnvironment(env, credentials.entries, command.keepEnv);
  const [program, ...args] = command.argv;
  const { spawn } = await import('node:child_process');
  return new Promise<number>((resolve) => {
    const child = spawn(program, args, { stdio: 'inherit', env: childEnv });
    // A terminal's Ctrl-C / Ctrl-\ reach the whole foreground group, the child included: forwarding
    // them too would deliver them twice. Signals sent to this process alone are passed on.
    const interactive = process.stdin.isTTY;
    const forwarders = FORWARDED_SIGNALS.map((signal) => {
      const forward = (): void => {
        if (interactive && (signal === 'SIGINT' || signal === 'SIGQUIT')) return;
        child.kill(signal);
      };
      process.on(signal, forward);
      return () => process.off(signal, forward);
    });
    const done = (code: number): void => {
      for (const remove of forwarders) remove();
      resolve(code);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        io.stderr(`the-maestro: command not found: ${program}\n`);
        done(NOT_FOUND);
      } else {
        io.stderr(`the-maestro: could not run ${program} (${error.code ?? error.message}).\n`);
        done(NOT_RUNNABLE);
      }
    });
    child.once('exit', (code, signal) => {
      if (signal !== null) {
        for (const remove of forwarders) remove();
        process.kill(process.pid, signal);
        // If the signal is ignored or handled here after all, exit as a shell reports it.
        resolve(128 + (signalNumber(signal) ?? 0));
        return;
      }
      done(code ?? 1);
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  const numbers: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGTERM: 15,
  };
  return numbers[signal];
}
