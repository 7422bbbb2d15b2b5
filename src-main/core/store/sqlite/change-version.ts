import type Database from 'better-sqlite3';
import { StatementCache } from './statement-cache.js';

/** How stale another process's change to derived state (session, settings) may be seen: a few ms. */
export const EXTERNAL_VERSION_TTL_MS = 10;

/**
 * The store's change version (see `StateStore.changeVersion`). Our own writes are counted here,
 * exactly. Another process's commits move `data_version`, which costs a query to read (≈1.7 µs,
 * as much as the rest of a resolve); it is read again when the last reading is older than
 * EXTERNAL_VERSION_TTL_MS, so derived state such as the active account follows a change made by
 * the command line within that bound.
 */
export class ChangeVersion {
  private readonly connections: readonly StatementCache[];
  /** Writes made through this store. */
  private localWrites = 0;
  private externalVersion: string | null = null;
  private externalVersionAt = 0;

  /** `secrets` is the credentials' connection when it is not `db` itself. */
  constructor(db: Database.Database, secrets: Database.Database) {
    this.connections =
      secrets === db ? [new StatementCache(db)] : [new StatementCache(db), new StatementCache(secrets)];
  }

  /** Counts a write made (or about to be made) through this store. */
  noteWrite(): void {
    this.localWrites += 1;
  }

  current(): string {
    // Date.now(), not performance.now(): the global `performance` loads perf_hooks on first use,
    // a millisecond of every start-up. A wall clock set back re-reads at once instead of waiting.
    const now = Date.now();
    if (
      this.externalVersion === null ||
      now - this.externalVersionAt >= EXTERNAL_VERSION_TTL_MS ||
      now < this.externalVersionAt
    ) {
      this.externalVersion = this.connections
        .map((cache) => String(cache.get<[], number>('PRAGMA data_version').pluck().get()))
        .join('/');
      this.externalVersionAt = now;
    }
    return `${this.externalVersion}.${this.localWrites}`;
  }
}

/**
 * Whether anything changed in one connection's database since the last look, exactly: the rows
 * this connection changed (`total_changes()`, which counts its own writes, committed or not)
 * and the commits of every other connection and process (`data_version`), read together in one
 * query on each call (a few µs). What is cached against it — opened credentials, the storage
 * notices — is never served after a change anywhere, unlike ChangeVersion's few-ms bound.
 */
export class ExactVersion {
  private statement: Database.Statement<[], [number, number]> | null = null;

  constructor(private readonly db: Database.Database) {}

  current(): string {
    // Prepared on first use: a command that never asks pays nothing at start-up.
    this.statement ??= this.db
      .prepare<[], [number, number]>('SELECT total_changes(), data_version FROM pragma_data_version')
      .raw();
    const row = this.statement.get();
    if (row === undefined) throw new Error('SQLite returned no row for total_changes() and data_version.');
    return `${row[0]}/${row[1]}`;
  }
}
