import type { ErrorInfo } from '../../src-shared/errors.js';
import { ERROR_CODES } from '../../src-shared/errors.js';
import { configFileIn, defaultDataDir } from '../config/paths.js';
import { toErrorInfo } from '../core/auth-error.js';
import { agentEndpoint } from '../agent/endpoint.js';
import type { Command, ParsedCommandLine } from './args.js';
import { UsageError, parseCommandLine, usage } from './args.js';
import { AgentUnavailable } from './agent-backend.js';
import { askAgentFirst } from './agent-first.js';
import { acknowledgedLine, storageNoticeLine } from './storage-notice-line.js';
import type { CliIo } from './cli-io.js';
import { readSecretFromTerminal } from './read-secret.js';
import { checkNamedPaths } from './check-paths.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { fdWriter } from './fd-writer.js';
import { formatError } from './format.js';
import type { ToolBackend } from './tool-backend.js';
import { isToolCommand, runToolCommand } from './tool-commands.js';

/**
 * The provider ids for the help text. The registry is loaded only here: the commands a running
 * agent answers load no provider code, no SQLite, no crypto and no zod (the core is imported on
 * demand below).
 */
async function providerIds(): Promise<readonly string[]> {
  const { ProviderRegistry } = await import('../core/providers/registry.js');
  return new ProviderRegistry().ids;
}

const VERSION = '0.1.0';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export function processIo(): CliIo {
  return {
    stdout: fdWriter(1),
    stderr: fdWriter(2),
    // A person at a terminal is asked for the key, which is not echoed; a pipe is read to its end.
    readStdin: () =>
      process.stdin.isTTY
        ? readSecretFromTerminal(process.stdin, (text) => process.stderr.write(text), 'API key (input hidden): ').catch(
            () => '',
          )
        : readAll(process.stdin),
    stdinLines: async function* () {
      const { createInterface } = await import('node:readline');
      yield* createInterface({ input: process.stdin, crlfDelay: Infinity });
    },
    // Loaded only by the commands that open a browser (a one-time local redirect, a cleaned environment).
    openBrowser: async (url) => (await import('./browser-launch.js')).openBrowser(url),
    now: () => Date.now(),
  };
}

function isJson(command: Command | undefined): boolean {
  return command !== undefined && 'json' in command && command.json;
}

/** The commands answered by an agent when one runs: status, models, use, token and exec. */
type AgentCapable = Extract<Command, { name: 'status' | 'models' | 'use' | 'token' | 'exec' }>;

function isAgentCapable(command: Command): command is AgentCapable {
  return isToolCommand(command) || command.name === 'exec';
}

async function runAgentCapable(
  backend: ToolBackend,
  command: AgentCapable,
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  if (command.name !== 'exec') return runToolCommand(backend, command, io);
  const { runExec } = await import('./exec-command.js');
  return runExec(backend, command, io, env);
}

/** Why the store could not be opened, and what to do: with an agent the app's protection needs no key file. */
function withAgentHint(info: ErrorInfo): ErrorInfo {
  if (info.code !== 'encryption_unavailable') return info;
  return {
    ...info,
    message: `${info.message} No agent is running to answer instead: open The Maestro, or run \`the-maestro agent\`, and try again.`,
  };
}

/** Opens the core in this process (no agent answered) and runs the command against it. */
async function runWithCore(
  parsed: ParsedCommandLine & { readonly command: Exclude<Command, { name: 'help' } | { name: 'version' }> },
  dataDir: string,
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<number> {
  const [{ createCore }, { createLogger }] = await Promise.all([
    import('../core/create-core.js'),
    import('../log/logger.js'),
  ]);
  // The agent runs for long, unattended: it also keeps a redacted, rotating log file in the data directory.
  const logFile =
    parsed.command.name === 'agent' ? (await import('./agent-log-file.js')).openAgentLogFile(dataDir) : null;
  // `gateway` logs a line per request: the lines of one round of I/O go to stderr in one write.
  const batched =
    parsed.command.name === 'gateway'
      ? await import('../log/batched-sink.js').then(({ asText, batchedSink }) =>
          batchedSink((lines) => io.stderr(asText(lines))),
        )
      : null;
  const logger = createLogger({
    sink: batched?.sink ?? ((line) => io.stderr(`${line}\n`)),
    level: env['THE_MAESTRO_LOG'] === 'debug' ? 'debug' : parsed.command.name === 'gateway' ? 'info' : 'error',
    scope: parsed.command.name === 'agent' ? 'agent' : 'cli',
  });
  let core;
  try {
    core = await createCore({
      dataDir,
      env,
      configFile: parsed.configFile ?? configFileIn(dataDir),
      logger: logFile === null ? logger : logFile.tee(logger),
      ...(logFile !== null ? { logFile: logFile.path } : {}),
      purpose: 'cli',
    });
  } catch (error) {
    logFile?.close();
    batched?.flush();
    const info = toErrorInfo(error);
    throw isAgentCapable(parsed.command) ? new HintedError(withAgentHint(info)) : error;
  }
  try {
    const { command } = parsed;
    const notices = core.store.storageNotices();
    if (command.name === 'status' && command.acknowledge === true) {
      io.stdout(acknowledgedLine(core.store.acknowledgeStorageNotices()));
      return EXIT.ok;
    }
    // `status` lists them with its warnings; every other command says so on stderr, one line each.
    if (command.name !== 'status') for (const notice of notices) io.stderr(storageNoticeLine(notice));
    if (command.name === 'gateway') {
      const { runGatewayCommand } = await import('./gateway-command.js');
      return await runGatewayCommand(core, command, io, logger, untilSignal(), { env, dataDir });
    }
    if (command.name === 'agent') {
      const { runAgentCommand } = await import('./agent-command.js');
      return await runAgentCommand(core.auth, dataDir, io, logFile ?? undefined, core.store);
    }
    if (isAgentCapable(command)) {
      const { coreBackend } = await import('./core-backend.js');
      return await runAgentCapable(coreBackend(core.auth), command, io, env);
    }
    const { runCommand } = await import('./commands.js');
    return await runCommand(core.auth, command, io);
  } finally {
    await core.dispose();
    logFile?.close();
    batched?.flush();
  }
}

/** Resolves when the person stops a foreground server (Ctrl-C) or the system asks it to end. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** An error already turned into what the person should read. */
class HintedError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

/**
 * The whole program: parse; for the commands an agent answers, ask the running agent first; else
 * open the core, run, close. Returns the exit code (a command run by `exec` passes its own
 * through); never throws.
 */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let command: Command | undefined;
  try {
    const parsed = parseCommandLine(argv);
    const current = parsed.command;
    command = current;
    if (current.name === 'help') return (io.stdout(`${usage(await providerIds())}\n`), EXIT.ok);
    if (current.name === 'version') return (io.stdout(`the-maestro ${VERSION}\n`), EXIT.ok);
    checkNamedPaths(parsed);
    const dataDir = parsed.dataDir ?? defaultDataDir(env);
    if (isAgentCapable(current) && env['THE_MAESTRO_NO_AGENT'] !== '1') {
      try {
        return await askAgentFirst(agentEndpoint(dataDir), current, io, (backend) =>
          runAgentCapable(backend, current, io, env),
        );
      } catch (error) {
        if (!(error instanceof AgentUnavailable)) throw error;
        if (error.kind === 'broken')
          io.stderr(`the-maestro: ${error.message}; opening the credential store directly.\n`);
      }
    }
    if (current.name === 'agent') {
      // Refuse before opening the store when another agent serves this directory.
      const { AgentStartError, prepareAgentEndpoint } = await import('../agent/agent-server.js');
      try {
        await prepareAgentEndpoint(dataDir);
      } catch (error) {
        if (!(error instanceof AgentStartError)) throw error;
        io.stderr(`the-maestro: ${error.message}\n`);
        return EXIT.failure;
      }
    }
    return await runWithCore({ ...parsed, command: current }, dataDir, env, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`the-maestro: ${error.message}\n\n${usage(await providerIds())}\n`);
      return EXIT.usage;
    }
    const info = error instanceof HintedError ? error.info : toErrorInfo(error);
    io.stderr(formatError(info, isJson(command)));
    return (ERROR_CODES as readonly string[]).includes(info.code) ? exitCodeFor(info.code) : EXIT.failure;
  }
}
