import { closeSync, existsSync, linkSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { withRepairLock } from './repair-lock.js';

/** SQLite result codes that mean "this file is not a healthy database" (as opposed to busy or permissions). */
const CORRUPTION_CODES = new Set([
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT',
  'SQLITE_CORRUPT_VTAB',
  'SQLITE_CORRUPT_SEQUENCE',
  'SQLITE_CORRUPT_INDEX',
]);

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
 * Which file is at `file` right now (device and inode), or null when there is none. Compared
 * before moving a damaged file aside, so a process never moves a database that another process
 * has just put in its place.
 */
export function fileIdentity(file: string): string | null {
  try {
    const stat = statSync(file, { bigint: true });
    return `${stat.dev}:${stat.ino}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function renameIfPresent(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

const COMPANIONS = ['-wal', '-shm', '-journal'] as const;

/**
 * Moves a damaged database and its `-wal`/`-shm` companions aside to
 * `<file>.corrupt-<timestamp>[-n]` (never deleting or overwriting anything) and returns the new
 * main path. With `expected` (from `fileIdentity` before the file was examined), moves nothing
 * and returns null when the file is no longer that one: another process starting at the same
 * moment found the same damage and has already moved it aside (and perhaps created a fresh
 * database, which must not be moved). Processes take turns through a repair lock.
 *
 * With `replace`, which builds a new database from the damaged one (still in place) and returns
 * its path, that database takes the damaged one's place in one rename (the damaged file stays
 * reachable under the new name through a hard link), so no process ever finds the path empty
 * and starts a database of its own beside the salvaged one.
 */
export function moveAside(
  file: string,
  now: number,
  expected?: string | null,
  replace?: (target: string) => string | null,
): string | null {
  return withRepairLock(file, () => {
    if (expected !== undefined && fileIdentity(file) !== expected) return null;
    const base = `${file}.corrupt-${timestamp(now)}`;
    let target = base;
    for (let n = 1; [target, ...COMPANIONS.map((suffix) => target + suffix)].some((path) => existsSync(path)); n += 1)
      target = `${base}-${n}`;
    const replacement = replace?.(target) ?? null;
    // Companions first: a fresh database must never meet the damaged one's write-ahead log.
    for (const suffix of COMPANIONS) renameIfPresent(file + suffix, target + suffix);
    if (replacement !== null) {
      try {
        linkSync(file, target);
        renameSync(replacement, file);
        return target;
      } catch {
        rmSync(target, { force: true });
        rmSync(replacement, { force: true });
      }
    }
    return renameIfPresent(file, target) ? target : null;
  });
}
