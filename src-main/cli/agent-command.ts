import type { AuthService } from '../core/auth-service.js';
import { BatchedLines } from '../log/batched-lines.js';
import type { AgentLogFile } from './agent-log-file.js';
import { AgentStartError, startAgent } from '../agent/agent-server.js';
import type { StorageNoticeSource } from '../agent/storage-notice-forwarder.js';
import type { CliIo } from './cli-io.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT } from './exit-codes.js';

/** Under load, the request lines are written at most this often (a single request's line goes out at once). */
const REQUEST_LOG_INTERVAL_MS = 20;

/**
 * `the-maestro agent`: serves the core opened in this process (with the command line's key
 * protection: THE_MAESTRO_MASTER_KEY or the 0600 key file) until SIGINT or SIGTERM, logging one
 * line per request on stderr and, redacted, to `logFile` (the agent's log file). The request lines
 * are written in batches (BatchedLines), and whatever waits is written before the agent says it
 * stopped, or when the process exits.
 */
export async function runAgentCommand(
  auth: AuthService,
  dataDir: string,
  io: CliIo,
  logFile?: Pick<AgentLogFile, 'logger' | 'flush'>,
  notices?: StorageNoticeSource,
): Promise<ExitCode> {
  const requestLines = new BatchedLines<RequestLine>(
    (lines) => {
      io.stderr(lines.map(({ at, line }) => `${new Date(at).toISOString()} ${line}\n`).join(''));
      // To the file through its logger (redacted), which writes a round's lines together.
      if (logFile !== undefined) for (const { line } of lines) logFile.logger.info(line);
    },
    { minIntervalMs: REQUEST_LOG_INTERVAL_MS },
  );
  const flushOnExit = (): void => {
    requestLines.flush();
    logFile?.flush();
  };
  process.once('exit', flushOnExit);
  try {
    return await serve(auth, dataDir, io, requestLines, logFile, notices);
  } finally {
    requestLines.flush();
    process.removeListener('exit', flushOnExit);
  }
}

/** One request's line and when it was logged. */
interface RequestLine {
  readonly at: number;
  readonly line: string;
}

async function serve(
  auth: AuthService,
  dataDir: string,
  io: CliIo,
  requestLines: BatchedLines<RequestLine>,
  logFile: Pick<AgentLogFile, 'logger'> | undefined,
  notices: StorageNoticeSource | undefined,
): Promise<ExitCode> {
  const fileLogger = logFile?.logger;
  let agent;
  try {
    agent = await startAgent({
      dataDir,
      auth,
      ...(notices !== undefined ? { notices } : {}),
      log: (line) => requestLines.add({ at: io.now(), line }),
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
  requestLines.flush();
  io.stderr(`the-maestro agent: stopped (${signal}).\n`);
  fileLogger?.info('agent stopped', { signal });
  return EXIT.ok;
}
