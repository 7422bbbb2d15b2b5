import type { ErrorInfo, Result } from '../../src-shared/errors.js';
import type { CliIo } from './cli-io.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { formatError } from './format.js';

/** Prints a result: its value on stdout (text or JSON), or its error on stderr with the matching exit code. */
export function report<T>(
  result: Result<T>,
  json: boolean,
  io: Pick<CliIo, 'stdout' | 'stderr'>,
  text: (value: T) => string,
  toJson: (value: T) => unknown = (value) => value,
): ExitCode {
  if (!result.ok) return fail(result.error, json, io);
  io.stdout(json ? `${JSON.stringify(toJson(result.value), null, 2)}\n` : text(result.value));
  return EXIT.ok;
}

export function fail(error: ErrorInfo, json: boolean, io: Pick<CliIo, 'stderr'>): ExitCode {
  io.stderr(formatError(error, json));
  return exitCodeFor(error.code);
}
