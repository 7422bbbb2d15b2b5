import type { StateStore } from '../store/state-store.js';

/**
 * Values derived from the store (the session record, the active account, settings), recomputed
 * only when the store changed — in this process or in another one sharing the database — so the
 * resolve hot path reads them for the price of one tiny query.
 */
export class DerivedCache {
  private version: string | null = null;
  private readonly values = new Map<string, unknown>();

  constructor(private readonly store: Pick<StateStore, 'changeVersion'>) {}

  /** The cached value for `key`, or `compute()` when the store moved on. Values are shared: never mutate them. */
  get<T>(key: string, compute: () => T): T {
    const version = this.store.changeVersion();
    if (version !== this.version) {
      this.values.clear();
      this.version = version;
    }
    if (this.values.has(key)) return this.values.get(key) as T;
    const value = compute();
    this.values.set(key, value);
    return value;
  }
}
