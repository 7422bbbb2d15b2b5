import { BatchedLines } from './batched-lines.js';
import type { LogSink } from './logger.js';

/** A log sink whose lines are written together, and how to write what still waits. */
export interface BatchedSink {
  readonly sink: LogSink;
  /** Writes the waiting lines now: before closing what `write` writes to, and on the process's `exit`. */
  readonly flush: () => void;
}

/**
 * The lines logged in one round of I/O, written together and in order (BatchedLines). The
 * gateway and the agent log a line per request: under a burst, each destination gets one write
 * per round instead of one per line. A line after a quiet spell goes out right after its round.
 */
export function batchedSink(write: (lines: readonly string[]) => void): BatchedSink {
  const lines = new BatchedLines<string>(write);
  return { sink: (line) => lines.add(line), flush: () => lines.flush() };
}

/** Lines as one text, each ended by a newline (for a stream such as stderr). */
export function asText(lines: readonly string[]): string {
  let text = '';
  for (const line of lines) text += `${line}\n`;
  return text;
}
