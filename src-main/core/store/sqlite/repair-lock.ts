import { closeSync, openSync, rmSync, statSync } from 'node:fs';

/** A lock older than this was left by a process that died while holding it. */
const STALE_AFTER_MS = 30_000;
/** How long a process waits for another one to finish its repair before giving up. */
const WAIT_LIMIT_MS = 10_000;
const POLL_MS = 10;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isStale(lock: string, now: number): boolean {
  try {
    return now - statSync(lock).mtimeMs > STALE_AFTER_MS;
  } catch {
    // Gone already: not stale, just free; the next attempt takes it.
    return false;
  }
}

/**
 * Runs `step` while holding `<file>.repair-lock` (created with O_EXCL, removed afterwards), so
 * that of several processes finding the same damaged database at start-up, one at a time
 * examines and moves it. A lock left by a crashed process is taken over after 30 s.
 * Synchronous on purpose: it runs while the database is being opened, before anything else.
 */
export function withRepairLock<T>(file: string, step: () => T): T {
  const lock = `${file}.repair-lock`;
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(lock, Date.now())) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another process has been repairing ${file} for too long`);
      sleepSync(POLL_MS);
    }
  }
  try {
    return step();
  } finally {
    rmSync(lock, { force: true });
  }
}
