import type { AuthService } from '../core/auth-service.js';
import type { Logger } from '../log/logger.js';
import { AgentStartError, startAgent } from '../agent/agent-server.js';
import type { StorageNoticeSource } from '../agent/storage-notice-forwarder.js';
import type { CliIo } from './cli-io.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT } from './exit-codes.js';

/**
 * `the-maestro agent`: serves the core opened in this process (with the command line's key
 * protection: THE_MAESTRO_MASTER_KEY or the 0600 key file) until SIGINT or SIGTERM, logging one
 * line per request on stderr and, redacted, to `fileLogger` (the agent's log file).
 */
export async function runAgentCommand(
  auth: AuthService,
  dataDir: string,
  io: CliIo,
  fileLogger?: Logger,
  notices?: StorageNoticeSource,
): Promise<ExitCode> {
  let agent;
  try {
    agent = await startAgent({
      dataDir,
      auth,
      ...(notices !== undefined ? { notices } : {}),
      log: (line) => {
        io.stderr(`${new Date(io.now()).toISOString()} ${line}\n`);
        fileLogger?.info(line);
      },
    });
  } catch (error) {
    if (!(error instanceof AgentStartError)) throw error;
    io.stderr(`the-maestro: ${error.message}\n`);
    return EXIT.failure;
  }
  io.stderr(`the-maestro agent: serving ${dataDir} on ${agent.endpoint} (pid ${process.pid}); Ctrl-C stops it.\n`);
  fileLogger?.info('agent serving', { dataDir, endpoint: agent.endpoint, pid: process.pid });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  await agent.close();
  io.stderr(`the-maestro agent: stopped (${signal}).\n`);
  fileLogger?.info('agent stopped', { signal });
  return EXIT.ok;
}
