import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** The log file's name inside its folder; rotated copies are `<name>.1` (newest) to `<name>.<maxFiles - 1>`. */
export const LOG_FILE_NAME = 'the-maestro.log';

export interface RotatingLogFileOptions {
  /** A file reaching this size is rotated before the next line. Default 1 MiB. */
  readonly maxBytes?: number;
  /** Files kept, the one being written included. Default 5. */
  readonly maxFiles?: number;
  /** Where a failure to write the log is reported, once (the log itself cannot say it). Default stderr. */
  readonly onFailure?: (message: string) => void;
  readonly platform?: NodeJS.Platform;
}

/** Lines kept in memory until the folder is known (the app learns it from Electron after start-up). */
const PENDING_LIMIT = 500;

/**
 * A size-rotated log file for the packaged app and `the-maestro agent`: lines go to
 * `<dir>/the-maestro.log` (0600, in a folder made 0700), which is moved to `.1`, `.2`, … when it
 * reaches `maxBytes`; the oldest copy is deleted. It writes what it is given: connect it behind the
 * logger (`createLogger`), which redacts every line. Lines written before `openIn` names the
 * folder wait in memory (the first 500). Writing never throws: a log that cannot be written (disk
 * full, folder removed) is reported once and then dropped, never the app.
 */
export class RotatingLogFile {
  private folder: string | null = null;
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private readonly onFailure: (message: string) => void;
  private readonly platform: NodeJS.Platform;
  private readonly pending: string[] = [];
  private fd: number | null = null;
  private size = 0;
  private failed = false;

  constructor(options: RotatingLogFileOptions = {}) {
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.maxFiles = Math.max(1, options.maxFiles ?? 5);
    this.onFailure = options.onFailure ?? ((message) => process.stderr.write(`${message}\n`));
    this.platform = options.platform ?? process.platform;
  }

  /** The file written, once its folder is known. */
  get path(): string | null {
    return this.folder === null ? null : join(this.folder, LOG_FILE_NAME);
  }

  /** Names the folder (created 0700 if missing) and writes the lines that waited for it. Returns the file's path. */
  openIn(folder: string): string {
    this.folder = folder;
    this.writeAll(this.pending.splice(0));
    return join(folder, LOG_FILE_NAME);
  }

  /** Appends one line (a newline is added). */
  write(line: string): void {
    this.writeAll([line]);
  }

  /**
   * Appends lines in order with as few writes as rotation allows: one, unless the file fills up on
   * the way (a batch of a round's lines, batched-sink.ts, instead of one write per line).
   */
  writeAll(lines: readonly string[]): void {
    if (this.failed || lines.length === 0) return;
    if (this.folder === null) {
      for (const line of lines) if (this.pending.length < PENDING_LIMIT) this.pending.push(line);
      return;
    }
    try {
      let fd = this.fd ?? this.openFile(this.folder);
      let chunk: Buffer[] = [];
      let chunkBytes = 0;
      const flush = (): void => {
        if (chunkBytes === 0) return;
        writeSync(fd, Buffer.concat(chunk, chunkBytes));
        this.size += chunkBytes;
        chunk = [];
        chunkBytes = 0;
      };
      for (const line of lines) {
        const bytes = Buffer.from(`${line}\n`, 'utf8');
        const size = this.size + chunkBytes;
        if (size > 0 && size + bytes.length > this.maxBytes) {
          flush();
          this.rotate(this.folder);
          fd = this.openFile(this.folder);
        }
        chunk.push(bytes);
        chunkBytes += bytes.length;
      }
      flush();
    } catch (error) {
      this.failed = true;
      this.close();
      this.onFailure(
        `The Maestro cannot write its log file ${join(this.folder, LOG_FILE_NAME)} (${(error as NodeJS.ErrnoException).code ?? 'error'}); logging to it stops.`,
      );
    }
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }

  /** Opens (or creates) the file for appending, owner-only, never through a symbolic link. */
  private openFile(folder: string): number {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const windows = this.platform === 'win32';
    // mkdir's mode is filtered by the umask and leaves an existing folder as it was: the folder is ours alone.
    if (!windows) chmodSync(folder, 0o700);
    const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (windows ? 0 : constants.O_NOFOLLOW);
    const fd = openSync(join(folder, LOG_FILE_NAME), flags, 0o600);
    if (!windows) fchmodSync(fd, 0o600);
    this.fd = fd;
    this.size = fstatSync(fd).size;
    return fd;
  }

  /** `.N-1` → `.N` … `log` → `.1`; the oldest beyond `maxFiles` is deleted. */
  private rotate(folder: string): void {
    this.close();
    const file = join(folder, LOG_FILE_NAME);
    const numbered = (index: number): string => `${file}.${index}`;
    rmSync(numbered(this.maxFiles - 1), { force: true });
    for (let index = this.maxFiles - 2; index >= 1; index -= 1) {
      try {
        renameSync(numbered(index), numbered(index + 1));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    if (this.maxFiles > 1) renameSync(file, numbered(1));
    else rmSync(file, { force: true });
    this.size = 0;
  }
}
