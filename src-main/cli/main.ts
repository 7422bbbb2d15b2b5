import { ERROR_CODES } from '../../src-shared/errors.js';
import { configFileIn, defaultDataDir } from '../config/paths.js';
import { createCore } from '../core/create-core.js';
import { createLogger } from '../log/logger.js';
import { toErrorInfo } from '../core/auth-error.js';
import { ProviderRegistry } from '../core/providers/registry.js';
import type { Command } from './args.js';
import { UsageError, parseCommandLine, usage } from './args.js';
import type { CliIo } from './commands.js';
import { readSecretFromTerminal } from './read-secret.js';
import { runCommand } from './commands.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { formatError } from './format.js';

const VERSION = '0.1.0';

/**
 * Opens the system browser on an https (or loopback http) URL the core built; never throws.
 * child_process (like readline below) is loaded only by the commands that need it: every command
 * would otherwise pay for loading it at start.
 */
async function openBrowser(url: string): Promise<boolean> {
  if (!/^https?:\/\//.test(url)) return false;
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
        : ['xdg-open', [url]];
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
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
    openBrowser,
    now: () => Date.now(),
  };
}

function isJson(command: Command | undefined): boolean {
  return command !== undefined && 'json' in command && command.json;
}

/** The whole program: parse, open the core, run, close. Returns the exit code; never throws. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<ExitCode> {
  let command: Command | undefined;
  try {
    const parsed = parseCommandLine(argv);
    command = parsed.command;
    if (command.name === 'help') return (io.stdout(`${usage(new ProviderRegistry().ids)}\n`), EXIT.ok);
    if (command.name === 'version') return (io.stdout(`the-maestro ${VERSION}\n`), EXIT.ok);
    const dataDir = parsed.dataDir ?? defaultDataDir(env);
    const logger = createLogger({
      sink: (line) => io.stderr(`${line}\n`),
      level: env['THE_MAESTRO_LOG'] === 'debug' ? 'debug' : 'error',
      scope: 'cli',
    });
    const core = await createCore({
      dataDir,
      env,
      configFile: parsed.configFile ?? configFileIn(dataDir),
      logger,
      purpose: 'cli',
    });
    try {
      const notices = core.store.storageNotices();
      if (command.name === 'status' && command.acknowledge === true) {
        core.store.acknowledgeStorageNotices();
        io.stdout(notices.length > 0 ? 'Storage notice acknowledged.\n' : 'There was no storage notice.\n');
        return EXIT.ok;
      }
      // `status` lists them with its warnings; every other command says so on stderr, one line each.
      if (command.name !== 'status') {
        for (const notice of notices)
          io.stderr(`the-maestro: warning: ${notice} (\`the-maestro status --acknowledge\` stops this message)\n`);
      }
      return await runCommand(core.auth, command, io);
    } finally {
      await core.dispose();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`the-maestro: ${error.message}\n\n${usage(new ProviderRegistry().ids)}\n`);
      return EXIT.usage;
    }
    const info = toErrorInfo(error);
    io.stderr(formatError(info, isJson(command)));
    return (ERROR_CODES as readonly string[]).includes(info.code) ? exitCodeFor(info.code) : EXIT.failure;
  }
}
