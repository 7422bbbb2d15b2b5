import { closeSync, fstatSync, openSync, rmSync, statSync } from 'node:fs';

/** A lock older than this was left by a process that died while holding it. */
const STALE_AFTER_MS = 30_000;
/** How long a process waits for another one to finish its repair before giving up. */
const WAIT_LIMIT_MS = 10_000;
const POLL_MS = 10;

export interface RepairLockOptions {
  /**
   * Runs when a lock was judged stale, before it is taken over. A seam for the multi-process
   * test, which widens the gap between judging and taking over to make racing processes meet.
   */
  readonly onStale?: () => void;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Which file sits at `path`, as (inode, modification time); null when none does. */
function identityOf(path: string): { readonly ino: number; readonly mtimeMs: number } | null {
  try {
    const stat = statSync(path);
    return { ino: stat.ino, mtimeMs: stat.mtimeMs };
  } catch {
    return null;
  }
}

function isStale(path: string, now: number): boolean {
  const identity = identityOf(path);
  // Gone already: not stale, just free; the next attempt takes it.
  return identity !== null && now - identity.mtimeMs > STALE_AFTER_MS;
}

/** Creates `path` with O_EXCL; returns its identity, or null when it exists already. */
function createExclusive(path: string): { readonly ino: number; readonly mtimeMs: number } | null {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    return { ino: stat.ino, mtimeMs: stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes a stale lock so that no two processes can both remove it and each take the lock
 * afterwards: the removal happens only while holding `<lock>.takeover` (O_EXCL), and only after
 * judging the lock stale again under it — a process that judged the old lock stale a moment ago
 * finds the new holder's fresh lock instead, and leaves it alone. A takeover file is held for
 * microseconds; one left by a process that died holding it is removed once stale itself.
 */
function takeOverStale(lock: string): void {
  const takeover = `${lock}.takeover`;
  if (createExclusive(takeover) === null) {
    if (isStale(takeover, Date.now())) rmSync(takeover, { force: true });
    return;
  }
  try {
    if (isStale(lock, Date.now())) rmSync(lock, { force: true });
  } finally {
    rmSync(takeover, { force: true });
  }
}

/**
 * Runs `step` while holding `<file>.repair-lock` (created with O_EXCL, removed afterwards), so
 * that of several processes finding the same damaged database at start-up, one at a time
 * examines and moves it. A lock left by a crashed process is taken over after 30 s, by one
 * process at a time (`takeOverStale`). Synchronous on purpose: it runs while the database is
 * being opened, before anything else.
 */
export function withRepairLock<T>(file: string, step: () => T, options: RepairLockOptions = {}): T {
  const lock = `${file}.repair-lock`;
  const deadline = Date.now() + WAIT_LIMIT_MS;
  let mine = createExclusive(lock);
  while (mine === null) {
    if (isStale(lock, Date.now())) {
      options.onStale?.();
      takeOverStale(lock);
      mine = createExclusive(lock);
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another process has been repairing ${file} for too long`);
    sleepSync(POLL_MS);
    mine = createExclusive(lock);
  }
  try {
    return step();
  } finally {
    // Only our own lock: had this step outlived the stale limit, the lock there is another's.
    const current = identityOf(lock);
    if (current !== null && current.ino === mine.ino && current.mtimeMs === mine.mtimeMs) rmSync(lock, { force: true });
  }
}
