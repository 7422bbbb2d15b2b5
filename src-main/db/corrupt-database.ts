import { closeSync, existsSync, openSync, readSync, renameSync } from 'node:fs';

/** SQLite result codes that mean "this file is not a healthy database" (as opposed to busy or permissions). */
const CORRUPTION_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_INDEX']);

/** Thrown by our own checks when SQLite opens the file but it fails `quick_check`. */
export class DatabaseCorruptError extends Error {
  override readonly name = 'DatabaseCorruptError';
}

/** True when `error` says the database file itself is damaged or not a database at all. */
export function isCorruptionError(error: unknown): boolean {
  if (error instanceof DatabaseCorruptError) return true;
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && CORRUPTION_CODES.has(code);
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Checks the file header before SQLite opens the file: SQLite would otherwise discard the
 * `-wal` of a file it cannot read when the connection closes. An empty file is fine (a WAL
 * database can be empty until its first checkpoint); a missing file is a new database.
 */
export function headerLooksValid(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  try {
    const header = Buffer.alloc(SQLITE_MAGIC.length);
    const read = readSync(fd, header, 0, header.length, 0);
    return read === 0 || (read === header.length && header.equals(SQLITE_MAGIC));
  } finally {
    closeSync(fd);
  }
}

function timestamp(now: number): string {
  // 2026-11-24T12:00:00.000Z → 20261124T120000000Z: sortable and valid in every file system.
  return new Date(now).toISOString().replace(/[-:.]/g, '');
}

/**
 * Moves a damaged database and its `-wal`/`-shm` companions aside to
 * `<file>.corrupt-<timestamp>[-n]` (never deleting anything) and returns the new main path.
 */
export function moveAside(file: string, now: number): string {
  const base = `${file}.corrupt-${timestamp(now)}`;
  let target = base;
  for (let n = 1; existsSync(target) || existsSync(`${target}-wal`); n += 1) target = `${base}-${n}`;
  for (const suffix of ['-wal', '-shm', '-journal']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
  }
  renameSync(file, target);
  return target;
}
