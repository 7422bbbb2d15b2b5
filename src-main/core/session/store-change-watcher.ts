import type { StateStore } from '../store/state-store.js';

/** How often the window's status follows a change made by another process (the CLI, a second app). */
export const STORE_CHANGE_POLL_MS = 500;

/**
 * Notices changes to the store that no call in this process announced — the command line adding,
 * removing or switching an account, another app instance — by polling the store's change version
 * (a counter plus SQLite's `PRAGMA data_version`: microseconds a read). It runs only while someone
 * listens (start/stop), never keeps the process alive, and stays quiet for a version the listeners
 * were already told about (markSeen), so a change made here is not announced twice.
 */
export class StoreChangeWatcher {
  private timer: ReturnType<typeof setInterval> | null = null;
  private seen: string | null = null;

  constructor(
    private readonly store: Pick<StateStore, 'changeVersion'>,
    private readonly onChange: () => void,
    private readonly intervalMs: number = STORE_CHANGE_POLL_MS,
  ) {}

  /** Starts polling (no-op when it already runs); changes from now on are reported. */
  start(): void {
    if (this.timer !== null) return;
    this.seen = this.store.changeVersion();
    this.timer = setInterval(() => this.check(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** The listeners are being told about the store as it is now. */
  markSeen(): void {
    if (this.timer !== null) this.seen = this.store.changeVersion();
  }

  private check(): void {
    const version = this.store.changeVersion();
    if (version === this.seen) return;
    this.seen = version;
    this.onChange();
  }
}
