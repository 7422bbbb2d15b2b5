import { join } from 'node:path';
import { batchedSink } from '../log/batched-sink.js';
import { createLogger, type Logger } from '../log/logger.js';
import { RotatingLogFile } from '../log/rotating-log-file.js';

/** The agent's log file: `logs/the-maestro.log` in the data directory, written through the redacting logger. */
export interface AgentLogFile {
  readonly path: string;
  /** Writes to the file only, at `info` and above. */
  readonly logger: Logger;
  /** `console` (what the person sees on stderr) and the file, each at its own level. */
  tee(console: Logger): Logger;
  /** Writes the lines still waiting (each round of I/O's lines go to the file in one write). */
  flush(): void;
  /** Writes what waits, then closes the file. */
  close(): void;
}

/**
 * `the-maestro agent` runs unattended for days: what it did must be readable afterwards, and no
 * secret may be in it. Every line goes through `createLogger` (redaction) into a size-rotated,
 * owner-only file (RotatingLogFile) in the data directory's `logs` folder.
 */
export function openAgentLogFile(dataDir: string): AgentLogFile {
  const file = new RotatingLogFile();
  const path = file.openIn(join(dataDir, 'logs'));
  const lines = batchedSink((batch) => file.writeAll(batch));
  const logger = createLogger({ sink: lines.sink, level: 'info', scope: 'agent' });
  return {
    path,
    logger,
    tee: (console) => ({
      debug: (message, fields) => {
        console.debug(message, fields);
        logger.debug(message, fields);
      },
      info: (message, fields) => {
        console.info(message, fields);
        logger.info(message, fields);
      },
      warn: (message, fields) => {
        console.warn(message, fields);
        logger.warn(message, fields);
      },
      error: (message, fields) => {
        console.error(message, fields);
        logger.error(message, fields);
      },
    }),
    flush: lines.flush,
    close: () => {
      lines.flush();
      file.close();
    },
  };
}
