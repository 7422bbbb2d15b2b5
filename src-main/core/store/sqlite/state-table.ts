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
    const value = this.statements.get<[string], string>('SELECT value FROM app_state WHERE key = ?').pluck().get(key);
    if (value === undefined) return null;
    return parseStoredJson(value) ?? null;
  }

  /** Stores `value` as JSON; `null` or `undefined` removes the key. */
  set(key: string, value: unknown): void {
    const json = value === undefined || value === null ? undefined : JSON.stringify(value);
    if (json === undefined) {
      this.statements.get('DELETE FROM app_state WHERE key = ?').run(key);
      return;
    }
    this.statements
      .get('INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, json);
  }

  /** Read-modify-write of one key. */
  update(key: string, update: (current: unknown) => unknown): void {
    // IMMEDIATE: the read and the write happen under one write lock, so a change another process
    // makes to the same key in between cannot be lost.
    this.db.transaction(() => this.set(key, update(this.get(key)))).immediate();
  }
}
