/** A cross-process lease (e.g. "one refresh in flight per credential"). */
export interface Lease {
  readonly name: string;
  readonly owner: string;
  readonly expiresAt: number;
}

/** Named leases shared by every process using the database. */
export interface LeaseStore {
  /** Try to take a named lease until `ttlMs` from now; null when someone else holds an unexpired one. */
  tryAcquireLease(name: string, owner: string, ttlMs: number): Lease | null;
  /** Gives the lease up if `owner` holds it; someone else's lease is left alone. */
  releaseLease(name: string, owner: string): void;
}
