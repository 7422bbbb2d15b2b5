import type Database from 'better-sqlite3';

/** How long a connection waits for another process's lock before failing (never "database is locked" in practice). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Connection settings for the credential database. Order matters: the busy timeout comes first
 * so that switching to WAL waits for another process instead of failing.
 * - WAL: readers never block the writer; two processes can share the file.
 * - synchronous=FULL: a commit is on disk when it returns (a login is done only when committed).
 * - secure_delete: freed pages are zeroed, so old ciphertext does not linger in the file.
 * - foreign_keys: SQLite leaves them off per connection unless asked.
 */
export function applyPragmas(db: Database.Database): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!db.memory) {
    const mode = switchToWal(db);
    if (typeof mode !== 'string' || mode.toLowerCase() !== 'wal') {
      throw new Error(`could not switch the database to WAL (journal_mode is ${String(mode)})`);
    }
  }
  db.pragma('synchronous = FULL');
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  // Temporary tables and indices (sorting) stay in memory, never in a temp file.
  db.pragma('temp_store = MEMORY');
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * `journal_mode = WAL` on a new database file can fail at once with SQLITE_BUSY while another
 * process is creating the same file (SQLite does not call the busy handler for this lock), so
 * the switch is retried for as long as the busy timeout would have waited.
 */
function switchToWal(db: Database.Database): unknown {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      return db.pragma('journal_mode = WAL', { simple: true });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      sleepSync(10);
    }
  }
}

/** True when SQLite's quick integrity check finds nothing wrong. */
export function passesQuickCheck(db: Database.Database): boolean {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  return rows.length === 1 && rows[0]?.quick_check === 'ok';
}
