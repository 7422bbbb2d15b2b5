import type { Command } from './args.js';
import { AgentUnavailable, acknowledgeThroughAgent, agentBackend } from './agent-backend.js';
import { checkNamedPaths } from './check-paths.js';
import type { CliIo } from './cli-io.js';
import { defaultDataDir } from '../config/paths.js';
import { agentEndpoint } from '../agent/endpoint.js';
import { toErrorInfo } from '../core/auth-error.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { formatError } from './format.js';
import { acknowledgedLine, storageNoticeLine } from './storage-notice-line.js';
import type { ToolBackend } from './tool-backend.js';
import { parseTokenCommandLine } from './token-args.js';
import { runTokenCommand } from './token-command.js';

/** What a command answered by the agent writes to: its output streams and the clock. */
export type AgentIo = Pick<CliIo, 'stdout' | 'stderr' | 'now'>;

/**
 * A command answered by the running agent, saying what a direct run says: the storage notices it
 * forwards (on stderr, once each; `status` shows them in its warnings), and `status
 * --acknowledge` acknowledged by the agent. Throws AgentUnavailable when no agent can answer.
 */
export async function askAgentFirst(
  endpoint: string,
  command: Command,
  io: AgentIo,
  run: (backend: ToolBackend) => Promise<number>,
): Promise<number> {
  if (command.name === 'status' && command.acknowledge === true) {
    io.stdout(acknowledgedLine(await acknowledgeThroughAgent(endpoint)));
    return EXIT.ok;
  }
  const told = new Set<string>();
  const tell = (notices: readonly string[]): void => {
    if (command.name === 'status') return;
    for (const notice of notices.filter((item) => !told.has(item))) {
      told.add(notice);
      io.stderr(storageNoticeLine(notice));
    }
  };
  return run(agentBackend(endpoint, tell));
}

/** The fast path's outcome: an exit code, or what the full program must do instead. */
export type FastOutcome =
  | { readonly kind: 'done'; readonly code: number }
  /** Not for the fast path (another command, a mistake to explain, no agent): run the full program. */
  | { readonly kind: 'full' }
  /** An agent was there and failed (said on stderr): the full program opens the store directly. */
  | { readonly kind: 'store' };

/**
 * The command line's fast path, bundled alone into the entry file (scripts/build-cli.mjs): `token`
 * answered by a running agent — what every hook runs — loads one small module: no SQLite, crypto,
 * zod, provider code or node:util, no other chunk. What it does not handle, the full program does
 * from the start (so every message and usage error comes from one place).
 */
export async function runAgentFirst(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: AgentIo,
): Promise<FastOutcome> {
  if (env['THE_MAESTRO_NO_AGENT'] === '1') return { kind: 'full' };
  const parsed = parseTokenCommandLine(argv);
  if (parsed === null) return { kind: 'full' };
  try {
    checkNamedPaths(parsed);
  } catch {
    return { kind: 'full' };
  }
  const { command } = parsed;
  if (command.name !== 'token') return { kind: 'full' };
  const endpoint = agentEndpoint(parsed.dataDir ?? defaultDataDir(env));
  try {
    return {
      kind: 'done',
      code: await askAgentFirst(endpoint, command, io, (backend) => runTokenCommand(backend, command, io)),
    };
  } catch (error) {
    if (error instanceof AgentUnavailable) {
      if (error.kind === 'absent') return { kind: 'full' };
      io.stderr(`the-maestro: ${error.message}; opening the credential store directly.\n`);
      return { kind: 'store' };
    }
    const info = toErrorInfo(error);
    io.stderr(formatError(info, command.json));
    return { kind: 'done', code: exitCodeFor(info.code) };
  }
}
