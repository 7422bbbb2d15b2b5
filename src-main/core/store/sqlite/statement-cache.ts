import type Database from 'better-sqlite3';

/**
 * Prepared statements of one connection, compiled once and reused. Compiling a statement costs
 * more than running the small indexed queries the store makes (profiled: `prepare` was 40% of a
 * credential read), and the hot path (resolve → list → get) runs several per call. Statements
 * belong to their connection and are finalized when it closes.
 */
export class StatementCache {
  private readonly statements = new Map<string, unknown>();

  constructor(private readonly db: Database.Database) {}

  /** The statement for `sql`, prepared on first use. Callers never change its mode (pluck, raw …) after the first use. */
  get<P extends unknown[] | object = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    const cached = this.statements.get(sql) as Database.Statement<P, R> | undefined;
    if (cached !== undefined) return cached;
    const statement = this.db.prepare<P, R>(sql);
    this.statements.set(sql, statement);
    return statement;
  }
}
