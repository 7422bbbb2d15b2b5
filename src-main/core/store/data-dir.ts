import { accessSync, chmodSync, constants, mkdirSync, readdirSync, statSync, type Stats } from 'node:fs';
import { AuthError } from '../auth-error.js';

function errnoOf(error: unknown): string {
  return error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? 'error') : 'error';
}

function statOrNull(dataDir: string): Stats | null {
  try {
    return statSync(dataDir);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw AuthError.of('storage_error', `The data folder ${dataDir} cannot be examined (${errnoOf(error)}).`);
  }
}

/** The owner's id, or null where the platform has none (Windows). */
function ownUid(): number | null {
  return typeof process.getuid === 'function' ? process.getuid() : null;
}

/**
 * Makes sure the data folder exists, is a folder, is writable, and is for its owner alone: created
 * 0700 when missing, and an existing one of ours that others can enter is tightened to 0700.
 * Each failure says what the person can do, not which system call failed.
 */
export function prepareDataDir(dataDir: string, platform: NodeJS.Platform = process.platform): void {
  const found = statOrNull(dataDir);
  if (found === null) {
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    } catch (error) {
      const code = errnoOf(error);
      throw AuthError.of(
        'storage_error',
        code === 'ENOTDIR' || code === 'EEXIST'
          ? `The data folder ${dataDir} cannot be created: part of its path is a file.`
          : `The data folder ${dataDir} cannot be created (${code}): the folder it goes in must be writable.`,
      );
    }
  } else if (!found.isDirectory()) {
    throw AuthError.of('storage_error', `The data folder ${dataDir} is a file; The Maestro needs a folder there.`);
  }
  try {
    accessSync(dataDir, constants.W_OK | constants.X_OK);
  } catch {
    throw AuthError.of(
      'storage_error',
      `The data folder ${dataDir} is read-only; The Maestro must be able to write in it (it keeps its database there).`,
    );
  }
  if (platform === 'win32') return;
  // mkdir's mode is filtered by the umask; an existing folder may have been made by hand or by an older version.
  const mode = statSync(dataDir).mode;
  if ((mode & 0o077) !== 0 && (found === null || isOursToTighten(dataDir, found))) chmodSync(dataDir, 0o700);
}

/**
 * An existing folder is tightened only when it is ours: owned by us, not a shared sticky folder
 * such as /tmp, and empty or holding The Maestro's files (a data folder pointed at a home
 * directory is not narrowed behind the person's back).
 */
function isOursToTighten(dataDir: string, found: Stats): boolean {
  if (found.uid !== ownUid() || (found.mode & 0o1000) !== 0) return false;
  const entries = readdirSync(dataDir);
  return entries.length === 0 || entries.some((name) => OUR_FILES.has(name));
}

const OUR_FILES = new Set(['maestro.db', 'master.key']);
