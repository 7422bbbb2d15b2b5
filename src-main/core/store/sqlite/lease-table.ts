import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.js';
import type { Lease } from '../lease-store.js';
import { AuthError } from '../../auth-error.js';
import { StatementCache } from './statement-cache.js';

/**
 * Named cross-process leases in the shared database ("one refresh in flight per credential").
 * Acquisition runs in a BEGIN IMMEDIATE transaction, so two processes cannot both see the lease
 * free; a holder that crashed is replaced once its lease expires.
 */
export class LeaseTable {
  private readonly statements: StatementCache;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.statements = new StatementCache(db);
  }

  /** Takes the lease if it is free, expired, or already ours (then extends it); null otherwise. */
  tryAcquire(name: string, owner: string, ttlMs: number): Lease | null {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0)
      throw AuthError.of('invalid_input', 'A lease needs a positive duration.');
    const acquire = this.db.transaction((): Lease | null => {
      const now = this.clock.now();
      const current = this.statements
        .get<[string], { owner: string; expires_at: number }>('SELECT owner, expires_at FROM leases WHERE name = ?')
        .get(name);
      if (current !== undefined && current.owner !== owner && current.expires_at > now) return null;
      const expiresAt = now + Math.ceil(ttlMs);
      this.statements
        .get(
          'INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?) ' +
            'ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at',
        )
        .run(name, owner, expiresAt);
      return { name, owner, expiresAt };
    });
    return acquire.immediate();
  }

  /** Gives the lease up if `owner` holds it; someone else's lease is left alone. */
  release(name: string, owner: string): void {
    this.statements.get('DELETE FROM leases WHERE name = ? AND owner = ?').run(name, owner);
  }
}
