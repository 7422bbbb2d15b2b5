import { writeSync } from 'node:fs';

/**
 * Writes to standard output or error without building process.stdout / process.stderr: a stream
 * over a pipe costs a short-lived command ~1 ms to set up, a write(2) on the descriptor nothing.
 * A descriptor that would block (EAGAIN on a non-blocking pipe) or fails otherwise gets the rest —
 * and everything after it, so the output keeps its order — through the stream, which waits or
 * reports the failure as it always did.
 */
export function fdWriter(fd: 1 | 2): (text: string) => void {
  let stream: NodeJS.WriteStream | undefined;
  return (text) => {
    if (stream !== undefined) {
      stream.write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    } catch {
      stream = fd === 1 ? process.stdout : process.stderr;
      stream.write(bytes.subarray(written));
    }
  };
}
