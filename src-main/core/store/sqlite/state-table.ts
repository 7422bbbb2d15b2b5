import type Database from 'better-sqlite3';
import { StatementCache } from './statement-cache.js';
import { parseStoredJson } from './stored-json.js';

/** The `app_state` table: non-secret key/value state (the session record, preferences), JSON. */
export class StateTable {
  private readonly statements: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.statements = new StatementCache(db);
  }

  /** The value as stored; callers that need certainty validate it (this table is not a trust boundary). */
  get(key: string): unknown {
    const value = this.raw(key);
    if (value === undefined) return null;
    return parseStoredJson(value) ?? null;
  }

  /** Stores `value` as JSON; `null` or `undefined` removes the key. */
  set(key: string, value: unknown): void {
    this.write(key, value === undefined || value === null ? undefined : JSON.stringify(value));
  }

  /**
   * Read-modify-write of one key. A value that comes back unchanged is not written: the commit
   * then has nothing to sync, where a write would cost an fsync (a returning sign-in sets the
   * account already active, on every completion).
   */
  update(key: string, update: (current: unknown) => unknown): void {
    // IMMEDIATE: the read and the write happen under one write lock, so a change another process
    // makes to the same key in between cannot be lost.
    this.db
      .transaction(() => {
        const stored = this.raw(key);
        const next = update(stored === undefined ? null : (parseStoredJson(stored) ?? null));
        const json = next === undefined || next === null ? undefined : JSON.stringify(next);
        if (json !== stored) this.write(key, json);
      })
      .immediate();
  }

  private raw(key: string): string | undefined {
    return this.statements.get<[string], string>('SELECT value FROM app_state WHERE key = ?').pluck().get(key);
  }

  private write(key: string, json: string | undefined): void {
    if (json === undefined) {
      this.statements.get('DELETE FROM app_state WHERE key = ?').run(key);
      return;
    }
    this.statements
      .get('INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, json);
  }
}
