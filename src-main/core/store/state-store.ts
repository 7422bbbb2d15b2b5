/**
 * Non-secret key/value state (the session record, preferences), JSON-encoded and shared by every
 * process using the database.
 */
export interface StateStore {
  /**
   * Changes whenever anything in the store changed: at once for this process's writes, within a
   * few milliseconds for another process's. A cheap key for caches of derived state (sessions,
   * settings) — never for credentials themselves, which are always read from the row.
   */
  changeVersion(): string;
  /** The value as stored, or null when the key is absent or unreadable; callers validate it (this is not a trust boundary). */
  getState(key: string): unknown;
  /** Stores `value` as JSON; `null` or `undefined` removes the key. */
  setState(key: string, value: unknown): void;
  /** Read-modify-write of one state key in a single write transaction (no lost update across processes). */
  updateState(key: string, update: (current: unknown) => unknown): void;
}
